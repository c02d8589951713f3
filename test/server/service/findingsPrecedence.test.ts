import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { diagnosticsOf, doc, findings, hoverText, offsetOf, serviceOver } from '../../support/service';

// A folder's findings that name no one beside a role's own findings: the role's own say what it uses.

const TEMPLATE = [
  'Resources:',
  '  OrdersRole:',
  '    Type: AWS::IAM::Role',
  '    Properties:',
  '      RoleName: orders-api-role',
  '      AssumeRolePolicyDocument: {}',
  '      Policies:',
  '        - PolicyName: orders',
  '          PolicyDocument:',
  '            Version: "2012-10-17"',
  '            Statement:',
  '              - Effect: Allow',
  '                Action:',
  '                  - dynamodb:DeleteItem',
  '                  - dynamodb:GetItem',
  '                  - s3:GetObject',
  '                Resource: "*"',
  '',
].join('\n');

const ROLE_FINDINGS = JSON.stringify({
  findings: [{
    id: 'f1', resource: 'arn:aws:iam::111122223333:role/orders-api-role', resourceType: 'AWS::IAM::Role',
    findingType: 'UnusedPermission', status: 'ACTIVE', analyzedAt: '2026-11-01T10:00:00.000Z',
    findingDetails: [{ unusedPermissionDetails: { serviceNamespace: 'dynamodb', actions: [{ action: 'DeleteItem' }] } }],
  }],
});

test('a role\'s own findings are not cut down by the folder\'s: every action they call unused is shown', () => {
  const service = serviceOver(memoryFileSystem({
    '/ws/unused-access.json': findings({ s3: ['GetObject'] }),
    '/ws/billing.unused-access.json': ROLE_FINDINGS,
  }), ['/ws']);
  const document = doc('/ws/stack.yaml', TEMPLATE, 1, 'yaml');
  assert.deepEqual(diagnosticsOf(service, document).map((d) => [d.code, d.message]), [
    ['unused-action', 'Unused action dynamodb:DeleteItem: never used in the tracking period by role orders-api-role.'],
  ]);
  const hover = hoverText(service, document, offsetOf(TEMPLATE, 'dynamodb:DeleteItem'))!;
  assert.match(hover, /\*\*Unused:\*\* never used in the tracking period by role orders-api-role\./);
  // The folder's findings, which name no one, are not what this role's policy is judged by.
  assert.match(hover.split('\n\n').at(-1)!, /^_role orders-api-role · Findings: billing\.unused-access\.json \(analysed 2026-11-01\)/);
});
