import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourcePolicy } from '../../../../shared/src/policy/policySource';
import { property, type SourceNode } from '../../../../shared/src/policy/sourceTree';
import { applyEdits, type TextEdit } from '../../../../shared/src/text/textEdit';
import { parsesCleanly, readTerraformText } from '../../../support/terraform';
import { MAIN_TF } from './module';

async function policyOf(text: string, resourceId: string): Promise<SourcePolicy> {
  const file = await readTerraformText(text);
  assert.deepEqual(file.syntaxErrors, []);
  const policy = file.policies.find((p) => p.context?.resourceId === resourceId);
  assert.ok(policy, `a policy of ${resourceId}`);
  return policy;
}

function statement(policy: SourcePolicy, index: number): SourceNode {
  const s = policy.statementNode.type === 'array' ? policy.statementNode.children?.[index] : policy.statementNode;
  assert.ok(s, `statement ${index}`);
  return s;
}

function list(policy: SourcePolicy, index: number, key = 'Action'): SourceNode {
  const node = property(statement(policy, index), key);
  assert.ok(node, `${key} of statement ${index}`);
  return node;
}

/** Applies edits, and checks that the result is still Terraform that tree-sitter parses without errors. */
async function edited(text: string, edits: readonly TextEdit[]): Promise<string> {
  assert.ok(edits.length > 0, 'there are edits');
  const result = applyEdits(text, edits);
  assert.ok(await parsesCleanly(result), `still parses:\n${result}`);
  return result;
}

/** `text` with `before` (which must occur once) replaced by `after`. */
function replaced(text: string, before: string, after: string): string {
  assert.equal(text.split(before).length, 2, `"${before}" occurs once`);
  return text.replace(before, () => after);
}

const ACTIONS_APP = `        Action = [
          "s3:GetObject", # objects
          "s3:List*",
          var.extra_action,
          "s3:\${var.verb}Bucket",
        ]`;

test('jsonencode: an action replaced by several, another removed with its # comment; expressions stay as they are', async () => {
  const policy = await policyOf(MAIN_TF, 'aws_iam_role_policy.app');
  const edits = policy.writer.editList(list(policy, 0), new Map([[0, []], [1, ['s3:ListBucket', 's3:ListAllMyBuckets']]]));
  assert.equal(await edited(MAIN_TF, edits), replaced(MAIN_TF, ACTIONS_APP, `        Action = [
          "s3:ListBucket",
          "s3:ListAllMyBuckets",
          var.extra_action,
          "s3:\${var.verb}Bucket",
        ]`));
});

test('jsonencode: appending follows the list\'s trailing comma', async () => {
  const policy = await policyOf(MAIN_TF, 'aws_iam_role_policy.app');
  const edits = policy.writer.appendToList(list(policy, 0), ['s3:GetBucketLocation']);
  assert.equal(await edited(MAIN_TF, edits), replaced(MAIN_TF, ACTIONS_APP, `        Action = [
          "s3:GetObject", # objects
          "s3:List*",
          var.extra_action,
          "s3:\${var.verb}Bucket",
          "s3:GetBucketLocation",
        ]`));
});

test('jsonencode: a statement object is removed from the tuple with its lines', async () => {
  const policy = await policyOf(MAIN_TF, 'aws_iam_role_policy.app');
  const edits = policy.writer.removeStatements(policy.statementNode, [statement(policy, 1)]);
  assert.equal(await edited(MAIN_TF, edits), replaced(MAIN_TF, `      },
      {
        "Effect" : "Allow",
        "Action" : "sqs:*",
        "Resource" : aws_sqs_queue.jobs.arn
      },
    ]`, `      },
    ]`));
});

test('jsonencode: an Action string becomes a tuple laid out like the object around it', async () => {
  const policy = await policyOf(MAIN_TF, 'aws_iam_role_policy.app');
  const scalar = list(policy, 1);
  const edits = policy.writer.replaceScalar(scalar, statement(policy, 1), ['sqs:SendMessage', 'sqs:ReceiveMessage'], false);
  assert.equal(await edited(MAIN_TF, edits), replaced(MAIN_TF, `        "Action" : "sqs:*",`, `        "Action" : [
          "sqs:SendMessage",
          "sqs:ReceiveMessage"
        ],`));
});

test('jsonencode on one line stays on one line', async () => {
  const text = 'resource "aws_iam_policy" "p" {\n  policy = jsonencode({ Statement = ['
    + '{ Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "*" }, { Effect = "Allow", Action = "sqs:*" }] })\n}\n';
  const policy = await policyOf(text, 'aws_iam_policy.p');
  const removeEntry = policy.writer.editList(list(policy, 0), new Map([[1, []]]));
  assert.equal(await edited(text, removeEntry), replaced(text, '["s3:GetObject", "s3:PutObject"]', '["s3:GetObject"]'));
  const removeStatement = policy.writer.removeStatements(policy.statementNode, [statement(policy, 1)]);
  assert.equal(await edited(text, removeStatement), replaced(text, ', { Effect = "Allow", Action = "sqs:*" }', ''));
});

