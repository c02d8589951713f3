import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { testCatalog } from '../../support/catalog';
import { runCli, workspace } from '../../support/cli';
import { Universe, listOf } from '../../oracle/expand';

// `--style` and `--limit`: the form a refinement is written in, the limit it is held to, and the
// error (with file:line:column) when even the compact form does not fit.

const catalog = testCatalog();
const universe = Universe.fromCatalog(catalog);
const every = (service: string, n: number): string[] => catalog.actions(service).map((a) => a.name).filter((_, i) => i % n === 0);
const POLICY = `${JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] }, null, 2)}\n`;
const jsonSize = (text: string): number => JSON.stringify(JSON.parse(text)).length;
const n = (value: number): string => value.toLocaleString('en-US');

function setUp(unused: string[]): string {
  return workspace({
    '.git/': '',
    'policy.json': POLICY,
    'unused-access.json': JSON.stringify([{ serviceNamespace: 'ec2', actions: unused }]),
  });
}

/** Writes the refinement and reads it back: the text, its size, and what it allows by the oracle. */
function written(root: string, args: string[]): { status: number | null; stderr: string; text: string } {
  const result = runCli(['policy.json', '--write', ...args], root);
  return { status: result.status, stderr: result.stderr, text: readFileSync(join(root, 'policy.json'), 'utf8') };
}

function allowed(text: string): Set<string> {
  return universe.matchesAny((JSON.parse(text) as { Statement: { Action: unknown }[] }).Statement.flatMap((s) => listOf(s.Action)));
}

test('auto (the default): the compact form when words would be over 6,144 characters; the same actions either way', () => {
  const unused = every('ec2', 5);
  const auto = setUp(unused);
  const compact = written(auto, []);
  assert.equal(compact.status, 0);
  assert.equal(compact.stderr, 'policy.json: 1 wildcard narrowed (166 unused actions excluded) (written)\n');
  assert.ok(jsonSize(compact.text) <= 6144, `${jsonSize(compact.text)}`);
  const words = setUp(unused);
  const wordsRun = written(words, ['--style', 'words']);
  const size = jsonSize(wordsRun.text);
  assert.ok(size > 6144);
  assert.deepEqual(allowed(wordsRun.text), allowed(compact.text));
  const statement = jsonSize(JSON.stringify((JSON.parse(wordsRun.text) as { Statement: unknown[] }).Statement[0]));
  assert.equal(wordsRun.stderr, `policy.json:3:16: error: Refined, this policy would have ${n(size)} characters: ${n(size - 6144)} over `
    + `the 6,144 allowed for a managed policy (assumed: nothing says where it goes). Largest statements: statement 1 (${n(statement)} `
    + 'characters). Split the statements over more policies.\n'
    + 'policy.json: 1 wildcard narrowed (166 unused actions excluded) (written)\n');
  // Written all the same: the refinement is offered, the error says it needs splitting.
  assert.equal(wordsRun.status, 0);
});

test('--limit names the kind of a standalone policy; the diff shows the compact patterns; --fail-on errors fails over the limit', () => {
  const root = setUp(every('ec2', 3));
  // A role's inline policies may have 10,240 characters: the compact form fits.
  const role = runCli(['policy.json', '--limit', 'role'], root);
  assert.equal(role.status, 1);
  assert.equal(role.stderr, 'policy.json: 1 wildcard narrowed (276 unused actions excluded)\n');
  assert.match(role.stdout, /^\+ {8}"ec2:[A-Za-z?]*\*[A-Za-z]+",$/m);
  // A user's, 2,048: it does not.
  const user = runCli(['policy.json', '--limit', 'user', '--fail-on', 'errors'], root);
  assert.equal(user.status, 2);
  assert.match(user.stderr,
    /^policy\.json:3:16: error: Refined, this policy would have [\d,]+ characters even in the compact form: [\d,]+ over /);
  assert.match(user.stderr, / the 2,048 allowed for a user's inline policies together \(assumed: nothing says where it goes\)\. /);
  assert.equal(user.stdout, role.stdout);
});

test('--style compact writes the compact form even where words fit; a bad --style or --limit is a usage error', () => {
  const small = workspace({
    '.git/': '',
    'policy.json': POLICY.replace('ec2:*', 's3:*'),
    'unused-access.json': JSON.stringify([{ serviceNamespace: 's3', actions: every('s3', 3) }]),
  });
  const before = readFileSync(join(small, 'policy.json'), 'utf8');
  const compact = written(small, ['--style', 'compact']);
  assert.equal(compact.status, 0);
  const actions = listOf((JSON.parse(compact.text) as { Statement: { Action: unknown }[] }).Statement[0]!.Action);
  assert.ok(actions.some((a) => /\*[A-Za-z]/.test(a) || a.includes('?')), JSON.stringify(actions));
  assert.notEqual(compact.text, before);
  const bad = [['--style', 'short', 'auto, words, compact'], ['--limit', 'inline', 'managed, role, user, group']];
  for (const [flag, value, allowedValues] of bad) {
    const run = runCli(['policy.json', flag!, value!], small);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, `iam-refine: ${flag} takes one of ${allowedValues}, not "${value}"\nRun "iam-refine --help" for usage.\n`);
  }
});
