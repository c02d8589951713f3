// Writing a policy in the editor: the completion widget offers actions as they are typed, the
// "Did you mean" fix corrects a typo, and the hover of an action shows what AWS says of it.
// Runs in the extension host under scripts/vscode-e2e/run.mjs, with test/fixtures/workspaces/article open.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension, applyCodeAction, codeOf, hasWorkspaceFolder, rangeOf, renderedText, revertAndCloseAll, revertToDisk,
  waitFor, waitForCodeAction, waitForDiagnosticsWhere, waitForHover, workspaceUri,
} from './helpers';

suite('authoring: completion, "Did you mean" and the action hover', () => {
  const policy = () => workspaceUri('policy.json', 'article');
  let editor: vscode.TextEditor;

  suiteSetup(async function () {
    if (!hasWorkspaceFolder('article')) {
      this.skip();
      return;
    }
    editor = await vscode.window.showTextDocument(await revertToDisk(policy()));
    await activateExtension();
  });

  suiteTeardown(async () => {
    await revertAndCloseAll();
  });

  test('typing s3:GetOb: the completion offers s3:GetObject, and accepting the widget\'s choice writes it', async () => {
    // An empty string where lambda:AddPermission was, the cursor inside it, then the keystrokes.
    const entry = rangeOf(editor.document, '"lambda:AddPermission"');
    await editor.edit((b) => b.replace(entry, '""'));
    editor.selection = new vscode.Selection(entry.start.translate(0, 1), entry.start.translate(0, 1));
    await vscode.commands.executeCommand('type', { text: 's3:GetOb' });
    const cursor = entry.start.translate(0, 1 + 's3:GetOb'.length);
    const labels = await waitFor('the completion items at s3:GetOb', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', policy(), cursor);
      // VS Code adds the JSON language's own suggestions (strings of the document): ours are the actions.
      const found = (list?.items ?? []).filter((i) => i.kind === vscode.CompletionItemKind.Function)
        .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return found.includes('s3:GetObject') ? found : undefined;
    });
    assert.ok(labels.every((l) => l.toLowerCase().startsWith('s3:getob')), labels.join(', '));
    // The widget itself: shown, its first choice accepted, as Enter would.
    await waitFor('the widget to write s3:GetObject', async () => {
      await vscode.commands.executeCommand('editor.action.triggerSuggest');
      await new Promise((resolve) => setTimeout(resolve, 700));
      await vscode.commands.executeCommand('acceptSelectedSuggestion');
      const line = editor.document.lineAt(entry.start.line).text;
      return line.includes('"s3:GetObject"') ? true : undefined;
    }, { describe: () => editor.document.lineAt(entry.start.line).text });
  });

  test('the "Did you mean s3:GetObject?" fix turns s3:GetObjekt into s3:GetObject', async () => {
    editor = await vscode.window.showTextDocument(await revertToDisk(policy()));
    const entry = rangeOf(editor.document, '"lambda:AddPermission"');
    await editor.edit((b) => b.replace(entry, '"s3:GetObjekt"'));
    const typo = rangeOf(editor.document, '"s3:GetObjekt"');
    await waitForDiagnosticsWhere(policy(), 'unknown-action on s3:GetObjekt',
      (d) => d.some((x) => codeOf(x) === 'unknown-action' && x.range.isEqual(typo)));
    const fix = await waitForCodeAction(policy(), typo, 'Did you mean s3:GetObject?');
    await applyCodeAction(fix);
    assert.ok(editor.document.lineAt(typo.start.line).text.includes('"s3:GetObject"'), editor.document.lineAt(typo.start.line).text);
    assert.ok(!editor.document.getText().includes('GetObjekt'));
  });

  test('the hover of s3:GetObject shows its description, resource types and reference link', async () => {
    editor = await vscode.window.showTextDocument(await revertToDisk(policy()));
    const entry = rangeOf(editor.document, '"lambda:AddPermission"');
    await editor.edit((b) => b.replace(entry, '"s3:GetObject"'));
    const position = rangeOf(editor.document, '"s3:GetObject"').start.translate(0, 4);
    const text = renderedText(await waitForHover(policy(), position, /Grants permission to retrieve objects/));
    assert.ok(text.includes('s3:GetObject · Amazon S3 · Read'), text);
    assert.ok(text.includes('Grants permission to retrieve objects from Amazon S3'), text);
    assert.ok(text.includes('Resource types:'), text);
    assert.ok(text.includes('list_amazons3.html#amazons3-GetObject'), text);
  });
});
