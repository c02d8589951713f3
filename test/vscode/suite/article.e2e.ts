// The article's policy as a person meets it in the editor: the diagnostics (exact codes, messages and
// ranges), the hovers, and the wildcard's quick fix applied as VS Code applies it.
// Runs in the extension host under scripts/vscode-e2e/run.mjs, with test/fixtures/workspaces/article open.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ARTICLE_REFINED } from '../../support/article';
import {
  activateExtension, codeOf, diskText, hasWorkspaceFolder, rangeOf, renderedText, revertAndCloseAll, revertToDisk, SOURCE,
  waitForCodeAction, waitForDiagnostics, waitForDiagnosticsWhere, waitForHover, workspaceUri,
} from './helpers';

const NEVER = 'never used in the tracking period';

/** The explicit lambda actions the findings call unused, in the order the policy lists them. */
const UNUSED_LAMBDA = [
  'lambda:AddPermission', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration', 'lambda:UpdateFunctionCode',
  'lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:ListVersionsByFunction', 'lambda:GetFunction',
];

/** The nine patterns that replace s3:Get*, as the article's refined policy lists them. */
const S3_GET_REPLACEMENT = ARTICLE_REFINED.split('\n').map((line) => /^\s*"(s3:Get[^"]*)",?$/.exec(line)?.[1]).filter(
  (p): p is string => p !== undefined);

/** The 22 actions of s3:Get* that the findings call unused, in the catalogue's order (the hover's). */
const UNUSED_S3_GET = [
  'GetAccelerateConfiguration', 'GetAnalyticsConfiguration', 'GetBucketAcl', 'GetBucketCORS', 'GetBucketLocation', 'GetBucketLogging',
  'GetBucketNotification', 'GetBucketObjectLockConfiguration', 'GetBucketOwnershipControls', 'GetBucketPolicy', 'GetBucketPolicyStatus',
  'GetBucketPublicAccessBlock', 'GetBucketRequestPayment', 'GetBucketTagging', 'GetBucketVersioning', 'GetBucketWebsite',
  'GetEncryptionConfiguration', 'GetIntelligentTieringConfiguration', 'GetInventoryConfiguration', 'GetLifecycleConfiguration',
  'GetMetricsConfiguration', 'GetReplicationConfiguration',
].map((a) => `s3:${a}`);

const QUICK_FIX = 'Replace s3:Get* with 9 patterns that exclude 22 unused actions';

