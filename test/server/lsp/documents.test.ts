import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol';
import { repoRoot } from '../../support/catalog';
import { workspace } from '../../support/cli';
import { LspTestClient, uriOf } from '../../support/lspClient';

// Which documents the server checks: policies by shape, whatever their name; never other JSON.

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'workspaces');
const DOCUMENTS = join(FIXTURES, 'lsp-documents');
const SCOPING = join(FIXTURES, 'lsp-scoping');

const range = (line: number, from: number, to: number): Range => ({ start: { line, character: from }, end: { line, character: to } });
const seen = (d: Diagnostic) => ({ range: d.range, severity: d.severity, code: d.code, message: d.message });
const unused = (line: number, from: number, action: string) => ({
  range: range(line, from, from + action.length + 2), severity: 2, code: 'unused-action',
  message: `Unused action ${action}: never used in the tracking period.`,
});

const POLICY_TEXT = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:PutObject"],
      "Resource": "*"
    }
  ]
}
`;

describe('which documents get policy diagnostics', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start([DOCUMENTS]);
  });

  after(async () => {
    await client.stop();
  });

  test('a policy in a JSON document gets diagnostics, whatever the file is called', async () => {
    const uri = await client.open(join(DOCUMENTS, 'infra', 'deploy-role.json'));
    assert.deepEqual((await client.diagnostics(uri)).map(seen), [unused(7, 8, 's3:GetBucketAcl')]);

    // Not on disk, no .json extension: the shape decides.
    const text = readFileSync(join(DOCUMENTS, 'infra', 'deploy-role.json'), 'utf8');
    const other = await client.openUri(uriOf(join(DOCUMENTS, 'infra', 'ROLE.policy')), text);
    assert.deepEqual((await client.diagnostics(other)).map(seen), [unused(7, 8, 's3:GetBucketAcl')]);
  });

  test('package.json, tsconfig.json and the findings file get no policy diagnostics', async () => {
    for (const [name, languageId] of [['package.json', 'json'], ['tsconfig.json', 'jsonc'], ['unused-access.json', 'json']] as const) {
      const uri = await client.open(join(DOCUMENTS, name), undefined, languageId);
      assert.deepEqual(await client.diagnostics(uri), [], name);
    }
  });

  test('a document that is not JSON is not checked, even when its text is a policy', async () => {
    const uri = await client.openUri(uriOf(join(DOCUMENTS, 'notes.txt')), POLICY_TEXT, 'plaintext');
    assert.deepEqual(await client.diagnostics(uri), []);
    assert.equal(await client.hover(uri, client.positionOf(uri, 's3:GetBucketAcl')), undefined);
    assert.deepEqual(await client.codeActions(uri, range(5, 30, 30), [], ['source']), []);
  });

  test('JSONC with comments and trailing commas: diagnostics, and a fix that keeps the comments and commas', async () => {
    const uri = await client.open(join(DOCUMENTS, 'app', 'policy.jsonc'), undefined, 'jsonc');
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map(seen), [unused(10, 8, 's3:GetBucketCORS')]);
    const [fix] = await client.codeActions(uri, diagnostics[0]!.range, diagnostics);
    assert.equal(fix?.title, 'Remove unused action s3:GetBucketCORS');
    assert.equal(await client.apply(fix), `// The application's role policy (JSONC: comments and trailing commas).
{
  "Version": "2012-10-17",
  "Statement": [
    /* Reads objects and bucket settings. */
    {
      "Sid": "Reads",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject", // objects
        "s3:ListBucket",
      ],
      "Resource": "*",
    },
  ],
}
`);
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test('an untitled document sits at the top of the first workspace folder', async () => {
    const uri = await client.openUri('untitled:Untitled-1', POLICY_TEXT);
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map(seen), [unused(5, 33, 's3:GetBucketAcl'), unused(5, 52, 's3:GetBucketCORS')]);
    assert.equal(diagnostics[0]!.relatedInformation?.[0]?.location.uri, uriOf(join(DOCUMENTS, 'unused-access.json')));
    const actions = await client.codeActions(uri, diagnostics[0]!.range, [diagnostics[0]!]);
    assert.equal(actions[0]?.title, 'Remove unused action s3:GetBucketAcl');
    await client.close(uri);
  });
});

describe('untitled documents and the findings of sub-folders and other folders', () => {
  test('findings of a sub-folder do not apply to an untitled document', async () => {
    const client = await LspTestClient.start([SCOPING]);
    try {
      const uri = await client.openUri('untitled:Untitled-1', POLICY_TEXT);
      assert.deepEqual(await client.diagnostics(uri), []);
    } finally {
      await client.stop();
    }
  });

  test('with two workspace folders, the first one\'s findings apply', async () => {
    const first = workspace({ 'unused-access.json': '[{"serviceNamespace": "s3", "actions": ["PutObject"]}]' });
    const second = workspace({ 'unused-access.json': '[{"serviceNamespace": "s3", "actions": ["GetBucketAcl"]}]' });
    const client = await LspTestClient.start([first, second]);
    try {
      const uri = await client.openUri('untitled:Untitled-1', POLICY_TEXT);
      assert.deepEqual((await client.diagnostics(uri)).map(seen), [unused(5, 72, 's3:PutObject')]);
    } finally {
      await client.stop();
    }
  });
});

describe('settings: policies.include and policies.exclude', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start([DOCUMENTS], { policies: { exclude: ['generated/**'] } });
  });

  after(async () => {
    await client.stop();
  });

  test('an excluded policy is not checked; changing the settings re-checks the open documents', async () => {
    const generated = await client.open(join(DOCUMENTS, 'generated', 'policy.json'));
    const infra = await client.open(join(DOCUMENTS, 'infra', 'deploy-role.json'));
    assert.deepEqual(await client.diagnostics(generated), []);
    assert.equal(await client.hover(generated, client.positionOf(generated, 's3:GetBucketAcl')), undefined);
    assert.deepEqual((await client.diagnostics(infra)).map(seen), [unused(7, 8, 's3:GetBucketAcl')]);

    await client.configurationChanged({ policies: { include: ['generated/*.json'] } });
    assert.deepEqual((await client.diagnostics(generated, (d) => d.length > 0)).map(seen), [unused(3, 52, 's3:GetBucketAcl')]);
    assert.deepEqual(await client.diagnostics(infra, (d) => d.length === 0), []);

    await client.configurationChanged({ policies: { include: ['**'], exclude: ['**/*-role.json'] } });
    assert.deepEqual(await client.diagnostics(infra, (d) => d.length === 0), []);
    assert.deepEqual((await client.diagnostics(generated)).map(seen), [unused(3, 52, 's3:GetBucketAcl')]);
  });
});
