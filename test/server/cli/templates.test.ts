import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, testCatalog } from '../../support/catalog';
import { runCli, workspace } from '../../support/cli';

// iam-refine on templates: CloudFormation and SAM in YAML and JSON, and Terraform modules. Each run
// is on a throw-away copy of the fixture repository (a `.git` marks its root), so that paths print
// relative to it and only its own findings files are read.

const TEMPLATES = join(repoRoot(), 'test', 'fixtures', 'workspaces', 'templates');

/** A copy of the templates repository, with `extra` files (path → content) added. */
function templatesRepo(extra: Record<string, string> = {}): string {
  const root = workspace({ '.git/': '', ...extra });
  cpSync(TEMPLATES, root, { recursive: true });
  return root;
}

const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');

// The expected diffs and refined texts, written out in full.

const STACK_JSON_DIFF = `--- a/cfn/stack.json
+++ b/cfn/stack.json
@@ -26,19 +26,18 @@
               "Sid": "Results",
               "Effect": "Allow",
               "Action": [
-                "s3:GetObject*",
+                "s3:GetObject",
+                "s3:GetObjectAcl",
+                "s3:GetObjectAnnotation",
+                "s3:GetObjectAttributes",
+                "s3:GetObjectLegalHold",
+                "s3:GetObjectRetention",
+                "s3:GetObjectTagging",
+                "s3:GetObjectVersion*",
-                "s3:PutObject",
-                "s3:DeleteObject",
                 { "Fn::Join": [":", ["athena", "StartQueryExecution"]] }
               ],
               "Resource": "*"
-            },
+            }
-            {
-              "Sid": "Athena",
-              "Effect": "Allow",
-              "Action": "athena:DeleteWorkGroup",
-              "Resource": "*"
-            }
           ]
         }
       }
`;

const STACK_YAML_DIFF = `--- a/cfn/stack.yaml
+++ b/cfn/stack.yaml
@@ -33,14 +33,8 @@
                 Action:
                   - dynamodb:GetItem
                   - dynamodb:PutItem
-                  - dynamodb:DeleteItem
-                  - dynamodb:Scan   # reporting, moved to Athena
                   - !Sub "\${QueueService}:SendMessage"
                 Resource: !GetAtt OrdersTable.Arn
-              - Sid: Keys
-                Effect: Allow
-                Action: [kms:Decrypt, "kms:GenerateDataKey*"]
-                Resource: "*"
               - !If
                 - IsProd
                 - Effect: Allow
@@ -73,7 +67,6 @@
             Action:
               - 'sqs:SendMessage'
               - 'sqs:ReceiveMessage'
-              - 'sqs:PurgeQueue'
               - 'sqs:DeleteQueue'
             Resource: !GetAtt OrdersQueue.Arn
 
`;

const SAM_DIFF = `--- a/sam-app/template.yaml
+++ b/sam-app/template.yaml
@@ -22,8 +22,20 @@
               Action:
                 - dynamodb:GetItem
                 - dynamodb:Query
-                - dynamodb:DeleteItem  # cleanup job, long gone
               Resource: !Sub arn:aws:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/\${TableName}
             - Effect: Allow
-              Action: 'sqs:*'
+              Action:
+                - 'sqs:AddPermission'
+                - 'sqs:CancelMessageMoveTask'
+                - 'sqs:ChangeMessageVisibility'
+                - 'sqs:DeleteMessage'
+                - 'sqs:Get*'
+                - 'sqs:List*'
+                - 'sqs:ReceiveMessage'
+                - 'sqs:RemovePermission'
+                - 'sqs:SendMessage'
+                - 'sqs:SetQueueAttributes'
+                - 'sqs:StartMessageMoveTask'
+                - 'sqs:TagQueue'
+                - 'sqs:UntagQueue'
               Resource: '*'
`;

const IAM_TF_DIFF = `--- a/terraform/iam.tf
+++ b/terraform/iam.tf
@@ -1,15 +1,9 @@
 data "aws_iam_policy_document" "bucket_admin" {
   statement {
     sid     = "Read"
-    actions = ["s3:GetObjectTorrent", "s3:ListBucket"]
+    actions = ["s3:ListBucket"]
     resources = ["*"]
   }
-
-  statement {
-    sid       = "Admin"
-    actions   = ["s3:PutBucketPolicy"]
-    resources = ["*"]
-  }
 
   statement {
     effect    = "Deny"
`;

