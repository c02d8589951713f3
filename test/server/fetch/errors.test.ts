import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fetchIn } from '../../support/fakeAws/run';
import { SSO_KEY, type World, roleArn, unusedPermissions } from '../../support/fakeAws/world';

const ACCOUNT = '111122223333';
const CALLER = `arn:aws:iam::${ACCOUNT}:user/deployer`;
const PERMISSIONS = '(the README\'s "Fetching findings from AWS" lists the read-only permissions each source needs)';

function world(extra: Partial<World> = {}): World {
  const base: World = { account: ACCOUNT, roles: [{ name: 'app' }], analyzers: [{ name: 'unused-access', type: 'ACCOUNT_UNUSED_ACCESS' }] };
  return {
    ...base,
    findings: [
      { id: 'f1', resource: roleArn(base, 'app'), details: unusedPermissions({ s3: ['PutObject'] }) },
      { id: 'f2', resource: roleArn(base, 'app'), details: unusedPermissions({ sqs: [] }) },
    ],
    ...extra,
  };
}

/** The folder's files besides .git: a failed fetch leaves nothing new, not even a temporary file. */
function filesIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => f !== '.git').sort();
}

test('AccessDenied from Access Analyzer midway: one line naming the action, and the older file is left as it was', async () => {
  const older = '{"findings": []}\n';
  const { result, aws, dir } = await fetchIn(world({ faults: [{ operation: 'GetFindingV2', code: 'AccessDeniedException', status: 403,
    message: `User: ${CALLER} is not authorized to perform: access-analyzer:GetFindingV2`, when: 'f2' }] }), ['app'],
  { files: { 'app.unused-access.json': older } });
  assert.deepEqual(result, { status: 2, stdout: '',
    stderr: `iam-refine fetch: AWS denied access-analyzer:GetFinding to ${CALLER}: allow it ${PERMISSIONS}\n` });
  assert.ok(aws.requests.some((r) => r.operation === 'GetFindingV2' && r.params['id'] === 'f1' && !r.fault), 'f1 was fetched first');
  assert.deepEqual(filesIn(dir), ['app.unused-access.json']);
  assert.equal(readFileSync(join(dir, 'app.unused-access.json'), 'utf8'), older);
});

test('AccessDenied from IAM (Query protocol XML): the action is named, and no file is written', async () => {
  const { result, dir } = await fetchIn(world({ faults: [{ operation: 'GetRole', code: 'AccessDenied', status: 403,
    message: `User: ${CALLER} is not authorized to perform: iam:GetRole on resource: role app` }] }), ['app']);
  assert.deepEqual(result, { status: 2, stdout: '',
    stderr: `iam-refine fetch: AWS denied iam:GetRole to ${CALLER}: allow it ${PERMISSIONS}\n` });
  assert.deepEqual(filesIn(dir), []);
});

test('throttling that outlasts the SDK\'s retries: three attempts, then a clear message', async () => {
  const { result, aws, dir } = await fetchIn(world({ faults: [{ operation: 'ListFindingsV2', code: 'ThrottlingException', status: 429,
    message: 'Rate exceeded' }] }), ['app']);
  assert.deepEqual(result, { status: 2, stdout: '', stderr: 'iam-refine fetch: AWS kept throttling access-analyzer:ListFindings after '
    + 'the SDK\'s retries: wait a minute and run fetch again (or raise AWS_MAX_ATTEMPTS for more retries)\n' });
  assert.equal(aws.requests.filter((r) => r.operation === 'ListFindingsV2').length, 3);
  assert.deepEqual(filesIn(dir), []);
});

test('no unused-access analyzer in the account and region: how to create one, what it costs, and the free source', async () => {
  const { result, dir } = await fetchIn(world({ analyzers: [{ name: 'external', type: 'ACCOUNT' },
    { name: 'creating', type: 'ACCOUNT_UNUSED_ACCESS', status: 'CREATING' }] }), ['app']);
  assert.deepEqual(result, { status: 2, stdout: '', stderr: `iam-refine fetch: no unused-access analyzer in account ${ACCOUNT}, region `
    + 'eu-west-1: create one with "aws accessanalyzer create-analyzer --analyzer-name unused-access --type ACCOUNT_UNUSED_ACCESS" '
    + '(AWS bills it per role and user analysed, per month), or use --source last-accessed, which needs none\n' });
  assert.deepEqual(filesIn(dir), []);
});

test('an analyzer given with --analyzer that does not exist', async () => {
  const missing = `arn:aws:access-analyzer:eu-west-1:${ACCOUNT}:analyzer/gone`;
  const { result } = await fetchIn(world(), ['--analyzer', missing, 'app']);
  assert.deepEqual(result, { status: 2, stdout: '',
    stderr: `iam-refine fetch: analyzer not found: ${missing} (check the ARN given to --analyzer, and the region)\n` });
});

test('principal not found: a role name, a role ARN, a user ARN, a policy ARN', async () => {
  const none = (kind: string) => `principal not found: account ${ACCOUNT} has no ${kind} named "ghost" (check the name and the profile)`;
  const cases: [string, string][] = [
    ['ghost', none('role')],
    [`arn:aws:iam::${ACCOUNT}:role/team/ghost`, none('role')],
    [`arn:aws:iam::${ACCOUNT}:user/ghost`, none('user')],
    [`arn:aws:iam::${ACCOUNT}:policy/ghost`,
      `principal not found: there is no policy arn:aws:iam::${ACCOUNT}:policy/ghost (check the ARN and the profile)`],
  ];
  for (const [principal, message] of cases) {
    const { result, dir } = await fetchIn(world(), [principal]);
    assert.deepEqual(result, { status: 2, stdout: '', stderr: `iam-refine fetch: ${message}\n` }, principal);
    assert.deepEqual(filesIn(dir), []);
  }
});

