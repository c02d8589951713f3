import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PrincipalRef } from '../../../../shared/src/findings/policyContext';
import { readTerraformText } from '../../../support/terraform';

async function principalsByResource(text: string, module: readonly string[] = []): Promise<Record<string, readonly PrincipalRef[]>> {
  const file = await readTerraformText(text, module);
  assert.deepEqual(file.syntaxErrors, []);
  return Object.fromEntries(file.policies.map((p) => [p.context!.resourceId, p.context!.principals]));
}

const DOC = (name: string): string => `data "aws_iam_policy_document" "${name}" {
  statement {
    actions = ["s3:GetObject"]
  }
}
`;

const POLICY = (name: string): string => `resource "aws_iam_policy" "${name}" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject" }] })
}
`;

test('managed policies: every kind of attachment, across files; a principal attached twice is named once', async () => {
  const module = `resource "aws_iam_role" "app" {
  count               = 2
  name                = "app"
  managed_policy_arns = [aws_iam_policy.p.arn]
}

resource "aws_iam_role_policy_attachment" "app" {
  role       = aws_iam_role.app[0].name
  policy_arn = aws_iam_policy.p.arn
}

resource "aws_iam_user_policy_attachment" "u" {
  user       = aws_iam_user.u.name
  policy_arn = aws_iam_policy.p.id
}

resource "aws_iam_group_policy_attachment" "g" {
  group      = "admins"
  policy_arn = aws_iam_policy.p.arn
}

resource "aws_iam_role_policy_attachments_exclusive" "x" {
  role_name   = data.aws_iam_role.existing.name
  policy_arns = [aws_iam_policy.p.arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"]
}

resource "aws_iam_policy_attachment" "other" {
  name       = "other"
  roles      = [aws_iam_role.app.name]
  policy_arn = aws_iam_policy.other.arn
}

resource "aws_iam_user" "u" {
  name = "user-\${var.env}"
}

data "aws_iam_role" "existing" {
  name = "existing-role"
}
`;
  assert.deepEqual(await principalsByResource(POLICY('p'), [module]), {
    'aws_iam_policy.p': [
      { kind: 'role', id: 'aws_iam_role.app', name: 'app' },
      { kind: 'user', id: 'aws_iam_user.u' },
      { kind: 'group', id: 'admins', name: 'admins' },
      { kind: 'role', id: 'data.aws_iam_role.existing', name: 'existing-role' },
    ],
  });
});

test('inline policy resources: references, literal names, and Terraform 0.11 interpolations name the principal', async () => {
  const text = `resource "aws_iam_role_policy" "a" {
  role   = "\${aws_iam_role.legacy.id}"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject" }] })
}

resource "aws_iam_user_policy" "b" {
  user   = aws_iam_user.dev.name
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject" }] })
}

resource "aws_iam_group_policy" "c" {
  group  = "ops"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject" }] })
}

resource "aws_iam_role" "legacy" {
  name = "legacy"
}

resource "aws_iam_user" "dev" {
  name_prefix = "dev-"
}
`;
  assert.deepEqual(await principalsByResource(text), {
    'aws_iam_role_policy.a': [{ kind: 'role', id: 'aws_iam_role.legacy', name: 'legacy' }],
    'aws_iam_user_policy.b': [{ kind: 'user', id: 'aws_iam_user.dev' }],
    'aws_iam_group_policy.c': [{ kind: 'group', id: 'ops', name: 'ops' }],
  });
});

test('what cannot be resolved contributes nothing: variables, module outputs, principals of the wrong kind, other policies', async () => {
  const text = `resource "aws_iam_role_policy" "a" {
  role   = var.role_name
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject" }] })
}

resource "aws_iam_role_policy" "b" {
  role   = module.roles.app_name
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject" }] })
}

resource "aws_iam_role_policy" "c" {
  role   = aws_iam_user.u.name
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject" }] })
}

resource "aws_iam_role_policy" "d" {
  role   = "\${var.prefix}-role"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject" }] })
}

resource "aws_iam_role_policy_attachment" "x" {
  role       = aws_iam_role.r.name
  policy_arn = var.policy_arn
}
`;
  assert.deepEqual(await principalsByResource(text + POLICY('p')), {
    'aws_iam_role_policy.a': [],
    'aws_iam_role_policy.b': [],
    'aws_iam_role_policy.c': [],
    'aws_iam_role_policy.d': [],
    'aws_iam_policy.p': [],
  });
});

