import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction } from 'vscode-languageserver';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { applied, doc, findings, offsetOf, policy, serviceOver, uri } from '../../support/service';

// Code actions in-process: none on a text that does not parse, the same edits whether they come
// with the action or on resolve, and edits in the shape the client asked for.

const TEXT = policy(['s3:GetObject', 's3:GetBucketAcl', 's3:GetBucketPolicy*']);
const FINDINGS = findings({ s3: ['GetBucketAcl', 'GetBucketPolicyStatus'] });
const setUp = () => serviceOver(memoryFileSystem({ '/ws/unused-access.json': FINDINGS }), ['/ws']);
const summary = (a: CodeAction) => [a.title, a.kind, a.isPreferred ?? false];
const TITLES = [
  ['Remove unused action s3:GetBucketAcl', 'quickfix', true],
  ['Refine this statement: 1 unused action removed, 1 wildcard narrowed (1 unused action excluded)', 'refactor.rewrite', false],
  ['Refine the whole policy: 1 unused action removed, 1 wildcard narrowed (1 unused action excluded) (119 of 6,144 characters)',
    'refactor.rewrite', false],
];

test('a policy whose JSON does not parse gets its diagnostics, each saying why it has no fix, and no code action', () => {
  const service = setUp();
  // A comma missing after the Action list: the editor reports that itself; the actions are still read.
  const broken = TEXT.replace('  ],\n      "Resource"', '  ]\n      "Resource"');
  assert.notEqual(broken, TEXT);
  const document = doc('/ws/policy.json', broken);
  const { diagnostics } = service.validate(document);
  const fixFirst = ' No fix is offered until the syntax error on line 11 is fixed.';
  assert.deepEqual(diagnostics.map((d) => [d.code, d.message]), [
    ['unused-action', `Unused action s3:GetBucketAcl: never used in the tracking period.${fixFirst}`],
    ['overbroad-wildcard', `s3:GetBucketPolicy* allows 1 unused action (of 2).${fixFirst}`],
  ]);
  const state = service.analyze(document)!;
  assert.equal(service.documentSummary(state).syntaxError, 'line 11');
  const offset = offsetOf(broken, 's3:GetBucketAcl');
  assert.deepEqual(service.codeActions(state, offset, { diagnostics }, { documentChanges: true }), []);
  assert.deepEqual(service.codeActions(state, offset, { diagnostics, only: ['source'] }, { documentChanges: true }), []);
  // The same text with its comma: the same diagnostics, and actions this time.
  const fixed = doc('/ws/policy.json', TEXT, 2);
  const current = service.validate(fixed).diagnostics;
  assert.deepEqual(current.map((d) => d.message), [
    'Unused action s3:GetBucketAcl: never used in the tracking period.', 's3:GetBucketPolicy* allows 1 unused action (of 2).',
  ]);
  assert.deepEqual(service.codeActions(service.analyze(fixed)!, offset, { diagnostics: current.slice(0, 1) }, { documentChanges: true })
    .map(summary), TITLES);
});

test('a client that resolves gets titles only; each resolves to exactly the edit sent to a client that does not', () => {
  const service = setUp();
  const document = doc('/ws/policy.json', TEXT);
  const { diagnostics } = service.validate(document);
  const state = service.analyze(document)!;
  const offset = offsetOf(TEXT, 's3:GetBucketAcl');
  const context = { diagnostics: diagnostics.slice(0, 1) };
  const eager = service.codeActions(state, offset, context, { documentChanges: true });
  const lazy = service.codeActions(state, offset, context, { documentChanges: true, resolveEdits: true });
  assert.deepEqual(eager.map(summary), TITLES);
  assert.deepEqual(lazy.map(summary), TITLES);
  assert.deepEqual(lazy.map((a) => a.edit), [undefined, undefined, undefined]);
  lazy.forEach((action, i) => {
    const resolved = service.resolveCodeAction(state, action, { documentChanges: true, resolveEdits: true });
    assert.equal(resolved.title, action.title);
    assert.deepEqual(resolved.edit, eager[i]!.edit, action.title);
  });
  assert.equal(applied(TEXT, eager[0]!), policy(['s3:GetObject', 's3:GetBucketPolicy*']));
});

test('an action resolved against another version of the document comes back without an edit', () => {
  const service = setUp();
  const document = doc('/ws/policy.json', TEXT);
  const state = service.analyze(document)!;
  const client = { documentChanges: true, resolveEdits: true };
  const [fixAll] = service.codeActions(state, 0, { diagnostics: [], only: ['source.fixAll'] }, client);
  assert.ok(fixAll);
  const newer = service.analyze(doc('/ws/policy.json', TEXT, 2))!;
  assert.deepEqual(service.resolveCodeAction(newer, fixAll, client), fixAll);
  assert.equal(service.resolveCodeAction(newer, fixAll, client).edit, undefined);
  // Against its own version, the same action gets its edit.
  assert.notEqual(service.resolveCodeAction(state, fixAll, client).edit, undefined);
});

test('a client without documentChanges gets a changes map, which gives the same text', () => {
  const service = setUp();
  const document = doc('/ws/policy.json', TEXT);
  const state = service.analyze(document)!;
  const only = { diagnostics: [], only: ['source.fixAll'] };
  const [versioned] = service.codeActions(state, 0, only, { documentChanges: true });
  const [plain] = service.codeActions(state, 0, only, { documentChanges: false });
  assert.deepEqual(Object.keys(plain?.edit ?? {}), ['changes']);
  assert.deepEqual(Object.keys(plain!.edit!.changes!), [uri('/ws/policy.json')]);
  assert.equal(applied(TEXT, plain!), applied(TEXT, versioned!));
  const refined = applied(TEXT, plain!);
  assert.equal(refined, policy(['s3:GetObject', 's3:GetBucketPolicy']));
  // The size the titles state is IAM's count: every character but white space outside strings.
  assert.equal(JSON.stringify(JSON.parse(refined)).length, 119);
});
