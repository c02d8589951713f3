import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFindings } from '../../../shared/src/findings/parseFindings';

const MB = 1024 * 1024;

test('a 50 MB list of valid entries is read completely', () => {
  const parts: string[] = [];
  let size = 2;
  let actions = 0;
  for (let i = 0; size < 50 * MB; i++) {
    const names = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => `"s3:GetGeneratedAction${i}x${k}"`);
    const entry = `{"serviceNamespace": "s3", "actions": [${names.join(', ')}]}`;
    parts.push(entry);
    size += entry.length + 2;
    actions += names.length;
  }
  const text = `[${parts.join(',\n')}]`;
  assert.ok(text.length >= 50 * MB);
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.format, 'unused-actions-list');
  const [s3] = doc.principals[0]!.services;
  assert.equal(s3!.actions.length, actions);
  assert.deepEqual(s3!.actions.at(-1), {
    name: `GetGeneratedAction${parts.length - 1}x7`,
    span: { offset: text.lastIndexOf('"s3:'), length: `"s3:GetGeneratedAction${parts.length - 1}x7"`.length },
  });
});

test('a 50 MB action name is refused with a short message', () => {
  const name = `GetObject${'a'.repeat(50 * MB)} `;
  const text = `[{"serviceNamespace": "s3", "actions": ["${name}"]}]`;
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [
    {
      severity: 'error',
      code: 'findings-action',
      message: `"GetObject${'a'.repeat(48)}…" is not an action name: only letters, digits, - and _ may appear`,
      span: { offset: text.indexOf('"GetObject'), length: name.length + 2 },
      path: [0, 'actions', 0],
    },
  ]);
  assert.deepEqual(doc.principals, [{ services: [] }]);
});

test('50 MB of text that is not JSON yields a few errors, not millions', () => {
  // One line of garbage is one error, however long.
  const line = 'x '.repeat(25 * MB);
  const [garbage, end, ...rest] = parseFindings(line).problems;
  assert.deepEqual(rest, []);
  assert.deepEqual(garbage!.span, { offset: 0, length: 50 * MB - 1 });
  assert.match(garbage!.message, /^Unexpected "x x x .*…"; expected a JSON value \(strings need double quotes\)$/);
  assert.equal(end!.message, 'The text ends too early: expected a value');
  // A line each: the first 50 are listed, the rest counted.
  const lines = 'x\n'.repeat(25 * MB);
  const problems = parseFindings(lines).problems;
  assert.equal(problems.length, 51);
  assert.deepEqual(problems[0], {
    severity: 'error',
    code: 'findings-json',
    message: 'Unexpected "x"; expected a JSON value (strings need double quotes)',
    span: { offset: 0, length: 1 },
  });
  assert.deepEqual(problems[49]!.span, { offset: 98, length: 1 });
  assert.equal(problems[50]!.message, `${25 * MB + 1 - 50} more syntax errors after this point were not listed`);
});

test('hostile nesting is refused before parsing, at the first bracket too deep', () => {
  assert.deepEqual(parseFindings('['.repeat(100_000)), {
    format: 'empty',
    principals: [],
    problems: [
      {
        severity: 'error',
        code: 'findings-too-deep',
        message: 'Nesting deeper than 256 levels: this is not a findings file',
        span: { offset: 256, length: 1 },
      },
    ],
  });
  const objects = '{"a": '.repeat(1_000_000);
  assert.deepEqual(parseFindings(objects).problems.map((p) => [p.code, p.span]), [
    ['findings-too-deep', { offset: 256 * '{"a": '.length, length: 1 }],
  ]);
});

test('nesting up to the limit is fine, and brackets in strings and comments do not count', () => {
  const deep = `${'['.repeat(250)}${']'.repeat(250)}`;
  const extra = `[{"serviceNamespace": "s3", "extra": ${deep}, "note": "${'['.repeat(1000)}"}] // ${'{'.repeat(1000)}`;
  const doc = parseFindings(extra);
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.principals[0]!.services.map((s) => [s.service, s.whole]), [['s3', true]]);
  assert.equal(parseFindings(deep).problems[0]!.code, 'findings-shape');
});
