import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseFindings } from '../../../shared/src/findings/parseFindings';
import { runCli } from '../../support/cli';
import { fetchIn } from '../../support/fakeAws/run';
import { type ServiceUse, type World, roleArn, userArn } from '../../support/fakeAws/world';

const ACCOUNT = '111122223333';
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number): string => new Date(Date.now() - days * DAY).toISOString();

/** A service last used `days` ago (never when undefined), with its tracked actions' own last uses. */
function service(namespace: string, days: number | undefined, actions: Record<string, number | undefined> = {}): ServiceUse {
  const tracked = Object.entries(actions).map(([ActionName, ago]) => (ago === undefined ? { ActionName }
    : { ActionName, LastAccessedTime: daysAgo(ago) }));
  return {
    ServiceNamespace: namespace, ServiceName: namespace.toUpperCase(),
    ...(days === undefined ? {} : { LastAuthenticated: daysAgo(days) }),
    ...(tracked.length ? { TrackedActionsLastAccessed: tracked } : {}),
  };
}

const base: World = { account: ACCOUNT, roles: [{ name: 'api' }], users: [{ name: 'dana', path: '/people/' }], pageSize: 2 };
const API = roleArn(base, 'api');
const DANA = userArn(base, 'dana');

/** api used s3:GetObject lately and sqs long ago; dana used neither; both used sns lately and never ec2. */
const world = (): World => ({
  ...base,
  lastAccessed: {
    [API]: { inProgress: 1, services: [service('s3', 2, { GetObject: 2, PutObject: 200, DeleteObject: undefined }), service('sqs', 200),
      service('ec2', undefined), service('sns', 3)] },
    [DANA]: { inProgress: 2, services: [service('s3', 200, { GetObject: undefined, PutObject: 200, DeleteObject: undefined }),
      service('sqs', undefined), service('ec2', undefined), service('sns', 1)] },
  },
});

const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 'sqs:SendMessage', 'ec2:DescribeInstances', 'sns:Publish'];

function refine(dir: string, args: string[] = []): string[] {
  const statement = { Effect: 'Allow', Action: ACTIONS, Resource: '*' };
  writeFileSync(join(dir, 'policy.json'), `${JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2)}\n`);
  const result = runCli(['--write', ...args, 'policy.json'], dir);
  assert.equal(result.status, 0, result.stderr);
  return (JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8')) as { Statement: { Action: string[] }[] }).Statement[0]!.Action;
}

test('last-accessed reports of two principals, every page, in one file: only what both leave unused counts', async () => {
  const { result, aws, dir } = await fetchIn(world(), ['--source', 'last-accessed', '--threshold-days', '90',
    '--out', 'team.unused-access.json', API, DANA]);
  assert.deepEqual(result, { status: 0, stdout: 'wrote team.unused-access.json: last-accessed reports of 2 principals\n', stderr: '' });
  const operations = aws.operations();
  assert.deepEqual(operations.slice(0, 5), ['sts:GetCallerIdentity', 'iam:GetRole', 'iam:GetUser',
    'iam:GenerateServiceLastAccessedDetails', 'iam:GenerateServiceLastAccessedDetails'], 'both jobs start before either is read');
  assert.ok(!operations.some((o) => o.startsWith('access-analyzer:')), 'no analyzer is needed');
  assert.deepEqual(aws.requests.filter((r) => r.operation === 'GenerateServiceLastAccessedDetails').map((r) => r.params),
    [API, DANA].map((Arn) => ({ Action: 'GenerateServiceLastAccessedDetails', Version: '2010-05-08', Arn, Granularity: 'ACTION_LEVEL' })));
  const reads = aws.requests.filter((r) => r.operation === 'GetServiceLastAccessedDetails')
    .map((r) => [r.params['JobId'], r.params['Marker']]);
  assert.deepEqual(reads, [['job-1', undefined], ['job-1', undefined], ['job-1', 'page-2'],
    ['job-2', undefined], ['job-2', undefined], ['job-2', undefined], ['job-2', 'page-2']],
  'each job read while IN_PROGRESS (once, twice), then its two pages of two services');

  const text = readFileSync(join(dir, 'team.unused-access.json'), 'utf8');
  const document = parseFindings(text);
  assert.deepEqual(document.problems, []);
  assert.equal(document.format, 'service-last-accessed');
  const { span: _span, principals, fetchedAt: _at, ...header } = document.fetched!;
  assert.deepEqual(header, { source: 'last-accessed', account: ACCOUNT, region: 'eu-west-1', thresholdDays: 90 });
  assert.deepEqual(principals.map((p) => p.arn), [API, DANA]);
  assert.deepEqual(document.principals.map((p) => [p.resource, p.analyzedAt]),
    [[API, '2025-03-02T00:00:05.000Z'], [DANA, '2025-03-02T00:00:05.000Z']]);
  const saved = JSON.parse(text) as { findings: { Arn: string; ServicesLastAccessed: unknown[]; IsTruncated: boolean }[] };
  assert.deepEqual(saved.findings.map((r) => [r.Arn, r.ServicesLastAccessed.length, r.IsTruncated]), [[API, 4, false], [DANA, 4, false]]);

  assert.deepEqual(refine(dir), ['s3:GetObject', 'sns:Publish'], 'the file\'s 90 days: stale PutObject and sqs are unused for both');
  assert.deepEqual(refine(dir, ['--threshold-days', '1000']), ['s3:GetObject', 's3:PutObject', 'sqs:SendMessage', 'sns:Publish'],
    'a threshold given to iam-refine wins over the file\'s: then only what neither ever used');
});

test('a managed policy\'s principals, last-accessed: the file is named after the policy', async () => {
  const policyArn = `arn:aws:iam::${ACCOUNT}:policy/team`;
  const { result, dir } = await fetchIn({ ...world(), policies: [{ arn: policyArn, roles: ['api'], users: ['dana'] }] },
    ['--source', 'last-accessed', policyArn]);
  assert.equal(result.stdout, 'wrote team.unused-access.json: last-accessed reports of 2 principals\n');
  assert.deepEqual(refine(dir), ['s3:GetObject', 's3:PutObject', 'sqs:SendMessage', 'sns:Publish']);
});

test('a report IAM could not build: its reason in one line, and no file', async () => {
  const broken = world();
  const lastAccessed = { ...broken.lastAccessed, [DANA]: { services: [], failure: 'Report generation failed' } };
  const failed: World = { ...broken, lastAccessed };
  const { result } = await fetchIn(failed, ['--source', 'last-accessed', '--out', 'team.unused-access.json', API, DANA]);
  assert.deepEqual(result, { status: 2, stdout: '', stderr: `iam-refine fetch: IAM could not build the last-accessed report of ${DANA} `
    + '(FAILED): Report generation failed; run fetch again later\n' });
});
