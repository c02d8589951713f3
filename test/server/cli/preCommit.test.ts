import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../../support/catalog';
import { runCli, workspace } from '../../support/cli';
import { read, templatesRepo } from './codeScanning';

// .pre-commit-hooks.yaml: the hook's own command line, run here on the files it selects (always);
// and the hook run by the pre-commit tool itself (when it is installed).

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  exclude?: string;
  args?: string[];
  require_serial?: boolean;
}

const hooks = (): Hook[] => parse(readFileSync(join(repoRoot(), '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

/** A CloudFormation template in JSON under the `.template` name CloudFormation's console gives it: a policy of the reports role. */
const LEGACY_TEMPLATE = `${JSON.stringify({
  Resources: {
    LegacyPolicy: {
      Type: 'AWS::IAM::RolePolicy',
      Properties: {
        RoleName: 'orders-reports-role',
        PolicyName: 'legacy',
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }] },
      },
    },
  },
}, null, 2)}\n`;

/** The template repository with what a real repository also holds, none of which the hook should read. */
function hookRepo(): string {
  return templatesRepo({
    'legacy/reports.template': LEGACY_TEMPLATE,
    'package.json': '{"name": "orders", "private": true}\n',
    'tsconfig.json': '{"compilerOptions": {"strict": true}}\n',
    'README.md': '# Orders\n',
  });
}

function filesOf(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === '.git') return [];
    return statSync(path).isDirectory() ? filesOf(root, path) : [relative(root, path).split('\\').join('/')];
  }).sort();
}

/** The files pre-commit passes the hook: those its `files` matches and its `exclude` does not (Python regexes, here JS-compatible). */
function selected(hook: Hook, files: readonly string[]): string[] {
  const include = new RegExp(hook.files);
  const exclude = hook.exclude ? new RegExp(hook.exclude) : undefined;
  return files.filter((f) => include.test(f) && !exclude?.test(f));
}

test('the hook: iam-refine on policy files, templates and Terraform; findings files and Node\'s JSON passed over', () => {
  const [hook, ...others] = hooks();
  assert.equal(others.length, 0);
  assert.equal(hook!.id, 'iam-refine');
  assert.equal(hook!.entry.split(/\s+/)[0], 'iam-refine');
  assert.equal(hook!.require_serial, true);
  assert.deepEqual(selected(hook!, filesOf(hookRepo())), [
    'cfn/stack.json', 'cfn/stack.yaml', 'legacy/reports.template', 'sam-app/template.yaml', 'terraform/iam.tf', 'terraform/main.tf',
  ]);
  assert.deepEqual(selected(hook!, ['a/b.yml', 'policy.jsonc', 'x.unused-access.json', 'deep/package-lock.json', 'tsconfig.build.json']),
    ['a/b.yml', 'policy.jsonc']);
});

test('the hook\'s exact command line on the staged files: fails with the diff while something can be refined, passes after', () => {
  const [hook] = hooks();
  const root = hookRepo();
  const files = selected(hook!, filesOf(root));
  // `iam-refine` is the package's bin, as an install puts it on PATH.
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { bin: Record<string, string> };
  const [command, ...entryArgs] = hook!.entry.split(/\s+/);
  const run = () => spawnSync(process.execPath, [join(repoRoot(), manifest.bin[command!]!), ...entryArgs, ...hook!.args ?? [], ...files],
    { cwd: root, encoding: 'utf8' });
  const first = run();
  assert.equal(first.status, 1);
  const headers = first.stdout.split('\n').filter((l) => l.startsWith('--- a/'));
  assert.deepEqual(headers, ['--- a/cfn/stack.json', '--- a/cfn/stack.yaml', '--- a/legacy/reports.template', '--- a/sam-app/template.yaml',
    '--- a/terraform/iam.tf', '--- a/terraform/main.tf']);
  assert.match(first.stdout, /^-\s+"s3:PutObject"$/m);
  assert.match(first.stderr, /^legacy\/reports\.template: 1 unused action removed$/m);

  assert.equal(runCli(['--write', ...files], root).status, 0);
  assert.ok(!read(root, 'legacy/reports.template').includes('s3:PutObject'));
  const second = run();
  assert.equal(second.status, 0);
  assert.equal(second.stdout, '');
});

const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
const repoHead = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot(), encoding: 'utf8' });
const skip = preCommit.status !== 0
  ? 'pre-commit is not installed (Debian: apt-get install pre-commit); the test above runs the hook\'s command line itself'
  : repoHead.status !== 0 ? 'the project is not a git checkout, which pre-commit try-repo needs' : false;

test('pre-commit itself runs the hook on the staged files of a repository: fails, then passes once they are refined', { skip }, () => {
  const root = hookRepo();
  // The hook runs the iam-refine on PATH: here the built one.
  const bin = workspace({ 'iam-refine': `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot(), 'dist', 'cli.js')}" "$@"\n` });
  chmodSync(join(bin, 'iam-refine'), 0o755);
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    PRE_COMMIT_HOME: workspace({}),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com',
  };
  const git = (...args: string[]) => assert.equal(spawnSync('git', args, { cwd: root, env, encoding: 'utf8' }).status, 0, args.join(' '));
  rmSync(join(root, '.git'), { recursive: true });
  git('init', '-q');
  git('add', '--all');
  // The hook as committed in this project: --ref names the commit, so that pre-commit reads no uncommitted work.
  const tryRepo = () => spawnSync('pre-commit', ['try-repo', repoRoot(), 'iam-refine', '--ref', repoHead.stdout.trim(), '--verbose'],
    { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  const first = tryRepo();
  assert.equal(first.status, 1, first.stdout + first.stderr);
  assert.match(first.stdout, /^iam-refine \(unused IAM permissions\)\.+Failed$/m);
  assert.match(first.stdout, /^--- a\/legacy\/reports\.template$/m);
  assert.match(first.stdout, /^terraform\/main\.tf: 1 unused statement removed/m);
  assert.ok(!/package\.json|tsconfig|README/.test(first.stdout), 'files the hook does not select are not read');

  assert.equal(runCli(['--write', '--quiet', '.'], root).status, 0);
  assert.equal(runCli(['--write', '--quiet', 'legacy/reports.template'], root).status, 0);
  git('add', '--all');
  const second = tryRepo();
  assert.equal(second.status, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /^iam-refine \(unused IAM permissions\)\.+Passed$/m);
});
