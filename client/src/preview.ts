import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { describeCounts, type RefinementCounts } from '../../shared/src/policy/refinementSummary';
import { FIX_ALL_KIND } from '../../shared/src/protocol/names';
import { COMMANDS } from './commands';
import { documentSummary } from './requests';
import { catalogInfo, catalogSuffix } from './catalog/catalogInfo';

export const PREVIEW_SCHEME = 'iam-refined';

interface Preview {
  original: vscode.Uri;
  version: number;
  text: string;
  edit: vscode.WorkspaceEdit;
}

/**
 * "Preview refined policy": the server's verified refinement of the active policy, shown in the diff
 * editor beside the original, with an action in the editor title that applies it.
 */
export function registerPreview(client: LanguageClient): vscode.Disposable {
  const previews = new Map<string, Preview>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent: (uri) => previews.get(uri.toString())?.text ?? '',
  };
  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, provider),
    vscode.commands.registerCommand(COMMANDS.previewRefinedPolicy, async (target?: vscode.Uri) => {
      const document = await targetDocument(target);
      if (!document) return undefined;
      const edit = await refinementEdit(document);
      if (!edit) {
        const summary = await documentSummary(client, document).catch(() => undefined);
        const name = vscode.workspace.asRelativePath(document.uri);
        if (summary?.syntaxError) {
          const fixFirst = `${name} has a syntax error on ${summary.syntaxError}: fix it first, then preview the refinement.`;
          void vscode.window.showWarningMessage(fixFirst);
          return undefined;
        }
        void vscode.window.showInformationMessage([`${name}: nothing to refine.`, ...summary?.awsRecommendations ?? []].join(' '));
        return undefined;
      }
      const previewUri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: document.uri.path, query: `${document.version}` });
      const text = applyToText(document, edit.get(document.uri));
      previews.set(previewUri.toString(), { original: document.uri, version: document.version, text, edit });
      changed.fire(previewUri);
      const summary = await documentSummary(client, document);
      // The catalogue decides what a wildcard allows: once one is downloaded, the title says which.
      const title = `${previewTitle(path(document.uri), summary?.summary)}${catalogSuffix(await catalogInfo(client))}`;
      await vscode.commands.executeCommand('vscode.diff', document.uri, previewUri, title);
      // AWS's own recommendation, where the findings hold one: whether the preview allows what it allows.
      if (summary?.awsRecommendations) void vscode.window.showInformationMessage(summary.awsRecommendations.join(' '));
      return previewUri;
    }),
    vscode.commands.registerCommand(COMMANDS.applyRefinedPolicy, async (target?: vscode.Uri) => {
      const uri = target ?? vscode.window.activeTextEditor?.document.uri;
      if (!uri) return false;
      const preview = previews.get(uri.toString());
      if (!preview) {
        // The ✓ of a preview that was applied already, or made before the extension restarted: say so, never do nothing.
        if (uri.scheme === PREVIEW_SCHEME) {
          void vscode.window.showWarningMessage(
            `This preview of ${path(uri.with({ scheme: 'file', query: '' }))} was applied or is out of date: preview the policy again.`);
        }
        return false;
      }
      const document = await vscode.workspace.openTextDocument(preview.original);
      if (document.version !== preview.version) {
        void vscode.window.showWarningMessage(
          `${path(document.uri)} changed since the preview was made: preview it again to apply the refinement.`);
        return false;
      }
      const applied = await vscode.workspace.applyEdit(preview.edit);
      if (applied) {
        previews.delete(uri.toString());
        // The diff now compares the refined policy with itself under a stale title: close it, show the policy.
        await closeDiffTabs(uri);
        await vscode.window.showTextDocument(document);
      }
      return applied;
    }),
  );
}

/**
 * The diff tab's title: short enough for a tab, and no nested parentheses ("policy.json ↔ Refined: 8 actions removed,
 * 1 wildcard narrowed"); how many unused actions a wildcard excluded is in the hover and the Problems panel.
 */
export function previewTitle(name: string, counts: RefinementCounts | undefined): string {
  const described = counts ? describeCounts(counts, true) : '';
  return described !== '' ? `${name} ↔ Refined: ${described}` : `${name} ↔ Refined`;
}

/** Closes every diff tab whose right side is `preview`, in any editor group. */
async function closeDiffTabs(preview: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === preview.toString());
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

/** How many of the returned actions `vscode.executeCodeActionProvider` resolves: all of them. */
const RESOLVE_ALL = 100;

/** The server's fix-all for a document, as the editor would apply it on save. */
async function refinementEdit(document: vscode.TextDocument): Promise<vscode.WorkspaceEdit | undefined> {
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  // The server sends edits on resolve: the last argument asks VS Code to resolve the actions it returns.
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider', document.uri, whole, FIX_ALL_KIND, RESOLVE_ALL);
  return actions?.find((a) => a.kind?.value === FIX_ALL_KIND && a.edit)?.edit;
}

function applyToText(document: vscode.TextDocument, edits: readonly vscode.TextEdit[]): string {
  const text = document.getText();
  const sorted = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
  let out = text;
  for (const edit of sorted) {
    out = out.slice(0, document.offsetAt(edit.range.start)) + edit.newText + out.slice(document.offsetAt(edit.range.end));
  }
  return out;
}

async function targetDocument(target?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  if (target instanceof vscode.Uri) return vscode.workspace.openTextDocument(target);
  const document = vscode.window.activeTextEditor?.document;
  if (!document) void vscode.window.showInformationMessage('Open an IAM policy to preview its refinement.');
  return document;
}

function path(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri);
}
