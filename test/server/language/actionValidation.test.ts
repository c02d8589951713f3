import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import type { PolicyService } from '../../../server/src/service/policyService';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { applied, doc, findings, policy, rangeOf, serviceOver, unusedActions } from '../../support/service';
import type { DocumentInput } from '../../../server/src/service/policyService';
import { DEFAULT_SETTINGS } from '../../../server/src/service/settings';

// Typos in action lists, in-process: unknown-action and unknown-service where the string is, in
// JSON, YAML and Terraform, with or without findings, and the "Did you mean" fixes with the text
// each leaves.

const EDITION = '(action catalogue of 2026-09-26)';
const FINDINGS = findings({ s3: ['GetBucketAcl', 'FutureThing'] });
const setUp = (files: Record<string, string> = { '/ws/unused-access.json': FINDINGS }) => serviceOver(memoryFileSystem(files), ['/ws']);

const unknown = (text: string, needle: string, message: string, code = 'unknown-action') =>
  ({ range: rangeOf(text, needle), severity: 2, code, source: 'iam-policy-refiner', message });

const catalogueDiagnostics = (service: PolicyService, document: DocumentInput): Diagnostic[] =>
  service.validate(document).diagnostics.filter((d) => d.code === 'unknown-action' || d.code === 'unknown-service');

const seenOf = (d: Diagnostic) => ({ range: d.range, severity: d.severity, code: d.code, source: d.source, message: d.message });

/** The quick fixes offered for `diagnostic`: each title, with the whole text once it is applied. */
function fixes(service: PolicyService, document: DocumentInput, diagnostic: Diagnostic): [string, string][] {
  const state = service.analyze(document)!;
  return service.codeActions(state, 0, { diagnostics: [diagnostic], only: ['quickfix'] }, { documentChanges: true })
    .map((a) => [a.title, applied(document.text, a)]);
}

test('JSON: a misspelt action, an unknown service and a wildcard that matches nothing, each with its fixes', () => {
  const service = setUp();
  const text = policy(['s3:GetObjekt', 's4:GetObject', 's3:GetObjekt*', 's3:ListBuckit']);
  const document = doc('/ws/policy.json', text);
  const diagnostics = catalogueDiagnostics(service, document);
  assert.deepEqual(diagnostics.map(seenOf), [
    unknown(text, '"s3:GetObjekt"', `s3:GetObjekt is not a known action of Amazon S3 ${EDITION}.`),
    unknown(text, '"s4:GetObject"', `s4 (in s4:GetObject) is not a known service prefix ${EDITION}.`, 'unknown-service'),
    unknown(text, '"s3:GetObjekt*"', `s3:GetObjekt* matches no known action of Amazon S3 ${EDITION}.`),
    unknown(text, '"s3:ListBuckit"', `s3:ListBuckit is not a known action of Amazon S3 ${EDITION}.`),
  ]);
  const [action, service4, wildcard, bucket] = diagnostics;
  const rename = (from: string, to: string): string => text.replace(`"${from}"`, `"${to}"`);
  assert.deepEqual(fixes(service, document, action!), [
    ['Did you mean s3:GetObject?', rename('s3:GetObjekt', 's3:GetObject')],
    ['Did you mean s3:PutObject?', rename('s3:GetObjekt', 's3:PutObject')],
  ]);
  assert.deepEqual(fixes(service, document, service4!), [['Did you mean s3:GetObject?', rename('s4:GetObject', 's3:GetObject')]]);
  assert.deepEqual(fixes(service, document, wildcard!), [
    ['Did you mean s3:GetObject*?', rename('s3:GetObjekt*', 's3:GetObject*')],
    ['Did you mean s3:PutObject*?', rename('s3:GetObjekt*', 's3:PutObject*')],
  ]);
  assert.deepEqual(fixes(service, document, bucket!), [['Did you mean s3:ListBucket?', rename('s3:ListBuckit', 's3:ListBucket')]]);
  // The only offer is the preferred one (the editor may apply it by itself); of several, none is.
  const state = service.analyze(document)!;
  const preferred = (d: Diagnostic) => service.codeActions(state, 0, { diagnostics: [d], only: ['quickfix'] }, { documentChanges: true })
    .map((a) => a.isPreferred ?? false);
  assert.deepEqual(preferred(bucket!), [true]);
  assert.deepEqual(preferred(action!), [false, false]);
});

