import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol';
import { repoRoot } from '../../support/catalog';
import { workspace } from '../../support/cli';
import { LspTestClient, uriOf } from '../../support/lspClient';

// Every diagnostic code on policies, exactly where and how a user sees it, and its configurable severity.

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'workspaces');
const CODES = join(FIXTURES, 'lsp-codes');
const FINDING_V2 = join(FIXTURES, 'lsp-finding-v2');
const NEVER = 'never used in the tracking period';

const range = (line: number, from: number, to: number): Range => ({ start: { line, character: from }, end: { line, character: to } });
const seen = (d: Diagnostic) => ({ range: d.range, severity: d.severity, code: d.code, message: d.message });

/** The range of the `nth` occurrence of `needle` in the client's copy of a document. */
function rangeOf(client: LspTestClient, uri: string, needle: string, nth = 0): Range {
  return { start: client.positionOf(uri, needle, 0, nth), end: client.positionOf(uri, needle, needle.length, nth) };
}

const STATEMENTS = [
  { range: range(8, 8, 25), severity: 2, code: 'unused-action', message: `Unused action s3:GetBucketAcl: ${NEVER}.` },
  {
    range: range(15, 6, 14), severity: 2, code: 'unused-statement',
    message: 'Every action this statement allows is unused (statement "Queues").',
  },
  { range: range(16, 8, 25), severity: 2, code: 'unused-action', message: `Unused action sqs:SendMessage: ${NEVER}.` },
  { range: range(17, 8, 28), severity: 2, code: 'unused-action', message: `Unused action sqs:ReceiveMessage: ${NEVER}.` },
  { range: range(24, 16, 31), severity: 2, code: 'overbroad-wildcard', message: 's3:GetBucket* allows 2 unused actions (of 16).' },
  { range: range(30, 6, 17), severity: 2, code: 'overbroad-notaction', message: 'NotAction allows 21 unused actions.' },
];

const MALFORMED = [
  {
    range: range(5, 17, 30), severity: 1, code: 'malformed-action',
    message: 'Action "s3GetObject" has no service prefix: expected "service:action".',
  },
  { range: range(5, 32, 34), severity: 1, code: 'malformed-action', message: 'An entry of "Action" must be a string, found number.' },
  { range: range(5, 36, 51), severity: 1, code: 'malformed-action', message: 'Action "s3:Get Object" contains white space.' },
  { range: range(8, 4, 5), severity: 1, code: 'malformed-statement', message: 'Statement has no "Effect".' },
  { range: range(13, 16, 24), severity: 1, code: 'malformed-statement', message: '"Effect" must be "Allow" or "Deny".' },
  { range: range(17, 4, 5), severity: 1, code: 'malformed-statement', message: 'Statement has neither "Action" nor "NotAction".' },
  { range: range(24, 6, 17), severity: 1, code: 'malformed-statement', message: 'A statement may have "Action" or "NotAction", not both.' },
  { range: range(27, 4, 21), severity: 1, code: 'malformed-statement', message: 'A statement must be an object.' },
];