test('no credentials anywhere: what to set', async () => {
  const { result, aws } = await fetchIn(world(), ['app'], { keys: false });
  assert.deepEqual(result, { status: 2, stdout: '', stderr: 'iam-refine fetch: no AWS credentials found: pass --profile NAME (or set '
    + 'AWS_PROFILE) for a profile of ~/.aws/config, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n' });
  assert.deepEqual(aws.requests, [], 'nothing is sent unsigned');
});

const START_URL = 'https://example.awsapps.com/start';
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
const token = (expiresAt: string): string =>
  JSON.stringify({ startUrl: START_URL, region: 'eu-west-1', accessToken: 'sso-token', expiresAt });

/** A profile `dev` of an sso-session, its token cached where the AWS CLI's `aws sso login` leaves it. */
function ssoSessionHome(expiresAt: string): Record<string, string> {
  return {
    '.aws/config': '[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-west-1\n\n'
      + `[sso-session corp]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n`,
    [`.aws/sso/cache/${sha1('corp')}.json`]: token(expiresAt),
  };
}

const SSO_EXPIRED = 'iam-refine fetch: the SSO session of profile "dev" has expired or is not logged in: '
  + 'run "aws sso login --profile dev", then try again\n';

test('an expired SSO token (sso-session profile through AWS_PROFILE): run aws sso login for that profile', async () => {
  const { result, aws } = await fetchIn(world(), ['app'], { keys: false, home: ssoSessionHome('2024-01-01T00:00:00Z'),
    env: { AWS_PROFILE: 'dev' } });
  assert.deepEqual(result, { status: 2, stdout: '', stderr: SSO_EXPIRED });
  assert.deepEqual(aws.requests, []);
});

test('an expired SSO token (legacy SSO profile through --profile)', async () => {
  const home = {
    '.aws/config': `[profile dev]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\nsso_account_id = ${ACCOUNT}\n`
      + 'sso_role_name = ReadOnly\nregion = eu-west-1\n',
    [`.aws/sso/cache/${sha1(START_URL)}.json`]: token('2024-01-01T00:00:00Z'),
  };
  const { result } = await fetchIn(world(), ['--profile', 'dev', 'app'], { keys: false, home });
  assert.deepEqual(result, { status: 2, stdout: '', stderr: SSO_EXPIRED });
});

test('the same SSO profile with a valid token fetches with the role credentials the SSO portal gives', async () => {
  const { result, aws } = await fetchIn({ ...world(), ssoAccessToken: 'sso-token' }, ['app'], {
    keys: false, home: ssoSessionHome('2099-01-01T00:00:00Z'), env: { AWS_PROFILE: 'dev' },
  });
  assert.equal(result.stderr, '');
  assert.equal(result.status, 0);
  assert.equal(aws.requests[0]!.operation, 'GetRoleCredentials');
  assert.deepEqual(aws.requests[0]!.params, { account_id: ACCOUNT, role_name: 'ReadOnly' });
  assert.ok(aws.requests.slice(1).every((r) => r.accessKeyId === SSO_KEY));
});

test('a file that cannot be written: the reason in one line, and no temporary file left', async () => {
  const { result, dir } = await fetchIn(world(), ['--out', 'missing/app.unused-access.json', 'app']);
  assert.equal(result.status, 2);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, `iam-refine fetch: cannot write ${join(dir, 'missing', 'app.unused-access.json')} (ENOENT): `
    + 'choose a writable file with --out FILE\n');
  assert.deepEqual(filesIn(dir), []);
});

test('usage errors: one line, exit 2, and nothing is asked of AWS', async () => {
  const cases: [string[], string][] = [
    [[], 'no principal given: name a role, a role or user ARN, or a policy ARN'],
    [['--source', 'cloudtrail', 'app'], '--source is access-analyzer or last-accessed, not "cloudtrail"'],
    [['a', 'b'], 'several principals go into one file: name it with --out FILE'],
    [['--threshold-days', '30', 'app'], '--threshold-days is for --source last-accessed; Access Analyzer decides what is unused itself'],
  ];
  for (const [args, message] of cases) {
    const { result, aws } = await fetchIn(world(), args);
    assert.deepEqual(result, { status: 2, stdout: '', stderr: `iam-refine fetch: ${message} (see "iam-refine fetch --help")\n` });
    assert.deepEqual(aws.requests, []);
  }
});

test('a group or an ARN of another kind is not a principal: what to name instead', async () => {
  const { result } = await fetchIn(world(), [`arn:aws:iam::${ACCOUNT}:group/devs`]);
  assert.deepEqual(result, { status: 2, stdout: '', stderr: `iam-refine fetch: "arn:aws:iam::${ACCOUNT}:group/devs" is a group, which has `
    + 'no findings of its own: name its users, or a managed policy attached to it\n' });
  const bucket = await fetchIn(world(), ['arn:aws:s3:::bucket']);
  assert.match(bucket.result.stderr, /^iam-refine fetch: "arn:aws:s3:::bucket" is not an IAM role, user or policy ARN/);
});
