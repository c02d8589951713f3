import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { Catalog, type CatalogData, type DescriptionsData } from '../../shared/src/catalog/catalog';
import { uniteCatalogs } from '../../shared/src/catalog/liveCatalog';
import { readCache } from './catalog/cacheFile';

export const CATALOG_FILE = 'catalog.json.br';
export const DESCRIPTIONS_FILE = 'catalog-descriptions.json.br';

/**
 * Loads the catalogue that the build writes beside the bundles (`dist/`). Descriptions are read on
 * the first hover that needs one.
 */
export function loadCatalog(dir: string): Catalog {
  const read = <T>(file: string): T => JSON.parse(brotliDecompressSync(readFileSync(join(dir, file))).toString('utf8')) as T;
  return new Catalog(read<CatalogData>(CATALOG_FILE), () => read<DescriptionsData>(DESCRIPTIONS_FILE));
}

/** The catalogue in use and what the cache had to say, if anything. */
export interface CatalogInUse {
  readonly catalog: Catalog;
  /** Why the cache in `dir` was not used, in a sentence; undefined when it was, or when there is none. */
  readonly problem?: string;
}

/**
 * The bundled catalogue united with the service reference cached in `cacheDir`, if there is one that
 * is whole; otherwise the bundled one, with the reason, for the one quiet line the caller writes.
 */
export function loadCatalogInUse(distDir: string, cacheDir: string | undefined, bundled = loadCatalog(distDir)): CatalogInUse {
  return uniteWithCache(bundled, cacheDir);
}

/** The bundled catalogue united with the cache in `cacheDir` (see loadCatalogInUse). */
export function uniteWithCache(bundled: Catalog, cacheDir: string | undefined): CatalogInUse {
  if (!cacheDir) return { catalog: bundled };
  const cache = readCache(cacheDir);
  switch (cache.kind) {
    case 'none': return { catalog: bundled };
    case 'unusable':
      return { catalog: bundled, problem: `the cached action catalogue ${cache.path} cannot be used (${cache.reason}); `
        + `the bundled catalogue of ${bundled.date} is used` };
    case 'read': return { catalog: uniteCatalogs(bundled, cache.data) };
  }
}