describe('policy diagnostics, one code at a time', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start([CODES]);
  });

  after(async () => {
    await client.stop();
  });

  test('unused-action, unused-statement, overbroad-wildcard and overbroad-notaction; a Deny statement is never flagged', async () => {
    const uri = await client.open(join(CODES, 'statements.json'));
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map(seen), STATEMENTS);
    for (const d of diagnostics) assert.equal(d.source, 'iam-policy-refiner');
    assert.deepEqual(diagnostics[0]!.range, rangeOf(client, uri, '"s3:GetBucketAcl"'));
    assert.deepEqual(diagnostics[4]!.range, rangeOf(client, uri, '"s3:GetBucket*"'));

    const findings = uriOf(join(CODES, 'unused-access.json'));
    // A lone action's link says where, not again what its message says.
    assert.deepEqual(diagnostics[0]!.relatedInformation, [
      { location: { uri: findings, range: range(1, 42, 56) }, message: 'Reported unused here' },
    ]);
    // A whole unused service: the link goes to its serviceNamespace.
    assert.deepEqual(diagnostics[2]!.relatedInformation, [
      { location: { uri: findings, range: range(2, 24, 29) }, message: 'Reported unused here' },
    ]);
    assert.equal(diagnostics[1]!.relatedInformation, undefined);
    // A wildcard's one link names its unused actions, at most three, and says how many more there are.
    assert.deepEqual(diagnostics[4]!.relatedInformation?.map((r) => [r.location.range, r.message]), [
      [range(1, 42, 56), 's3:GetBucketAcl (never used), s3:GetBucketCORS (never used)'],
    ]);
    assert.deepEqual(diagnostics[5]!.relatedInformation?.map((r) => r.message), [
      'lambda:AddPermission (never used), sqs:AddPermission (never used), sqs:CancelMessageMoveTask (never used), and 18 more',
    ]);
  });

  test('unused-policy: every statement unused, so the policy should be detached', async () => {
    const uri = await client.open(join(CODES, 'detach.json'));
    assert.deepEqual((await client.diagnostics(uri)).map(seen), [
      {
        // On the "Statement" key, and alone: the fix is to detach the policy, not to edit its entries.
        range: range(2, 2, 13), severity: 2, code: 'unused-policy',
        message: 'Every action this policy allows is unused: detach the policy rather than edit it.',
      },
    ]);
  });

  test('policy-size: a standalone policy whose refinement is over the 6,144 characters of a managed policy, even compact', async () => {
    const uri = await client.open(join(CODES, 'everything.json'));
    assert.deepEqual((await client.diagnostics(uri)).map(seen), [
      { range: range(5, 16, 19), severity: 2, code: 'overbroad-wildcard', message: '* allows 24 unused actions (of 22,091).' },
      {
        range: range(2, 15, 16), severity: 1, code: 'policy-size',
        message: 'Refined, this policy would have 7,896 characters even in the compact form: 1,752 over the 6,144 allowed for '
          + 'a managed policy (assumed: nothing says where it goes). Largest statements: statement 1 (7,857 characters). '
          + 'Split the statements over more policies.',
      },
    ]);
  });

  test('malformed-action and malformed-statement, with findings', async () => {
    const uri = await client.open(join(CODES, 'malformed.json'));
    assert.deepEqual((await client.diagnostics(uri)).map(seen), MALFORMED);
  });

  test('malformed-action and malformed-statement are reported without findings too; nothing else is', async () => {
    const text = readFileSync(join(CODES, 'malformed.json'), 'utf8');
    const outside = await client.openUri(uriOf(join(repoRoot(), 'no-findings-here', 'malformed.json')), text);
    assert.deepEqual((await client.diagnostics(outside)).map(seen), MALFORMED);
    const statements = await client.openUri(uriOf(join(repoRoot(), 'no-findings-here', 'statements.json')),
      readFileSync(join(CODES, 'statements.json'), 'utf8'));
    assert.deepEqual(await client.diagnostics(statements), []);
  });

  test('after a quick fix, the next publish has every other diagnostic, moved, and not the fixed one', async () => {
    const uri = await client.openUri(uriOf(join(CODES, 'copy-of-statements.json')), readFileSync(join(CODES, 'statements.json'), 'utf8'));
    const diagnostics = await client.diagnostics(uri);
    const statement = diagnostics[1]!;
    const [fix] = await client.codeActions(uri, statement.range, [statement]);
    assert.equal(fix?.title, 'Remove unused statement');
    await client.apply(fix);
    // The "Queues" statement (9 lines) is gone, and with it its three diagnostics.
    const moved = (d: (typeof STATEMENTS)[number]) => ({
      ...d, range: range(d.range.start.line - 9, d.range.start.character, d.range.end.character),
    });
    assert.deepEqual((await client.diagnostics(uri)).map(seen), [STATEMENTS[0]!, moved(STATEMENTS[4]!), moved(STATEMENTS[5]!)]);
  });
});

describe('get-finding-v2 findings: the role and the last use in the message', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start([FINDING_V2]);
  });

  after(async () => {
    await client.stop();
  });

  test('each unused action names role MyRole, and when it was last used where the finding says', async () => {
    const uri = await client.open(join(FINDING_V2, 'policy.json'));
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map(seen), [
      {
        range: range(7, 8, 35), severity: 2, code: 'unused-action',
        message: 'Unused action lambda:UpdateFunctionCode: last used 2024-02-03 by role MyRole.',
      },
      {
        range: range(8, 8, 31), severity: 2, code: 'unused-action',
        message: `Unused action lambda:CreateFunction: ${NEVER} by role MyRole.`,
      },
      { range: range(9, 8, 26), severity: 2, code: 'unused-action', message: `Unused action dynamodb:GetItem: ${NEVER} by role MyRole.` },
    ]);
    const findings = uriOf(join(FINDING_V2, 'unused-access.json'));
    assert.deepEqual(diagnostics.map((d) => d.relatedInformation), [
      [{ location: { uri: findings, range: range(16, 22, 49) }, message: 'Reported unused here' }],
      [{ location: { uri: findings, range: range(17, 22, 38) }, message: 'Reported unused here' }],
      [{ location: { uri: findings, range: range(23, 28, 38) }, message: 'Reported unused here' }],
    ]);
  });

  test('the findings file itself is clean: it is read, known, and applies to a policy', async () => {
    const uri = await client.open(join(FINDING_V2, 'unused-access.json'));
    assert.deepEqual(await client.diagnostics(uri), []);
  });
});