/** terraform/main.tf's bucket actions, refined: `s3:GetObject*` without the unused one. */
const BUCKET_ACTIONS = '["s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectAnnotation", "s3:GetObjectAttributes", "s3:GetObjectLegalHold", '
  + '"s3:GetObjectRetention", "s3:GetObjectTagging", "s3:GetObjectVersion*", "s3:PutObject"]';

const MAIN_TF_DIFF = `--- a/terraform/main.tf
+++ b/terraform/main.tf
@@ -31,14 +31,9 @@
       {
         Sid      = "Bucket"
         Effect   = "Allow"
-        Action   = ["s3:GetObject*", "s3:PutObject", "s3:DeleteBucket"] # DeleteBucket: teardown only
+        Action   = ${BUCKET_ACTIONS} # DeleteBucket: teardown only
         Resource = ["arn:aws:s3:::\${var.bucket}", "arn:aws:s3:::\${var.bucket}/*"]
       },
-      {
-        Effect   = "Allow"
-        Action   = "sns:*"
-        Resource = "*"
-      },
       {
         Effect   = "Allow"
         Action   = var.extra_actions
@@ -59,8 +54,7 @@
           "Effect": "Allow",
           "Action": [
             "logs:CreateLogStream",
-            "logs:PutLogEvents",
+            "logs:PutLogEvents"
-            "logs:DeleteLogGroup"
           ],
           "Resource": "arn:aws:logs:*:*:log-group:/app/\${var.bucket}:*"
         }
`;

const STACK_JSON_REFINED = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "Orders reports",
  "Resources": {
    "ReportsRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "RoleName": "orders-reports-role",
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            { "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }
          ]
        }
      }
    },
    "ReportsPolicy": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyName": "reports",
        "Roles": [{ "Ref": "ReportsRole" }],
        "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "Results",
              "Effect": "Allow",
              "Action": [
                "s3:GetObject",
                "s3:GetObjectAcl",
                "s3:GetObjectAnnotation",
                "s3:GetObjectAttributes",
                "s3:GetObjectLegalHold",
                "s3:GetObjectRetention",
                "s3:GetObjectTagging",
                "s3:GetObjectVersion*",
                { "Fn::Join": [":", ["athena", "StartQueryExecution"]] }
              ],
              "Resource": "*"
            }
          ]
        }
      }
    }
  }
}
`;

const STACK_YAML_REFINED = `AWSTemplateFormatVersion: "2010-09-09"
Description: Orders stack

Parameters:
  QueueService:
    Type: String
    Default: sqs

Conditions:
  IsProd: !Equals [!Ref "AWS::StackName", orders-prod]

Resources:
  OrdersApiRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: orders-api-role
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Ref QueueAccessPolicy
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
      Policies:
        - PolicyName: orders-table
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Sid: Table
                Effect: Allow
                Action:
                  - dynamodb:GetItem
                  - dynamodb:PutItem
                  - !Sub "\${QueueService}:SendMessage"
                Resource: !GetAtt OrdersTable.Arn
              - !If
                - IsProd
                - Effect: Allow
                  Action: cloudwatch:PutMetricData
                  Resource: "*"
                - !Ref AWS::NoValue

  OrdersWorkerRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: orders-worker-role
      Path: /service/
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: ecs-tasks.amazonaws.com }
            Action: sts:AssumeRole

  QueueAccessPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Description: Shared by the API and the worker
      Roles:
        - !Ref OrdersWorkerRole
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action:
              - 'sqs:SendMessage'
              - 'sqs:ReceiveMessage'
              - 'sqs:DeleteQueue'
            Resource: !GetAtt OrdersQueue.Arn

  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]

  OrdersQueue:
    Type: AWS::SQS::Queue

  OrdersQueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref OrdersQueue]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: sns.amazonaws.com }
            Action: sqs:*
            Resource: !GetAtt OrdersQueue.Arn
`;

const SAM_REFINED = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Orders API (SAM)

Parameters:
  TableName:
    Type: String

Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Policies:
        - AWSLambdaBasicExecutionRole
        - DynamoDBReadPolicy:
            TableName: !Ref TableName
        - Statement:
            - Sid: OrdersTable
              Effect: Allow
              Action:
                - dynamodb:GetItem
                - dynamodb:Query
              Resource: !Sub arn:aws:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/\${TableName}
            - Effect: Allow
              Action:
                - 'sqs:AddPermission'
                - 'sqs:CancelMessageMoveTask'
                - 'sqs:ChangeMessageVisibility'
                - 'sqs:DeleteMessage'
                - 'sqs:Get*'
                - 'sqs:List*'
                - 'sqs:ReceiveMessage'
                - 'sqs:RemovePermission'
                - 'sqs:SendMessage'
                - 'sqs:SetQueueAttributes'
                - 'sqs:StartMessageMoveTask'
                - 'sqs:TagQueue'
                - 'sqs:UntagQueue'
              Resource: '*'
`;

