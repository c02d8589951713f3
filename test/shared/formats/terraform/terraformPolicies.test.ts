import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourcePolicy } from '../../../../shared/src/policy/policySource';
import { property, type SourceNode } from '../../../../shared/src/policy/sourceTree';
import { readTerraformText } from '../../../support/terraform';
import { MAIN_TF, PRINCIPALS_TF } from './module';

function slice(text: string, node: SourceNode | undefined): string {
  assert.ok(node, 'node exists');
  return text.slice(node.offset, node.offset + node.length);
}

function policyOf(policies: readonly SourcePolicy[], resourceId: string): SourcePolicy {
  const policy = policies.find((p) => p.context?.resourceId === resourceId);
  assert.ok(policy, `a policy of ${resourceId}`);
  return policy;
}

/** The statements of a policy, as a list. */
function statements(policy: SourcePolicy): readonly SourceNode[] {
  return policy.statementNode.type === 'array' ? policy.statementNode.children ?? [] : [policy.statementNode];
}

/** Each element of a statement's `Action` as `[type, source text, value]`. */
function actions(text: string, statement: SourceNode | undefined, key = 'Action'): [string, string, unknown][] {
  assert.ok(statement);
  const list = property(statement, key);
  assert.ok(list, `${key} exists`);
  const items = list.type === 'array' ? list.children ?? [] : [list];
  return items.map((n) => [n.type, slice(text, n), n.value]);
}

test('every form of policy in a module file is found, with its address and the principals it is attached to', async () => {
  const file = await readTerraformText(MAIN_TF, [PRINCIPALS_TF]);
  assert.equal(file.format, 'terraform');
  assert.deepEqual(file.syntaxErrors, []);
  assert.deepEqual(file.policies.map((p) => [p.context?.resourceId, p.context?.principals]), [
    ['aws_iam_role_policy.app', [{ kind: 'role', id: 'aws_iam_role.app', name: 'app-role' }]],
    ['aws_iam_policy.shared', [
      { kind: 'role', id: 'aws_iam_role.worker' },
      { kind: 'role', id: 'aws_iam_role.app', name: 'app-role' },
      { kind: 'user', id: 'aws_iam_user.alice', name: 'alice' },
      { kind: 'user', id: 'bob', name: 'bob' },
    ]],
    ['aws_iam_user_policy.ci', [{ kind: 'user', id: 'ci-bot', name: 'ci-bot' }]],
    ['data.aws_iam_policy_document.read', [
      { kind: 'group', id: 'aws_iam_group.devs', name: 'developers' },
      { kind: 'role', id: 'legacy-role', name: 'legacy-role' },
    ]],
  ]);
});

test('without the rest of the module, references still name their principals, without names', async () => {
  const file = await readTerraformText(MAIN_TF);
  assert.deepEqual(file.policies.map((p) => [p.context?.resourceId, p.context?.principals]), [
    ['aws_iam_role_policy.app', [{ kind: 'role', id: 'aws_iam_role.app' }]],
    ['aws_iam_policy.shared', []],
    ['aws_iam_user_policy.ci', [{ kind: 'user', id: 'ci-bot', name: 'ci-bot' }]],
    ['data.aws_iam_policy_document.read', [{ kind: 'group', id: 'aws_iam_group.devs' }]],
  ]);
});

test('a role\'s inline_policy is the role\'s own; its assume_role_policy, jsonencode or not, is never a policy to refine', async () => {
  const file = await readTerraformText(PRINCIPALS_TF, [MAIN_TF]);
  assert.equal(file.policies.length, 1);
  const inline = file.policies[0]!;
  assert.deepEqual(inline.context, {
    resourceId: 'aws_iam_role.app', principals: [{ kind: 'role', id: 'aws_iam_role.app', name: 'app-role' }],
  });
  // `Statement` may be a single object.
  assert.equal(inline.statementNode.type, 'object');
  assert.deepEqual(actions(PRINCIPALS_TF, inline.statementNode), [['string', '"kms:Decrypt"', 'kms:Decrypt']]);
});

