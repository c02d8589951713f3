import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFindings } from '../../../shared/src/findings/parseFindings';
import { type FindingsSource, selectFindings } from '../../../shared/src/findings/selection';
import { UnusedAccess } from '../../../shared/src/findings/unusedAccess';
import type { PolicyContext } from '../../../shared/src/findings/policyContext';

/** A findings file at `path` in the finding-v2 shape: one finding per role ARN, each with its unused S3 actions. */
function source(path: string, roles: Record<string, string[]>, appliesTo?: string[]): FindingsSource {
  const findings = Object.entries(roles).map(([arn, actions], i) => ({
    id: `f${i}`,
    findingType: 'UnusedPermission',
    resource: arn,
    status: 'ACTIVE',
    findingDetails: [{ unusedPermissionDetails: { serviceNamespace: 's3', actions: actions.map((action) => ({ action })) } }],
  }));
  const text = JSON.stringify(appliesTo ? { appliesTo, findings } : { findings });
  const document = parseFindings(text);
  assert.deepEqual(document.problems, []);
  const principalAccess = document.principals.map((p) => UnusedAccess.fromPrincipal(p, path));
  return { path, document, access: UnusedAccess.intersect(principalAccess), principalAccess };
}

const role = (name: string): string => `arn:aws:iam::123456789012:role/${name}`;

/** The S3 actions a selection calls unused, sorted. */
function unused(sources: FindingsSource[], policyPath: string, context?: PolicyContext): string[] {
  const access = selectFindings(sources, policyPath, context).access();
  return ['GetObject', 'PutObject', 'DeleteObject', 'ListBucket'].filter((a) => access.verdict('s3', a) !== undefined);
}

const account = source('/repo/account.unused-access.json', {
  [role('api')]: ['PutObject', 'DeleteObject'],
  [role('service/worker')]: ['DeleteObject', 'ListBucket'],
});

test('a standalone policy takes every file that covers its path, all principals intersected', () => {
  assert.deepEqual(unused([account], '/repo/policies/p.json'), ['DeleteObject']);
  assert.deepEqual(unused([account], '/elsewhere/p.json'), []);
});

test('a template policy takes the findings that name its role, from a file anywhere in the workspace', () => {
  const api: PolicyContext = { resourceId: 'ApiRole', principals: [{ kind: 'role', id: 'ApiRole', name: 'API' }] };
  assert.deepEqual(unused([account], '/other/tree/template.yaml', api), ['PutObject', 'DeleteObject'],
    'names are matched without regard to case, whatever folder the findings sit in');
  const worker: PolicyContext = { resourceId: 'WorkerRole', principals: [{ kind: 'role', id: 'WorkerRole', name: 'worker' }] };
  assert.deepEqual(unused([account], '/repo/t.yaml', worker), ['DeleteObject', 'ListBucket'],
    'an ARN with a path names the role by its last part');
  const user: PolicyContext = { resourceId: 'U', principals: [{ kind: 'user', id: 'U', name: 'api' }] };
  assert.deepEqual(unused([account], '/repo/t.yaml', user), [], 'a user is not the role of the same name');
});

test('a managed policy attached to several roles keeps what any of them uses', () => {
  const both: PolicyContext = {
    resourceId: 'Shared',
    principals: [{ kind: 'role', id: 'ApiRole', name: 'api' }, { kind: 'role', id: 'WorkerRole', name: 'worker' }],
  };
  assert.deepEqual(unused([account], '/repo/t.yaml', both), ['DeleteObject']);
  const withUnknown: PolicyContext = { resourceId: 'Shared',
    principals: [...both.principals, { kind: 'role', id: 'Batch', name: 'batch' }] };
  assert.deepEqual(unused([account], '/repo/t.yaml', withUnknown), [], 'a role without findings may use anything');
  assert.equal(selectFindings([account], '/repo/t.yaml', withUnknown).files.length, 0);
});

