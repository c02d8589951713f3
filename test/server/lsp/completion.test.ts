import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type CompletionItem, CompletionItemKind, type CompletionList, CompletionRequest, CompletionResolveRequest,
  InitializeRequest, type TextEdit,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { repoRoot, testCatalog } from '../../support/catalog';
import { LspTestClient } from '../../support/lspClient';

// Completion of action names over the protocol: service prefixes, then the service's actions, in
// JSON policies, CloudFormation YAML and Terraform, and in findings files; the edit replaces the
// whole token and keeps each format's quoting.

const CURSOR = '|';

const JSON_POLICY = (action: string): string =>
  `{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": [${action}], "Resource": "*" }\n  ]\n}\n`;

const YAML_TEMPLATE = (actions: string): string => [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Resources:',
  '  ReadPolicy:',
  '    Type: AWS::IAM::ManagedPolicy',
  '    Properties:',
  '      PolicyDocument:',
  '        Version: "2012-10-17"',
  '        Statement:',
  '          - Effect: Allow',
  '            Resource: "*"',
  actions,
  '',
].join('\n');

const TERRAFORM = (actions: string): string =>
  `data "aws_iam_policy_document" "read" {\n  statement {\n    actions   = [${actions}]\n    resources = ["*"]\n  }\n}\n`;

const FINDINGS = (actions: string): string =>
  `[\n  { "serviceNamespace": "s3", "actions": [${actions}] }\n]\n`;