test('jsonencode: HCL objects and tuples as source nodes, keys bare, quoted or with colons; '
  + 'values that are not literals are expressions', async () => {
  const text = MAIN_TF;
  const policy = policyOf((await readTerraformText(text)).policies, 'aws_iam_role_policy.app');
  assert.equal(policy.node.type, 'object');
  assert.ok(slice(text, policy.node).startsWith('{\n    Version = "2012-10-17"'));
  assert.equal(slice(text, policy.anchor), 'Statement');
  assert.equal(policy.statementNode.type, 'array');
  assert.equal(policy.defaultEffect, undefined);
  const [read, queue] = statements(policy);
  assert.equal(slice(text, property(read!, 'Sid')), '"Read"');
  assert.equal(property(read!, 'Effect')?.value, 'Allow');
  assert.deepEqual(actions(text, read), [
    ['string', '"s3:GetObject"', 's3:GetObject'],
    ['string', '"s3:List*"', 's3:List*'],
    ['expression', 'var.extra_action', 'var.extra_action'],
    ['expression', '"s3:${var.verb}Bucket"', '"s3:${var.verb}Bucket"'],
  ]);
  // `"Effect" : "Allow"`: a quoted key spans its quotes, and its value is the name.
  const effect = queue!.children?.[0];
  assert.equal(effect?.type, 'property');
  assert.equal(slice(text, effect?.children?.[0]), '"Effect"');
  assert.equal(effect?.children?.[0]?.value, 'Effect');
  assert.deepEqual(actions(text, queue), [['string', '"sqs:*"', 'sqs:*']]);
  const resource = property(queue!, 'Resource');
  assert.deepEqual([resource?.type, resource?.value], ['expression', 'aws_sqs_queue.jobs.arn']);
  // Parents link every node back to the policy.
  assert.equal(property(read!, 'Action')?.parent?.parent, read);
  assert.equal(read!.parent, policy.statementNode);
});

test('HCL literals: escapes decoded, numbers, booleans and null typed; '
  + 'anything computed is an expression, described by its text', async () => {
  const literals = '"a\\"b\\\\c\\u00e9", "$${literal}", 12, true, null, -1';
  const computed = 'local.list[0], upper("x"), var.on ? "s3:A" : "s3:B", [for a in var.as : a]';
  const text = `resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow"
      Action = [${literals}, ${computed}]
      Condition = { Bool = { "aws:SecureTransport" = "true" } }
      NotResource = local.resources
      (local.key) = "x"
    }]
  })
}
`;
  const policy = (await readTerraformText(text)).policies[0]!;
  const statement = statements(policy)[0];
  assert.deepEqual(actions(text, statement), [
    ['string', '"a\\"b\\\\c\\u00e9"', 'a"b\\cé'],
    ['string', '"$${literal}"', '${literal}'],
    ['number', '12', 12],
    ['boolean', 'true', true],
    ['null', 'null', null],
    ['expression', '-1', '-1'],
    ['expression', 'local.list[0]', 'local.list[0]'],
    ['expression', 'upper("x")', 'upper("x")'],
    ['expression', 'var.on ? "s3:A" : "s3:B"', 'var.on ? "s3:A" : "s3:B"'],
    ['expression', '[for a in var.as : a]', '[for a in var.as : a]'],
  ]);
  const condition = property(statement!, 'Condition');
  assert.equal(property(property(condition!, 'Bool')!, 'aws:SecureTransport')?.value, 'true');
  assert.equal(property(statement!, 'NotResource')?.type, 'expression');
  const computedKey = statement!.children?.at(-1)?.children?.[0];
  assert.deepEqual([computedKey?.type, slice(text, computedKey)], ['expression', '(local.key)']);
});

test('a long expression is described by its first 40 characters, on one line', async () => {
  const text = `resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [{
      Effect = "Allow"
      Action = concat(
        var.first_list_of_actions,
        var.second_list_of_actions,
      )
    }]
  })
}
`;
  const policy = (await readTerraformText(text)).policies[0]!;
  const action = property(statements(policy)[0]!, 'Action');
  assert.equal(action?.type, 'expression');
  assert.equal(action?.value, 'concat( var.first_list_of_actions, var.…');
  assert.equal((action?.value as string).length, 40);
});

test('heredoc JSON: nodes at their offsets in the .tf text; ${…} inside a string makes it an expression', async () => {
  const text = MAIN_TF;
  const policy = policyOf((await readTerraformText(text)).policies, 'aws_iam_policy.shared');
  assert.equal(slice(text, policy.anchor), '"Statement"');
  assert.ok(slice(text, policy.node).startsWith('{\n      "Version": "2012-10-17",'));
  const statement = statements(policy)[0];
  assert.deepEqual(actions(text, statement), [
    ['string', '"dynamodb:GetItem"', 'dynamodb:GetItem'],
    ['expression', '"dynamodb:${var.operation}"', '"dynamodb:${var.operation}"'],
    ['string', '"dynamodb:Query"', 'dynamodb:Query'],
  ]);
  assert.equal(property(statement!, 'Resource')?.type, 'expression');
});