test('appliesTo "template#LogicalId" ties findings to a role whose name is generated', () => {
  const generated = source('/repo/app/fn.unused-access.json', { [role('stack-FnRole-1XYZ')]: ['GetObject'] }, ['template.yaml#Fn']);
  const fn: PolicyContext = { resourceId: 'Fn', principals: [{ kind: 'role', id: 'Fn' }] };
  assert.deepEqual(unused([account, generated], '/repo/app/template.yaml', fn), ['GetObject']);
  assert.deepEqual(unused([account, generated], '/repo/app/other.yaml', fn), [], 'the glob before "#" must match the template');
  assert.deepEqual(unused([generated], '/repo/app/policy.json'), [], 'an id-scoped file does not apply to paths');
  const byPolicy: PolicyContext = { resourceId: 'Fn', principals: [{ kind: 'role', id: 'Other', name: 'api' }] };
  assert.deepEqual(unused([account, generated], '/repo/app/template.yaml', byPolicy), [],
    'an id naming the policy\'s own resource applies to all of its principals, intersected with theirs');
});

test('findings without a resource stand in, by path, for principals without findings of their own; '
  + 'an unattached policy falls back to paths', () => {
  const list = parseFindings(JSON.stringify([{ serviceNamespace: 's3', actions: ['GetObject', 'PutObject'] }]));
  const access = list.principals.map((p) => UnusedAccess.fromPrincipal(p));
  const local: FindingsSource = { path: '/repo/stack/unused-access.json', document: list, access: UnusedAccess.intersect(access),
    principalAccess: access };
  const api: PolicyContext = { resourceId: 'ApiRole', principals: [{ kind: 'role', id: 'ApiRole', name: 'api' }] };
  // The api role's own findings say what it uses: the folder's, which name no one, do not cut them down.
  assert.deepEqual(unused([local, account], '/repo/stack/t.yaml', api), ['PutObject', 'DeleteObject']);
  const other: PolicyContext = { resourceId: 'OtherRole', principals: [{ kind: 'role', id: 'OtherRole', name: 'other' }] };
  assert.deepEqual(unused([local, account], '/repo/stack/t.yaml', other), ['GetObject', 'PutObject']);
  // Attached to both: only what both leave unused.
  const both: PolicyContext = { resourceId: 'Shared', principals: [...api.principals, ...other.principals] };
  assert.deepEqual(unused([local, account], '/repo/stack/t.yaml', both), ['PutObject']);
  const unattached: PolicyContext = { resourceId: 'Managed', principals: [] };
  assert.deepEqual(unused([account], '/repo/stack/t.yaml', unattached), ['DeleteObject']);
  assert.equal(selectFindings([local, account], '/repo/stack/t.yaml', api).key,
    selectFindings([account, local], '/repo/stack/t.yaml', api).key,
    'the same findings give the same key, so one refiner serves them');
});

test('a file of AWS\'s recommendations alone is selected beside the findings but never counts as findings', () => {
  const text = JSON.stringify({
    resourceArn: role('api'), status: 'SUCCEEDED',
    recommendedSteps: [{ unusedPermissionsRecommendedStep: { recommendedAction: 'DETACH_POLICY', existingPolicyId: 'p' } }],
  });
  const document = parseFindings(text);
  const principalAccess = document.principals.map((p) => UnusedAccess.fromPrincipal(p, '/repo/api.recommendation.json'));
  const recommendation: FindingsSource = {
    path: '/repo/api.recommendation.json', document, access: UnusedAccess.intersect(principalAccess), principalAccess,
  };
  const api: PolicyContext = { resourceId: 'ApiRole', principals: [{ kind: 'role', id: 'ApiRole', name: 'api' }] };
  for (const context of [undefined, api]) {
    const selection = selectFindings([account, recommendation], '/repo/t.yaml', context);
    assert.deepEqual(selection.files.map((f) => f.path), ['/repo/account.unused-access.json']);
    assert.deepEqual(selection.recommendations.map((f) => f.path), ['/repo/api.recommendation.json']);
  }
  assert.deepEqual(unused([account, recommendation], '/repo/t.yaml', api), ['PutObject', 'DeleteObject'],
    'the recommendation\'s principal, which names no unused action, does not empty the intersection');
  assert.deepEqual(unused([account, recommendation], '/repo/p.json'), ['DeleteObject']);
});
