import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { unifiedDiff } from '../../../shared/src/text/unifiedDiff';
import { analyzeFile, fixturePath, refineFile, terraformLoaded } from '../../support/templates';

/**
 * The fixture repository refined through the engine: every template's policies against the
 * findings of the principals they belong to. Each expectation is the refinement as a unified
 * diff of the fixture, which fixes the resulting text exactly; refineFile also re-checks it.
 */
function diffOf(relative: string): string {
  const path = fixturePath(relative);
  const text = readFileSync(path, 'utf8');
  refineFile(path);
  return unifiedDiff(text, analyzeFile(path).edits, `a/${relative}`, `b/${relative}`);
}

before(terraformLoaded);

test('SAM: a function whose role name is generated takes the findings whose appliesTo names its logical id; '
  + 'a quoted scalar becomes a block list in its quoting', () => {
  assert.equal(diffOf('sam-app/template.yaml'), `--- a/sam-app/template.yaml
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
`);
});

test('CloudFormation YAML: inline and managed policies by role name, the managed one by the intersection of its two roles; '
  + '!Sub and !If stay; trust and queue policies are not touched', () => {
  assert.equal(diffOf('cfn/stack.yaml'), `--- a/cfn/stack.yaml
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
 
`);
});

test('CloudFormation JSON: an AWS::IAM::Policy attached by Ref; Fn::Join stays, and keeps its statement from being removed', () => {
  assert.equal(diffOf('cfn/stack.json'), `--- a/cfn/stack.json
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
`);
});

/** terraform/main.tf's bucket actions, refined: `s3:GetObject*` without the unused one. */
const BUCKET_ACTIONS = '["s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectAnnotation", "s3:GetObjectAttributes", "s3:GetObjectLegalHold", '
  + '"s3:GetObjectRetention", "s3:GetObjectTagging", "s3:GetObjectVersion*", "s3:PutObject"]';

test('Terraform: jsonencode and heredoc policies of a role named in the module; a variable list stays', () => {
  assert.equal(diffOf('terraform/main.tf'), `--- a/terraform/main.tf
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
`);
});

test('Terraform: a policy document attached through a managed policy to a role declared in another file of the module', () => {
  assert.equal(diffOf('terraform/iam.tf'), `--- a/terraform/iam.tf
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
`);
});
