import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FindingsDocument } from '../../../shared/src/findings/model';
import { parseFindings } from '../../../shared/src/findings/parseFindings';
import { testCatalog } from '../../support/catalog';
import { runCli } from '../../support/cli';
import { fetchIn } from '../../support/fakeAws/run';
import { type World, roleArn, unusedPermissions, userArn } from '../../support/fakeAws/world';

const ACCOUNT = '111122223333';
const ANALYZER = `arn:aws:access-analyzer:eu-west-1:${ACCOUNT}:analyzer/unused-access`;

const policy = (actions: string[]): string =>
  `${JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }, null, 2)}\n`;

/** Refines `policy.json` in `dir` in place with the findings files found there; returns the actions left. */
function refinedActions(dir: string, actions: string[]): { actions: string[]; stderr: string } {
  writeFileSync(join(dir, 'policy.json'), policy(actions));
  const result = runCli(['--write', 'policy.json'], dir);
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  const written = JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8')) as { Statement: { Action: string[] }[] };
  return { actions: written.Statement.flatMap((s) => s.Action), stderr: result.stderr };
}

function readBack(dir: string, name: string): FindingsDocument {
  return parseFindings(readFileSync(join(dir, name), 'utf8'));
}

/** Only the file the fetch wrote and what the test put there: no temporary file is left behind. */
function filesIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => f !== '.git').sort();
}

const analyzers: World['analyzers'] = [
  { name: 'external', type: 'ACCOUNT' },
  { name: 'old', type: 'ACCOUNT_UNUSED_ACCESS', status: 'DISABLED' },
  { name: 'unused-access', type: 'ACCOUNT_UNUSED_ACCESS' },
];

test('a role by name: every page of its findings and their details, and AWS\'s recommendation, in one file the refiner reads', async () => {
  const world: World = { account: ACCOUNT, roles: [{ name: 'app', path: '/service-role/' }, { name: 'other' }], analyzers, pageSize: 1 };
  const app = roleArn(world, 'app');
  const recommended = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
  Object.assign(world, {
    findings: [
      { id: 'f-other', resource: roleArn(world, 'other'), details: unusedPermissions({ s3: ['GetObject'] }) },
      { id: 'f-s3', resource: app, details: unusedPermissions({ s3: ['PutObject', 'DeleteObject'], lambda: ['AddPermission'] }) },
      { id: 'f-archived', resource: app, status: 'ARCHIVED', details: unusedPermissions({ s3: ['GetObject'] }) },
      { id: 'f-sqs', resource: app, details: unusedPermissions({ sqs: [] }) },
    ],
    recommendations: {
      'f-s3': { inProgress: 2, steps: [
        { recommendedAction: 'CREATE_POLICY', existingPolicyId: `arn:aws:iam::${ACCOUNT}:policy/app-data`, recommendedPolicy: recommended,
          policyUpdatedAt: '2025-02-01T00:00:00.000Z' },
        { recommendedAction: 'DETACH_POLICY', existingPolicyId: 'app-queue' },
      ] },
    },
  });
  const { result, aws, dir } = await fetchIn(world, ['app']);
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, `wrote app.unused-access.json: 2 findings for ${app}\n`);
  assert.equal(result.status, 0);
  assert.deepEqual(filesIn(dir), ['app.unused-access.json']);

  const list = aws.requests.filter((r) => r.operation === 'ListFindingsV2');
  assert.deepEqual(list[0]!.params, { analyzerArn: ANALYZER, filter: { resource: { eq: [app] }, status: { eq: ['ACTIVE'] } } });
  assert.equal(list.length, 2, 'two active findings of app, one per page');
  const reads = (operation: string, id: string) => aws.requests.filter((r) => r.operation === operation && r.params['id'] === id).length;
  assert.equal(reads('GetFindingV2', 'f-s3'), 2, 'one page per detail entry: s3, then lambda');
  assert.equal(reads('GenerateFindingRecommendation', 'f-s3'), 1);
  assert.equal(reads('GetFindingRecommendation', 'f-s3'), 4, 'IN_PROGRESS twice, then two pages of steps');
  assert.ok(aws.requests.every((r) => r.accessKeyId === 'AKIAFAKEFETCHTEST'), 'signed with the environment\'s keys');

  const document = readBack(dir, 'app.unused-access.json');
  assert.deepEqual(document.problems, []);
  const { span: _span, principals: fetched, fetchedAt, ...header } = document.fetched!;
  assert.deepEqual(header, { source: 'access-analyzer', account: ACCOUNT, region: 'eu-west-1', analyzer: ANALYZER });
  assert.ok(Date.now() - Date.parse(fetchedAt!) < 60_000);
  assert.deepEqual(fetched.map(({ span: _s, ...p }) => p), [{ arn: app, findings: 2 }]);
  const [principal] = document.principals;
  assert.equal(principal!.resource, app);
  assert.equal(principal!.analyzedAt, '2025-03-01T10:00:00.000Z');
  assert.deepEqual(principal!.services.map((s) => [s.service, s.whole, s.actions.map((a) => a.name)]), [
    ['s3', false, ['PutObject', 'DeleteObject']], ['lambda', false, ['AddPermission']], ['sqs', true, []],
  ]);
  assert.deepEqual(principal!.recommendations!.map(({ span: _s, ...step }) => step), [
    { action: 'CREATE_POLICY', existingPolicyId: `arn:aws:iam::${ACCOUNT}:policy/app-data`, recommendedPolicy: recommended,
      policyUpdatedAt: '2025-02-01T00:00:00.000Z' },
    { action: 'DETACH_POLICY', existingPolicyId: 'app-queue' },
  ]);

  const refined = refinedActions(dir, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 'lambda:AddPermission', 'lambda:InvokeFunction',
    'sqs:SendMessage']);
  assert.deepEqual(refined.actions, ['s3:GetObject', 'lambda:InvokeFunction']);
});

