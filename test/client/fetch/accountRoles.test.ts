// The principal picker's search of the account's roles: `iam-refine fetch --list-roles` as the editor runs it,
// the built dist/cli.js in a child process against the local AWS fake, and the picker entries built from its output.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  listRolesArguments, parseRoleList, roleItems, type RolesEnd, rolesPlaceholder, runListRoles,
} from '../../../client/src/fetch/accountRoles';
import { repoRoot } from '../../support/catalog';
import { fetchEnv, home } from '../../support/fakeAws/run';
import { type FakeAws, startFakeAws } from '../../support/fakeAws/server';
import type { World } from '../../support/fakeAws/world';

const ACCOUNT = '111122223333';
const CALLER = `arn:aws:iam::${ACCOUNT}:user/deployer`;
const DIST = join(repoRoot(), 'dist');

/** Three roles, two to a page, one of them AWS's own under a service path. */
const world = (extra: Partial<World> = {}): World => ({
  account: ACCOUNT, pageSize: 2, ...extra,
  roles: [{ name: 'orders-api' }, { name: 'AWSServiceRoleForSupport', path: '/aws-service-role/support.amazonaws.com/' },
    { name: 'billing-worker', path: '/team/' }],
});

async function listWith(w: World, options: { keys?: boolean; env?: Record<string, string>; signal?: AbortSignal } = {},
  during?: (aws: FakeAws) => Promise<void>): Promise<{ end: RolesEnd; aws: FakeAws }> {
  const aws = await startFakeAws(w);
  try {
    const cwd = mkdtempSync(join(tmpdir(), 'iam-client-roles-'));
    const env = fetchEnv(aws, home(), options.keys ?? true, options.env);
    const running = runListRoles({ distDir: DIST, profile: undefined, region: 'eu-west-1', cwd, env,
      ...(options.signal ? { signal: options.signal } : {}) });
    await during?.(aws);
    return { end: await running, aws };
  } finally {
    await aws.close();
  }
}

test('the account\'s roles, every page, become the picker\'s entries: name, and the ARN (with its path) beside it', async () => {
  const { end, aws } = await listWith(world());
  assert.equal(end.kind, 'listed', JSON.stringify(end));
  assert.deepEqual(aws.operations(), ['sts:GetCallerIdentity', 'iam:ListRoles', 'iam:ListRoles']);
  const listed = end.kind === 'listed' ? end : { account: '', roles: [] };
  assert.deepEqual(roleItems(listed), [
    { label: 'orders-api', description: `arn:aws:iam::${ACCOUNT}:role/orders-api`, role: 'orders-api' },
    { label: 'AWSServiceRoleForSupport', role: 'AWSServiceRoleForSupport',
      description: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport` },
    { label: 'billing-worker', description: `arn:aws:iam::${ACCOUNT}:role/team/billing-worker`, role: 'billing-worker' },
  ]);
  assert.equal(rolesPlaceholder(listed), `3 roles of account ${ACCOUNT}: type to search by name or ARN`);
});

test('an account without roles: no entries, and the placeholder says so', async () => {
  const { end } = await listWith({ ...world(), roles: [] });
  assert.deepEqual(end, { kind: 'listed', account: ACCOUNT, roles: [] });
  assert.equal(rolesPlaceholder({ account: ACCOUNT, roles: [] }), `Account ${ACCOUNT} has no IAM roles`);
});

test('AccessDenied: the CLI\'s one line, naming iam:ListRoles, without its prefix', async () => {
  const { end } = await listWith(world({ faults: [{ operation: 'ListRoles', code: 'AccessDenied', status: 403,
    message: `User: ${CALLER} is not authorized to perform: iam:ListRoles` }] }));
  assert.deepEqual(end, { kind: 'failed', message: `AWS denied iam:ListRoles to ${CALLER}: allow it (the README's "Fetching findings `
    + 'from AWS" lists the read-only permissions each source needs)' });
});

test('no credentials: the CLI\'s one line saying what to set', async () => {
  const { end, aws } = await listWith(world(), { keys: false });
  assert.deepEqual(end, { kind: 'failed', message: 'no AWS credentials found: pass --profile NAME (or set AWS_PROFILE) for a profile '
    + 'of ~/.aws/config, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY' });
  assert.deepEqual(aws.operations(), []);
});

test('closing the picker kills the listing while the SDK is still retrying', async () => {
  // IAM throttles every ListRoles and the SDK may retry many times with backoff: only the kill ends it soon.
  const throttled = world({ faults: [{ operation: 'ListRoles', code: 'Throttling', status: 400, message: 'Rate exceeded' }] });
  const controller = new AbortController();
  const started = Date.now();
  const { end } = await listWith(throttled, { signal: controller.signal, env: { AWS_MAX_ATTEMPTS: '50' } }, async (aws) => {
    for (let i = 0; !aws.operations().includes('iam:ListRoles'); i++) {
      assert.ok(i < 400, `ListRoles was never asked: ${aws.operations().join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    controller.abort();
  });
  assert.deepEqual(end, { kind: 'cancelled' });
  assert.ok(Date.now() - started < 15_000, 'ended by the kill, not by the retries running out');
});

test('the arguments: list mode with the profile and region picked for the fetch, none of the fetch\'s own', () => {
  assert.deepEqual(listRolesArguments(undefined, undefined), ['fetch', '--list-roles']);
  assert.deepEqual(listRolesArguments('prod', 'eu-west-1'), ['fetch', '--list-roles', '--profile', 'prod', '--region', 'eu-west-1']);
});

test('output that is not the role list is reported, not shown as an empty account', () => {
  assert.throws(() => parseRoleList('wrote app.unused-access.json: 2 findings\n'),
    /^Error: iam-refine fetch --list-roles printed something other than JSON: wrote app\.unused-access\.json/);
  assert.throws(() => parseRoleList('{"roles":[{"name":"a"}]}'), /printed JSON without an account and its roles/);
  assert.deepEqual(parseRoleList(`{"account":"${ACCOUNT}","roles":[{"name":"a","arn":"arn:aws:iam::1:role/a","path":"/"}]}\n`),
    { account: ACCOUNT, roles: [{ name: 'a', arn: 'arn:aws:iam::1:role/a', path: '/' }] });
});
