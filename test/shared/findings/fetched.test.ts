import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FindingsDocument } from '../../../shared/src/findings/model';
import { parseFindings } from '../../../shared/src/findings/parseFindings';
import { UnusedAccess } from '../../../shared/src/findings/unusedAccess';

const role = (name: string): string => `arn:aws:iam::111122223333:role/${name}`;

/** A get-finding-v2 response for `arn` with the unused S3 actions `actions`. */
function finding(id: string, arn: string, actions: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id, resource: arn, resourceType: 'AWS::IAM::Role', findingType: 'UnusedPermission', status: 'ACTIVE',
    analyzedAt: '2025-03-01T10:00:00.000Z',
    findingDetails: [{ unusedPermissionDetails: { serviceNamespace: 's3', actions: actions.map((action) => ({ action })) } }],
    ...extra,
  };
}

/** What the document's principals all leave unused, as `service:Action` strings over `candidates`. */
function unused(document: FindingsDocument, candidates: string[]): string[] {
  const access = UnusedAccess.intersect(document.principals.map((p) => UnusedAccess.fromPrincipal(p)));
  return candidates.filter((c) => access.verdict(c.split(':')[0]!, c.split(':')[1]!) !== undefined);
}

const S3 = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'];

test('the fetched header is read and exposed with its principals, and the findings flow as before', () => {
  const file = {
    fetched: {
      source: 'access-analyzer', account: '111122223333', region: 'eu-west-1',
      analyzer: 'arn:aws:access-analyzer:eu-west-1:111122223333:analyzer/unused-access',
      principals: [{ arn: role('app'), findings: 1 }], fetchedAt: '2025-03-02T08:00:00.000Z',
    },
    findings: [finding('f1', role('app'), ['PutObject', 'DeleteObject'])],
  };
  const text = JSON.stringify(file, null, 2);
  const document = parseFindings(text);
  assert.deepEqual(document.problems, []);
  assert.equal(document.format, 'access-analyzer-finding');
  const { span, principals, ...fields } = document.fetched!;
  const { principals: written, ...writtenFields } = file.fetched;
  assert.deepEqual(fields, writtenFields);
  assert.deepEqual(principals.map(({ span: _span, ...p }) => p), written);
  const at = (s: { offset: number; length: number }): unknown => JSON.parse(text.slice(s.offset, s.offset + s.length));
  assert.deepEqual(at(span), file.fetched, 'the header\'s span is the whole header');
  assert.deepEqual(at(principals[0]!.span), written[0]);
  assert.equal(document.principals.length, 1);
  assert.equal(document.principals[0]!.resource, role('app'));
  assert.equal(document.principals[0]!.analyzedAt, '2025-03-01T10:00:00.000Z');
  assert.deepEqual(unused(document, S3), ['s3:PutObject', 's3:DeleteObject']);
});

test('a fetched principal without findings counts: it leaves nothing unused, and a note says so', () => {
  const text = JSON.stringify({
    fetched: { source: 'access-analyzer', principals: [{ arn: role('app'), findings: 1 }, { arn: role('worker'), findings: 0 }] },
    findings: [finding('f1', role('app'), ['PutObject', 'DeleteObject'])],
  });
  const document = parseFindings(text);
  assert.deepEqual(document.principals.map((p) => [p.resource, p.services.length]), [[role('app'), 1], [role('worker'), 0]]);
  assert.deepEqual(unused(document, S3), [], 'a policy shared with worker must keep all it uses');
  assert.deepEqual(document.problems.map((p) => [p.severity, p.code, p.message]), [
    ['info', 'findings-none', `${role('worker')} has no unused-access findings, so it leaves nothing unused`],
  ]);
});

test('a fetched file with no findings at all is read as one principal that leaves nothing unused', () => {
  const document = parseFindings(JSON.stringify({ fetched: { principals: [{ arn: role('idle'), findings: 0 }] }, findings: [] }));
  assert.deepEqual(document.principals, [{ resource: role('idle'), services: [] }]);
  assert.equal(document.problems.filter((p) => p.severity !== 'info').length, 0);
  assert.deepEqual(unused(document, S3), []);
});

