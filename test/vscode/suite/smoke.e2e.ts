// Smoke suite: the article's policy in a real VS Code, through the client, the language server and the engine.
// Runs in the extension host under scripts/vscode-e2e/run.mjs, with test/fixtures/workspaces/article open.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ARTICLE_REFINED } from '../../support/article';
import { activateExtension, applyCodeAction, hasWorkspaceFolder, hoverText, openWorkspaceFile, rangeOf, waitFor,
  waitForDiagnostics } from './helpers';

suite('smoke: the article policy', () => {
  let editor: vscode.TextEditor;

  suiteSetup(async function () {
    if (!hasWorkspaceFolder('article')) {
      this.skip(); // run.mjs --workspace without article
      return;
    }
    editor = await openWorkspaceFile('policy.json', 'article');
    await activateExtension();
  });

  test('the extension is active', () => {
    assert.equal(vscode.extensions.getExtension('iam-policy-refiner.iam-policy-refiner')?.isActive, true);
  });

  test('diagnostics appear', async () => {
    const diagnostics = await waitForDiagnostics(editor.document.uri);
    assert.ok(diagnostics.length > 0);
  });

  test('the hover on s3:Get* counts 22 unused actions', async () => {
    const position = rangeOf(editor.document, '"s3:Get*"').start.translate(0, 2);
    let last = '';
    // The server may still be reading the findings when the first diagnostics arrive: wait for the hover to say so.
    const text = await waitFor('a hover that counts unused actions', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
      last = hoverText(hovers ?? []);
      return /\d+ of them unused/.test(last) ? last : undefined;
    }, { describe: () => JSON.stringify(last) });
    assert.match(text, /allows 63 known actions, 22 of them unused/);
  });

  test('"Refine the whole policy" gives the article\'s refined policy', async () => {
    const document = editor.document;
    const range = rangeOf(document, '"s3:Get*"');
    let titles: string[] = [];
    const action = await waitFor('the code action "Refine the whole policy"', async () => {
      const items = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider', document.uri, range, undefined, 100);
      const actions = (items ?? []).filter((item): item is vscode.CodeAction => typeof item.command !== 'string');
      titles = actions.map((a) => a.title);
      return actions.find((a) => a.title.startsWith('Refine the whole policy'));
    }, { describe: () => JSON.stringify(titles) });
    await applyCodeAction(action);
    assert.equal(document.getText(), ARTICLE_REFINED);
  });
});