const IAM_TF_REFINED = `data "aws_iam_policy_document" "bucket_admin" {
  statement {
    sid     = "Read"
    actions = ["s3:ListBucket"]
    resources = ["*"]
  }

  statement {
    effect    = "Deny"
    actions   = ["s3:DeleteBucket"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "bucket_admin" {
  name   = "bucket-admin"
  policy = data.aws_iam_policy_document.bucket_admin.json
}

resource "aws_iam_role_policy_attachment" "app_bucket_admin" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.bucket_admin.arn
}
`;

const MAIN_TF_REFINED = `variable "extra_actions" {
  type    = list(string)
  default = []
}

variable "bucket" {
  type = string
}

resource "aws_iam_role" "app" {
  name               = "tf-app-role"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "app_bucket" {
  name = "bucket"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Bucket"
        Effect   = "Allow"
        Action   = ${BUCKET_ACTIONS} # DeleteBucket: teardown only
        Resource = ["arn:aws:s3:::\${var.bucket}", "arn:aws:s3:::\${var.bucket}/*"]
      },
      {
        Effect   = "Allow"
        Action   = var.extra_actions
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role_policy" "app_logs" {
  name   = "logs"
  role   = aws_iam_role.app.name
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": [
            "logs:CreateLogStream",
            "logs:PutLogEvents"
          ],
          "Resource": "arn:aws:logs:*:*:log-group:/app/\${var.bucket}:*"
        }
      ]
    }
  EOT
}
`;

const NOTES = {
  stackJson: 'cfn/stack.json:32:17: info: Fn::Join is not known until deployment and cannot be analysed statically: it is left as it is.\n',
  stackYaml: 'cfn/stack.yaml:38:21: info: !Sub is not known until deployment and cannot be analysed statically: it is left as it is.\n'
    + 'cfn/stack.yaml:44:17: info: !If is not known until deployment and cannot be analysed statically: this statement is left as it is.\n',
  mainTf: 'terraform/main.tf:44:20: info: var.extra_actions is not known until deployment '
    + 'and cannot be analysed statically: it is left as it is.\n',
};
const SUMMARIES = {
  stackJson: 'cfn/stack.json: 1 unused statement removed, 2 unused actions removed, 1 wildcard narrowed (1 unused action excluded)',
  stackYaml: 'cfn/stack.yaml: 1 unused statement removed, 3 unused actions removed',
  sam: 'sam-app/template.yaml: 1 unused action removed, 1 wildcard narrowed (3 unused actions excluded)',
  iamTf: 'terraform/iam.tf: 1 unused statement removed, 1 unused action removed',
  mainTf: 'terraform/main.tf: 1 unused statement removed, 2 unused actions removed, 1 wildcard narrowed (1 unused action excluded)',
};

test('a SAM template: the function\'s inline statements, refined by the findings whose appliesTo names it; exit 1', () => {
  const root = templatesRepo();
  const result = runCli(['sam-app/template.yaml'], root);
  assert.equal(result.stdout, SAM_DIFF);
  assert.equal(result.stderr, `${SUMMARIES.sam}\n`);
  assert.equal(result.status, 1);
});

test('a YAML stack: inline and managed policies by role name, the shared managed policy cut to what both roles leave unused; '
  + '!Sub and !If left alone with a note', () => {
  const root = templatesRepo();
  const result = runCli(['cfn/stack.yaml'], root);
  assert.equal(result.stdout, STACK_YAML_DIFF);
  assert.equal(result.stderr, `${NOTES.stackYaml}${SUMMARIES.stackYaml}\n`);
  assert.equal(result.status, 1);
});

test('a JSON stack: a policy attached by Ref to a named role; an Fn::Join action left alone with a note', () => {
  const root = templatesRepo();
  const result = runCli(['cfn/stack.json'], root);
  assert.equal(result.stdout, STACK_JSON_DIFF);
  assert.equal(result.stderr, `${NOTES.stackJson}${SUMMARIES.stackJson}\n`);
  assert.equal(result.status, 1);
});

