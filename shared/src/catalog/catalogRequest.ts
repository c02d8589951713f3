import type { CatalogSource } from './catalog';

/**
 * What the server answers to CATALOG_INFO_METHOD (shared/src/protocol/names.ts): the action catalogue in
 * use, its date, and the catalogues it is made of (the bundled one, a download).
 */
export interface CatalogInfo {
  date: string;
  sources: CatalogSource[];
}
