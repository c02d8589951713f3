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
