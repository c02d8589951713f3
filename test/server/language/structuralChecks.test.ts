import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { applied, doc, findings, policy, rangeOf, serviceOver } from '../../support/service';

// The structural checks in-process: which entries are redundant (and which are not), when the
// Version matters, and the text the removal fix leaves.

const setUp = () => serviceOver(memoryFileSystem({ '/ws/unused-access.json': findings({ sqs: ['SendMessage'] }) }), ['/ws']);

function diagnostics(text: string, code: string): Diagnostic[] {
  return setUp().validate(doc('/ws/policy.json', text)).diagnostics.filter((d) => d.code === code);
}

const statement = (body: object, version?: string): string =>
  `${JSON.stringify({ ...(version ? { Version: version } : {}), Statement: [{ Effect: 'Allow', Resource: '*', ...body }] }, null, 2)}\n`;

test('redundant: an action under a wildcard, a narrower wildcard, a repeat in another case, anything beside "*"', () => {
  const text = policy(['s3:Get*', 's3:GetObject', 's3:getobject*', 'S3:GET*', 'sqs:SendMessage']);
  assert.deepEqual(diagnostics(text, 'redundant-action').map((d) => [d.range, d.message]), [
    [rangeOf(text, '"s3:GetObject"'), 's3:GetObject is redundant: s3:Get* in the same statement already allows it.'],
    [rangeOf(text, '"s3:getobject*"'), 's3:getobject* is redundant: s3:Get* in the same statement already allows it.'],
    [rangeOf(text, '"S3:GET*"'), 'S3:GET* is redundant: s3:Get* in the same statement already allows it.'],
  ]);
  const star = policy(['*', 'iam:PassRole']);
  assert.equal(diagnostics(star, 'redundant-action')[0]?.message, 'iam:PassRole is redundant: * in the same statement already allows it.');
});

test('not redundant: overlapping wildcards neither of which holds the other, other services, other statements', () => {
  assert.deepEqual(diagnostics(policy(['s3:Get*', 's3:*Object', 'sqs:Get*', 's3:PutBucketPolicy']), 'redundant-action'), []);
  const two = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
  ] });
  assert.deepEqual(diagnostics(two, 'redundant-action'), []);
});

test('in a Deny or NotAction statement the message says what the statement does', () => {
  const deny = JSON.stringify({ Statement: [{ Effect: 'Deny', Action: ['s3:*', 's3:DeleteBucket'], Resource: '*' }] });
  assert.match(diagnostics(deny, 'redundant-action')[0]!.message as string, /already denies it\.$/);
  const not = statement({ NotAction: ['iam:*', 'iam:PassRole'] });
  assert.match(diagnostics(not, 'redundant-action')[0]!.message as string, /already excludes it\.$/);
});

test('the removal fix leaves the list without the entry, and the unused-action diagnostic of the rest stands', () => {
  const service = setUp();
  const text = policy(['s3:Get*', 's3:GetObject', 'sqs:SendMessage']);
  const document = doc('/ws/policy.json', text);
  const all = service.validate(document).diagnostics;
  assert.equal(all.filter((d) => d.code === 'unused-action').length, 1);
  const redundant = all.find((d) => d.code === 'redundant-action')!;
  const state = service.analyze(document)!;
  const actions = service.codeActions(state, 0, { diagnostics: [redundant], only: ['quickfix'] }, { documentChanges: true });
  assert.deepEqual(actions.map((a) => a.title), ['Remove the redundant s3:GetObject']);
  assert.equal(applied(text, actions[0]!), policy(['s3:Get*', 'sqs:SendMessage']));
});

test('Version: missing or old only matters where policy variables are used', () => {
  const variable = { Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } } };
  assert.equal(diagnostics(statement(variable), 'invalid-version').length, 1);
  const old = statement(variable, '2008-10-17');
  assert.deepEqual(diagnostics(old, 'invalid-version').map((d) => d.range), [rangeOf(old, '"2008-10-17"')]);
  assert.deepEqual(diagnostics(statement(variable, '2012-10-17'), 'invalid-version'), []);
  assert.deepEqual(diagnostics(statement({ Action: 's3:ListBucket' }), 'invalid-version'), []);
  const special = statement({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b/${*}' }, '2008-10-17');
  assert.equal(diagnostics(special, 'invalid-version').length, 1);
});
