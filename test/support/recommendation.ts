// Findings files that hold AWS's own recommendation, as `iam-refine fetch` saves them.

export const APP_ROLE = 'arn:aws:iam::111122223333:role/app';

/** A policy document allowing `actions` on everything, as AWS's recommendedPolicy text. */
export const recommendedPolicy = (actions: string[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

/** A saved get-finding-v2 response for the app role: `unused` S3 actions, and one recommended step. */
export function findingWithRecommendation(unused: string[], step: Record<string, unknown>): string {
  return JSON.stringify({
    findings: [{
      id: 'f1', resource: APP_ROLE, resourceType: 'AWS::IAM::Role', findingType: 'UnusedPermission', status: 'ACTIVE',
      analyzedAt: '2026-11-01T10:00:00.000Z',
      findingDetails: [{ unusedPermissionDetails: { serviceNamespace: 's3', actions: unused.map((action) => ({ action })) } }],
      recommendation: {
        status: 'SUCCEEDED', recommendationType: 'UnusedPermissionRecommendation', resourceArn: APP_ROLE,
        recommendedSteps: [{ unusedPermissionsRecommendedStep: step }],
      },
    }],
  });
}