test('heredoc (<<-): edits keep the heredoc\'s indentation and leave interpolations alone', async () => {
  const policy = await policyOf(MAIN_TF, 'aws_iam_policy.shared');
  const edits = policy.writer.editList(list(policy, 0), new Map([[0, ['dynamodb:GetItem', 'dynamodb:BatchGetItem']], [2, []]]));
  assert.equal(await edited(MAIN_TF, edits), replaced(MAIN_TF, `          "Action": [
            "dynamodb:GetItem",
            "dynamodb:\${var.operation}",
            "dynamodb:Query"
          ],`, `          "Action": [
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:\${var.operation}"
          ],`));
  const appended = await edited(MAIN_TF, policy.writer.appendToList(list(policy, 0), ['dynamodb:Scan']));
  assert.ok(appended.includes(`            "dynamodb:Query",
            "dynamodb:Scan"
          ],`));
  // The edited heredoc still reads as the same policy, with the new action.
  const reread = (await readTerraformText(appended)).policies.find((p) => p.context?.resourceId === 'aws_iam_policy.shared');
  assert.deepEqual(list(reread!, 0).children?.map((n) => n.value), [
    'dynamodb:GetItem', '"dynamodb:${var.operation}"', 'dynamodb:Query', 'dynamodb:Scan',
  ]);
});

test('heredoc: removing a statement takes its lines', async () => {
  const text = `resource "aws_iam_role_policy" "p" {
  role   = "r"
  policy = <<-POLICY
    {
      "Statement": [
        { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" },
        { "Effect": "Allow", "Action": "sqs:*", "Resource": "*" }
      ]
    }
  POLICY
}
`;
  const policy = await policyOf(text, 'aws_iam_role_policy.p');
  const edits = policy.writer.removeStatements(policy.statementNode, [statement(policy, 1)]);
  assert.equal(await edited(text, edits), replaced(text, `"*" },
        { "Effect": "Allow", "Action": "sqs:*", "Resource": "*" }
`, `"*" }
`));
});

test('quoted JSON: edits are made in the JSON and written back escaped; the string still holds the JSON', async () => {
  const policy = await policyOf(MAIN_TF, 'aws_iam_user_policy.ci');
  const edits = policy.writer.editList(list(policy, 0), new Map([[0, ['ec2:DescribeInstances', 'ec2:DescribeTags']], [1, []]]));
  const result = await edited(MAIN_TF, edits);
  assert.equal(result,
    replaced(MAIN_TF, '[\\"ec2:Describe*\\",\\"ec2:StartInstances\\"]', '[\\"ec2:DescribeInstances\\",\\"ec2:DescribeTags\\"]'));
  const reread = (await readTerraformText(result)).policies.find((p) => p.context?.resourceId === 'aws_iam_user_policy.ci');
  assert.deepEqual(list(reread!, 0).children?.map((n) => n.value), ['ec2:DescribeInstances', 'ec2:DescribeTags']);
  assert.equal(property(statement(reread!, 0), 'Resource')?.type, 'expression', 'the interpolation is untouched');
});

test('quoted JSON: new text is escaped for HCL: quotes, backslashes, and ${ that must not become a template', async () => {
  const policy = await policyOf(MAIN_TF, 'aws_iam_user_policy.ci');
  const edits = policy.writer.appendToList(list(policy, 0), ['odd${x}"\\']);
  assert.deepEqual(edits.map((e) => e.newText), [',\\"odd$${x}\\\\\\"\\\\\\\\\\"']);
  const result = await edited(MAIN_TF, edits);
  const reread = (await readTerraformText(result)).policies.find((p) => p.context?.resourceId === 'aws_iam_user_policy.ci');
  assert.deepEqual(list(reread!, 0).children?.map((n) => n.value), ['ec2:Describe*', 'ec2:StartInstances', 'odd${x}"\\']);
});

test('quoted JSON on several lines (\\n escapes): a string Action becomes a list on the JSON\'s own lines', async () => {
  const text = 'resource "aws_iam_group_policy" "g" {\n  group  = "ops"\n'
    + '  policy = "{\\n  \\"Statement\\": {\\n    \\"Effect\\": \\"Allow\\",\\n    \\"Action\\": \\"s3:Get*\\"\\n  }\\n}"\n}\n';
  const policy = await policyOf(text, 'aws_iam_group_policy.g');
  const edits = policy.writer.replaceScalar(list(policy, 0), policy.statementNode, ['s3:GetObject', 's3:GetBucketPolicy'], false);
  const result = await edited(text, edits);
  assert.equal(result, replaced(text, '\\"Action\\": \\"s3:Get*\\"',
    '\\"Action\\": [\\n      \\"s3:GetObject\\",\\n      \\"s3:GetBucketPolicy\\"\\n    ]'));
});

const READ_DOCUMENT = `data "aws_iam_policy_document" "read" {
  statement {
    sid    = "Logs"
    effect = "Allow"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents", # writes
    ]
    resources = ["*"]
  }

  statement {
    actions   = var.kms_actions
    resources = [aws_kms_key.main.arn]
  }
}`;