test('a managed policy stands for its roles and its groups\' users: one file, and the policy keeps what any of them uses', async () => {
  const world: World = {
    account: ACCOUNT, analyzers, pageSize: 1,
    roles: [{ name: 'api' }, { name: 'worker', path: '/jobs/' }], users: [{ name: 'dana', path: '/people/' }],
    groups: [{ name: 'devs', users: ['dana'] }],
    policies: [{ arn: `arn:aws:iam::${ACCOUNT}:policy/shared-s3`, roles: ['api', 'worker'], groups: ['devs'] }],
  };
  Object.assign(world, { findings: [
    { id: 'f-api', resource: roleArn(world, 'api'), details: unusedPermissions({ s3: ['PutObject', 'DeleteObject'], sns: [] }) },
    { id: 'f-worker', resource: roleArn(world, 'worker'), details: unusedPermissions({ s3: ['DeleteObject', 'ListBucket'], sns: [] }) },
    { id: 'f-dana', resource: userArn(world, 'dana'), details: unusedPermissions({ s3: ['DeleteObject', 'GetObject'], sns: ['Publish'] }) },
  ] });
  const policyArn = `arn:aws:iam::${ACCOUNT}:policy/shared-s3`;
  const { result, aws, dir } = await fetchIn(world, [policyArn]);
  assert.deepEqual(result, { status: 0, stdout: `wrote shared-s3.unused-access.json: 3 findings for 3 principals\n`, stderr: '' });
  assert.equal(aws.operations().filter((o) => o === 'iam:ListEntitiesForPolicy').length, 3, 'every page of the policy\'s entities');
  assert.deepEqual(aws.requests.filter((r) => r.operation === 'GetRole').map((r) => r.params['RoleName']), ['api', 'worker']);

  const document = readBack(dir, 'shared-s3.unused-access.json');
  assert.deepEqual(document.problems, []);
  assert.deepEqual(document.fetched!.principals.map(({ span: _s, ...p }) => p), [
    { arn: roleArn(world, 'api'), findings: 1, via: policyArn },
    { arn: `arn:aws:iam::${ACCOUNT}:role/jobs/worker`, findings: 1, via: policyArn },
    { arn: `arn:aws:iam::${ACCOUNT}:user/people/dana`, findings: 1, via: policyArn },
  ]);
  assert.deepEqual(document.principals.map((p) => p.resource), document.fetched!.principals.map((p) => p.arn));
  const refined = refinedActions(dir, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 'sns:Publish', 'sns:Subscribe']);
  assert.deepEqual(refined.actions, ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'sns:Subscribe'],
    'DeleteObject and sns:Publish are what all three leave unused');
});