test('no diagnostic on known actions, on an action the findings name, on *, on wildcards that match', () => {
  const service = setUp();
  const text = policy(['s3:GetObject', 'S3:getobject', 's3:FutureThing', '*', 's3:Get*', 's3:*Object', '*:GetObject', 'ec2:Describe*']);
  const document = doc('/ws/policy.json', text);
  assert.deepEqual(catalogueDiagnostics(service, document), []);
  // The findings name s3:FutureThing, so it is real: the refinement calls it unused, the catalogue check says nothing.
  assert.deepEqual(service.validate(document).diagnostics.filter((d) => d.code === 'unused-action').map(seenOf),
    unusedActions(text, ['s3:FutureThing']));
  // Nor on a service only the findings name: it is newer than the catalogue, and its actions cannot be checked.
  const newer = setUp({ '/ws/unused-access.json': findings({ 'brand-new': ['DoThing'] }) });
  assert.deepEqual(catalogueDiagnostics(newer, doc('/ws/policy.json', policy(['brand-new:DoOtherThing']))), []);
});

test('a policy no findings apply to gets them too, and its other diagnostics stay as they were', () => {
  const service = setUp({ '/elsewhere/unused-access.json': FINDINGS });
  const text = policy(['s3:GetObjekt', 's3:GetBucketAcl']);
  const document = doc('/ws/policy.json', text);
  assert.deepEqual(service.validate(document).diagnostics.map(seenOf), [
    unknown(text, '"s3:GetObjekt"', `s3:GetObjekt is not a known action of Amazon S3 ${EDITION}.`),
  ]);
  const [diagnostic] = service.validate(document).diagnostics;
  assert.deepEqual(fixes(service, document, diagnostic!).map(([title]) => title),
    ['Did you mean s3:GetObject?', 'Did you mean s3:PutObject?']);
  // A Deny statement and NotAction lists are checked as well: a typo there is as wrong.
  const deny = `${JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Deny', Action: 's3:DeleteBuckt', Resource: '*' },
    { Effect: 'Allow', NotAction: ['iam:CreateUsr'], Resource: '*' },
  ] }, null, 2)}\n`;
  assert.deepEqual(service.validate(doc('/ws/deny.json', deny)).diagnostics.map(seenOf), [
    unknown(deny, '"s3:DeleteBuckt"', `s3:DeleteBuckt is not a known action of Amazon S3 ${EDITION}.`),
    unknown(deny, '"iam:CreateUsr"', `iam:CreateUsr is not a known action of AWS Identity and Access Management (IAM) ${EDITION}.`),
  ]);
});

test('with findings the refinement\'s diagnostics come first in a statement, then the catalogue\'s; fixing one keeps the other', () => {
  const service = setUp();
  const text = policy(['s3:GetObjekt', 's3:GetBucketAcl']);
  const document = doc('/ws/policy.json', text);
  const diagnostics = service.validate(document).diagnostics;
  assert.deepEqual(diagnostics.map(seenOf), [
    ...unusedActions(text, ['s3:GetBucketAcl']),
    unknown(text, '"s3:GetObjekt"', `s3:GetObjekt is not a known action of Amazon S3 ${EDITION}.`),
  ]);
  assert.deepEqual(fixes(service, document, diagnostics[1]!)[0],
    ['Did you mean s3:GetObject?', policy(['s3:GetObject', 's3:GetBucketAcl'])]);
  // After the rename the typo is gone, and the unused action is still reported.
  const renamed = doc('/ws/policy.json', policy(['s3:GetObject', 's3:GetBucketAcl']), 2);
  assert.deepEqual(service.validate(renamed).diagnostics.map((d) => d.code), ['unused-action']);
});

test('a client that resolves edits gets the same rename on resolve', () => {
  const service = setUp();
  const text = policy(['s3:ListBuckit']);
  const document = doc('/ws/policy.json', text);
  const [diagnostic] = service.validate(document).diagnostics;
  const state = service.analyze(document)!;
  const client = { documentChanges: true, resolveEdits: true };
  const [lazy] = service.codeActions(state, 0, { diagnostics: [diagnostic!], only: ['quickfix'] }, client);
  assert.equal(lazy?.title, 'Did you mean s3:ListBucket?');
  assert.equal(lazy?.edit, undefined);
  assert.equal(applied(text, service.resolveCodeAction(state, lazy!, client)), policy(['s3:ListBucket']));
});

test('the severity setting of each code applies; off removes them', () => {
  const service = setUp();
  const text = policy(['s3:GetObjekt', 's4:GetObject']);
  const severity = { ...DEFAULT_SETTINGS.severity, 'unknown-action': 'off', 'unknown-service': 'error' } as const;
  service.configure({ folders: [{ path: '/ws', settings: { ...DEFAULT_SETTINGS, severity } }] });
  assert.deepEqual(service.validate(doc('/ws/policy.json', text)).diagnostics.map((d) => [d.code, d.severity]), [['unknown-service', 1]]);
});

