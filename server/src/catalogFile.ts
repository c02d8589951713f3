import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { Catalog, type CatalogData, type DescriptionsData } from '../../shared/src/catalog/catalog';

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
