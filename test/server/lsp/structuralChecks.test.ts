import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../../support/lspClient';

// The structural checks over the protocol, in JSON, CloudFormation YAML and Terraform: each a
// diagnostic with its code, range and message; a redundant entry's fix removes it; and none of them
// stops the unused-access diagnostics of the same statements.

const JSON_POLICY = [
  '{',
  '  "Statement": [',
  '    { "Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject", "sqs:SendMessage"], "Resource": "arn:aws:s3:::b/${aws:username}/*" },',
  '    { "Effect": "Permit", "Action": "s3:ListBucket", "Resource": "*" },',
  '    { "Effect": "Allow", "Action": "s3:ListBucket", "NotAction": "s3:PutObject", "Resource": "*" },',
  '    { "Effect": "Allow", "Action": [], "Resource": "*" },',
  '    { "Effect": "Allow", "Action": ["s3GetObject"], "Resource": "*" }',
  '  ]',
  '}',
  '',
].join('\n');

const YAML_TEMPLATE = [
  'Resources:',
  '  ReadPolicy:',
  '    Type: AWS::IAM::ManagedPolicy',
  '    Properties:',
  '      PolicyDocument:',
  '        Version: "2008-10-17"',
  '        Statement:',
  '          - Effect: Allow',
  '            Action:',
  '              - sqs:*',
  '              - sqs:SendMessage',
  '              - s3:GetObject',
  '            Resource: !Sub "arn:aws:s3:::${AWS::AccountId}-b/${!aws:username}"',
  '          - Effect: Allow',
  '            Action:',
  '              - s3:GetObject',
  '            Resource: "arn:aws:s3:::b/${aws:username}"',
  '',
].join('\n');

const TERRAFORM = [
  'data "aws_iam_policy_document" "read" {',
  '  statement {',
  '    actions   = ["s3:*", "s3:GetObject", "sqs:SendMessage"]',
  '    resources = ["arn:aws:s3:::b/$${aws:username}"]',
  '  }',
  '}',
  '',
].join('\n');

