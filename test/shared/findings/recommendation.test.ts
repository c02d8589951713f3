import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FindingsDocument } from '../../../shared/src/findings/model';
import { parseFindings } from '../../../shared/src/findings/parseFindings';

// AWS's recommendation saved on its own: Access Analyzer's get-finding-recommendation output
// (camelCase) and Security Hub's GetRecommendedPolicyV2 output (PascalCase, other names for the steps).

const ROLE = 'arn:aws:iam::111122223333:role/app';
const POLICY_ARN = 'arn:aws:iam::111122223333:policy/app-s3';
const RECOMMENDED = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"}]}';

const accessAnalyzer = {
  startedAt: '2026-11-01T10:00:00Z', completedAt: '2026-11-01T10:00:05Z', resourceArn: ROLE,
  recommendationType: 'UnusedPermissionRecommendation', status: 'SUCCEEDED',
  recommendedSteps: [
    { unusedPermissionsRecommendedStep: {
      recommendedAction: 'CREATE_POLICY', existingPolicyId: POLICY_ARN, recommendedPolicy: RECOMMENDED,
      policyUpdatedAt: '2026-10-01T00:00:00Z' } },
    { unusedPermissionsRecommendedStep: { recommendedAction: 'DETACH_POLICY', existingPolicyId: 'app-inline' } },
  ],
};

const securityHub = {
  ResourceArn: ROLE, RecommendationType: 'UNUSED_PERMISSION_RECOMMENDATION', Status: 'SUCCEEDED',
  RecommendationSteps: [
    { UnusedPermissions: {
      RecommendedAction: 'CREATE_POLICY', ExistingPolicyId: POLICY_ARN, RecommendedPolicy: RECOMMENDED,
      PolicyUpdatedAt: '2026-10-01T00:00:00Z' } },
    { UnusedPermissions: { RecommendedAction: 'DETACH_POLICY', ExistingPolicyId: 'app-inline' } },
  ],
};

/** The steps of each principal, without their spans. */
function steps(document: FindingsDocument): [string | undefined, unknown[]][] {
  return document.principals.map((p) => [p.resource, (p.recommendations ?? []).map(({ span: _span, ...step }) => step)]);
}

const EXPECTED = [
  { action: 'CREATE_POLICY', existingPolicyId: POLICY_ARN, recommendedPolicy: RECOMMENDED, policyUpdatedAt: '2026-10-01T00:00:00Z' },
  { action: 'DETACH_POLICY', existingPolicyId: 'app-inline' },
];

for (const [name, response] of [['get-finding-recommendation', accessAnalyzer], ['GetRecommendedPolicyV2', securityHub]] as const) {
  test(`a saved ${name} response is read as recommendations for the principal it names, and says nothing is unused`, () => {
    const document = parseFindings(JSON.stringify(response, null, 2));
    assert.deepEqual(document.problems, []);
    assert.equal(document.format, 'recommendation');
    assert.deepEqual(steps(document), [[ROLE, EXPECTED]]);
    assert.deepEqual(document.principals[0]!.services, []);
  });
}

test('a list of responses, and an appliesTo wrapper around one, are read the same way', () => {
  const other = { ...accessAnalyzer, resourceArn: 'arn:aws:iam::111122223333:role/other', recommendedSteps: [] };
  const list = parseFindings(JSON.stringify([securityHub, other]));
  assert.deepEqual(list.problems, []);
  assert.equal(list.format, 'recommendation');
  assert.deepEqual(steps(list), [[ROLE, EXPECTED], ['arn:aws:iam::111122223333:role/other', []]]);
  const wrapped = parseFindings(JSON.stringify({ appliesTo: ['app-s3.json'], findings: accessAnalyzer }));
  assert.deepEqual(wrapped.problems, []);
  assert.deepEqual(wrapped.appliesTo?.map((a) => a.glob), ['app-s3.json']);
  assert.deepEqual(steps(wrapped), [[ROLE, EXPECTED]]);
});

test('a failed, partial or broken response is reported where it is, in the spelling of the file', () => {
  const text = JSON.stringify({
    ResourceArn: ROLE, Status: 'FAILED', Error: { Code: 'X', Message: 'policy too large' }, NextToken: 'more',
    RecommendationSteps: [{ UnusedPermissions: { ExistingPolicyId: 'p' } }],
  }, null, 2);
  const document = parseFindings(text);
  const line = (offset: number): number => text.slice(0, offset).split('\n').length;
  assert.deepEqual(document.problems.map((p) => [p.severity, line(p.span.offset), p.message]), [
    ['info', 3, `AWS's recommendation for ${ROLE} is FAILED: policy too large, so it names no policy`],
    ['warning', 8, `The recommendation for ${ROLE} is one page of a longer result: NextToken says more steps exist`],
    ['error', 11, 'UnusedPermissions has no "RecommendedAction"; the step was skipped'],
  ]);
});
