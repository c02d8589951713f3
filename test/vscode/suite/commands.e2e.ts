// The commands a person runs on the article policy: Preview Refined Policy (the diff editor), Apply
// Refined Policy (from the preview), Show Findings for This Policy.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ARTICLE_REFINED } from '../../support/article';
import {
  activateExtension, diskText, hasWorkspaceFolder, ourDiagnostics, revertAndCloseAll, revertToDisk, waitFor,
  waitForDiagnosticsWhere, workspaceUri,
} from './helpers';

/** Every open tab that is a diff editor. */
function diffTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff);
}

function describeTabs(): string {
  return JSON.stringify(vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => {
    const input = t.input;
    if (input instanceof vscode.TabInputTextDiff) return `${t.label}: diff ${input.original.toString()} ↔ ${input.modified.toString()}`;
    if (input instanceof vscode.TabInputText) return `${t.label}: ${input.uri.toString()}`;
    return t.label;
  }));
}

suite('commands: preview, apply and show findings on the article policy', () => {
  const policy = () => workspaceUri('policy.json', 'article');
  let document: vscode.TextDocument;
  let preview: vscode.Uri | undefined;

  suiteSetup(async function () {
    if (!hasWorkspaceFolder('article')) {
      this.skip(); // run.mjs --workspace without article
      return;
    }
    await revertAndCloseAll();
    document = await revertToDisk(policy());
    await vscode.window.showTextDocument(document);
    await activateExtension();
    await waitForDiagnosticsWhere(policy(), '9 of them', (d) => d.length === 9);
  });

  suiteTeardown(async () => {
    await revertAndCloseAll();
  });

  test('Preview Refined Policy returns an iam-refined URI and opens the diff editor: policy ↔ refined', async () => {
    preview = await vscode.commands.executeCommand<vscode.Uri | undefined>('iamPolicyRefiner.previewRefinedPolicy');
    assert.ok(preview instanceof vscode.Uri, `the command returned ${String(preview)}`);
    assert.equal(preview.scheme, 'iam-refined');
    assert.equal(preview.path, policy().path);
    const tab = await waitFor('a diff tab: policy.json ↔ iam-refined', () => diffTabs().find((t) => {
      const input = t.input as vscode.TabInputTextDiff;
      return input.original.toString() === policy().toString() && input.modified.scheme === 'iam-refined' ? t : undefined;
    }), { describe: describeTabs });
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.modified.toString(), preview.toString());
    assert.equal(tab.isActive, true);
    // The title names the file as the workspace does: with its folder's name in a multi-root workspace.
    const name = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? 'article/policy.json' : 'policy.json';
    assert.equal(tab.label, `${name} ↔ Refined (8 unused actions removed, 1 wildcard narrowed (22 unused actions excluded))`);
    // The policy itself is untouched by a preview.
    assert.equal(document.isDirty, false);
    assert.equal(document.getText(), await diskText(policy()));
  });

  test('the preview document holds the article\'s refined policy', async () => {
    assert.ok(preview, 'no preview (the previous test failed)');
    const refined = await vscode.workspace.openTextDocument(preview);
    assert.equal(refined.getText(), ARTICLE_REFINED);
  });

  test('Apply Refined Policy with the preview URI: the policy becomes the refined policy, nothing left to report', async () => {
    assert.ok(preview, 'no preview (the previous test failed)');
    const applied = await vscode.commands.executeCommand<boolean>('iamPolicyRefiner.applyRefinedPolicy', preview);
    assert.equal(applied, true);
    assert.equal(document.getText(), ARTICLE_REFINED);
    assert.equal(document.isDirty, true);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), policy().toString());
    await waitForDiagnosticsWhere(policy(), 'none left', (d) => d.length === 0);
    assert.deepEqual(ourDiagnostics(policy()), []);
  });

  test('Apply Refined Policy a second time with the same preview: refused (false), text unchanged', async () => {
    assert.ok(preview, 'no preview (the previous test failed)');
    assert.equal(await vscode.commands.executeCommand<boolean>('iamPolicyRefiner.applyRefinedPolicy', preview), false);
    assert.equal(document.getText(), ARTICLE_REFINED);
  });

  test('Show Findings for This Policy returns the findings URI and opens unused-access.json', async () => {
    document = await revertToDisk(policy());
    await vscode.window.showTextDocument(document);
    const findings = workspaceUri('unused-access.json', 'article');
    const uris = await vscode.commands.executeCommand<string[]>('iamPolicyRefiner.showFindings');
    assert.deepEqual(uris?.map((u) => vscode.Uri.parse(u).toString()), [findings.toString()]);
    const active = await waitFor('unused-access.json to be the active editor', () => {
      const editor = vscode.window.activeTextEditor;
      return editor?.document.uri.toString() === findings.toString() ? editor : undefined;
    }, { describe: () => vscode.window.activeTextEditor?.document.uri.toString() ?? 'no active editor' });
    assert.equal(active.document.getText(), await diskText(findings));
  });
});
