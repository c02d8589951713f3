import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, workspace } from '../../support/cli';
import { findingWithRecommendation, recommendedPolicy } from '../../support/recommendation';

// `iam-refine --json` says, per policy, how this refinement compares with AWS's own recommendation
// when the findings hold one: by the actions each allows, not by text.

const policy = (actions: string[]): string =>
  `${JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }, null, 2)}\n`;

/** Findings of the app role with AWS's recommended policy for `app-s3`, allowing `recommended`. */
const findingsWith = (unused: string[], recommended: string[]): string => findingWithRecommendation(unused, {
  recommendedAction: 'CREATE_POLICY', existingPolicyId: 'arn:aws:iam::111122223333:policy/app-s3',
  recommendedPolicy: recommendedPolicy(recommended),
});

interface Report {
  files: { path: string; policies: { awsRecommendation?: Record<string, unknown> }[] }[];
}

test('--json: the same actions, and a difference both ways', () => {
  const dir = workspace({
    '.git/': '',
    'same/app.unused-access.json': findingsWith(['PutObject'], ['s3:Get*Object', 's3:ListBucket']),
    'same/app-s3.json': policy(['s3:GetObject', 's3:PutObject', 's3:ListBucket']),
    'differ/app.unused-access.json': findingsWith(['PutObject'], ['s3:GetObject', 's3:GetObjectAcl']),
    'differ/app-s3.json': policy(['s3:GetObject', 's3:PutObject', 's3:ListBucket']),
    'none/unused-access.json': JSON.stringify([{ serviceNamespace: 's3', actions: ['PutObject'] }]),
    'none/app-s3.json': policy(['s3:GetObject', 's3:PutObject']),
  });
  const result = runCli(['--json', 'same/app-s3.json', 'differ/app-s3.json', 'none/app-s3.json'], dir);
  const report = JSON.parse(result.stdout) as Report;
  assert.deepEqual(report.files.map((f) => [f.path, f.policies[0]!.awsRecommendation]), [
    ['same/app-s3.json', {
      policyId: 'arn:aws:iam::111122223333:policy/app-s3', detach: false, same: true, onlyOurs: [], onlyAws: [],
    }],
    ['differ/app-s3.json', {
      policyId: 'arn:aws:iam::111122223333:policy/app-s3', detach: false, same: false,
      onlyOurs: ['s3:ListBucket'], onlyAws: ['s3:GetObjectAcl'],
    }],
    // No recommendation in the findings: nothing is said.
    ['none/app-s3.json', undefined],
  ]);
});

test('--json: a recommendation saved on its own, in either AWS spelling, is compared and never counts as findings', () => {
  const step = { action: 'CREATE_POLICY', policyId: 'arn:aws:iam::111122223333:policy/app-s3' };
  const accessAnalyzer = {
    resourceArn: 'arn:aws:iam::111122223333:role/app', status: 'SUCCEEDED', recommendationType: 'UnusedPermissionRecommendation',
    recommendedSteps: [{ unusedPermissionsRecommendedStep: {
      recommendedAction: step.action, existingPolicyId: step.policyId, recommendedPolicy: recommendedPolicy(['s3:GetObject']) } }],
  };
  const securityHub = {
    ResourceArn: 'arn:aws:iam::111122223333:role/app', Status: 'SUCCEEDED', RecommendationType: 'UNUSED_PERMISSION_RECOMMENDATION',
    RecommendationSteps: [{ UnusedPermissions: {
      RecommendedAction: step.action, ExistingPolicyId: step.policyId, RecommendedPolicy: recommendedPolicy(['s3:GetObject']) } }],
  };
  const dir = workspace({
    '.git/': '',
    'aa/unused-access.json': JSON.stringify([{ serviceNamespace: 's3', actions: ['PutObject'] }]),
    'aa/app-s3.recommendation.unused-access.json': JSON.stringify(accessAnalyzer),
    'aa/app-s3.json': policy(['s3:GetObject', 's3:PutObject', 's3:ListBucket']),
    'hub/unused-access.json': JSON.stringify([{ serviceNamespace: 's3', actions: ['PutObject'] }]),
    'hub/app-s3.recommendation.unused-access.json': JSON.stringify(securityHub),
    'hub/app-s3.json': policy(['s3:GetObject', 's3:PutObject', 's3:ListBucket']),
  });
  const result = runCli(['--json', 'aa/app-s3.json', 'hub/app-s3.json'], dir);
  const report = JSON.parse(result.stdout) as {
    files: { path: string; findings: string[]; policies: {
      awsRecommendation?: Record<string, unknown>; statements: { changes: { action: string; replacement: string[] }[] }[];
    }[] }[];
  };
  assert.equal(report.files.length, 2);
  for (const file of report.files) {
    const [policyReport] = file.policies;
    assert.deepEqual(policyReport!.awsRecommendation, {
      policyId: step.policyId, detach: false, same: false, onlyOurs: ['s3:ListBucket'], onlyAws: [],
    }, file.path);
    // The refinement is the findings' alone: only PutObject goes.
    assert.deepEqual(file.findings, [file.path.replace('app-s3.json', 'unused-access.json')]);
    assert.deepEqual(policyReport!.statements.flatMap((s) => s.changes.map((c) => [c.action, c.replacement])), [['s3:PutObject', []]]);
  }
});