test('a Terraform module: a policy document named alone still learns its role from the other files of its folder; '
  + 'jsonencode and heredoc policies', () => {
  const root = templatesRepo();
  const iam = runCli(['terraform/iam.tf'], root);
  assert.equal(iam.stdout, IAM_TF_DIFF);
  assert.equal(iam.stderr, `${SUMMARIES.iamTf}\n`);
  assert.equal(iam.status, 1);
  const main = runCli(['terraform/main.tf'], root);
  assert.equal(main.stdout, MAIN_TF_DIFF);
  assert.equal(main.stderr, `${NOTES.mainTf}${SUMMARIES.mainTf}\n`);
  assert.equal(main.status, 1);
});

test('the repository as a folder: every template and module file in path order; the findings files themselves are not policies', () => {
  const root = templatesRepo();
  const result = runCli(['.'], root);
  assert.equal(result.stdout, STACK_JSON_DIFF + STACK_YAML_DIFF + SAM_DIFF + IAM_TF_DIFF + MAIN_TF_DIFF);
  assert.equal(result.stderr, `${NOTES.stackJson}${SUMMARIES.stackJson}\n${NOTES.stackYaml}${SUMMARIES.stackYaml}\n${SUMMARIES.sam}\n`
    + `${SUMMARIES.iamTf}\n${NOTES.mainTf}${SUMMARIES.mainTf}\n`);
  assert.equal(result.status, 1);
});

test('--write refines every template in place, exactly; the second run has nothing to do and only notes what is left as it is', () => {
  const root = templatesRepo();
  const first = runCli(['--write', '.'], root);
  assert.equal(read(root, 'cfn/stack.json'), STACK_JSON_REFINED);
  assert.equal(read(root, 'cfn/stack.yaml'), STACK_YAML_REFINED);
  assert.equal(read(root, 'sam-app/template.yaml'), SAM_REFINED);
  assert.equal(read(root, 'terraform/iam.tf'), IAM_TF_REFINED);
  assert.equal(read(root, 'terraform/main.tf'), MAIN_TF_REFINED);
  assert.equal(first.stdout, '');
  assert.equal(first.stderr, `${NOTES.stackJson}${SUMMARIES.stackJson} (written)\n${NOTES.stackYaml}${SUMMARIES.stackYaml} (written)\n`
    + `${SUMMARIES.sam} (written)\n${SUMMARIES.iamTf} (written)\n${NOTES.mainTf}${SUMMARIES.mainTf} (written)\n`);
  assert.equal(first.status, 0);
  // The findings files are untouched.
  for (const findings of ['account.unused-access.json', 'sam-app/orders.unused-access.json']) {
    assert.equal(read(root, findings), read(TEMPLATES, findings));
  }

  const second = runCli(['.'], root);
  assert.deepEqual(second, {
    status: 0,
    stdout: '',
    // The dynamic values are still there, where the refinement moved them.
    stderr: 'cfn/stack.json:37:17: info: Fn::Join is not known until deployment and cannot be analysed statically: it is left as it is.\n'
      + 'cfn/stack.yaml:36:21: info: !Sub is not known until deployment and cannot be analysed statically: it is left as it is.\n'
      + 'cfn/stack.yaml:38:17: info: !If is not known until deployment and cannot be analysed statically: '
      + 'this statement is left as it is.\n'
      + 'terraform/main.tf:39:20: info: var.extra_actions is not known until deployment and cannot be analysed statically: '
      + 'it is left as it is.\n',
  });
  assert.deepEqual(runCli(['--quiet', '.'], root), { status: 0, stdout: '', stderr: '' });
});

test('each printed diff is a patch of the original that gives exactly what --write writes', () => {
  // Independent of the product: apply each hunk of a unified diff to the original text.
  const patch = (original: string, diff: string): string => {
    const lines = original.split('\n');
    const out: string[] = [];
    let next = 0;
    for (const hunk of diff.split(/^(?=@@ )/m).slice(1)) {
      const [header, ...body] = hunk.replace(/\n$/, '').split('\n');
      const start = Number(/^@@ -(\d+)/.exec(header!)![1]) - 1;
      out.push(...lines.slice(next, start));
      next = start;
      for (const line of body) {
        if (line.startsWith('+')) out.push(line.slice(1));
        else {
          assert.equal(lines[next], line.slice(1), `context or removed line ${next + 1}`);
          if (line.startsWith(' ')) out.push(line.slice(1));
          next++;
        }
      }
    }
    return [...out, ...lines.slice(next)].join('\n');
  };
  const cases = [
    ['cfn/stack.json', STACK_JSON_DIFF, STACK_JSON_REFINED], ['cfn/stack.yaml', STACK_YAML_DIFF, STACK_YAML_REFINED],
    ['sam-app/template.yaml', SAM_DIFF, SAM_REFINED], ['terraform/iam.tf', IAM_TF_DIFF, IAM_TF_REFINED],
    ['terraform/main.tf', MAIN_TF_DIFF, MAIN_TF_REFINED],
  ] as const;
  for (const [path, diff, refined] of cases) assert.equal(patch(read(TEMPLATES, path), diff), refined, path);
});