test('heredoc JSON: an interpolation outside strings stands for one value; `$${` is a literal `${`', async () => {
  const text = `resource "aws_iam_role_policy" "p" {
  role   = "r"
  policy = <<EOF
{"Statement": [
  {"Effect": "Allow", "Action": \${jsonencode(var.actions)}, "Resource": "*"},
  {"Effect": "Allow", "Action": ["s3:GetObject", \${var.more}], "Resource": "arn:$\${aws:username}"}
]}
EOF
}
`;
  const file = await readTerraformText(text);
  assert.deepEqual(file.syntaxErrors, []);
  const [first, second] = statements(file.policies[0]!);
  const whole = property(first!, 'Action');
  assert.deepEqual([whole?.type, slice(text, whole)], ['expression', '${jsonencode(var.actions)}']);
  assert.deepEqual(actions(text, second), [
    ['string', '"s3:GetObject"', 's3:GetObject'],
    ['expression', '${var.more}', '${var.more}'],
  ]);
  assert.equal(property(second!, 'Resource')?.value, 'arn:${aws:username}');
});

test('quoted JSON: decoded, and every node spans its escaped source text exactly', async () => {
  const text = MAIN_TF;
  const policy = policyOf((await readTerraformText(text)).policies, 'aws_iam_user_policy.ci');
  assert.equal(slice(text, policy.anchor), '\\"Statement\\"');
  assert.equal(policy.anchor.children, undefined);
  const statement = statements(policy)[0];
  assert.deepEqual(actions(text, statement), [
    ['string', '\\"ec2:Describe*\\"', 'ec2:Describe*'],
    ['string', '\\"ec2:StartInstances\\"', 'ec2:StartInstances'],
  ]);
  const resource = property(statement!, 'Resource');
  assert.equal(resource?.type, 'expression');
  assert.equal(slice(text, resource), '\\"arn:aws:ec2:*:${var.account}:instance/*\\"');
  assert.equal(slice(text, policy.node), text.slice(text.indexOf('{\\"Version'), text.indexOf('}]}"') + 3));
});

test('quoted JSON with \\n and \\u escapes maps offsets through them', async () => {
  const text = 'resource "aws_iam_group_policy" "g" {\n  group  = "ops"\n'
    + '  policy = "{\\n  \\"Statement\\": {\\"Effect\\": \\"Allow\\", \\"Action\\": \\"\\u00733:Get*\\"}\\n}"\n}\n';
  const policy = (await readTerraformText(text)).policies[0]!;
  assert.equal(policy.statementNode.type, 'object');
  assert.deepEqual(actions(text, policy.statementNode), [['string', '\\"\\u00733:Get*\\"', 's3:Get*']]);
});

test('aws_iam_policy_document: statement blocks as objects keyed as the policy grammar spells them; effect defaults to Allow', async () => {
  const text = MAIN_TF;
  const policy = policyOf((await readTerraformText(text)).policies, 'data.aws_iam_policy_document.read');
  assert.equal(policy.defaultEffect, 'Allow');
  assert.equal(slice(text, policy.anchor), '"aws_iam_policy_document"');
  assert.ok(slice(text, policy.node).startsWith('data "aws_iam_policy_document" "read" {'));
  assert.equal(policy.statementNode.type, 'array');
  const [logs, kms] = statements(policy);
  assert.ok(slice(text, logs).startsWith('statement {\n    sid    = "Logs"'));
  assert.ok(slice(text, logs).endsWith('resources = ["*"]\n  }'));
  assert.deepEqual(logs!.children?.map((p) => [p.children?.[0]?.value, slice(text, p.children?.[0])]), [
    ['Sid', 'sid'], ['Effect', 'effect'], ['Action', 'actions'], ['resources', 'resources'],
  ]);
  assert.deepEqual(actions(text, logs), [
    ['string', '"logs:CreateLogStream"', 'logs:CreateLogStream'],
    ['string', '"logs:PutLogEvents"', 'logs:PutLogEvents'],
  ]);
  const kmsActions = property(kms!, 'Action');
  assert.deepEqual([kmsActions?.type, kmsActions?.value], ['expression', 'var.kms_actions']);
  assert.equal(property(kms!, 'Effect'), undefined);
});

test('not_actions and dynamic statements: NotAction, and an expression for what for_each makes', async () => {
  const text = `data "aws_iam_policy_document" "deny" {
  statement {
    effect      = "Deny"
    not_actions = ["iam:*"]
    resources   = ["*"]
  }
  dynamic "statement" {
    for_each = var.extra
    content {
      actions = statement.value
    }
  }
}
`;
  const policy = (await readTerraformText(text)).policies[0]!;
  const [deny, generated] = statements(policy);
  assert.deepEqual(actions(text, deny, 'NotAction'), [['string', '"iam:*"', 'iam:*']]);
  assert.equal(property(deny!, 'Effect')?.value, 'Deny');
  assert.equal(generated?.type, 'expression');
  assert.ok(slice(text, generated).startsWith('dynamic "statement" {'));
});