test('a principal with no findings: the file says so and the fetch succeeds; a policy it shares is not cut', async () => {
  const world: World = { account: ACCOUNT, analyzers, roles: [{ name: 'idle' }, { name: 'busy' }],
    policies: [{ arn: `arn:aws:iam::${ACCOUNT}:policy/common`, roles: ['busy', 'idle'] }] };
  const busy = { id: 'f-busy', resource: roleArn(world, 'busy'), details: unusedPermissions({ s3: ['PutObject'] }) };
  Object.assign(world, { findings: [busy] });

  const alone = await fetchIn(world, ['idle']);
  assert.deepEqual(alone.result, { status: 0, stderr: '', stdout: `wrote idle.unused-access.json: no unused-access findings for `
    + `${roleArn(world, 'idle')}, so nothing will be refined (a principal the analyzer has not analysed yet has none either)\n` });
  const document = readBack(alone.dir, 'idle.unused-access.json');
  assert.deepEqual(document.principals, [{ resource: roleArn(world, 'idle'), services: [] }]);
  const note = `${roleArn(world, 'idle')} has no unused-access findings, so it leaves nothing unused`;
  assert.deepEqual(document.problems.map((p) => p.message), [note]);
  const refined = refinedActions(alone.dir, ['s3:GetObject', 's3:PutObject']);
  assert.deepEqual(refined.actions, ['s3:GetObject', 's3:PutObject']);
  assert.match(refined.stderr, /^idle\.unused-access\.json:\d+:\d+: info: arn:aws:iam::111122223333:role\/idle has no unused-access/);

  const shared = await fetchIn(world, [`arn:aws:iam::${ACCOUNT}:policy/common`]);
  assert.equal(shared.result.stdout, `wrote common.unused-access.json: 1 finding for 2 principals\n`);
  assert.deepEqual(refinedActions(shared.dir, ['s3:GetObject', 's3:PutObject']).actions, ['s3:GetObject', 's3:PutObject'],
    'busy leaves PutObject unused, idle does not');
});