test('--json: per template file, the findings files that apply, the changes with their positions, '
  + 'and the dynamic values as problems', () => {
  const root = templatesRepo();
  const result = runCli(['--json', '.'], root);
  assert.equal(result.status, 1);
  assert.equal(result.stderr, `${NOTES.stackJson}${SUMMARIES.stackJson}\n${NOTES.stackYaml}${SUMMARIES.stackYaml}\n${SUMMARIES.sam}\n`
    + `${SUMMARIES.iamTf}\n${NOTES.mainTf}${SUMMARIES.mainTf}\n`);
  type Change = {
    action: string; line: number; column: number; allowed: number; unusedCount: number; unused: string[]; replacement: string[];
  };
  type Statement = { index: number; sid?: string; remove: boolean; line: number; column: number; changes: Change[] };
  const report = JSON.parse(result.stdout) as {
    catalog: { version: string; date: string };
    files: {
      path: string;
      findings: string[];
      changed: boolean;
      problems: unknown[];
      policies: { line: number; column: number; detach: boolean; statements: Statement[] }[];
    }[];
  };
  assert.equal(report.catalog.date, testCatalog().date);
  assert.deepEqual(report.files.map((f) => [f.path, f.findings, f.changed]), [
    ['cfn/stack.json', ['account.unused-access.json'], true],
    ['cfn/stack.yaml', ['account.unused-access.json'], true],
    // The account's findings name roles by ARN; the function's role is generated, so only its appliesTo file counts.
    ['sam-app/template.yaml', ['sam-app/orders.unused-access.json'], true],
    ['terraform/iam.tf', ['account.unused-access.json'], true],
    ['terraform/main.tf', ['account.unused-access.json'], true],
  ]);
  const dynamic = (line: number, column: number, what: string, left = 'it is left as it is') => ({
    line, column, severity: 'info', code: 'dynamic-value',
    message: `${what} is not known until deployment and cannot be analysed statically: ${left}.`,
  });
  assert.deepEqual(report.files.map((f) => f.problems), [
    [dynamic(32, 17, 'Fn::Join')],
    [dynamic(38, 21, '!Sub'), dynamic(44, 17, '!If', 'this statement is left as it is')],
    [],
    [],
    [dynamic(44, 20, 'var.extra_actions')],
  ]);
  // Policies and statements: where they are, and each change as [action, line, column, allowed, unused, replacement].
  const shape = report.files.map((f) => f.policies.map((p) => [p.line, p.column, p.detach, p.statements.map((s) => [
    s.index, s.sid, s.remove, s.line, s.column,
    s.changes.map((c) => [c.action, c.line, c.column, c.allowed, c.unusedCount, c.replacement]),
  ])]));
  const GET_OBJECT = ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectAnnotation', 's3:GetObjectAttributes', 's3:GetObjectLegalHold',
    's3:GetObjectRetention', 's3:GetObjectTagging', 's3:GetObjectVersion*'];
  const SQS = ['sqs:AddPermission', 'sqs:CancelMessageMoveTask', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:Get*',
    'sqs:List*', 'sqs:ReceiveMessage', 'sqs:RemovePermission', 'sqs:SendMessage', 'sqs:SetQueueAttributes', 'sqs:StartMessageMoveTask',
    'sqs:TagQueue', 'sqs:UntagQueue'];
  assert.deepEqual(shape, [
    [[22, 27, false, [
      [0, 'Results', false, 25, 13, [
        ['s3:GetObject*', 29, 17, 16, 1, GET_OBJECT], ['s3:PutObject', 30, 17, 1, 1, []], ['s3:DeleteObject', 31, 17, 1, 1, []],
      ]],
      [1, 'Athena', true, 36, 13, [['athena:DeleteWorkGroup', 39, 25, 1, 1, []]]],
    ]]],
    [
      [29, 13, false, [
        [0, 'Table', false, 31, 17, [['dynamodb:DeleteItem', 36, 21, 1, 1, []], ['dynamodb:Scan', 37, 21, 1, 1, []]]],
        [1, 'Keys', true, 40, 17, [['kms:Decrypt', 42, 26, 1, 1, []], ['kms:GenerateDataKey*', 42, 39, 4, 4, []]]],
      ]],
      // The managed policy of both roles: only sqs:PurgeQueue is unused by both.
      [70, 9, false, [[0, undefined, false, 72, 13, [['sqs:PurgeQueue', 76, 17, 1, 1, []]]]]],
    ],
    [[19, 11, false, [
      [0, 'OrdersTable', false, 20, 15, [['dynamodb:DeleteItem', 25, 19, 1, 1, []]]],
      [1, undefined, false, 27, 15, [['sqs:*', 28, 23, 20, 3, SQS]]],
    ]]],
    [[1, 1, false, [
      [0, 'Read', false, 2, 3, [['s3:GetObjectTorrent', 4, 16, 1, 1, []]]],
      [1, 'Admin', true, 8, 3, [['s3:PutBucketPolicy', 10, 18, 1, 1, []]]],
    ]]],
    [
      [28, 23, false, [
        [0, 'Bucket', false, 31, 7, [['s3:GetObject*', 34, 21, 16, 1, GET_OBJECT], ['s3:DeleteBucket', 34, 54, 1, 1, []]]],
        [1, undefined, true, 37, 7, [['sns:*', 39, 20, 41, 41, []]]],
      ]],
      [55, 5, false, [[0, undefined, false, 58, 9, [['logs:DeleteLogGroup', 63, 13, 1, 1, []]]]]],
    ],
  ]);
  const sam = report.files[2]!.policies[0]!.statements[1]!.changes[0]!;
  assert.deepEqual(sam.unused, ['sqs:CreateQueue', 'sqs:DeleteQueue', 'sqs:PurgeQueue']);
});

