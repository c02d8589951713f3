import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { CatalogDetails, type DetailsData } from '../../../shared/src/catalog/details';

export const DETAILS_FILE = 'catalog-details.json.br';

/**
 * The action details the build writes beside the bundles (`dist/`), read on the first hover that
 * needs them: start-up reads nothing more. A missing or unreadable file leaves the details out of
 * the hover (the hover says nothing of them) rather than failing it.
 */
export function detailsBeside(dir: string): CatalogDetails {
  return new CatalogDetails(() => {
    try {
      return JSON.parse(brotliDecompressSync(readFileSync(join(dir, DETAILS_FILE))).toString('utf8')) as DetailsData;
    } catch {
      return { services: {} };
    }
  });
}
