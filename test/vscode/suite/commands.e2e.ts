// The commands a person runs on the article policy: Preview Refined Policy (the diff editor), Apply
// Refined Policy (from the preview), Show Findings for This Policy, Show Log and Restart Server; and the
// status bar item while the focus is in the preview, the Output panel or a file that is no policy.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ARTICLE_REFINED } from '../../support/article';
import {
  activateExtension, diskText, EXTENSION_ID, hasWorkspaceFolder, ourDiagnostics, revertAndCloseAll, revertToDisk, waitFor,
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

/** What the extension's status item shows, through the extension's exports (no API reads a status bar item). */
interface StatusItemState {
  visible: boolean;
  text: string;
  tooltip: string;
  uri: string | undefined;
  settled: boolean;
}

function statusItem(): StatusItemState {
  const api = vscode.extensions.getExtension<{ statusItem(): StatusItemState }>(EXTENSION_ID)?.exports;
  if (!api) throw new Error(`${EXTENSION_ID} exports no API`);
  return api.statusItem();
}

/** The status item once it has caught up with the last change (its updates are debounced and ask the server). */
function settledStatusItem(what: string, accept: (state: StatusItemState) => boolean = () => true): Promise<StatusItemState> {
  return waitFor(`the status item, settled: ${what}`, () => {
    const state = statusItem();
    return state.settled && accept(state) ? state : undefined;
  }, { describe: () => JSON.stringify(statusItem()) });
}

/** The editor of the Output view when it shows the "IAM Policy Refiner" channel. */
function logEditor(): vscode.TextEditor | undefined {
  return vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'output'
    && decodeURIComponent(e.document.uri.toString()).includes('IAM Policy Refiner'));
}

function describeEditors(): string {
  return JSON.stringify(vscode.window.visibleTextEditors.map((e) => `${e.document.uri.toString()} (column ${e.viewColumn})`));
}

suite('commands: preview, apply and show findings on the article policy', () => {
  const policy = () => workspaceUri('policy.json', 'article');
  let document: vscode.TextDocument;
  let preview: vscode.Uri | undefined;
  let logUri: vscode.Uri | undefined;

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
    assert.equal(tab.label, `${name} ↔ Refined: 8 actions removed, 1 wildcard narrowed`);
    assert.doesNotMatch(tab.label, /\([^)]*\(/, 'no nested parentheses');
    // The policy itself is untouched by a preview.
    assert.equal(document.isDirty, false);
    assert.equal(document.getText(), await diskText(policy()));
  });

  test('the preview document holds the article\'s refined policy', async () => {
    assert.ok(preview, 'no preview (the previous test failed)');
    const refined = await vscode.workspace.openTextDocument(preview);
    assert.equal(refined.getText(), ARTICLE_REFINED);
  });

  test('with the focus in the preview (the refined side), the status item still shows the policy\'s 30 unused actions', async () => {
    assert.ok(preview, 'no preview (the previous test failed)');
    const target = preview;
    await waitFor('the preview to be the active editor',
      () => (vscode.window.activeTextEditor?.document.uri.toString() === target.toString() ? true : undefined),
      { describe: () => vscode.window.activeTextEditor?.document.uri.toString() ?? 'no active editor' });
    const state = await settledStatusItem('after the preview became active');
    assert.deepEqual([state.visible, state.text, state.uri], [true, '$(shield) 30 unused', policy().toString()]);
  });

  test('Apply Refined Policy with the preview URI: the diff tab closes, the policy becomes the refined policy', async () => {
    assert.ok(preview, 'no preview (the previous test failed)');
    const applied = await vscode.commands.executeCommand<boolean>('iamPolicyRefiner.applyRefinedPolicy', preview);
    assert.equal(applied, true);
    assert.equal(document.getText(), ARTICLE_REFINED);
    assert.equal(document.isDirty, true);
    // The stale diff (refined ↔ refined, under the old title) is gone; the policy's editor is in front.
    assert.deepEqual(diffTabs().map((t) => t.label), [], describeTabs());
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), policy().toString());
    await waitForDiagnosticsWhere(policy(), 'none left', (d) => d.length === 0);
    assert.deepEqual(ourDiagnostics(policy()), []);
    const state = await settledStatusItem('0 unused', (s) => s.text === '$(shield) 0 unused');
    assert.equal(state.visible, true);
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
    // A file that holds no policy is in front: the item has nothing to describe.
    const state = await settledStatusItem('hidden', (s) => !s.visible);
    assert.equal(state.uri, undefined);
  });

  test('Show Log opens the "IAM Policy Refiner" output channel; with the focus there the status item stays', async () => {
    document = await revertToDisk(policy());
    await vscode.window.showTextDocument(document);
    await settledStatusItem('30 unused for the policy', (s) => s.visible && s.text === '$(shield) 30 unused');
    await vscode.commands.executeCommand('iamPolicyRefiner.showLog');
    // The Output view shows the channel in a text editor of the panel (no view column), named after the channel.
    const log = () => waitFor('the IAM Policy Refiner output channel to be visible', logEditor, { describe: describeEditors });
    logUri = (await log()).document.uri;
    const state = await settledStatusItem('after the focus moved to the Output panel');
    assert.deepEqual([state.visible, state.text, state.uri], [true, '$(shield) 30 unused', policy().toString()]);
  });

  test('Restart Server: the diagnostics go with the old server and come back from the new one', async () => {
    await vscode.window.showTextDocument(document);
    await waitForDiagnosticsWhere(policy(), '9 of them', (d) => d.length === 9);
    let cleared = false;
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === policy().toString()) && ourDiagnostics(policy()).length === 0) cleared = true;
    });
    try {
      assert.equal(await vscode.commands.executeCommand<boolean>('iamPolicyRefiner.restartServer'), true);
      await waitForDiagnosticsWhere(policy(), '9 again, from the restarted server', (d) => d.length === 9 && cleared);
    } finally {
      listener.dispose();
    }
    // The new server answers the status item's requests.
    const state = await settledStatusItem('30 unused after the restart', (s) => s.text === '$(shield) 30 unused');
    assert.equal(state.visible, true);
    // The log is the same channel as before the restart (the old server's lines are still there to read).
    assert.ok(logUri, 'no log (the Show Log test failed)');
    await vscode.commands.executeCommand('iamPolicyRefiner.showLog');
    const after = await waitFor('the IAM Policy Refiner output channel to be visible', logEditor, { describe: describeEditors });
    assert.equal(after.document.uri.toString(), logUri.toString());
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });
});