test('a folder scan reads .yaml, .yml, .tf and template .json files; '
  + 'YAML, JSON and Terraform without IAM policies are passed over in silence', () => {
  const findings = read(TEMPLATES, 'account.unused-access.json');
  const root = workspace({
    '.git/': '',
    'account.unused-access.json': findings,
    'package.json': '{"name": "orders", "private": true}\n',
    '.github/workflows/deploy.yml': 'name: Deploy\non:\n  push:\n    branches: [main]\npermissions:\n  id-token: write\n  contents: read\n'
      + 'jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n'
      + '      - run: sam deploy --stack-name ${{ vars.STACK }}\n',
    'docker-compose.yml': 'services:\n  api:\n    image: orders-api:latest\n    environment:\n      - AWS_REGION=eu-west-1\n'
      + '    ports:\n      - "8080:8080"\n',
    // Not even YAML: a Helm template. A folder scan does not complain about files that hold no policy.
    'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n'
      + 'spec:\n  {{- include "spec" . | nindent 2 }}\n',
    // A template whose only policy is a bucket policy: a resource policy, which the findings say nothing about.
    'infra/bucket.yaml': 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  BucketPolicy:\n    Type: AWS::S3::BucketPolicy\n'
      + '    Properties:\n'
      + '      Bucket: !Ref Bucket\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: "*"\n'
      + '            Action: s3:*\n            Resource: "*"\n',
    'infra/api.yml': 'Resources:\n  ApiRole:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: orders-api-role\n      Policies:\n'
      + '        - PolicyName: table\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n'
      + '                Action:\n'
      + '                  - dynamodb:GetItem\n                  - dynamodb:Scan\n                Resource: "*"\n',
    'infra/reports.template.json': `${JSON.stringify({
      Resources: {
        ReportsPolicy: {
          Type: 'AWS::IAM::RolePolicy',
          Properties: {
            RoleName: 'orders-reports-role',
            PolicyName: 'reports',
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }] },
          },
        },
      },
    }, null, 2)}\n`,
    'tf/variables.tf': 'variable "region" {\n  type = string\n}\n',
    'tf/main.tf': 'resource "aws_iam_role" "app" {\n  name               = "tf-app-role"\n  assume_role_policy = "{}"\n}\n\n'
      + 'resource "aws_iam_role_policy" "app" {\n  role = aws_iam_role.app.id\n  policy = jsonencode({\n    Statement = [{\n'
      + '      Effect   = "Allow"\n      Action   = ["sns:Publish", "s3:GetObject"]\n      Resource = "*"\n    }]\n  })\n}\n',
  });
  const result = runCli(['.'], root);
  assert.equal(result.stdout, `--- a/infra/api.yml
+++ b/infra/api.yml
@@ -10,5 +10,4 @@
               - Effect: Allow
                 Action:
                   - dynamodb:GetItem
-                  - dynamodb:Scan
                 Resource: "*"
--- a/infra/reports.template.json
+++ b/infra/reports.template.json
@@ -10,8 +10,7 @@
             {
               "Effect": "Allow",
               "Action": [
-                "s3:GetObject",
+                "s3:GetObject"
-                "s3:PutObject"
               ],
               "Resource": "*"
             }
--- a/tf/main.tf
+++ b/tf/main.tf
@@ -8,7 +8,7 @@
   policy = jsonencode({
     Statement = [{
       Effect   = "Allow"
-      Action   = ["sns:Publish", "s3:GetObject"]
+      Action   = ["s3:GetObject"]
       Resource = "*"
     }]
   })
`);
  assert.equal(result.stderr,
    'infra/api.yml: 1 unused action removed\ninfra/reports.template.json: 1 unused action removed\ntf/main.tf: 1 unused action removed\n');
  assert.equal(result.status, 1);

  // Named, a file without policies is reported as such; it is not an error.
  const named = runCli(['docker-compose.yml', '.github/workflows/deploy.yml'], root);
  const none = 'no IAM policy found (an object with "Statement" entries that have "Effect" and "Action" or "NotAction", '
    + 'or a template\'s or module\'s identity policies)';
  assert.deepEqual(named, { status: 0, stdout: '', stderr: `docker-compose.yml: ${none}\n.github/workflows/deploy.yml: ${none}\n` });
});

