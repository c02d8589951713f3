import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, workspace } from '../../support/cli';
import { runSarif, templatesRepo } from './codeScanning';

// --fail-on: what makes the exit status nonzero. `refinements` (the default) is the status
// iam-refine always had; `errors` fails only for errors; `none` reports and never fails.

const FINDINGS = '[{"serviceNamespace": "lambda", "actions": ["AddPermission"]}]';
const policy = (actions: string[]): string => `${JSON.stringify({ Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] })}\n`;

test('refinements found: 1 by default and with --fail-on refinements, 0 with none and with errors, the same report each time', () => {
  const root = templatesRepo();
  const results = (args: string[]) => {
    const run = runSarif([...args, '.'], root);
    return [run.status, run.log.runs[0]!.results.length];
  };
  assert.deepEqual(results([]), [1, 25]);
  assert.deepEqual(results(['--fail-on', 'refinements']), [1, 25]);
  assert.deepEqual(results(['--fail-on', 'none']), [0, 25]);
  assert.deepEqual(results(['--fail-on=errors']), [0, 25]);
  // Not only for the code-scanning formats: a diff in report-only mode.
  const diff = runCli(['--fail-on', 'none', 'sam-app/template.yaml'], root);
  assert.equal(diff.status, 0);
  assert.match(diff.stdout, /^--- a\/sam-app\/template\.yaml\n/);
});

test('errors: a malformed action or a syntax error fails --fail-on errors with 2; --fail-on none still exits 0', () => {
  const root = workspace({
    '.git/': '',
    'unused-access.json': FINDINGS,
    'malformed.json': policy(['s3 GetObject', 'lambda:Invoke*']),
    'refinable.json': policy(['lambda:AddPermission', 'lambda:Invoke*']),
    'broken.json': '{"Statement": [{"Effect": "Allow", "Action": ["lambda:AddPermission" "s3:GetObject"]}]}\n',
    'clean.json': policy(['lambda:Invoke*']),
  });
  const status = (...args: string[]) => runCli(['--format', 'github', ...args], root).status;
  // A malformed action is an error, but not bad input: by default the status is still about refinements, as it always was.
  assert.equal(status('malformed.json'), 0);
  assert.equal(status('--fail-on', 'errors', 'malformed.json'), 2);
  assert.equal(status('--fail-on', 'none', 'malformed.json'), 0);
  assert.equal(status('--fail-on', 'errors', 'refinable.json'), 0);
  assert.equal(status('refinable.json'), 1);
  assert.equal(status('broken.json'), 2);
  assert.equal(status('--fail-on', 'errors', 'broken.json'), 2);
  assert.equal(status('--fail-on', 'none', 'broken.json', 'missing.json'), 0);
  assert.equal(status('--fail-on', 'errors', 'clean.json', 'missing.json'), 2);
  assert.equal(status('--fail-on', 'errors', 'clean.json'), 0);
});

test('with --write: none never fails; errors fails only for errors', () => {
  const dir = workspace({ '.git/': '', 'unused-access.json': FINDINGS, 'detach.json': policy(['lambda:AddPermission']) });
  // Every action unused: left for a person to detach, which is status 1 with the default.
  assert.equal(runCli(['--write', 'detach.json'], dir).status, 1);
  assert.equal(runCli(['--write', '--fail-on', 'none', 'detach.json'], dir).status, 0);
  assert.equal(runCli(['--write', '--fail-on', 'errors', 'detach.json'], dir).status, 0);
});

test('usage: --format and --fail-on take one of their values; a usage error is 2 even with --fail-on none', () => {
  const usage = (...args: string[]) => {
    const result = runCli(args);
    return [result.status, result.stderr.split('\n')[0]];
  };
  assert.deepEqual(usage('--format', 'xml', 'x.json'), [2, 'iam-refine: --format takes one of diff, json, sarif, github, not "xml"']);
  assert.deepEqual(usage('--fail-on', 'sometimes', 'x.json'),
    [2, 'iam-refine: --fail-on takes one of none, refinements, errors, not "sometimes"']);
  assert.deepEqual(usage('--fail-on', 'none', '--bogus', 'x.json'), [2, 'iam-refine: unknown option --bogus']);
  assert.deepEqual(usage('--write', '--format', 'sarif', 'x.json'),
    [2, 'iam-refine: choose one of --diff, --write, --json and --format, not --write and --format sarif']);
  assert.deepEqual(usage('--format', 'sarif'), [2, 'iam-refine: no policy given']);
  const help = runCli(['--help']).stdout;
  for (const text of ['--format FORMAT', '--fail-on WHAT', 'sarif', 'github']) assert.ok(help.includes(text), text);
});
