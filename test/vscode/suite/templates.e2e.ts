// Policies inside templates, as a person meets them in the editor: a CloudFormation stack in YAML (with
// !Sub, !If and !GetAtt) and a Terraform module, over test/fixtures/workspaces/templates. Neither file has
// a language extension behind it here: VS Code calls stack.yaml `yaml` (its built-in grammar) and iam.tf
// `plaintext`; the client selects the first by language and the second by the pattern **/*.tf. The
// Terraform grammar is WebAssembly the server loads from dist/ on the first .tf file, so the Terraform
// tests also prove that it ships with the extension (the unpacked build, or the .vsix under --vsix).
//
// What the findings (account.unused-access.json, by role ARN) say, worked out by hand:
//   cfn/stack.yaml  OrdersApiRole (orders-api-role) has an inline policy: dynamodb:DeleteItem and
//                   dynamodb:Scan are unused; every kms action is unused, so the "Keys" statement is too
//                   (kms:Decrypt unused, kms:GenerateDataKey* allows only kms); the !Sub action and the
//                   !If statement are not known until deployment: information, left alone.
//                   QueueAccessPolicy is attached to both roles (the worker by Roles, the API by
//                   ManagedPolicyArns): only what both leave unused counts, sqs:PurgeQueue (the API's
//                   sqs:DeleteQueue is used by the worker). The trust policies and the queue's resource
//                   policy (sqs:*) are not identity policies: nothing on them.
//   terraform/iam.tf  a policy document, made a managed policy attached to aws_iam_role.app, which
//                   main.tf (another file of the module) names tf-app-role: s3:GetObjectTorrent and
//                   s3:PutBucketPolicy unused, so the "Admin" statement (only PutBucketPolicy) is unused;
//                   the Deny statement is never refined.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension, codeOf, diskText, hasWorkspaceFolder, rangeOf, renderedText, revertAndCloseAll, revertToDisk,
  waitForCodeAction, waitForDiagnosticsWhere, waitForHover, workspaceUri,
} from './helpers';

const FOLDER = 'templates';
const NEVER = 'never used in the tracking period';
const API = 'by role orders-api-role';

/** A diagnostic as the tests compare it: code, severity, range, the text under it, message. */
type Seen = [code: string, severity: string, range: [number, number, number, number], text: string, message: string];

