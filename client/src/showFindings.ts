import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from './commands';
import { documentSummary } from './requests';

/** "Show findings for this policy": the findings files that apply to the active policy, opened. */
export function registerShowFindings(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.showFindings, async (target?: vscode.Uri): Promise<string[]> => {
    const document = target instanceof vscode.Uri
      ? await vscode.workspace.openTextDocument(target)
      : vscode.window.activeTextEditor?.document;
    const summary = document && (await documentSummary(client, document));
    if (!summary?.isPolicy) {
      void vscode.window.showInformationMessage('The active document is not an IAM policy.');
      return [];
    }
    const uris = summary.findings.map((f) => f.uri);
    if (uris.length === 0) {
      void vscode.window.showInformationMessage('No findings file applies to this policy. '
        + 'Findings files are named unused-access.json or *.unused-access.json and apply to their folder and below.');
      return [];
    }
    let chosen = uris[0]!;
    if (uris.length > 1) {
      const picked = await vscode.window.showQuickPick(summary.findings.map((f) => ({
        label: vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri)),
        description: f.principals.map((p) => p.slice(p.lastIndexOf('/') + 1)).join(', '),
        detail: f.analyzedAt ? `analysed ${f.analyzedAt.slice(0, 10)}` : undefined,
        uri: f.uri,
      })), { title: 'Findings that apply to this policy (only actions unused in all of them count)' });
      if (!picked) return uris;
      chosen = picked.uri;
    }
    await vscode.window.showTextDocument(vscode.Uri.parse(chosen), { preview: false });
    return uris;
  });
}
