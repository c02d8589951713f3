import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { findingWithRecommendation as findingsWith, recommendedPolicy as recommended } from '../../support/recommendation';
import { doc, hoverText, offsetOf, policy, serviceOver } from '../../support/service';

// AWS's own recommendation beside ours, in the hover: compared by the actions each allows over the
// catalogue, never by text.

const TEXT = policy(['s3:GetObject', 's3:PutObject', 's3:ListBucket']);
const hoverOn = (findings: string, path = '/ws/app-s3.json'): string[] => {
  const service = serviceOver(memoryFileSystem({ '/ws/app.unused-access.json': findings }), ['/ws']);
  return hoverText(service, doc(path, TEXT), offsetOf(TEXT, 's3:GetObject'))!.split('\n\n');
};

test('written otherwise, allowing the same actions: the hover says they agree', () => {
  const step = {
    recommendedAction: 'CREATE_POLICY', existingPolicyId: 'arn:aws:iam::111122223333:policy/app-s3',
    // The same two actions, one of them spelt as a one-action wildcard and in another order.
    recommendedPolicy: recommended(['s3:ListBucket', 's3:GetObjec?']),
  };
  const lines = hoverOn(findingsWith(['PutObject'], step));
  assert.equal(lines.at(-2), 'AWS\'s recommendation for app-s3 allows the same 2 actions as this refinement.');
});

test('a difference both ways is listed by action', () => {
  const step = {
    recommendedAction: 'CREATE_POLICY', existingPolicyId: 'arn:aws:iam::111122223333:policy/app-s3',
    recommendedPolicy: recommended(['s3:GetObject', 's3:GetObjectAcl']),
  };
  const lines = hoverOn(findingsWith(['PutObject'], step));
  assert.equal(lines.at(-2),
    'AWS\'s recommendation for app-s3 differs: this refinement also allows s3:ListBucket; AWS\'s also allows s3:GetObjectAcl.');
});

test('a recommendation to detach the policy; recommendations for other policies', () => {
  const detach = hoverOn(findingsWith(['PutObject'], { recommendedAction: 'DETACH_POLICY', existingPolicyId: 'app-s3' }));
  assert.equal(detach.at(-2),
    'AWS\'s recommendation for app-s3 is to detach it; this refinement keeps 2 actions: s3:GetObject, s3:ListBucket.');
  // Two policies' recommendations, and this file's name is neither: nothing is said rather than a guess.
  const steps = [
    { recommendedAction: 'CREATE_POLICY', existingPolicyId: 'other-inline', recommendedPolicy: recommended(['s3:GetObject']) },
    { recommendedAction: 'DETACH_POLICY', existingPolicyId: 'legacy-inline' },
  ];
  const two = JSON.parse(findingsWith(['PutObject'], steps[0]!)) as { findings: { recommendation: { recommendedSteps: unknown[] } }[] };
  two.findings[0]!.recommendation.recommendedSteps.push({ unusedPermissionsRecommendedStep: steps[1] });
  const lines = hoverOn(JSON.stringify(two));
  assert.ok(!lines.some((l) => l.startsWith('AWS\'s recommendation')), lines.join('\n'));
  // The only one, for the only policy here: compared, and named, so that a person sees what with.
  assert.equal(hoverOn(findingsWith(['PutObject'], steps[0]!)).at(-2),
    'AWS\'s recommendation for other-inline differs: this refinement also allows s3:ListBucket.');
});

test('the document summary behind the preview carries the same line', () => {
  const step = {
    recommendedAction: 'CREATE_POLICY', existingPolicyId: 'arn:aws:iam::111122223333:policy/app-s3',
    recommendedPolicy: recommended(['s3:GetObject', 's3:ListBucket']),
  };
  const service = serviceOver(memoryFileSystem({ '/ws/app.unused-access.json': findingsWith(['PutObject'], step) }), ['/ws']);
  const summary = service.documentSummary(service.analyze(doc('/ws/app-s3.json', TEXT)));
  assert.deepEqual(summary.awsRecommendations, ['AWS\'s recommendation for app-s3 allows the same 2 actions as this refinement.']);
  const none = serviceOver(memoryFileSystem({ '/ws/app.unused-access.json': '[]' }), ['/ws']);
  assert.equal(none.documentSummary(none.analyze(doc('/ws/app-s3.json', TEXT))).awsRecommendations, undefined);
});

test('Security Hub\'s GetRecommendedPolicyV2 response saved beside the findings: compared in the hover, the findings unchanged', () => {
  const securityHub = {
    ResourceArn: 'arn:aws:iam::111122223333:role/app', Status: 'SUCCEEDED',
    RecommendationSteps: [{ UnusedPermissions: {
      RecommendedAction: 'CREATE_POLICY', ExistingPolicyId: 'arn:aws:iam::111122223333:policy/app-s3',
      RecommendedPolicy: recommended(['s3:GetObject']) } }],
  };
  const service = serviceOver(memoryFileSystem({
    '/ws/unused-access.json': JSON.stringify([{ serviceNamespace: 's3', actions: ['PutObject'] }]),
    '/ws/app-s3.recommendation.unused-access.json': JSON.stringify(securityHub),
  }), ['/ws']);
  const lines = hoverText(service, doc('/ws/app-s3.json', TEXT), offsetOf(TEXT, 's3:PutObject'))!.split('\n\n');
  assert.ok(lines.includes('**Unused:** never used in the tracking period.'), lines.join('\n'));
  assert.match(lines.at(-1)!, /^_Findings: unused-access\.json · /, 'the recommendation file is not named as findings');
  assert.equal(lines.at(-2), 'AWS\'s recommendation for app-s3 differs: this refinement also allows s3:ListBucket.');
});
