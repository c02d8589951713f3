import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parsePolicyFile } from '../../../../shared/src/formats/json/jsonSource';
import { parseYamlPolicyFile } from '../../../../shared/src/formats/yaml/yamlSource';
import type { PolicyFile } from '../../../../shared/src/policy/policyDocument';
import { fixturePath } from '../../../support/templates';

/** Each policy as `resource → principals`, principals as `kind id (name)`. */
function owners(file: PolicyFile): string[] {
  return file.policies.map((p) => {
    const context = p.source.context!;
    const principals = context.principals.map((r) => `${r.kind} ${r.id}${r.name ? ` (${r.name})` : ''}`);
    return `${context.resourceId} → ${principals.join(', ') || 'none'}`;
  });
}

test('identity policies only: trust policies and resource policies of a template are not read', () => {
  const file = parseYamlPolicyFile(readFileSync(fixturePath('cfn/stack.yaml'), 'utf8'));
  assert.deepEqual(owners(file), [
    'OrdersApiRole → role OrdersApiRole (orders-api-role)',
    'QueueAccessPolicy → role OrdersWorkerRole (orders-worker-role), role OrdersApiRole (orders-api-role)',
  ]);
  assert.deepEqual(file.syntaxErrors, []);
  const json = parsePolicyFile(readFileSync(fixturePath('cfn/stack.json'), 'utf8'));
  assert.deepEqual(owners(json), ['ReportsPolicy → role ReportsRole (orders-reports-role)']);
});

test('every resource type that holds an identity policy, and every way a template names a principal', () => {
  const text = `Resources:
  Admins:
    Type: AWS::IAM::Group
    Properties:
      GroupName: admins
      Policies:
        - PolicyName: g
          PolicyDocument: { Statement: [{ Effect: Allow, Action: s3:Get*, Resource: "*" }] }
  Alice:
    Type: AWS::IAM::User
    Properties:
      UserName: alice
      Groups: [!Ref Admins]
      Policies:
        - PolicyName: u
          PolicyDocument: { Statement: [{ Effect: Allow, Action: s3:Put*, Resource: "*" }] }
  Bob:
    Type: AWS::IAM::User
    Properties:
      Groups: [admins]
  Worker:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: ecs-tasks.amazonaws.com }, Action: sts:AssumeRole }] }
  WorkerPolicy:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref Worker
      PolicyName: w
      PolicyDocument: { Statement: [{ Effect: Allow, Action: sqs:*, Resource: "*" }] }
  Literal:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: l
      Roles: [existing-role]
      Users: [!Ref Alice]
      PolicyDocument: { Statement: [{ Effect: Allow, Action: sns:*, Resource: "*" }] }
  Unattached:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: { Statement: [{ Effect: Allow, Action: kms:*, Resource: "*" }] }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Worker.Arn
      Policies: { Statement: [{ Effect: Allow, Action: logs:*, Resource: "*" }] }
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Policies:
        - Version: "2012-10-17"
          Statement: [{ Effect: Allow, Action: states:*, Resource: "*" }]
        - LambdaInvokePolicy: { FunctionName: !Ref Fn }
`;
  assert.deepEqual(owners(parseYamlPolicyFile(text)), [
    'Admins → user Alice (alice), user Bob',
    'Alice → user Alice (alice)',
    'WorkerPolicy → role Worker',
    'Literal → role existing-role (existing-role), user Alice (alice)',
    'Unattached → none',
    'Fn → role Worker',
    'Machine → role Machine',
  ]);
});

test('values not known until deployment: noted where they are, and the literal ones around them still read', () => {
  const text = `{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [
  {"Effect": "Allow", "Action": ["s3:GetObject", {"Ref": "ExtraAction"}]},
  {"Effect": {"Fn::If": ["C", "Allow", "Deny"]}, "Action": "s3:*"},
  {"Effect": "Allow", "NotAction": {"Fn::Split": [",", "a,b"]}}
]}}}}}`;
  const file = parsePolicyFile(text);
  assert.deepEqual(file.problems.map((p) => [p.severity, p.code, text.slice(p.span.offset, p.span.offset + p.span.length)]), [
    ['info', 'dynamic-value', '{"Ref": "ExtraAction"}'],
    ['info', 'dynamic-value', '{"Fn::If": ["C", "Allow", "Deny"]}'],
    ['info', 'dynamic-value', '{"Fn::Split": [",", "a,b"]}'],
  ]);
  assert.equal(file.problems[0]!.message, 'Ref is not known until deployment and cannot be analysed statically: it is left as it is.');
  const [first, second, third] = file.policies[0]!.statements;
  assert.deepEqual(first!.entries.map((e) => [e.value, e.dynamic === true, e.pattern?.text]), [
    ['s3:GetObject', false, 's3:GetObject'], ['Ref', true, undefined],
  ]);
  assert.equal(second!.effect, undefined, 'an Effect that is not known is neither Allow nor Deny');
  assert.deepEqual(third!.entries.map((e) => e.dynamic), [true], 'a whole list given by an expression is one dynamic entry');
});