test('aws_iam_policy_document: list edits keep comments and trailing commas', async () => {
  const policy = await policyOf(MAIN_TF, 'data.aws_iam_policy_document.read');
  const edits = policy.writer.editList(list(policy, 0), new Map([[0, ['logs:CreateLogGroup', 'logs:CreateLogStream']], [1, []]]));
  assert.equal(await edited(MAIN_TF, edits), replaced(MAIN_TF, `    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents", # writes
    ]`, `    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
    ]`));
  const appended = await edited(MAIN_TF, policy.writer.appendToList(list(policy, 0), ['logs:DescribeLogStreams']));
  assert.ok(appended.includes(`      "logs:PutLogEvents", # writes
      "logs:DescribeLogStreams",
    ]`));
});

test('aws_iam_policy_document: removing a statement block takes its lines and the blank line it would leave behind', async () => {
  const policy = await policyOf(MAIN_TF, 'data.aws_iam_policy_document.read');
  const [logs, kms] = [statement(policy, 0), statement(policy, 1)];
  const removeLast = policy.writer.removeStatements(policy.statementNode, [kms]);
  assert.equal(await edited(MAIN_TF, removeLast), replaced(MAIN_TF, READ_DOCUMENT, `data "aws_iam_policy_document" "read" {
  statement {
    sid    = "Logs"
    effect = "Allow"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents", # writes
    ]
    resources = ["*"]
  }
}`));
  const removeFirst = policy.writer.removeStatements(policy.statementNode, [logs]);
  assert.equal(await edited(MAIN_TF, removeFirst), replaced(MAIN_TF, READ_DOCUMENT, `data "aws_iam_policy_document" "read" {
  statement {
    actions   = var.kms_actions
    resources = [aws_kms_key.main.arn]
  }
}`));
  const removeBoth = policy.writer.removeStatements(policy.statementNode, [kms, logs]);
  assert.equal(await edited(MAIN_TF, removeBoth), replaced(MAIN_TF, READ_DOCUMENT, 'data "aws_iam_policy_document" "read" {\n}'));
});

test('aws_iam_policy_document: a middle statement goes with one of the blank lines around it; '
  + 'other attributes and comments stay', async () => {
  const text = `data "aws_iam_policy_document" "d" {
  version = "2012-10-17"

  statement {
    actions = ["s3:GetObject"]
  }

  # Queue access.
  statement {
    actions = ["sqs:*"]
  } # end of queue

  statement {
    actions = ["sns:Publish"]
  }
}
`;
  const policy = await policyOf(text, 'data.aws_iam_policy_document.d');
  const edits = policy.writer.removeStatements(policy.statementNode, [statement(policy, 1)]);
  assert.equal(await edited(text, edits), `data "aws_iam_policy_document" "d" {
  version = "2012-10-17"

  statement {
    actions = ["s3:GetObject"]
  }

  # Queue access.

  statement {
    actions = ["sns:Publish"]
  }
}
`);
  const first = policy.writer.removeStatements(policy.statementNode, [statement(policy, 0)]);
  assert.equal(await edited(text, first), replaced(text, `  statement {
    actions = ["s3:GetObject"]
  }

`, ''));
});

test('aws_iam_policy_document: a bare string becomes a list (Terraform wants one); an empty list is filled on its own lines', async () => {
  const text = `data "aws_iam_policy_document" "d" {
  statement {
    actions   = "s3:Get*"
    resources = ["*"]
  }
  statement {
    actions = []
  }
}
`;
  const policy = await policyOf(text, 'data.aws_iam_policy_document.d');
  const one = policy.writer.replaceScalar(list(policy, 0), statement(policy, 0), ['s3:GetObject'], false);
  assert.equal(await edited(text, one), replaced(text, '"s3:Get*"', '["s3:GetObject"]'));
  const kept = policy.writer.replaceScalar(list(policy, 0), statement(policy, 0), ['s3:GetObject'], true);
  assert.equal(await edited(text, kept), replaced(text, 'actions   = "s3:Get*"', `actions   = [
      "s3:Get*",
      "s3:GetObject"
    ]`));
  const filled = policy.writer.appendToList(list(policy, 1), ['sqs:SendMessage']);
  assert.equal(await edited(text, filled), replaced(text, 'actions = []', `actions = [
      "sqs:SendMessage"
    ]`));
});

test('CRLF line endings carry into HCL edits', async () => {
  const text = MAIN_TF.replace(/\n/g, '\r\n');
  const policy = await policyOf(text, 'data.aws_iam_policy_document.read');
  const edits = policy.writer.editList(list(policy, 0), new Map([[0, ['logs:CreateLogGroup', 'logs:CreateLogStream']]]));
  const result = await edited(text, edits);
  assert.ok(result.includes('      "logs:CreateLogGroup",\r\n      "logs:CreateLogStream",\r\n'));
  assert.ok(!/[^\r]\n/.test(result), 'no bare \\n');
  const removed = await edited(text, policy.writer.removeStatements(policy.statementNode, [statement(policy, 1)]));
  assert.ok(removed.includes('    resources = ["*"]\r\n  }\r\n}\r\n\r\ndata "aws_iam_policy_document" "assume"'));
});
