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
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>,
  options: WaitOptions & { describe?: () => string } = {}): Promise<T> {
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

/**
 * A workspace folder the harness opened (a temporary copy of a folder in test/fixtures/workspaces): the
 * one named `name` (the fixture's folder name), or the first. run.mjs opens `article` first.
 */
export function workspaceFolder(name?: string): vscode.WorkspaceFolder {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = name === undefined ? folders[0] : folders.find((f) => f.name === name);
  if (!folder) throw new Error(
    name === undefined ? 'no workspace folder is open' : `no workspace folder named ${name} (open: ${
      folders.map((f) => f.name).join(', ') || 'none'})`);
  return folder;
}

/** Whether the harness opened the fixture `name` (run.mjs --workspace NAME, repeatable). */
export function hasWorkspaceFolder(name: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((f) => f.name === name);
}

/** The URI of a file of a workspace folder (default the first). */
export function workspaceUri(relativePath: string, folderName?: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder(folderName).uri, relativePath);
}

/** Opens a file of the workspace in an editor (of the folder named `folderName`, default the first). */
export async function openWorkspaceFile(relativePath: string, folderName?: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relativePath, folderName));
  return vscode.window.showTextDocument(document);
}

/** A file's text on disk (the harness's copy of the fixture), whatever an editor holds. */
export async function diskText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/**
 * Brings a document back to its text on disk ("File: Revert File") when an earlier test edited it, and
 * waits until the editor says so. Suites share one window: each one restores what it edits.
 */
export async function revertToDisk(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const expected = await diskText(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.isDirty || document.getText() !== expected) {
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await waitFor(`${vscode.workspace.asRelativePath(uri)} to be back to its text on disk`,
    () => (!document.isDirty && document.getText() === expected ? true : undefined),
    { describe: () => `dirty=${document.isDirty}, text=${JSON.stringify(document.getText().slice(0, 200))}` });
  return document;
}

/** Reverts every edited document, then closes every editor (no "save changes?" dialog can show). */
export async function revertAndCloseAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && document.uri.scheme === 'file') await revertToDisk(document.uri);
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Our diagnostics of a document as they are now (none is fine). */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** The code of a diagnostic as a string (with a documentation link, VS Code holds `{ value, target }`). */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return String(typeof code === 'object' ? code.value : code);
}

/** Polls our diagnostics of a document until `accept` holds for them, and returns them. */
export function waitForDiagnosticsWhere(uri: vscode.Uri, what: string, accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  options: WaitOptions = {}): Promise<vscode.Diagnostic[]> {
  return waitFor(`diagnostics on ${vscode.workspace.asRelativePath(uri)}: ${what}`, () => {
    const found = ourDiagnostics(uri);
    return accept(found) ? found : undefined;
  }, { ...options,
    describe: () => JSON.stringify(ourDiagnostics(uri).map((d) => `${codeOf(d)}/${vscode.DiagnosticSeverity[d.severity]} ${d.message}`)) });
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

/** The code actions (not bare commands) VS Code gathers for a range, as the lightbulb and Ctrl+. would. */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const items = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', uri, range, kind, 100);
  return (items ?? []).filter((item): item is vscode.CodeAction => typeof item.command !== 'string');
}

/** Polls the code actions at a range until one has the title `title` (the server may still be analysing). */
export async function waitForCodeAction(uri: vscode.Uri, range: vscode.Range, title: string | RegExp,
  kind?: string): Promise<vscode.CodeAction> {
  let titles: string[] = [];
  return waitFor(`the code action ${String(title)}`, async () => {
    const actions = await codeActionsAt(uri, range, kind);
    titles = actions.map((a) => a.title);
    return actions.find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
  }, { describe: () => JSON.stringify(titles) });
}

/** Polls the hover at a position until its text matches `ready`, and returns that text. */
export async function waitForHover(uri: vscode.Uri, position: vscode.Position, ready: RegExp): Promise<string> {
  let last = '';
  return waitFor(`a hover matching ${ready}`, async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    last = hoverText(hovers ?? []);
    return ready.test(last) ? last : undefined;
  }, { describe: () => JSON.stringify(last) });
}

/** Markdown as it reads once rendered: code spans as their text, no `**` or `_` emphasis markers around words. */
export function renderedText(markdown: string): string {
  // Odd pieces are code spans (`s3:Get*`), kept as they are; emphasis markers go from the rest.
  return markdown.split('`').map((piece, i) => (i % 2 === 1 ? piece
    : piece.replace(/\*\*/g, '').replace(/(^|\s)_(\S[^_]*\S|\S)_(?=\s|$|[.,:;])/g, '$1$2'))).join('');
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