function seen(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): Seen[] {
  return [...diagnostics].sort((a, b) => a.range.start.compareTo(b.range.start)).map((d) => [
    codeOf(d), vscode.DiagnosticSeverity[d.severity],
    [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
    document.getText(d.range), d.message,
  ]);
}

/** `text` without `chunk`, which must occur in it exactly once. */
function without(text: string, chunk: string): string {
  assert.equal(text.split(chunk).length, 2, `${JSON.stringify(chunk)} occurs once`);
  return text.replace(chunk, '');
}

/** The footer of our hover, e.g. "role orders-api-role · Findings: account.unused-access.json (analysed 2026-11-01) · …". */
function footerOf(hover: string): string {
  const footer = hover.split('\n').find((line) => line.includes('Findings: '));
  assert.ok(footer, `no footer in the hover: ${hover}`);
  return footer;
}

// cfn/stack.yaml, as the fixture has it (0-based lines in the ranges).
const SUB = '!Sub is not known until deployment and cannot be analysed statically: it is left as it is.';
const IF = '!If is not known until deployment and cannot be analysed statically: this statement is left as it is.';
const STACK_DIAGNOSTICS: Seen[] = [
  ['unused-action', 'Warning', [35, 20, 35, 39], 'dynamodb:DeleteItem', `Unused action dynamodb:DeleteItem: ${NEVER} ${API}.`],
  ['unused-action', 'Warning', [36, 20, 36, 33], 'dynamodb:Scan', `Unused action dynamodb:Scan: ${NEVER} ${API}.`],
  ['dynamic-value', 'Information', [37, 20, 37, 54], '!Sub "${QueueService}:SendMessage"', SUB],
  ['unused-statement', 'Warning', [41, 16, 41, 22], 'Action', 'Every action this statement allows is unused (statement "Keys").'],
  ['unused-action', 'Warning', [41, 25, 41, 36], 'kms:Decrypt', `Unused action kms:Decrypt: ${NEVER} ${API}.`],
  ['overbroad-wildcard', 'Warning', [41, 38, 41, 60], '"kms:GenerateDataKey*"',
    'kms:GenerateDataKey* allows only actions of kms, which is unused as a whole.'],
  ['dynamic-value', 'Information', [43, 16, 43, 19], '!If', IF],
  ['unused-action', 'Warning', [75, 16, 75, 32], "'sqs:PurgeQueue'",
    `Unused action sqs:PurgeQueue: ${NEVER} by roles orders-api-role and orders-worker-role.`],
];
const KEYS_STATEMENT = `              - Sid: Keys
                Effect: Allow
                Action: [kms:Decrypt, "kms:GenerateDataKey*"]
                Resource: "*"
`;
const SCAN_LINE = '                  - dynamodb:Scan   # reporting, moved to Athena\n';
const REMOVE_STATEMENT = 'Remove unused statement';
const REMOVE_SCAN = 'Remove unused action dynamodb:Scan';

// terraform/iam.tf
const IAM_TF_DIAGNOSTICS: Seen[] = [
  ['unused-action', 'Warning', [3, 15, 3, 36], '"s3:GetObjectTorrent"', `Unused action s3:GetObjectTorrent: ${NEVER} by role tf-app-role.`],
  ['unused-statement', 'Warning', [9, 4, 9, 11], 'actions', 'Every action this statement allows is unused (statement "Admin").'],
  ['unused-action', 'Warning', [9, 17, 9, 37], '"s3:PutBucketPolicy"', `Unused action s3:PutBucketPolicy: ${NEVER} by role tf-app-role.`],
];
/** The "Admin" statement with the blank line before it: what the quick fix takes out. */
const ADMIN_STATEMENT = `
  statement {
    sid       = "Admin"
    actions   = ["s3:PutBucketPolicy"]
    resources = ["*"]
  }
`;

suite('templates: policies in a CloudFormation YAML template and a Terraform module', () => {
  const stack = () => workspaceUri('cfn/stack.yaml', FOLDER);
  const iamTf = () => workspaceUri('terraform/iam.tf', FOLDER);
  const findings = () => workspaceUri('account.unused-access.json', FOLDER);

  suiteSetup(async function () {
    if (!hasWorkspaceFolder(FOLDER)) {
      this.skip(); // run.mjs --workspace without templates
      return;
    }
    await revertAndCloseAll();
    await activateExtension();
  });

  suiteTeardown(async () => {
    if (hasWorkspaceFolder(FOLDER)) await revertAndCloseAll();
  });

  suite('cfn/stack.yaml (language yaml, no YAML extension)', () => {
    let document: vscode.TextDocument;
    let original: string;

    suiteSetup(async function () {
      if (!hasWorkspaceFolder(FOLDER)) {
        this.skip();
        return;
      }
      original = await diskText(stack());
      document = await revertToDisk(stack());
      await vscode.window.showTextDocument(document);
    });

    test('VS Code calls it yaml, and the extension reads it: 8 diagnostics, exactly (dynamic-value information on !Sub and !If)',
      async () => {
      assert.equal(document.languageId, 'yaml');
      const diagnostics = await waitForDiagnosticsWhere(stack(), '8 of them', (d) => d.length === 8);
      assert.deepEqual(seen(document, diagnostics), STACK_DIAGNOSTICS);
    });

    test('dynamodb:DeleteItem links to where account.unused-access.json says so', async () => {
      const diagnostics = await waitForDiagnosticsWhere(stack(), '8 of them', (d) => d.length === 8);
      const d = diagnostics.find((x) => x.message.includes('dynamodb:DeleteItem'));
      assert.ok(d, 'no diagnostic on dynamodb:DeleteItem');
      assert.equal(d.relatedInformation?.length, 1);
      const related = d.relatedInformation![0]!;
      assert.equal(related.location.uri.toString(), findings().toString());
      assert.deepEqual(related.location.range, new vscode.Range(9, 95, 9, 116));
      const findingsDocument = await vscode.workspace.openTextDocument(findings());
      assert.equal(findingsDocument.getText(related.location.range), '"dynamodb:DeleteItem"');
      assert.equal(related.message, 'Reported unused here');
    });

    test('hovers name the role: dynamodb:DeleteItem (unused), dynamodb:GetItem (in use), kms:GenerateDataKey*', async () => {
      const deleteItem = renderedText(await waitForHover(stack(), rangeOf(document, 'dynamodb:DeleteItem').start.translate(0, 3),
        /Unused/));
      assert.ok(deleteItem.includes('dynamodb:DeleteItem · Amazon DynamoDB · Write'), deleteItem);
      assert.ok(deleteItem.includes(`Unused: ${NEVER} ${API}.`), deleteItem);
      assert.ok(footerOf(deleteItem).startsWith('role orders-api-role · Findings: account.unused-access.json (analysed 2026-11-01) · '),
        deleteItem);

      const getItem = renderedText(await waitForHover(stack(), rangeOf(document, 'dynamodb:GetItem').start.translate(0, 3), /In use/));
      assert.ok(getItem.includes('dynamodb:GetItem · Amazon DynamoDB · Read'), getItem);
      assert.ok(getItem.includes('In use: the findings do not call it unused.'), getItem);
      assert.ok(footerOf(getItem).startsWith('role orders-api-role · Findings: account.unused-access.json'), getItem);

      const wildcard = renderedText(await waitForHover(stack(), rangeOf(document, '"kms:GenerateDataKey*"').start.translate(0, 3),
        /of them unused/));
      assert.ok(wildcard.includes('kms:GenerateDataKey* allows 4 known actions, 4 of them unused.'), wildcard);
      assert.ok(wildcard.includes('Recommended: remove it; everything it allows is unused.'), wildcard);
      const unused = ['kms:GenerateDataKey', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext',
        'kms:GenerateDataKeyWithoutPlaintext'];
      // The verdict, with the role, said once for the four.
      assert.ok(wildcard.includes(`Unused (4), ${NEVER} ${API}: ${unused.join(', ')}`), wildcard);
      assert.ok(footerOf(wildcard).startsWith('role orders-api-role · '), wildcard);
    });

    test('the hover on sqs:PurgeQueue of the managed policy names both roles it is attached to', async () => {
      const text = renderedText(await waitForHover(stack(), rangeOf(document, "'sqs:PurgeQueue'").start.translate(0, 3), /Unused/));
      assert.ok(text.includes(`Unused: ${NEVER} by roles orders-api-role and orders-worker-role.`), text);
      const footer = footerOf(text);
      assert.match(footer, /(^|, )role orders-api-role[ ,]/);
      assert.match(footer, /(^|, )role orders-worker-role[ ,]/);
    });

    test(`quick fix "${REMOVE_STATEMENT}" on the Keys statement: preferred, and the exact text after applyEdit`, async () => {
      const range = rangeOf(document, 'Action: [kms:Decrypt');
      const action = await waitForCodeAction(stack(), new vscode.Range(range.start, range.start.translate(0, 6)), REMOVE_STATEMENT);
      assert.equal(action.kind?.value, 'quickfix');
      assert.equal(action.isPreferred, true);
      assert.ok(action.edit, 'the quick fix carries no edit');
      assert.equal(await vscode.workspace.applyEdit(action.edit), true);
      // The four lines of the statement go; the !If statement after it stays as it was.
      assert.equal(document.getText(), without(original, KEYS_STATEMENT));
      assert.equal(document.isDirty, true);
      assert.equal(await diskText(stack()), original);
    });

    test('after it: the kms diagnostics are gone, the others moved with their lines', async () => {
      const diagnostics = await waitForDiagnosticsWhere(stack(), 'no unused-statement left, 5 of them',
        (d) => d.length === 5 && !d.some((x) => codeOf(x) === 'unused-statement'));
      assert.deepEqual(seen(document, diagnostics), [
        STACK_DIAGNOSTICS[0], STACK_DIAGNOSTICS[1], STACK_DIAGNOSTICS[2],
        ['dynamic-value', 'Information', [39, 16, 39, 19], '!If', IF],
        ['unused-action', 'Warning', [71, 16, 71, 32], "'sqs:PurgeQueue'", STACK_DIAGNOSTICS[7]![4]],
      ]);
    });

    test(`quick fix "${REMOVE_SCAN}": its line goes, comment and all; the !Sub action stays`, async () => {
      const action = await waitForCodeAction(stack(), rangeOf(document, 'dynamodb:Scan'), REMOVE_SCAN);
      assert.equal(action.kind?.value, 'quickfix');
      assert.equal(action.isPreferred, true);
      assert.ok(action.edit, 'the quick fix carries no edit');
      assert.equal(await vscode.workspace.applyEdit(action.edit), true);
      assert.equal(document.getText(), without(without(original, KEYS_STATEMENT), SCAN_LINE));
      const diagnostics = await waitForDiagnosticsWhere(stack(), '4 of them, none on dynamodb:Scan',
        (d) => d.length === 4 && !d.some((x) => x.message.includes('dynamodb:Scan')));
      assert.deepEqual(seen(document, diagnostics), [
        STACK_DIAGNOSTICS[0],
        ['dynamic-value', 'Information', [36, 20, 36, 54], '!Sub "${QueueService}:SendMessage"', SUB],
        ['dynamic-value', 'Information', [38, 16, 38, 19], '!If', IF],
        ['unused-action', 'Warning', [70, 16, 70, 32], "'sqs:PurgeQueue'", STACK_DIAGNOSTICS[7]![4]],
      ]);
    });
  });

  suite('terraform/iam.tf (plaintext, selected by **/*.tf; the grammar is WebAssembly from dist/)', () => {
    let document: vscode.TextDocument;
    let original: string;
    /** Set when the server published nothing for iam.tf: the tests after the first then fail at once, not after 30 s each. */
    let unread: string | undefined;
    const readFirst = () => {
      if (unread) throw new Error(`iam.tf was never read (see the first Terraform test): ${unread}`);
    };

    suiteSetup(async function () {
      if (!hasWorkspaceFolder(FOLDER)) {
        this.skip();
        return;
      }
      original = await diskText(iamTf());
      document = await revertToDisk(iamTf());
      await vscode.window.showTextDocument(document);
    });

    test('VS Code calls it plaintext, and the extension reads it: 3 diagnostics, exactly (the Deny statement has none)', async () => {
      assert.equal(document.languageId, 'plaintext');
      // None at all means the server could not read Terraform (the grammar's .wasm files missing from dist/ or
      // the package, say): its log, "IAM Policy Refiner" in the Output panel, says why.
      const diagnostics = await waitForDiagnosticsWhere(iamTf(), '3 of them', (d) => d.length === 3).catch((error: Error) => {
        unread = error.message;
        throw error;
      });
      assert.deepEqual(seen(document, diagnostics), IAM_TF_DIAGNOSTICS);
      const torrent = diagnostics.find((d) => d.message.includes('s3:GetObjectTorrent'))!;
      assert.equal(torrent.relatedInformation?.length, 1);
      assert.equal(torrent.relatedInformation![0]!.location.uri.toString(), findings().toString());
      assert.deepEqual(torrent.relatedInformation![0]!.location.range, new vscode.Range(43, 158, 43, 179));
    });

    test('the hover on s3:PutBucketPolicy names the role (declared in main.tf)', async () => {
      readFirst();
      const text = renderedText(await waitForHover(iamTf(), rangeOf(document, 's3:PutBucketPolicy').start.translate(0, 3), /Unused/));
      assert.ok(text.includes('s3:PutBucketPolicy · Amazon S3 · Permissions management, Write'), text);
      assert.ok(text.includes(`Unused: ${NEVER} by role tf-app-role.`), text);
      assert.ok(footerOf(text).startsWith('role tf-app-role · Findings: account.unused-access.json (analysed 2026-11-01) · '), text);
    });

    test(`quick fix "${REMOVE_STATEMENT}" on the Admin statement of the data document: the exact text after applyEdit`, async () => {
      readFirst();
      const range = rangeOf(document, 'actions   = ["s3:PutBucketPolicy"]');
      const action = await waitForCodeAction(iamTf(), new vscode.Range(range.start, range.start.translate(0, 7)), REMOVE_STATEMENT);
      assert.equal(action.kind?.value, 'quickfix');
      assert.equal(action.isPreferred, true);
      assert.ok(action.edit, 'the quick fix carries no edit');
      assert.equal(await vscode.workspace.applyEdit(action.edit), true);
      // The block and the blank line before it go; Read and Deny stay, one blank line between them.
      assert.equal(document.getText(), without(original, ADMIN_STATEMENT));
      assert.ok(document.getText().startsWith(`data "aws_iam_policy_document" "bucket_admin" {
  statement {
    sid     = "Read"
    actions = ["s3:GetObjectTorrent", "s3:ListBucket"]
    resources = ["*"]
  }

  statement {
    effect    = "Deny"
`), document.getText());
      assert.equal(document.isDirty, true);
      assert.equal(await diskText(iamTf()), original);
    });

    test('after it: only s3:GetObjectTorrent is left', async () => {
      readFirst();
      const diagnostics = await waitForDiagnosticsWhere(iamTf(), 'only s3:GetObjectTorrent',
        (d) => d.length === 1 && d[0]!.message.includes('s3:GetObjectTorrent'));
      assert.deepEqual(seen(document, diagnostics), [IAM_TF_DIAGNOSTICS[0]]);
    });
  });
});