test('trust policies, resource policies, files, templates and variables are not read', async () => {
  const text = `data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    actions = ["s3:GetObject"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.trust.json]
}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_policy" "a" {
  policy = var.policy_json
}

resource "aws_iam_policy" "b" {
  policy = jsonencode(local.policy)
}

resource "aws_s3_bucket_policy" "b" {
  bucket = "b"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:*" }] })
}
`;
  const file = await readTerraformText(text);
  assert.deepEqual(file.policies, []);
  assert.deepEqual(file.syntaxErrors, []);
});

test('heredoc JSON with %{ } directives: a directive that stands for values is an expression; '
  + 'one that breaks the JSON skips the policy', async () => {
  const generated = `resource "aws_iam_policy" "generated" {
  policy = <<EOF
{"Statement": [%{ for a in var.actions }{"Effect": "Allow", "Action": "\${a}"},%{ endfor }]}
EOF
}
`;
  const file = await readTerraformText(generated);
  assert.deepEqual(file.syntaxErrors, []);
  const only = statements(file.policies[0]!);
  assert.equal(only.length, 1);
  assert.equal(only[0]?.type, 'expression');
  assert.ok(slice(generated, only[0]).startsWith('%{ for a in var.actions }'));

  const spliced = `resource "aws_iam_policy" "spliced" {
  policy = <<EOF
{"Statement": [{"Effect": "Allow", \${local.action_property}}]}
EOF
}
`;
  const skipped = await readTerraformText(spliced);
  assert.deepEqual(skipped.policies, []);
  assert.deepEqual(skipped.syntaxErrors, [], 'errors that only Terraform\'s templating causes are not reported');
});

test('a trust document used by a role in another file of the module is not read', async () => {
  const trust = 'data "aws_iam_policy_document" "trust" {\n  statement {\n    actions = ["sts:AssumeRole"]\n  }\n}\n';
  assert.equal((await readTerraformText(trust)).policies.length, 1);
  const role = 'resource "aws_iam_role" "r" {\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n';
  assert.equal((await readTerraformText(trust, [role])).policies.length, 0);
});

test('HCL syntax errors are located; the policies that parse are still read', async () => {
  const text = `resource "aws_iam_policy" "ok" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["s3:GetObject"] }] })
}

resource "aws_iam_policy" "broken" {
  name = = "x"
}
`;
  const file = await readTerraformText(text);
  assert.equal(file.policies.length, 1);
  assert.ok(file.syntaxErrors.length >= 1);
  const [error] = file.syntaxErrors;
  assert.equal(error?.code, 'hcl-syntax');
  assert.equal(error?.severity, 'error');
  const line = text.slice(0, error!.span.offset).split('\n').length;
  assert.equal(line, 6, `the error is on the line with "= =": ${JSON.stringify(error)}`);
});

test('an unclosed block is reported', async () => {
  const file = await readTerraformText('resource "aws_iam_policy" "p" {\n  name = "x"\n');
  assert.ok(file.syntaxErrors.length >= 1);
  assert.ok(file.syntaxErrors.every((e) => e.code === 'hcl-syntax' && e.span.offset >= 0));
});

test('JSON errors in a heredoc or a quoted policy are located in the .tf text', async () => {
  const heredoc = `resource "aws_iam_policy" "p" {
  policy = <<-EOF
    {
      "Statement": [{"Effect": "Allow" "Action": "s3:GetObject"}]
    }
  EOF
}
`;
  const file = await readTerraformText(heredoc);
  assert.equal(file.syntaxErrors.length, 1);
  const [error] = file.syntaxErrors;
  assert.equal(error?.code, 'json-syntax');
  assert.equal(error?.message, 'Expected a comma.');
  assert.equal(error?.span.offset, heredoc.indexOf('"Action"'));
  // The policy is read as far as it parses.
  assert.equal(file.policies.length, 1);

  const quoted = 'resource "aws_iam_policy" "q" {\n  policy = "{\\"Statement\\": [}"\n}\n';
  const errors = (await readTerraformText(quoted)).syntaxErrors;
  assert.equal(errors[0]?.code, 'json-syntax');
  assert.equal(errors[0]?.span.offset, quoted.indexOf('}"'));
});
