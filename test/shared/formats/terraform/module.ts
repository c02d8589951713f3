/** The CI user's policy: JSON in a quoted HCL string, with its escapes and a template. */
const CI_POLICY = '"{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",'
  + '\\"Action\\":[\\"ec2:Describe*\\",\\"ec2:StartInstances\\"],\\"Resource\\":\\"arn:aws:ec2:*:${var.account}:instance/*\\"}]}"';

/**
 * A small Terraform module in two files: `main.tf` holds policies in every form the reader knows,
 * `principals.tf` the roles, users and groups they are attached to.
 */
export const MAIN_TF = `# Policies of the app.
resource "aws_iam_role_policy" "app" {
  name = "app"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "Read"
        Effect = "Allow"
        Action = [
          "s3:GetObject", # objects
          "s3:List*",
          var.extra_action,
          "s3:\${var.verb}Bucket",
        ]
        Resource = "*"
      },
      {
        "Effect" : "Allow",
        "Action" : "sqs:*",
        "Resource" : aws_sqs_queue.jobs.arn
      },
    ]
  })
}

resource "aws_iam_policy" "shared" {
  name   = "shared"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": [
            "dynamodb:GetItem",
            "dynamodb:\${var.operation}",
            "dynamodb:Query"
          ],
          "Resource": "\${aws_dynamodb_table.orders.arn}"
        }
      ]
    }
  EOF
}

resource "aws_iam_user_policy" "ci" {
  user   = "ci-bot"
  policy = ${CI_POLICY}
}

data "aws_iam_policy_document" "read" {
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
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_group_policy" "devs" {
  group  = aws_iam_group.devs.name
  policy = data.aws_iam_policy_document.read.json
}

resource "aws_iam_policy" "from_file" {
  name   = "from-file"
  policy = file("\${path.module}/policy.json")
}

resource "aws_iam_policy" "templated" {
  name   = "templated"
  policy = templatefile("\${path.module}/policy.tpl", { bucket = var.bucket })
}
`;

export const PRINCIPALS_TF = `resource "aws_iam_role" "app" {
  name               = "app-role"
  assume_role_policy = data.aws_iam_policy_document.assume.json

  inline_policy {
    name = "kms"
    policy = jsonencode({
      Statement = { Effect = "Allow", Action = ["kms:Decrypt"], Resource = "*" }
    })
  }
}

resource "aws_iam_role" "worker" {
  name_prefix         = "worker-"
  managed_policy_arns = [aws_iam_policy.shared.arn]
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_group" "devs" {
  name = "developers"
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_role_policy_attachment" "app_shared" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_policy_attachment" "many" {
  name       = "many"
  users      = [aws_iam_user.alice.name, "bob"]
  roles      = [aws_iam_role.app.name]
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_role_policy" "legacy" {
  role   = "legacy-role"
  policy = data.aws_iam_policy_document.read.json
}
`;
