import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { describeCounts, type RefinementCounts } from '../../shared/src/policy/refinementSummary';
import type { FileRefinement } from '../../shared/src/protocol/requests';
import { COMMANDS } from './commands';
import { workspaceRefinements } from './requests';

export interface WorkspaceRefinementResult {
  files: string[];
  summary: string;
  applied: boolean;
  /** After applying: what the message says was done ("Refined 2 policy files: …"). */
  report?: string;
  /** After applying with `save: true`: whether every refined file was saved. */
  saved?: boolean;
}

export interface WorkspaceRefinementOptions {
  /** false: apply without the modal confirmation (tests, keybindings). */
  confirm?: boolean;
  /** true: save the refined files at once, as the message's "Save All" button does. */
  save?: boolean;
}

const SAVE_ALL = 'Save All';

/**
 * "Refine all policies in the workspace": the server refines and verifies every policy file; the
 * user sees the summary and the files, and confirms; the edits go in as one WorkspaceEdit.
 */
export function registerWorkspaceRefinement(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.refineWorkspace, async (
    options?: WorkspaceRefinementOptions,
  ): Promise<WorkspaceRefinementResult> => {
    const refinements = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'IAM Policy Refiner: refining the policies of the workspace…' },
      () => workspaceRefinements(client),
    );
    const editable = refinements.filter((r) => r.edits.length > 0);
    const files = editable.map((r) => vscode.workspace.asRelativePath(vscode.Uri.parse(r.uri)));
    const summary = workspaceSummary(refinements);
    if (editable.length === 0) {
      void vscode.window.showInformationMessage(`IAM Policy Refiner: ${summary}`);
      return { files, summary, applied: false };
    }
    if (options?.confirm !== false) {
      const choice = await vscode.window.showWarningMessage(`Refine ${summary}?`, { modal: true, detail: files.join('\n') }, 'Refine');
      if (choice !== 'Refine') return { files, summary, applied: false };
    }
    const edit = new vscode.WorkspaceEdit();
    for (const file of editable) {
      const uri = vscode.Uri.parse(file.uri);
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open && file.version !== undefined && open.version !== file.version) {
        const name = vscode.workspace.asRelativePath(uri);
        void vscode.window.showWarningMessage(`${name} changed while it was being refined: run the command again.`);
        return { files, summary, applied: false };
      }
      for (const e of file.edits) {
        const { start, end } = e.range;
        edit.replace(uri, new vscode.Range(start.line, start.character, end.line, end.character), e.newText);
      }
    }
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) {
      void vscode.window.showWarningMessage('IAM Policy Refiner: VS Code refused the edits; nothing was refined.');
      return { files, summary, applied };
    }
    const uris = editable.map((r) => vscode.Uri.parse(r.uri));
    const report = appliedReport(refinements);
    if (options?.save === true) {
      const saved = await saveAll(uris);
      void vscode.window.showInformationMessage(`IAM Policy Refiner: ${report}${saved ? '; saved.' : '. Some files could not be saved.'}`);
      return { files, summary, applied, report, saved };
    }
    // The edits sit unsaved in as many editors: one click saves exactly those files, nothing else the user has open.
    const message = `IAM Policy Refiner: ${report}. The files are not saved yet.`;
    void vscode.window.showInformationMessage(message, SAVE_ALL).then(async (choice) => {
      if (choice === SAVE_ALL && !(await saveAll(uris))) {
        void vscode.window.showWarningMessage('IAM Policy Refiner: some files could not be saved.');
      }
    });
    return { files, summary, applied, report };
  });
}

/** Saves the documents of `uris` (open since the edit was applied); whether all of them were saved. */
async function saveAll(uris: readonly vscode.Uri[]): Promise<boolean> {
  let all = true;
  for (const uri of uris) {
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.isDirty && !(await document.save())) all = false;
  }
  return all;
}

/** "Refined 2 policy files: 2 unused actions removed, 1 wildcard narrowed (…); 1 policy to detach by hand". */
export function appliedReport(refinements: readonly FileRefinement[]): string {
  const { total, detach } = totals(refinements);
  const files = refinements.filter((r) => r.edits.length > 0).length;
  const report = `Refined ${files} ${files === 1 ? 'policy file' : 'policy files'}: ${describeCounts(total)}`;
  return detach > 0 ? `${report}; ${detach} ${detach === 1 ? 'policy' : 'policies'} to detach by hand` : report;
}

/** "12 policies, 48 unused actions removed, 9 wildcards narrowed", plus the policies to detach. */
export function workspaceSummary(refinements: readonly FileRefinement[]): string {
  const { total, detach } = totals(refinements);
  const files = refinements.filter((r) => r.edits.length > 0).length;
  const parts: string[] = [];
  if (files > 0) parts.push(`${files} ${files === 1 ? 'policy file' : 'policy files'}: ${describeCounts(total)}`);
  else parts.push('no policy needs refining');
  if (detach > 0) parts.push(`${detach} ${detach === 1 ? 'policy allows' : 'policies allow'} only unused actions and should be detached`);
  return parts.join('; ');
}

/** What all the files' refinements do together, and how many policies allow only unused actions. */
function totals(refinements: readonly FileRefinement[]): { total: RefinementCounts; detach: number } {
  const total: RefinementCounts = { statements: 0, actions: 0, wildcards: 0, notActions: 0, excluded: 0 };
  let detach = 0;
  for (const r of refinements) {
    for (const key of Object.keys(total) as (keyof RefinementCounts)[]) total[key] += r.summary[key];
    detach += r.detach;
  }
  return { total, detach };
}