describe('completion over the protocol', () => {
  let dir: string;
  let client: LspTestClient;
  let opened = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iam-completion-'));
    writeFileSync(join(dir, 'unused-access.json'), FINDINGS('"GetObject"'));
    client = await LspTestClient.start([dir]);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `text` (with `|` where the cursor is) and asks for completions there. */
  async function complete(
    name: string, marked: string, languageId: string, flagged = false,
  ): Promise<{ items: CompletionItem[]; text: string; offset: number }> {
    const offset = marked.indexOf(CURSOR);
    const text = marked.replace(CURSOR, '');
    const uri = await client.open(join(dir, `${opened++}-${name}`), text, languageId);
    // The Terraform reader loads on first use: its diagnostics (`flagged`: some) say it has read the text.
    await client.diagnostics(uri, (d) => !flagged || d.length > 0);
    const position = TextDocument.create(uri, languageId, 0, text).positionAt(offset);
    const params = { textDocument: { uri }, position };
    const result = await client.request(client.connection.sendRequest(CompletionRequest.type, params)) as CompletionList | null;
    return { items: result?.items ?? [], text, offset };
  }

  /** The text once `item` is picked, as the editor applies it (a snippet's `$0` is where the cursor goes). */
  function pick(text: string, item: CompletionItem): string {
    const edit = item.textEdit as TextEdit;
    const document = TextDocument.create('file:///x', 'json', 0, text);
    return TextDocument.applyEdits(document, [{ range: edit.range, newText: edit.newText.replace('$0', '') }]);
  }

  const labels = (items: readonly CompletionItem[]): string[] => items.map((i) => i.label);
  const find = (items: readonly CompletionItem[], label: string): CompletionItem => {
    const item = items.find((i) => i.label === label);
    assert.ok(item, `${label} not among ${labels(items).slice(0, 30).join(', ')}`);
    return item;
  };

  test('the server offers completion, triggered by a quote and a colon, with resolve', async () => {
    const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.listen();
    try {
      const result = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
      assert.deepEqual(result.capabilities.completionProvider, { triggerCharacters: ['"', ':'], resolveProvider: true });
    } finally {
      connection.dispose();
      child.kill();
    }
  });

  test('JSON: actions of the service after "s3:GetOb", each with its access level; the pick replaces the whole token', async () => {
    const { items, text } = await complete('policy.json', JSON_POLICY(`"s3:GetOb${CURSOR}jekt"`), 'json');
    const expected = testCatalog().actions('s3').filter((a) => a.name.toLowerCase().startsWith('getob')).map((a) => a.full);
    assert.deepEqual(labels(items).filter((l) => expected.includes(l)).sort(), [...expected].sort());
    const item = find(items, 's3:GetObject');
    assert.equal(item.detail, 'Read');
    assert.equal(item.kind, CompletionItemKind.Function);
    assert.match(pick(text, item), /"Action": \["s3:GetObject"\]/);
  });

  test('JSON: service prefixes with the service\'s name; the pick leaves "s3:" to go on with', async () => {
    const { items, text } = await complete('services.json', JSON_POLICY(`"s${CURSOR}"`), 'json');
    assert.ok(items.every((i) => (i.label as string).startsWith('s')), 'only prefixes that start with "s"');
    const s3 = find(items, 's3');
    assert.equal(s3.detail, testCatalog().serviceTitle('s3'));
    assert.match(pick(text, s3), /"Action": \["s3:"\]/);
  });

  test('JSON: word initials, any case: "s3:gol" offers s3:GetObjectLegalHold', async () => {
    const { items } = await complete('initials.json', JSON_POLICY(`"s3:gol${CURSOR}"`), 'json');
    find(items, 's3:GetObjectLegalHold');
    assert.ok(!labels(items).includes('s3:GetObject'), 'GetObject has no third word');
  });

  test('JSON: a typed wildcard is offered with how many actions it matches, per access level', async () => {
    const { items } = await complete('wildcard.json', JSON_POLICY(`"s3:GetObject*${CURSOR}"`), 'json');
    const matching = testCatalog().actions('s3').filter((a) => a.name.startsWith('GetObject'));
    assert.deepEqual(labels(items), ['s3:GetObject*']);
    assert.equal(items[0]!.detail, `matches ${matching.length} known actions`);
    const read = matching.filter((a) => a.levels.includes('Read')).length;
    assert.match((items[0]!.documentation as { value: string }).value, new RegExp(`Read ${read}`));
  });

  test('resolve adds the action\'s description', async () => {
    const { items } = await complete('resolve.json', JSON_POLICY(`"s3:GetObj${CURSOR}"`), 'json');
    const resolved = await client.request(client.connection.sendRequest(CompletionResolveRequest.type, find(items, 's3:GetObject')));
    const catalog = testCatalog();
    assert.equal((resolved.documentation as { value: string }).value, catalog.describe(catalog.lookup('s3', 'GetObject')!));
  });

  test('JSON: between the brackets, outside any string, the pick is a quoted string', async () => {
    const { items, text } = await complete('bare.json', JSON_POLICY(`"s3:GetObject", s3:PutOb${CURSOR}`), 'json');
    assert.match(pick(text, find(items, 's3:PutObject')), /\["s3:GetObject", "s3:PutObject"\]/);
  });

  test('nothing outside an action list', async () => {
    const policy = JSON_POLICY('"s3:GetObject"').replace('"Resource": "*"', `"Resource": "s${CURSOR}"`);
    const { items } = await complete('resource.json', policy, 'json');
    assert.deepEqual(items, []);
  });

  test('CloudFormation YAML: in a sequence, the pick stays a plain scalar', async () => {
    const { items, text } = await complete('stack.yaml', YAML_TEMPLATE(`            Action:\n              - s3:GetOb${CURSOR}`), 'yaml');
    assert.match(pick(text, find(items, 's3:GetObject')), /- s3:GetObject\n/);
  });

  test('CloudFormation YAML: a scalar Action, quoted, keeps its quotes', async () => {
    const { items, text } = await complete('scalar.yaml', YAML_TEMPLATE(`            Action: 's3:gol${CURSOR}'`), 'yaml');
    assert.match(pick(text, find(items, 's3:GetObjectLegalHold')), /Action: 's3:GetObjectLegalHold'\n/);
  });

  test('CloudFormation YAML: service prefixes in a sequence item', async () => {
    const actions = `            Action:\n              - s3:GetObject\n              - dynam${CURSOR}`;
    const { items, text } = await complete('prefix.yaml', YAML_TEMPLATE(actions), 'yaml');
    assert.match(pick(text, find(items, 'dynamodb')), /- dynamodb:\n/);
  });

  test('CloudFormation JSON: a policy inside a template, quoted', async () => {
    const template = JSON.stringify({
      Resources: {
        ReadPolicy: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: { PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:gol'], Resource: '*' }] } },
        },
      },
    }, null, 2).replace('"s3:gol"', `"s3:gol${CURSOR}"`);
    const { items, text } = await complete('stack.json', template, 'json');
    assert.match(pick(text, find(items, 's3:GetObjectLegalHold')), /"Action": \[\n\s*"s3:GetObjectLegalHold"\n/);
  });

  test('Terraform: actions of a policy document block, quoted', async () => {
    const { items, text } = await complete('main.tf', TERRAFORM(`"s3:GetOb${CURSOR}"`), 'terraform', true);
    assert.match(pick(text, find(items, 's3:GetObjectAcl')), /actions {3}= \["s3:GetObjectAcl"\]/);
  });

  test('Terraform: a typed wildcard', async () => {
    const { items } = await complete('wild.tf', TERRAFORM(`"s3:List*${CURSOR}"`), 'terraform');
    const matching = testCatalog().actions('s3').filter((a) => a.name.startsWith('List'));
    assert.equal(items[0]?.detail, `matches ${matching.length} known actions`);
  });

  test('findings file: action names of the entry\'s service, spelled as the file spells them', async () => {
    const { items, text } = await complete('open.unused-access.json', FINDINGS(`"GetObject", "PutOb${CURSOR}"`), 'json');
    assert.ok(items.length > 0 && items.every((i) => (i.label as string).toLowerCase().startsWith('putob')));
    assert.match(pick(text, find(items, 'PutObject')), /\["GetObject", "PutObject"\]/);
  });
});
