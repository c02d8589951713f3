// iam-refine fetch --list-roles: the built CLI against the local AWS fake, as the editor's principal picker runs it.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import type { RoleList } from '../../../server/src/fetch/listRoles';
import { fetchIn } from '../../support/fakeAws/run';
import type { World } from '../../support/fakeAws/world';

const ACCOUNT = '111122223333';
const CALLER = `arn:aws:iam::${ACCOUNT}:user/deployer`;
const CREATED = '2024-01-02T03:04:05.000Z';

/** Three roles, two to a page: ListRoles takes two pages. */
const world = (extra: Partial<World> = {}): World => ({
  account: ACCOUNT, roles: [{ name: 'api' }, { name: 'AWSServiceRoleForSupport', path: '/aws-service-role/support.amazonaws.com/' },
    { name: 'worker', path: '/team/' }],
  pageSize: 2, ...extra,
});

test('every page of ListRoles, printed as one JSON document: account, then each role\'s name, ARN, path and creation', async () => {
  const { result, aws, dir } = await fetchIn(world(), ['--list-roles']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.ok(result.stdout.endsWith('}\n') && result.stdout.split('\n').length === 2, 'one line of JSON');
  const list = JSON.parse(result.stdout) as RoleList;
  assert.deepEqual(list, { account: ACCOUNT, roles: [
    { name: 'api', arn: `arn:aws:iam::${ACCOUNT}:role/api`, path: '/', createDate: CREATED },
    { name: 'AWSServiceRoleForSupport', path: '/aws-service-role/support.amazonaws.com/', createDate: CREATED,
      arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport` },
    { name: 'worker', arn: `arn:aws:iam::${ACCOUNT}:role/team/worker`, path: '/team/', createDate: CREATED },
  ] });
  assert.deepEqual(aws.operations(), ['sts:GetCallerIdentity', 'iam:ListRoles', 'iam:ListRoles']);
  assert.deepEqual(aws.requests.filter((r) => r.operation === 'ListRoles').map((r) => r.params['Marker']), [undefined, 'page-2'],
    'the second page is asked with the first page\'s Marker');
  assert.deepEqual(readdirSync(dir), ['.git'], 'no file is written');
});

test('an account without roles lists none, and succeeds', async () => {
  const { result } = await fetchIn(world({ roles: [] }), ['--list-roles', '--region', 'us-east-1']);
  assert.deepEqual(result, { status: 0, stdout: `{"account":"${ACCOUNT}","roles":[]}\n`, stderr: '' });
});

test('AccessDenied on the second page: one line naming iam:ListRoles and the caller, nothing on stdout, exit 2', async () => {
  const { result } = await fetchIn(world({ faults: [{ operation: 'ListRoles', code: 'AccessDenied', status: 403, when: 'page-2',
    message: `User: ${CALLER} is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::${ACCOUNT}:role/` }] }),
  ['--list-roles']);
  assert.deepEqual(result, { status: 2, stdout: '', stderr: `iam-refine fetch: AWS denied iam:ListRoles to ${CALLER}: allow it `
    + '(the README\'s "Fetching findings from AWS" lists the read-only permissions each source needs)\n' });
});

test('no credentials: the same one line as a fetch, and AWS is never asked', async () => {
  const { result, aws } = await fetchIn(world(), ['--list-roles'], { keys: false });
  assert.equal(result.status, 2);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, 'iam-refine fetch: no AWS credentials found: pass --profile NAME (or set AWS_PROFILE) for a profile of '
    + '~/.aws/config, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n');
  assert.deepEqual(aws.operations(), []);
});

test('a principal or a findings option with --list-roles is a usage error, before any call', async () => {
  const { result, aws } = await fetchIn(world(), ['--list-roles', 'api']);
  assert.deepEqual(result, { status: 2, stdout: '', stderr: 'iam-refine fetch: --list-roles lists every role of the account: '
    + 'it takes no PRINCIPAL (see "iam-refine fetch --help")\n' });
  assert.deepEqual(aws.operations(), []);
});