test('--findings names the account\'s findings: template roles are still matched by name; '
  + 'the SAM function\'s generated role is not', () => {
  const root = templatesRepo();
  const result = runCli(['--findings', 'account.unused-access.json', 'cfn/stack.yaml', 'sam-app/template.yaml', 'terraform/iam.tf'], root);
  assert.equal(result.stdout, STACK_YAML_DIFF + IAM_TF_DIFF);
  assert.equal(result.stderr, `${NOTES.stackYaml}${SUMMARIES.stackYaml}\n`
    + `sam-app/template.yaml: no findings file applies to this policy; nothing to refine\n${SUMMARIES.iamTf}\n`);
  assert.equal(result.status, 1);

  // The function's own findings, named: its appliesTo entry still picks the function; the stack's role is not in them.
  const own = runCli(['--findings', 'sam-app/orders.unused-access.json', 'sam-app/template.yaml', 'cfn/stack.json'], root);
  assert.equal(own.stdout, SAM_DIFF);
  assert.equal(own.stderr,
    `${SUMMARIES.sam}\n${NOTES.stackJson}cfn/stack.json: no findings file applies to this policy; nothing to refine\n`);
  assert.equal(own.status, 1);
});

test('exit 0 when a template\'s policies have nothing unused; a policy of a role without findings has nothing to refine', () => {
  const sam = read(TEMPLATES, 'sam-app/template.yaml').replace('                - dynamodb:DeleteItem  # cleanup job, long gone\n', '')
    .replace('Action: \'sqs:*\'', 'Action: [\'sqs:SendMessage\', \'sqs:ReceiveMessage\']');
  const root = workspace({
    '.git/': '',
    'account.unused-access.json': read(TEMPLATES, 'account.unused-access.json'),
    'sam-app/orders.unused-access.json': read(TEMPLATES, 'sam-app/orders.unused-access.json'),
    'sam-app/template.yaml': sam,
  });
  assert.deepEqual(runCli(['sam-app/template.yaml'], root), { status: 0, stdout: '', stderr: '' });

  const other = workspace({
    '.git/': '',
    'account.unused-access.json': read(TEMPLATES, 'account.unused-access.json'),
    'other.yaml': 'Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: someone-else\n      Policies:\n'
      + '        - PolicyName: p\n'
      + '          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: kms:*\n'
      + '                Resource: "*"\n',
  });
  assert.deepEqual(runCli(['other.yaml'], other), {
    status: 0, stdout: '', stderr: 'other.yaml: no findings file applies to this policy; nothing to refine\n',
  });
});

