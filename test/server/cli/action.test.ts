import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../../support/catalog';
import { workspace } from '../../support/cli';
import { read, type SarifLog, templatesRepo } from './codeScanning';

// action.yml, the composite GitHub Action: its steps' scripts run here as GitHub runs them (bash -e
// -o pipefail), with the inputs in the environment variables the step maps them to.

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  'working-directory'?: string;
}

interface Action {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = (): Action => parse(readFileSync(join(repoRoot(), 'action.yml'), 'utf8')) as Action;
const step = (name: string): Step => action().runs.steps.find((s) => s.name === name)!;

/** Runs a step's script with its inputs; returns its status, what it printed, and what it wrote to GITHUB_OUTPUT. */
function runStep(s: Step, cwd: string, inputs: Record<string, string>) {
  const output = join(workspace({ 'output.txt': '' }), 'output.txt');
  const env: Record<string, string> = { ...process.env as Record<string, string>, GITHUB_OUTPUT: output };
  // Each env entry is an input (`${{ inputs.name }}`) or the action's path, which is this checkout.
  for (const [key, value] of Object.entries(s.env ?? {})) {
    const input = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value);
    if (input) env[key] = inputs[input[1]!] ?? action().inputs[input[1]!]!.default ?? '';
    else if (value.startsWith('${{ github.action_path }}')) env[key] = value.replace('${{ github.action_path }}', repoRoot());
    else if (value.startsWith('${{ steps.')) env[key] = inputs[key] ?? '';
    else throw new Error(`unexpected env ${key}: ${value}`);
  }
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run!], { cwd, env, encoding: 'utf8' });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs: outputs as Record<string, string> };
}

test('action.yml: a composite action with inputs for paths, findings, format and fail-on; the scripts read inputs only from env', () => {
  const { inputs, runs, outputs } = action();
  assert.equal(runs.using, 'composite');
  for (const name of ['paths', 'findings', 'format', 'fail-on', 'sarif-file', 'upload-sarif']) assert.ok(inputs[name]?.description, name);
  assert.equal(inputs.format!.default, 'github');
  assert.equal(inputs['fail-on']!.default, 'refinements');
  assert.equal(outputs['exit-code']!.value, '${{ steps.refine.outputs.exit-code }}');
  // An expression inside a script would be pasted into it by GitHub, unquoted: they go through env only.
  for (const s of runs.steps) if (s.run) assert.ok(!s.run.includes('${{'), s.name);
  const upload = step('Upload SARIF to code scanning');
  assert.match(upload.uses!, /^github\/codeql-action\/upload-sarif@v\d+$/);
  assert.equal(upload.if, '${{ always() && inputs.upload-sarif == \'true\' && inputs.format == \'sarif\' }}');
  assert.equal(upload.with!.sarif_file, '${{ inputs.working-directory }}/${{ inputs.sarif-file }}');
  // The upload comes before the step that fails the job.
  assert.deepEqual(runs.steps.map((s) => s.name),
    ['Build iam-refine', 'Run iam-refine', 'Upload SARIF to code scanning', 'Fail as --fail-on says']);
});

test('format sarif: the log is written to sarif-file; the exit status waits in an output for the last step', () => {
  const root = templatesRepo();
  const run = runStep(step('Run iam-refine'), root, { format: 'sarif', 'sarif-file': 'iam.sarif' });
  assert.equal(run.status, 0);
  assert.deepEqual(run.outputs, { 'sarif-file': 'iam.sarif', 'exit-code': '1' });
  const log = JSON.parse(read(root, 'iam.sarif')) as SarifLog;
  assert.equal(log.runs[0]!.results.length, 25);

  const fail = step('Fail as --fail-on says');
  assert.equal(runStep(fail, root, { EXIT_CODE: '1' }).status, 1);
  assert.equal(runStep(fail, root, { EXIT_CODE: '0' }).status, 0);
});

test('format github with paths, findings and fail-on: annotations, and the status --fail-on gives', () => {
  const root = templatesRepo();
  const inputs = { paths: 'cfn/stack.yaml\nterraform/iam.tf', findings: 'account.unused-access.json\n' };
  const run = runStep(step('Run iam-refine'), root, inputs);
  assert.equal(run.status, 0);
  assert.equal(run.outputs['exit-code'], '1');
  const files = new Set(run.stdout.split('\n').filter(Boolean).map((l) => /file=([^,]*)/.exec(l)![1]));
  assert.deepEqual([...files], ['cfn/stack.yaml', 'terraform/iam.tf']);
  assert.ok(run.stdout.startsWith('::notice file=cfn/stack.yaml,line=38,col=21,'), run.stdout);

  const reportOnly = runStep(step('Run iam-refine'), root, { ...inputs, 'fail-on': 'none' });
  assert.equal(reportOnly.outputs['exit-code'], '0');
  assert.equal(reportOnly.stdout, run.stdout);
  // Every input reaches the command line: a findings file that names no role here leaves nothing to refine.
  const other = runStep(step('Run iam-refine'), root, { paths: 'cfn/stack.yaml', findings: 'sam-app/orders.unused-access.json' });
  assert.equal(other.outputs['exit-code'], '0');
  assert.match(other.stderr, /cfn\/stack\.yaml: no findings file applies to this policy/);
});