describe('severity per code', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start([CODES], { severity: { 'unused-action': 'error', 'overbroad-wildcard': 'off' } });
  });

  after(async () => {
    await client.stop();
  });

  test('unused-action as an error, overbroad-wildcard off; then changed while the documents are open', async () => {
    const uri = await client.open(join(CODES, 'statements.json'));
    const codes = (d: Diagnostic[]) => d.map((x) => [x.code, x.severity]);
    assert.deepEqual(codes(await client.diagnostics(uri)), [
      ['unused-action', 1], ['unused-statement', 2], ['unused-action', 1], ['unused-action', 1], ['overbroad-notaction', 2],
    ]);
    const malformed = await client.open(join(CODES, 'malformed.json'));
    assert.equal((await client.diagnostics(malformed)).length, 8);

    await client.configurationChanged({
      severity: {
        'unused-statement': 'hint', 'overbroad-notaction': 'information', 'malformed-action': 'off', 'malformed-statement': 'warning',
      },
    });
    assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.length === 6)), [
      ['unused-action', 2], ['unused-statement', 4], ['unused-action', 2], ['unused-action', 2], ['overbroad-wildcard', 2],
      ['overbroad-notaction', 3],
    ]);
    assert.deepEqual(codes(await client.diagnostics(malformed, (d) => d.length === 5)),
      Array.from({ length: 5 }, () => ['malformed-statement', 2]));
  });

  test('a severity that is not one of the five is ignored: the default stays', async () => {
    await client.configurationChanged({ severity: { 'unused-action': 'loud', 'overbroad-wildcard': 'off' } });
    const uri = await client.openUri(uriOf(join(CODES, 'statements-copy.json')), readFileSync(join(CODES, 'statements.json'), 'utf8'));
    // Wait for the publish made with these settings: the one without the wildcard.
    const diagnostics = await client.diagnostics(uri, (d) => !d.some((x) => x.code === 'overbroad-wildcard'));
    assert.deepEqual(diagnostics.map((x) => [x.code, x.severity]), [
      ['unused-action', 2], ['unused-statement', 2], ['unused-action', 2], ['unused-action', 2], ['overbroad-notaction', 2],
    ]);
  });
});

describe('an IAM last-accessed report, with and without findings.thresholdDays', () => {
  const LAST_ACCESSED = readFileSync(join(repoRoot(), 'test', 'fixtures', 'findings', 'last-accessed.json'), 'utf8');
  const POLICY = `${JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Action: ['ec2:DescribeInstances', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', 'lambda:InvokeFunction', 'dynamodb:GetItem'],
      Resource: '*',
    }],
  }, null, 2)}\n`;

  test('never used counts; with a threshold, each action says when it was itself last used', async () => {
    const root = workspace({ 'unused-access.json': LAST_ACCESSED, 'policy.json': POLICY });
    const client = await LspTestClient.start([root]);
    try {
      const uri = await client.open(join(root, 'policy.json'));
      const message = (d: Diagnostic) => d.message;
      assert.deepEqual((await client.diagnostics(uri)).map(message), [
        `Unused action s3:DeleteObject: ${NEVER}.`,
        `Unused action dynamodb:GetItem: ${NEVER}.`,
      ]);
      // 30 days before now: every time in the report (2024) is older than that.
      await client.configurationChanged({ findings: { thresholdDays: 30 } });
      assert.deepEqual((await client.diagnostics(uri, (d) => d.length > 2)).map(message), [
        'Unused action s3:GetObject: last used 2024-06-30.',
        'Unused action s3:PutObject: last used 2024-02-01.',
        `Unused action s3:DeleteObject: ${NEVER}.`,
        'Unused action lambda:InvokeFunction: last used 2024-01-15.',
        `Unused action dynamodb:GetItem: ${NEVER}.`,
      ]);
    } finally {
      await client.stop();
    }
  });
});