test('two principals with findings: only what both leave unused counts', () => {
  const document = parseFindings(JSON.stringify({
    fetched: { principals: [{ arn: role('a'), findings: 1 }, { arn: role('b'), findings: 1 }] },
    findings: [finding('f1', role('a'), ['PutObject', 'DeleteObject']), finding('f2', role('b'), ['DeleteObject', 'ListBucket'])],
  }));
  assert.deepEqual(document.problems, []);
  assert.deepEqual(unused(document, S3), ['s3:DeleteObject']);
});

test('AWS\'s recommended policy is kept per policy on the principal it is for', () => {
  const recommended = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"}]}';
  const text = JSON.stringify({
    findings: [finding('f1', role('app'), ['PutObject'], {
      recommendation: {
        status: 'SUCCEEDED', recommendationType: 'UnusedPermissionRecommendation', resourceArn: role('app'),
        recommendedSteps: [
          { unusedPermissionsRecommendedStep: {
            recommendedAction: 'CREATE_POLICY', existingPolicyId: 'arn:aws:iam::111122223333:policy/app-s3',
            recommendedPolicy: recommended, policyUpdatedAt: '2025-02-01T00:00:00.000Z' } },
          { unusedPermissionsRecommendedStep: { recommendedAction: 'DETACH_POLICY', existingPolicyId: 'app-inline' } },
        ],
      },
    })],
  });
  const document = parseFindings(text);
  assert.deepEqual(document.problems, []);
  const steps = document.principals[0]!.recommendations!;
  assert.deepEqual(steps.map(({ span: _span, ...step }) => step), [
    { action: 'CREATE_POLICY', existingPolicyId: 'arn:aws:iam::111122223333:policy/app-s3', recommendedPolicy: recommended,
      policyUpdatedAt: '2025-02-01T00:00:00.000Z' },
    { action: 'DETACH_POLICY', existingPolicyId: 'app-inline' },
  ]);
  assert.equal(text.slice(steps[1]!.span.offset, steps[1]!.span.offset + steps[1]!.span.length),
    '{"recommendedAction":"DETACH_POLICY","existingPolicyId":"app-inline"}');
  assert.deepEqual(unused(document, S3), ['s3:PutObject'], 'the recommendation never changes what is unused');
});

test('a failed or partial recommendation is reported, a step without its action is an error', () => {
  const document = parseFindings(JSON.stringify({
    findings: [
      finding('f1', role('a'), ['PutObject'], { recommendation: { status: 'FAILED', error: { code: 'X', message: 'policy too large' } } }),
      finding('f2', role('b'), ['PutObject'], { recommendation: { status: 'SUCCEEDED', nextToken: 'more',
        recommendedSteps: [{ unusedPermissionsRecommendedStep: { existingPolicyId: 'p' } }] } }),
    ],
  }));
  assert.deepEqual(document.problems.map((p) => [p.severity, p.code, p.message]), [
    ['info', 'findings-recommendation',
      `AWS's recommendation for finding f1 (${role('a')}) is FAILED: policy too large, so it names no policy`],
    ['warning', 'findings-partial-page',
      `The recommendation for finding f2 (${role('b')}) is one page of a longer result: nextToken says more steps exist`],
    ['error', 'findings-missing', 'unusedPermissionsRecommendedStep has no "recommendedAction"; the step was skipped'],
  ]);
  assert.equal(document.principals[1]!.recommendations, undefined);
});

/** A last-accessed report in which `used` services were used on 2025-03-01 and `stale` ones on 2024-01-01. */
function report(arn: string | undefined, used: string[], stale: string[], never: string[]): Record<string, unknown> {
  const service = (ServiceNamespace: string, LastAuthenticated?: string) =>
    (LastAuthenticated ? { ServiceNamespace, LastAuthenticated } : { ServiceNamespace });
  return {
    ...(arn ? { Arn: arn } : {}),
    JobStatus: 'COMPLETED', JobType: 'ACTION_LEVEL', JobCompletionDate: '2025-03-02T00:00:00.000Z', IsTruncated: false,
    ServicesLastAccessed: [
      ...used.map((s) => service(s, '2025-03-01T00:00:00.000Z')),
      ...stale.map((s) => service(s, '2024-01-01T00:00:00.000Z')),
      ...never.map((s) => service(s)),
    ],
  };
}

const NOW = new Date('2025-03-10T00:00:00Z');

/** The services that all principals leave unused (whole), among `services`. */
function unusedServices(document: FindingsDocument, services: string[]): string[] {
  const access = UnusedAccess.intersect(document.principals.map((p) => UnusedAccess.fromPrincipal(p)));
  return services.filter((s) => access.isWholeServiceUnused(s));
}

