/** Helpers for the end-to-end suites: waiting with deadlines (never fixed sleeps) and finding text. */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'iam-policy-refiner.iam-policy-refiner';
/** The `source` of every diagnostic the language server publishes. */
export const SOURCE = 'iam-policy-refiner';

export interface WaitOptions {
  /** Give up after this many ms (default 30 000). */
  timeout?: number;
  /** Poll every this many ms (default 50). */
  interval?: number;
}

/**
 * Calls `probe` until it returns something other than undefined, and returns that. After the deadline
 * it throws, with `describe()` (the last state seen) in the message.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, options: WaitOptions & { describe?: () => string } = {}): Promise<T> {
  const timeout = options.timeout ?? 30_000;
  const interval = options.interval ?? 50;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const last = options.describe ? `; last seen: ${options.describe()}` : '';
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** The workspace folder the harness opened (a temporary copy of a folder in test/fixtures/workspaces). */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder;
}

/** Opens a file of the workspace in an editor. */
export async function openWorkspaceFile(relativePath: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, relativePath);
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

/** Activates the extension under test (opening a JSON document usually has already) and waits for it. */
export async function activateExtension(timeout = 60_000): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    const ids = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(`extension ${EXTENSION_ID} is not installed (non-builtin extensions: ${ids.join(', ') || 'none'})`);
  }
  // activate() resolves when activation ends and rejects when it fails; the deadline is for a hang.
  void extension.activate().then(undefined, () => undefined);
  await waitFor(`${EXTENSION_ID} to activate`, () => (extension.isActive ? true : undefined), { timeout });
  return extension;
}

/** Our diagnostics of a document, once the server has published at least one. */
export function waitForDiagnostics(uri: vscode.Uri, options: WaitOptions = {}): Promise<vscode.Diagnostic[]> {
  const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
  return waitFor(`diagnostics with source '${SOURCE}' on ${uri.toString()}`, () => {
    const found = ours();
    return found.length > 0 ? found : undefined;
  }, { ...options, describe: () => JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => `${d.source ?? '?'}: ${d.message}`)) });
}

/** The range of the first occurrence of `needle` in a document (e.g. `"s3:Get*"`, quotes included). */
export function rangeOf(document: vscode.TextDocument, needle: string): vscode.Range {
  const offset = document.getText().indexOf(needle);
  if (offset < 0) throw new Error(`${JSON.stringify(needle)} is not in ${document.uri.toString()}`);
  return new vscode.Range(document.positionAt(offset), document.positionAt(offset + needle.length));
}

/** The plain text of hovers, every content joined. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n---\n');
}

/** Applies a code action as VS Code would: its edit, then its command. */
export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) {
    const applied = await vscode.workspace.applyEdit(action.edit);
    if (!applied) throw new Error(`VS Code refused the edit of "${action.title}"`);
  }
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}