test('policy documents: the principals of everything that uses their JSON, through managed policies and merged documents', async () => {
  const text = DOC('base')
    + DOC('merged').replace('{\n', '{\n  source_policy_documents = [data.aws_iam_policy_document.base.json]\n')
    + DOC('unused');
  const module = `resource "aws_iam_policy" "managed" {
  policy = data.aws_iam_policy_document.merged.minified_json
}

resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.managed.arn
}

resource "aws_iam_role" "app" {
  name = "app"

  inline_policy {
    name   = "base"
    policy = data.aws_iam_policy_document.base.json
  }
}

resource "aws_iam_user_policy" "u" {
  user   = "carol"
  policy = data.aws_iam_policy_document.base.json
}
`;
  assert.deepEqual(await principalsByResource(text, [module]), {
    'data.aws_iam_policy_document.base': [
      { kind: 'role', id: 'aws_iam_role.app', name: 'app' },
      { kind: 'user', id: 'carol', name: 'carol' },
    ],
    'data.aws_iam_policy_document.merged': [{ kind: 'role', id: 'aws_iam_role.app', name: 'app' }],
    'data.aws_iam_policy_document.unused': [],
  });
});

test('documents that use each other in a cycle do not loop', async () => {
  const a = DOC('a').replace('{\n', '{\n  source_policy_documents = [data.aws_iam_policy_document.b.json]\n');
  const b = DOC('b').replace('{\n', '{\n  override_policy_documents = [data.aws_iam_policy_document.a.json]\n');
  const user = 'resource "aws_iam_user_policy" "u" {\n  user   = "dave"\n  policy = data.aws_iam_policy_document.a.json\n}\n';
  assert.deepEqual(await principalsByResource(a + b + user), {
    'data.aws_iam_policy_document.a': [{ kind: 'user', id: 'dave', name: 'dave' }],
    'data.aws_iam_policy_document.b': [{ kind: 'user', id: 'dave', name: 'dave' }],
  });
});

test('a module file given twice, or the file itself among the module, changes nothing', async () => {
  const text = POLICY('p');
  const module = 'resource "aws_iam_user_policy_attachment" "u" {\n  user       = "erin"\n  policy_arn = aws_iam_policy.p.arn\n}\n';
  assert.deepEqual(await principalsByResource(text, [module, module, text]), {
    'aws_iam_policy.p': [{ kind: 'user', id: 'erin', name: 'erin' }],
  });
});

test('a group\'s policies reach the users the module puts in it, by either membership resource; '
  + 'a group without members stands in', async () => {
  const module = `resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_group_membership" "devs" {
  name  = "devs-members"
  group = aws_iam_group.devs.name
  users = [aws_iam_user.alice.name, "bob"]
}

resource "aws_iam_user_group_membership" "carol" {
  user   = aws_iam_user.carol.name
  groups = ["devs", aws_iam_group.empty.name]
}

resource "aws_iam_group_policy_attachment" "devs" {
  group      = aws_iam_group.devs.name
  policy_arn = aws_iam_policy.p.arn
}

resource "aws_iam_group_policy_attachment" "lonely" {
  group      = "lonely"
  policy_arn = aws_iam_policy.q.arn
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user" "carol" {
  name = "carol"
}
`;
  const inline = `resource "aws_iam_group_policy" "ops" {
  group  = "devs"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject" }] })
}
`;
  const members = [
    { kind: 'user', id: 'aws_iam_user.alice', name: 'alice' },
    { kind: 'user', id: 'bob', name: 'bob' },
    { kind: 'user', id: 'aws_iam_user.carol', name: 'carol' },
  ];
  assert.deepEqual(await principalsByResource(`${POLICY('p')}\n${POLICY('q')}`, [module]), {
    'aws_iam_policy.p': members,
    'aws_iam_policy.q': [{ kind: 'group', id: 'lonely', name: 'lonely' }],
  });
  // The group named by its name, not its resource, has the same members.
  assert.deepEqual(await principalsByResource(inline, [module]), { 'aws_iam_group_policy.ops': members });
});