test('YAML (CloudFormation): plain, single- and double-quoted scalars keep their quoting', async () => {
  const service = setUp();
  await service.loadReaders();
  const yaml = [
    'Resources:',
    '  Role:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      AssumeRolePolicyDocument: {}',
    '      Policies:',
    '        - PolicyName: p',
    '          PolicyDocument:',
    '            Version: "2012-10-17"',
    '            Statement:',
    '              - Effect: Allow',
    '                Action:',
    '                  - s3:GetObjekt',
    "                  - 's3:ListBuckit'",
    '                  - "s4:GetObject"',
    '                  - s3:GetObject',
    '                Resource: "*"',
    '',
  ].join('\n');
  const document = doc('/ws/stack.yaml', yaml, 1, 'yaml');
  const diagnostics = catalogueDiagnostics(service, document);
  assert.deepEqual(diagnostics.map(seenOf), [
    unknown(yaml, 's3:GetObjekt', `s3:GetObjekt is not a known action of Amazon S3 ${EDITION}.`),
    unknown(yaml, "'s3:ListBuckit'", `s3:ListBuckit is not a known action of Amazon S3 ${EDITION}.`),
    unknown(yaml, '"s4:GetObject"', `s4 (in s4:GetObject) is not a known service prefix ${EDITION}.`, 'unknown-service'),
  ]);
  assert.deepEqual(fixes(service, document, diagnostics[0]!), [
    ['Did you mean s3:GetObject?', yaml.replace('- s3:GetObjekt', '- s3:GetObject')],
    ['Did you mean s3:PutObject?', yaml.replace('- s3:GetObjekt', '- s3:PutObject')],
  ]);
  assert.deepEqual(fixes(service, document, diagnostics[1]!),
    [['Did you mean s3:ListBucket?', yaml.replace("'s3:ListBuckit'", "'s3:ListBucket'")]]);
  assert.deepEqual(fixes(service, document, diagnostics[2]!),
    [['Did you mean s3:GetObject?', yaml.replace('"s4:GetObject"', '"s3:GetObject"')]]);
});

test('Terraform: actions of a policy document and Action in jsonencode, renamed inside their quotes', async () => {
  const service = setUp();
  await service.loadReaders();
  const tf = [
    'data "aws_iam_policy_document" "p" {',
    '  statement {',
    '    actions   = ["s3:GetObjekt", "s3:GetObject", "s3:Get*"]',
    '    resources = ["*"]',
    '  }',
    '  statement {',
    '    effect      = "Allow"',
    '    not_actions = ["iam:PassRol"]',
    '    resources   = ["*"]',
    '  }',
    '}',
    '',
    'resource "aws_iam_policy" "q" {',
    '  policy = jsonencode({',
    '    Version   = "2012-10-17"',
    '    Statement = [{ Effect = "Allow", Action = ["sqs:SendMesage"], Resource = "*" }]',
    '  })',
    '}',
    '',
  ].join('\n');
  const document = doc('/ws/main.tf', tf, 1, 'terraform');
  const diagnostics = catalogueDiagnostics(service, document);
  assert.deepEqual(diagnostics.map(seenOf), [
    unknown(tf, '"s3:GetObjekt"', `s3:GetObjekt is not a known action of Amazon S3 ${EDITION}.`),
    unknown(tf, '"iam:PassRol"', `iam:PassRol is not a known action of AWS Identity and Access Management (IAM) ${EDITION}.`),
    unknown(tf, '"sqs:SendMesage"', `sqs:SendMesage is not a known action of Amazon SQS ${EDITION}.`),
  ]);
  assert.deepEqual(fixes(service, document, diagnostics[0]!).map(([title, text]) => [title, text.split('\n')[2]]), [
    ['Did you mean s3:GetObject?', '    actions   = ["s3:GetObject", "s3:GetObject", "s3:Get*"]'],
    ['Did you mean s3:PutObject?', '    actions   = ["s3:PutObject", "s3:GetObject", "s3:Get*"]'],
  ]);
  assert.deepEqual(fixes(service, document, diagnostics[1]!),
    [['Did you mean iam:PassRole?', tf.replace('iam:PassRol"', 'iam:PassRole"')]]);
  assert.deepEqual(fixes(service, document, diagnostics[2]!), [['Did you mean sqs:SendMessage?', tf.replace('SendMesage', 'SendMessage')]]);
});

test('a keystroke in another statement keeps the statement\'s catalogue diagnostics as they were (the statement memo covers them)', () => {
  const service = setUp({ '/elsewhere/unused-access.json': FINDINGS });
  const two = (second: string) => `${JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: ['s3:GetObjekt'], Resource: '*' },
    { Effect: 'Allow', Action: [second], Resource: '*' },
  ] }, null, 2)}\n`;
  const [before] = service.validate(doc('/ws/policy.json', two('sqs:SendMessage'), 1)).diagnostics;
  const after = service.validate(doc('/ws/policy.json', two('sqs:SendMessag'), 2)).diagnostics;
  assert.equal(after.length, 2);
  assert.equal(after[0], before, 'the same diagnostic object, not one built again');
  assert.equal(after[1]!.message, `sqs:SendMessag is not a known action of Amazon SQS ${EDITION}.`);
});
