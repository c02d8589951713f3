/** Names that the client, the server and package.json must spell alike. */

/**
 * The settings section: the client synchronises it and the server reads it (`workspace/configuration`).
 * Every setting package.json contributes lies in it, `trace.server` included, which the language client
 * finds by its id: the client is given this name as its id for that.
 */
export const SETTINGS_SECTION = 'iamPolicyRefiner';

/**
 * The code action that refines a whole file: LSP's `source.fixAll` kind, narrowed to this server so
 * that users can ask for it on save (`editor.codeActionsOnSave`), as the README shows.
 */
export const FIX_ALL_KIND = 'source.fixAll.iamPolicyRefiner';

/** The command that fetches findings from AWS, which the server's hovers may link to. */
export const FETCH_FINDINGS_COMMAND = 'iamPolicyRefiner.fetchFindings';

/** The request (no parameters) that asks the server which action catalogue it uses: its answer is a CatalogInfo (shared/src/catalog). */
export const CATALOG_INFO_METHOD = 'iamPolicyRefiner/catalog';

/** The command that opens the findings files of a policy, which a long hover may link to. */
export const SHOW_FINDINGS_COMMAND = 'iamPolicyRefiner.showFindings';

/**
 * What the client tells the server when it starts (`initializationOptions`): the commands a
 * `command:` link in a hover may run there. Other clients send nothing and get no such links.
 */
export interface InitializationOptions {
  commands?: string[];
  /**
   * A folder the server may keep the downloaded action catalogue in (the extension's global storage):
   * given, the server updates the catalogue in the background as `iamPolicyRefiner.catalog.update` says.
   */
  catalogCache?: string;
}