suite('article: diagnostics, hovers and the quick fix on the article policy', () => {
  const policy = () => workspaceUri('policy.json', 'article');
  let document: vscode.TextDocument;
  let original: string;

  suiteSetup(async function () {
    if (!hasWorkspaceFolder('article')) {
      this.skip(); // run.mjs --workspace without article
      return;
    }
    original = await diskText(policy());
    document = await revertToDisk(policy());
    await vscode.window.showTextDocument(document);
    await activateExtension();
  });

  suiteTeardown(async () => {
    await revertAndCloseAll();
  });

  test('9 diagnostics: 8 unused lambda actions and the over-broad s3:Get*, in document order', async () => {
    const diagnostics = await waitForDiagnosticsWhere(policy(), '9 of them', (d) => d.length === 9);
    const byPosition = [...diagnostics].sort((a, b) => a.range.start.compareTo(b.range.start));
    assert.deepEqual(byPosition.map((d) => [codeOf(d), d.source, vscode.DiagnosticSeverity[d.severity]]), [
      ...UNUSED_LAMBDA.map(() => ['unused-action', SOURCE, 'Warning']),
      ['overbroad-wildcard', SOURCE, 'Warning'],
    ]);
    assert.deepEqual(byPosition.map((d) => d.message), [
      ...UNUSED_LAMBDA.map((action) => `Unused action ${action}: ${NEVER}.`),
      's3:Get* allows 22 unused actions (of 63).',
    ]);
  });

  test('lambda:AddPermission: message, range (the string, quotes included), link to the findings', async () => {
    const diagnostics = await waitForDiagnostics(policy());
    const d = diagnostics.find((x) => x.message.includes('lambda:AddPermission'));
    assert.ok(d, 'no diagnostic on lambda:AddPermission');
    assert.equal(d.message, `Unused action lambda:AddPermission: ${NEVER}.`);
    assert.equal(codeOf(d), 'unused-action');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(d.range, new vscode.Range(6, 8, 6, 30));
    assert.equal(document.getText(d.range), '"lambda:AddPermission"');
    // "each links to where the findings say so": line 12 of unused-access.json, "AddPermission".
    assert.equal(d.relatedInformation?.length, 1);
    const related = d.relatedInformation![0]!;
    assert.equal(related.location.uri.toString(), workspaceUri('unused-access.json', 'article').toString());
    assert.deepEqual(related.location.range, new vscode.Range(11, 6, 11, 21));
    assert.equal(related.message, 'Reported unused here');
  });

  test('s3:Get*: message, range, code', async () => {
    const diagnostics = await waitForDiagnostics(policy());
    const d = diagnostics.find((x) => codeOf(x) === 'overbroad-wildcard');
    assert.ok(d, 'no overbroad-wildcard diagnostic');
    assert.equal(d.message, 's3:Get* allows 22 unused actions (of 63).');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(d.range, new vscode.Range(21, 6, 21, 15));
    assert.equal(document.getText(d.range), '"s3:Get*"');
    assert.equal(d.relatedInformation?.length, 1);
  });

  test('hover on s3:Get*: how many are unused and the 9-pattern replacement first, then all 22 unused actions, the verdict once',
    async () => {
    const position = rangeOf(document, '"s3:Get*"').start.translate(0, 4);
    const text = renderedText(await waitForHover(policy(), position, /of them unused/));
    const verdict = 's3:Get* allows 63 known actions, 22 of them unused.';
    const replacement = `Recommended replacement (9 patterns): ${S3_GET_REPLACEMENT.join(', ')}`;
    const unused = `Unused (22), ${NEVER}: ${UNUSED_S3_GET.join(', ')}`;
    for (const part of [verdict, replacement, unused, 'Findings: unused-access.json']) assert.ok(text.includes(part), `${part} in ${text}`);
    // What to act on comes first; the verdict is said once, not on every action.
    assert.ok(text.indexOf(verdict) < text.indexOf(replacement) && text.indexOf(replacement) < text.indexOf(unused), text);
    assert.equal(text.split(NEVER).length - 1, 1, text);
  });

  test('hover on lambda:AddPermission: access level, description, Unused', async () => {
    const position = rangeOf(document, '"lambda:AddPermission"').start.translate(0, 5);
    const text = renderedText(await waitForHover(policy(), position, /Unused/));
    assert.ok(text.includes('lambda:AddPermission · AWS Lambda · Permissions management, Write'), text);
    assert.ok(text.includes('Grants permission to give an AWS service or another account permission to use an AWS Lambda function'), text);
    assert.ok(text.includes(`Unused: ${NEVER}.`), text);
  });

  test(`quick fix "${QUICK_FIX}": preferred, and the exact text after applyEdit`, async () => {
    assert.equal(S3_GET_REPLACEMENT.length, 9);
    const range = rangeOf(document, '"s3:Get*"');
    const action = await waitForCodeAction(policy(), range, QUICK_FIX);
    assert.equal(action.kind?.value, 'quickfix');
    assert.equal(action.isPreferred, true);
    // (vscode.executeCodeActionProvider hands back no `diagnostics` on its actions: nothing to check there.)
    assert.ok(action.edit, 'the quick fix carries no edit');
    assert.equal(await vscode.workspace.applyEdit(action.edit), true);

    // The article's policy with only the s3:Get* line replaced by the nine patterns; lambda untouched.
    const line = '      "s3:Get*",\n';
    assert.equal(original.split(line).length, 2, 'the fixture holds the s3:Get* line once');
    const expected = original.replace(line, S3_GET_REPLACEMENT.map((p) => `      "${p}",\n`).join(''));
    assert.equal(document.getText(), expected);
    for (const action of UNUSED_LAMBDA) assert.ok(document.getText().includes(`        "${action}",\n`), action);
  });

  test('after the quick fix: no overbroad-wildcard, the 8 unused actions remain', async () => {
    const diagnostics = await waitForDiagnosticsWhere(policy(), 'no overbroad-wildcard left',
      (d) => d.length > 0 && !d.some((x) => codeOf(x) === 'overbroad-wildcard'));
    assert.deepEqual(diagnostics.map(codeOf), UNUSED_LAMBDA.map(() => 'unused-action'));
    assert.deepEqual(diagnostics.map((d) => document.getText(d.range)), UNUSED_LAMBDA.map((a) => `"${a}"`));
  });
});
