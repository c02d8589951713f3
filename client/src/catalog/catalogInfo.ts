import type { LanguageClient } from 'vscode-languageclient/node';
import type { CatalogInfo } from '../../../shared/src/catalog/catalogRequest';
import { CATALOG_INFO_METHOD } from '../../../shared/src/protocol/names';

/** The catalogue the server uses; undefined when it cannot say (an older server, a request that failed). */
export async function catalogInfo(client: LanguageClient): Promise<CatalogInfo | undefined> {
  return (await client.sendRequest<CatalogInfo | null>(CATALOG_INFO_METHOD).catch(() => null)) ?? undefined;
}

/**
 * What a title adds about the catalogue: its date, once a downloaded catalogue is in use. The bundled
 * catalogue's date is in every hover and in `iam-refine --version`; a download's date is what changes.
 */
export function catalogSuffix(info: CatalogInfo | undefined): string {
  return info && info.sources.length > 1 ? ` · catalogue of ${info.date}` : '';
}
