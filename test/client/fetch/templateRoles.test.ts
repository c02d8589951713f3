import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rolesInDocument, templateRoles, terraformRoles } from '../../../client/src/fetch/templateRoles';
import { repoRoot } from '../../support/catalog';

const fixture = (path: string): string => readFileSync(join(repoRoot(), 'test/fixtures/workspaces/templates', path), 'utf8');

test('the roles the templates fixture names: CloudFormation YAML and JSON, and Terraform', () => {
  assert.deepEqual(rolesInDocument('cfn/stack.yaml', fixture('cfn/stack.yaml')), ['orders-api-role', 'orders-worker-role']);
  assert.deepEqual(rolesInDocument('cfn/stack.json', fixture('cfn/stack.json')), ['orders-reports-role']);
  assert.deepEqual(rolesInDocument('terraform/main.tf', fixture('terraform/main.tf')), ['tf-app-role']);
  assert.deepEqual(rolesInDocument('policy.txt', fixture('cfn/stack.yaml')), []);
});

test('expressions are not names; a plain policy file has no roles', () => {
  const yaml = [
    'Resources:',
    '  A:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      RoleName: !Sub ${AWS::StackName}-a',
    '  B:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    "      RoleName: 'quoted-b'  # named",
    '  C:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      RoleName: {"Fn::Sub": "x"}',
  ].join('\n');
  assert.deepEqual(templateRoles(yaml), ['quoted-b']);
  assert.deepEqual(templateRoles('{"Version": "2012-10-17", "Statement": [], "RoleName": "not-a-template"}'), []);
});

test('Terraform: the role block\'s own name, not its inline policies\' nor other resources\'', () => {
  const tf = `
resource "aws_iam_role" "app" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow" }] })
  inline_policy {
    name   = "inline-not-a-role"
    policy = "{}"
  }
  name = "app-role" # the role
}

resource "aws_iam_role" "generated" {
  name = "\${var.prefix}-role"
}

resource "aws_iam_policy" "p" {
  name = "a-policy"
}
`;
  assert.deepEqual(terraformRoles(tf), ['app-role']);
});