describe('structural checks over the protocol', () => {
  let dir: string;
  let client: LspTestClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iam-structure-'));
    // Findings that call sqs:SendMessage unused: the unused-access diagnostics must stay beside the structural ones.
    writeFileSync(join(dir, 'unused-access.json'), '[{ "serviceNamespace": "sqs", "actions": ["SendMessage"] }]\n');
    client = await LspTestClient.start([dir]);
  });

  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const at = (text: string, needle: string, nth = 0): { line: number; character: number } => {
    let offset = -1;
    for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
    assert.ok(offset >= 0, needle);
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before.at(-1)!.length };
  };
  const byCode = (diagnostics: Diagnostic[], code: string): Diagnostic[] => diagnostics.filter((d) => d.code === code);

  test('JSON: every check, each where it belongs, and the unused action still reported', async () => {
    const uri = await client.open(join(dir, 'policy.json'), JSON_POLICY, 'json');
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'redundant-action'));

    const [version] = byCode(diagnostics, 'invalid-version');
    assert.deepEqual(version?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
    assert.match(version!.message as string, /policy variable \$\{aws:username\} but has no "Version"/);

    const [redundant] = byCode(diagnostics, 'redundant-action');
    const start = at(JSON_POLICY, '"s3:GetObject"');
    assert.deepEqual(redundant?.range, { start, end: { line: start.line, character: start.character + 14 } });
    assert.equal(redundant!.message, 's3:GetObject is redundant: s3:Get* in the same statement already allows it.');

    const statements = byCode(diagnostics, 'malformed-statement').map((d) => d.message);
    assert.ok(statements.includes('"Effect" must be "Allow" or "Deny".'), statements.join('; '));
    assert.ok(statements.includes('A statement may have "Action" or "NotAction", not both.'), statements.join('; '));
    const actions = byCode(diagnostics, 'malformed-action');
    assert.ok(actions.some((d) => d.message === '"Action" is empty.'));
    assert.ok(actions.some((d) => d.range.start.line === at(JSON_POLICY, '"s3GetObject"').line));

    assert.equal(byCode(diagnostics, 'unused-action').length, 1, 'sqs:SendMessage is still reported unused');
  });

  test('JSON: the fix removes the redundant entry and its separator, and nothing else', async () => {
    const uri = await client.open(join(dir, 'fix.json'), JSON_POLICY, 'json');
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'redundant-action'));
    const redundant = byCode(diagnostics, 'redundant-action');
    const actions = await client.codeActions(uri, redundant[0]!.range, redundant);
    const fix = actions.find((a) => a.title === 'Remove the redundant s3:GetObject');
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    const text = await client.apply(fix);
    assert.equal(text, JSON_POLICY.replace('"s3:Get*", "s3:GetObject", ', '"s3:Get*", '));
  });

  test('CloudFormation YAML: a Version that reads variables literally, a redundant entry removed with its line', async () => {
    const uri = await client.open(join(dir, 'stack.yaml'), YAML_TEMPLATE, 'yaml');
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'redundant-action'));
    const [version] = byCode(diagnostics, 'invalid-version');
    const start = at(YAML_TEMPLATE, '"2008-10-17"');
    assert.deepEqual(version?.range, { start, end: { line: start.line, character: start.character + 12 } });
    assert.match(version!.message as string, /^"Version" "2008-10-17" reads the policy variable \$\{aws:username\} as literal text/);
    const redundant = byCode(diagnostics, 'redundant-action');
    assert.deepEqual(redundant.map((d) => d.message), ['sqs:SendMessage is redundant: sqs:* in the same statement already allows it.']);
    const fix = (await client.codeActions(uri, redundant[0]!.range, redundant)).find((a) => a.title.startsWith('Remove the redundant'));
    assert.equal(await client.apply(fix!), YAML_TEMPLATE.replace('              - sqs:SendMessage\n', ''));
  });

  test('CloudFormation: !Sub\'s own ${AWS::AccountId} is no policy variable', async () => {
    const text = YAML_TEMPLATE.replace(/ {10}- Effect: Allow\n {12}Action:\n {14}- s3:GetObject\n.*\$\{aws:username\}"\n/, '');
    const uri = await client.open(join(dir, 'sub.yaml'), text.replace('${!aws:username}', 'x'), 'yaml');
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'redundant-action'));
    assert.deepEqual(byCode(diagnostics, 'invalid-version'), []);
  });

  test('Terraform: a redundant entry in actions, removed; a policy document block needs no Version', async () => {
    const uri = await client.open(join(dir, 'main.tf'), TERRAFORM, 'terraform');
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'redundant-action'));
    assert.deepEqual(byCode(diagnostics, 'invalid-version'), []);
    const redundant = byCode(diagnostics, 'redundant-action');
    assert.deepEqual(redundant.map((d) => d.message), ['s3:GetObject is redundant: s3:* in the same statement already allows it.']);
    assert.equal(byCode(diagnostics, 'unused-action').length, 1, 'sqs:SendMessage is still reported unused');
    const fix = (await client.codeActions(uri, redundant[0]!.range, redundant)).find((a) => a.title.startsWith('Remove the redundant'));
    assert.equal(await client.apply(fix!), TERRAFORM.replace('"s3:*", "s3:GetObject", ', '"s3:*", '));
  });

  test('each check has its own severity setting: off silences it alone', async () => {
    const quiet = await LspTestClient.start([dir], { severity: { 'redundant-action': 'off', 'invalid-version': 'error' } });
    try {
      const uri = await quiet.open(join(dir, 'quiet.json'), JSON_POLICY, 'json');
      const diagnostics = await quiet.diagnostics(uri, (d) => d.some((x) => x.code === 'invalid-version'));
      assert.deepEqual(byCode(diagnostics, 'redundant-action'), []);
      assert.equal(byCode(diagnostics, 'invalid-version')[0]?.severity, 1);
    } finally {
      await quiet.stop();
    }
  });
});