test('a finding of 300 services arrives over several pages, whole: actions of the last page are refined too', async () => {
  const catalog = testCatalog();
  const services = [...catalog.services()].sort().filter((s) => catalog.actionCount(s) >= 2).slice(0, 300);
  assert.equal(services.length, 300);
  const firstAction = (service: string) => catalog.actions(service)[0]!.name;
  const world: World = { account: ACCOUNT, analyzers, roles: [{ name: 'wide' }], pageSize: 100 };
  const spec = Object.fromEntries(services.map((s) => [s, [firstAction(s)]]));
  Object.assign(world, { findings: [{ id: 'f-wide', resource: roleArn(world, 'wide'), details: unusedPermissions(spec) }] });
  const { result, aws, dir } = await fetchIn(world, ['wide']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(aws.requests.filter((r) => r.operation === 'GetFindingV2').length, 3);
  const document = readBack(dir, 'wide.unused-access.json');
  assert.deepEqual(document.problems, []);
  assert.equal(document.principals[0]!.services.length, 300);
  const [first, middle, last] = [services[0]!, services[150]!, services[299]!];
  const second = catalog.actions(last)[1]!.name;
  const refined = refinedActions(dir, [`${first}:${firstAction(first)}`, `${middle}:${firstAction(middle)}`, `${last}:${firstAction(last)}`,
    `${last}:${second}`]);
  assert.deepEqual(refined.actions, [`${last}:${second}`]);
});

test('a throttled answer is retried by the SDK, REST-JSON and Query alike, and the fetch succeeds', async () => {
  const world: World = { account: ACCOUNT, analyzers, roles: [{ name: 'app' }], faults: [
    { operation: 'ListFindingsV2', code: 'ThrottlingException', status: 429, message: 'Rate exceeded', times: 1 },
    { operation: 'GetRole', code: 'Throttling', status: 400, message: 'Rate exceeded', times: 1 },
  ] };
  Object.assign(world, { findings: [{ id: 'f1', resource: roleArn(world, 'app'), details: unusedPermissions({ s3: ['PutObject'] }) }] });
  const { result, aws, dir } = await fetchIn(world, ['app']);
  assert.deepEqual(result, { status: 0, stdout: `wrote app.unused-access.json: 1 finding for ${roleArn(world, 'app')}\n`, stderr: '' });
  assert.deepEqual(aws.requests.filter((r) => r.fault).map((r) => `${r.operation}:${r.fault}`),
    ['GetRole:Throttling', 'ListFindingsV2:ThrottlingException']);
  assert.equal(aws.operations().filter((o) => o === 'access-analyzer:ListFindingsV2').length, 2);
  assert.deepEqual(refinedActions(dir, ['s3:GetObject', 's3:PutObject']).actions, ['s3:GetObject']);
});

test('--out and --applies-to: the wrapper scopes the findings to the policies its globs match', async () => {
  const world: World = { account: ACCOUNT, analyzers, roles: [{ name: 'app' }] };
  Object.assign(world, { findings: [{ id: 'f1', resource: roleArn(world, 'app'), details: unusedPermissions({ s3: ['PutObject'] }) }] });
  const { result, dir } = await fetchIn(world, ['--out', 'infra/app.unused-access.json', '--applies-to', 'policies/*.json', 'app'],
    { files: { 'infra/policies/': '', 'infra/other/': '' } });
  assert.equal(result.stdout, `wrote infra/app.unused-access.json: 1 finding for ${roleArn(world, 'app')}\n`);
  const document = readBack(dir, 'infra/app.unused-access.json');
  assert.deepEqual(document.appliesTo?.map((a) => a.glob), ['policies/*.json']);
  for (const folder of ['policies', 'other']) writeFileSync(join(dir, 'infra', folder, 'p.json'), policy(['s3:GetObject', 's3:PutObject']));
  const run = runCli(['--json', 'infra/policies/p.json', 'infra/other/p.json'], dir);
  const report = JSON.parse(run.stdout) as { files: { path: string; changed: boolean }[] };
  assert.deepEqual(report.files.map((f) => [f.path, f.changed]), [['infra/policies/p.json', true], ['infra/other/p.json', false]]);
});

test('a principal of another account is taken as given, from the organization\'s analyzer', async () => {
  const elsewhere = 'arn:aws:iam::444455556666:role/partner';
  const world: World = { account: ACCOUNT, analyzers: [...analyzers!, { name: 'org', type: 'ORGANIZATION_UNUSED_ACCESS' }],
    findings: [{ id: 'f1', resource: elsewhere, details: unusedPermissions({ s3: ['PutObject'] }) }] };
  const { result, aws, dir } = await fetchIn(world, [elsewhere]);
  assert.equal(result.stdout, `wrote partner.unused-access.json: 1 finding for ${elsewhere}\n`);
  assert.ok(!aws.operations().includes('iam:GetRole'), 'another account\'s role cannot be looked up from this one');
  assert.equal(readBack(dir, 'partner.unused-access.json').fetched?.analyzer, `arn:aws:access-analyzer:eu-west-1:${ACCOUNT}:analyzer/org`);
});

test('a successful fetch replaces an older file in one step', async () => {
  const world: World = { account: ACCOUNT, analyzers, roles: [{ name: 'app' }] };
  Object.assign(world, { findings: [{ id: 'f1', resource: roleArn(world, 'app'), details: unusedPermissions({ s3: ['PutObject'] }) }] });
  const { result, dir } = await fetchIn(world, ['app'], { files: { 'app.unused-access.json': '{"findings": []}\n' } });
  assert.equal(result.status, 0);
  assert.deepEqual(filesIn(dir), ['app.unused-access.json']);
  assert.equal(readBack(dir, 'app.unused-access.json').principals[0]!.services[0]!.service, 's3');
});

test('an identity that may not ask for recommendations still gets its findings, and a note says what is missing', async () => {
  const world: World = { account: ACCOUNT, analyzers, roles: [{ name: 'app' }], faults: [{ operation: 'GenerateFindingRecommendation',
    code: 'AccessDeniedException', status: 403, message: 'not authorized to perform: access-analyzer:GenerateFindingRecommendation' }] };
  Object.assign(world, { findings: [
    { id: 'f1', resource: roleArn(world, 'app'), details: unusedPermissions({ s3: ['PutObject'] }) },
    { id: 'f2', resource: roleArn(world, 'app'), details: unusedPermissions({ sqs: [] }) },
  ] });
  const { result, aws, dir } = await fetchIn(world, ['app']);
  assert.deepEqual(result, { status: 0, stdout: `wrote app.unused-access.json: 2 findings for ${roleArn(world, 'app')}\n`,
    stderr: 'iam-refine fetch: note: AWS denied access-analyzer:GenerateFindingRecommendation, so the findings are saved without '
      + 'AWS\'s recommended policies (allow it to have them)\n' });
  const asked = aws.operations().filter((o) => o === 'access-analyzer:GenerateFindingRecommendation');
  assert.equal(asked.length, 1, 'asked once, not per finding');
  const document = readBack(dir, 'app.unused-access.json');
  assert.deepEqual(document.problems, []);
  assert.equal(document.principals[0]!.recommendations, undefined);
  assert.deepEqual(refinedActions(dir, ['s3:GetObject', 's3:PutObject', 'sqs:SendMessage']).actions, ['s3:GetObject']);
});
