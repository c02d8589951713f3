import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePolicyText, parsePolicyFile } from '../../../shared/src/formats/json/jsonSource';
import { refinerFor, refineText } from '../../support/engine';

test('a policy is recognised by shape wherever it sits, other JSON is not a policy', () => {
  assert.equal(parsePolicyFile('{"name": "x", "version": "1.0.0", "scripts": {}}').policies.length, 0);
  assert.equal(parsePolicyFile('{"compilerOptions": {"strict": true}}').policies.length, 0);
  assert.equal(parsePolicyFile('{"Statement": "nope"}').policies.length, 0);
  assert.equal(parsePolicyFile('[{"serviceNamespace": "s3", "actions": ["GetObject"]}]').policies.length, 0);
  // `aws iam get-policy-version` output: the document sits under PolicyVersion.Document.
  const nested = '{"PolicyVersion": {"Document": {"Version": "2012-10-17", "Statement": ['
    + '{"Effect": "Allow", "Action": "lambda:AddPermission", "Resource": "*"}, '
    + '{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}'
    + ']}, "VersionId": "v1"}}';
  assert.equal(parsePolicyFile(nested).policies.length, 1);
  assert.equal(refineText(nested, { lambda: ['AddPermission'] }),
    '{"PolicyVersion": {"Document": {"Version": "2012-10-17", "Statement": ['
      + '{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}'
      + ']}, "VersionId": "v1"}}');
});

test('every action string keeps its exact source range', () => {
  const text = '{\n  "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "lambda:Invoke*"]}]\n}';
  const statement = parsePolicyFile(text).policies[0]!.statements[0]!;
  assert.deepEqual(statement.entries.map((e) => [e.value, e.span.offset, e.span.length]), [
    ['s3:Get*', text.indexOf('"s3:Get*"'), 9],
    ['lambda:Invoke*', text.indexOf('"lambda:Invoke*"'), 16],
  ]);
});

test('malformed actions and statements are located; their statements are never removed', () => {
  const text = '{"Statement": ['
    + '{"Effect": "Allow", "Action": ["lambda:AddPermission", "GetObject", 42]}, '
    + '{"Effect": "Maybe", "Action": "s3:ListBucket"}, '
    + '{"Action": "s3:ListBucket"}, '
    + '{"Effect": "Allow", "Action": [], "NotAction": "iam:*"}, '
    + '{"Effect": "Allow"}'
    + ']}';
  const analysis = analyzePolicyText(text, refinerFor({ lambda: ['AddPermission'] }));
  assert.deepEqual(analysis.problems.map((p) => [p.code, p.message, text.slice(p.span.offset, p.span.offset + p.span.length)]), [
    ['malformed-action', 'Action "GetObject" has no service prefix: expected "service:action".', '"GetObject"'],
    ['malformed-action', 'An entry of "Action" must be a string, found number.', '42'],
    ['malformed-statement', '"Effect" must be "Allow" or "Deny".', '"Maybe"'],
    ['malformed-statement', 'Statement has no "Effect".', '{'],
    ['malformed-statement', 'A statement may have "Action" or "NotAction", not both.', '"NotAction"'],
    ['malformed-statement', 'Statement has neither "Action" nor "NotAction".', '{'],
  ]);
  // The valid unused entry goes; the invalid ones stay for the user to fix.
  assert.equal(refineText(text, { lambda: ['AddPermission'] }), text.replace('"lambda:AddPermission", ', ''));
});

test('JSON syntax errors are reported with their position, and the text is not edited', () => {
  const text = '{"Statement": [{"Effect": "Allow", "Action": ["lambda:AddPermission" "s3:ListBucket"]}]';
  const analysis = analyzePolicyText(text, refinerFor({ lambda: ['AddPermission'] }));
  assert.deepEqual(analysis.edits, []);
  assert.deepEqual(analysis.problems.filter((p) => p.code === 'json-syntax').map((p) => [p.message, p.span.offset]), [
    ['Expected a comma.', text.indexOf('"s3:ListBucket"')],
    ['Expected a closing brace "}".', text.length],
  ]);
  // Half-typed documents still give what can be known.
  assert.equal(analysis.refinements[0]!.statements[0]!.entries[0]!.unused.length, 1);
});

test('hostile nesting is an error, not a crash', () => {
  const text = '['.repeat(100000) + ']'.repeat(100000);
  const file = parsePolicyFile(text);
  assert.equal(file.policies.length, 0);
  assert.ok(file.syntaxErrors.length <= 1);
});