test('several principals\' last-accessed reports: each is a principal named by its Arn, and they intersect', () => {
  const text = JSON.stringify({
    fetched: { source: 'last-accessed', principals: [{ arn: role('a') }, { arn: role('b') }] },
    findings: [report(role('a'), ['s3'], ['sqs'], ['sns', 'ec2']), report(role('b'), ['sns'], [], ['s3', 'sqs', 'ec2'])],
  });
  const document = parseFindings(text, { now: NOW });
  assert.deepEqual(document.problems, []);
  assert.equal(document.format, 'service-last-accessed');
  assert.deepEqual(document.principals.map((p) => p.resource), [role('a'), role('b')]);
  assert.equal(document.principals[0]!.analyzedAt, '2025-03-02T00:00:00.000Z');
  assert.deepEqual(unusedServices(document, ['s3', 'sqs', 'sns', 'ec2']), ['ec2'], 'sqs was used by a, long ago');
});

test('the header\'s thresholdDays applies unless the reader sets one', () => {
  const text = JSON.stringify({
    fetched: { source: 'last-accessed', thresholdDays: 90, principals: [{ arn: role('a') }, { arn: role('b') }] },
    findings: [report(role('a'), ['s3'], ['sqs'], ['sns', 'ec2']), report(role('b'), ['sns'], [], ['s3', 'sqs', 'ec2'])],
  });
  assert.deepEqual(unusedServices(parseFindings(text, { now: NOW }), ['s3', 'sqs', 'sns', 'ec2']), ['sqs', 'ec2']);
  assert.deepEqual(parseFindings(text, { now: NOW }).fetched?.thresholdDays, 90);
  assert.deepEqual(unusedServices(parseFindings(text, { now: NOW, thresholdDays: 1000 }), ['s3', 'sqs', 'sns', 'ec2']), ['ec2']);
});

test('a list of last-accessed reports without Arn: each report is still a principal of its own', () => {
  const reports = [report(undefined, ['s3'], [], ['sns', 'ec2']), report(undefined, ['sns'], [], ['s3', 'ec2'])];
  const document = parseFindings(JSON.stringify(reports), { now: NOW });
  assert.deepEqual(document.problems, []);
  assert.equal(document.format, 'service-last-accessed');
  assert.equal(document.principals.length, 2);
  assert.deepEqual(unusedServices(document, ['s3', 'sns', 'ec2']), ['ec2']);
});

test('one report with an Arn names its principal, so a template role of that name takes it', () => {
  const document = parseFindings(JSON.stringify(report(role('app'), [], [], ['ec2'])));
  assert.deepEqual(document.principals.map((p) => p.resource), [role('app')]);
});

test('the header inside an appliesTo wrapper is read too', () => {
  const document = parseFindings(JSON.stringify({
    fetched: { source: 'access-analyzer', principals: [{ arn: role('app'), findings: 1 }] },
    appliesTo: ['policies/*.json'],
    findings: [finding('f1', role('app'), ['PutObject'])],
  }));
  assert.deepEqual(document.problems, []);
  assert.deepEqual(document.appliesTo?.map((a) => a.glob), ['policies/*.json']);
  assert.equal(document.fetched?.source, 'access-analyzer');
  assert.deepEqual(unused(document, S3), ['s3:PutObject']);
});

test('a malformed header is reported where it is wrong, and the findings are still read', () => {
  const text = JSON.stringify({
    fetched: { source: 'cloudtrail', thresholdDays: -1, principals: [{ findings: 2 }, 'x', { arn: role('a'), findings: 1.5 }] },
    findings: [finding('f1', role('a'), ['PutObject'])],
  });
  const document = parseFindings(text);
  assert.deepEqual(document.problems.map((p) => [p.severity, p.message]), [
    ['warning', 'fetched.source "cloudtrail" is neither "access-analyzer" nor "last-accessed"'],
    ['error', 'thresholdDays must be a whole number, found -1'],
    ['error', 'principals[0] has no "arn"; the entry was skipped'],
    ['error', 'principals[1] must be an object, found string "x"'],
    ['error', 'findings must be a whole number, found 1.5'],
  ]);
  assert.deepEqual(unused(document, S3), ['s3:PutObject']);
  assert.equal(parseFindings('{"fetched": [], "findings": []}').problems[0]!.message, 'fetched must be an object, found array');
});