test('a template policy whose every action is unused is left alone and reported for detaching; the others are written', () => {
  const template = 'Resources:\n  ApiRole:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: orders-api-role\n      Policies:\n'
    + '        - PolicyName: keys\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n'
    + '                Action: kms:*\n                Resource: "*"\n'
    + '        - PolicyName: table\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n'
    + '                Action: [dynamodb:GetItem, dynamodb:Scan]\n                Resource: "*"\n';
  const root = workspace({
    '.git/': '', 'account.unused-access.json': read(TEMPLATES, 'account.unused-access.json'), 'role.yaml': template,
  });
  const result = runCli(['--write', 'role.yaml'], root);
  assert.equal(result.stderr, 'role.yaml:9:13: warning: Every action this policy allows is unused: detach the policy rather than edit it.\n'
    + 'role.yaml: 1 unused action removed (written)\n');
  assert.equal(result.status, 1);
  assert.equal(read(root, 'role.yaml'), template.replace('[dynamodb:GetItem, dynamodb:Scan]', '[dynamodb:GetItem]'));
});

test('a YAML syntax error: file:line:column, exit 2, and nothing written', () => {
  const broken = 'Resources:\n  ApiRole:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: orders-api-role\n      Policies:\n'
    + '        - PolicyName: table\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n'
    + '                Action: "dynamodb:Scan\n                Resource: "*"\n';
  const root = workspace({
    '.git/': '', 'account.unused-access.json': read(TEMPLATES, 'account.unused-access.json'), 'broken.yaml': broken,
  });
  const result = runCli(['--write', 'broken.yaml'], root);
  assert.deepEqual(result, { status: 2, stdout: '', stderr: 'broken.yaml:11:39: error: Missing closing "quote\n' });
  assert.equal(read(root, 'broken.yaml'), broken);
});

test('a Terraform syntax error, in HCL or in a heredoc\'s JSON: file:line:column, exit 2, and nothing written', () => {
  const hcl = 'resource "aws_iam_role_policy" "app" {\n  name = "app"\n  role = "tf-app-role"\n  policy = jsonencode({\n'
    + '    Statement = [{\n'
    + '      Effect = "Allow"\n      Action = ["s3:GetObject", "s3:DeleteBucket"\n      Resource = "*"\n    }]\n  })\n}\n';
  const heredoc = 'resource "aws_iam_role_policy" "logs" {\n  name   = "logs"\n  role   = "tf-app-role"\n  policy = <<-EOT\n'
    + '    {\n      "Statement": [\n'
    + '        {\n          "Effect": "Allow",\n          "Action": ["logs:PutLogEvents" "logs:DeleteLogGroup"],\n'
    + '          "Resource": "*"\n        }\n'
    + '      ]\n    }\n  EOT\n}\n';
  const root = workspace({
    '.git/': '',
    'account.unused-access.json': read(TEMPLATES, 'account.unused-access.json'),
    'hcl/main.tf': hcl,
    'heredoc/main.tf': heredoc,
  });
  const result = runCli(['--write', 'hcl/main.tf', 'heredoc/main.tf'], root);
  assert.deepEqual(result, {
    status: 2,
    stdout: '',
    stderr: 'hcl/main.tf:8:7: error: Missing "]".\nheredoc/main.tf:9:42: error: Expected a comma.\n',
  });
  assert.equal(read(root, 'hcl/main.tf'), hcl);
  assert.equal(read(root, 'heredoc/main.tf'), heredoc);
});

test('Terraform: a group\'s policy is cut to what every user the module puts in the group leaves unused', () => {
  const finding = (user: string, actions: string[]): unknown => ({
    id: `f-${user}`, findingType: 'UnusedPermission', resource: `arn:aws:iam::123456789012:user/${user}`,
    analyzedAt: '2026-11-01T10:00:00+00:00', status: 'ACTIVE',
    findingDetails: [{ unusedPermissionDetails: { serviceNamespace: 's3', actions: actions.map((action) => ({ action })) } }],
  });
  const module = `resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.devs.name]
}

resource "aws_iam_group_membership" "devs" {
  name  = "devs"
  group = aws_iam_group.devs.name
  users = ["bob"]
}

resource "aws_iam_group_policy" "devs" {
  group  = aws_iam_group.devs.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource = "*" }]
  })
}
`;
  const root = workspace({
    '.git/': '',
    'account.unused-access.json': JSON.stringify({
      findings: [finding('alice', ['s3:PutObject', 's3:DeleteObject']), finding('bob', ['s3:DeleteObject', 's3:GetObject'])],
    }),
    'iam.tf': module,
  });
  const result = runCli(['--write', 'iam.tf'], root);
  assert.equal(result.stderr, 'iam.tf: 1 unused action removed (written)\n');
  const refined = module.replace('["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]', '["s3:GetObject", "s3:PutObject"]');
  assert.equal(read(root, 'iam.tf'), refined);
});
