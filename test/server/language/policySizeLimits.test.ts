import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { parse as parseYaml } from 'yaml';
import { createPolicyService, type PolicyService } from '../../../server/src/service/policyService';
import { readSettings } from '../../../server/src/service/settings';
import { Universe, listOf, patternRegExp, unusedSet } from '../../oracle/expand';
import { testCatalog } from '../../support/catalog';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { applied, doc, findings, hoverText, offsetOf, policy, range, seen } from '../../support/service';

// Size limits by kind, the choice between the word and the compact form, the policy-size error, the
// hover's two sizes, and the fix that splits a policy over new managed policies.

const catalog = testCatalog();
const universe = Universe.fromCatalog(catalog);
const SOURCE = 'iam-policy-refiner';

/** Every `n`th action of a service, in catalogue order: a spread of unused actions that defeats word prefixes. */
const every = (service: string, n: number): string[] => catalog.actions(service).map((a) => a.name).filter((_, i) => i % n === 0);

function serviceWith(files: Record<string, string>, settings: unknown = {}): PolicyService {
  const service = createPolicyService({ catalog, fs: memoryFileSystem(files), cwd: '/nowhere' });
  service.configure({ folders: [{ path: '/ws', settings: readSettings(settings) }] });
  return service;
}

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

/** A message as a regular expression: `#` stands for a number with thousands separators, the rest is literal. */
function pattern(...parts: string[]): RegExp {
  return new RegExp(parts.join('').split('#').map((p) => p.replace(/[.*+?()[\]{}|\\]/g, '\\$&')).join('[\\d,]+'));
}

/** The size IAM counts, worked out apart from the engine: the policy as JSON, without white space. */
const jsonSize = (text: string): number => JSON.stringify(JSON.parse(text)).length;

/** What a refined standalone policy allows, by the oracle; and what it should allow. */
function allowedBy(text: string): Set<string> {
  const parsed = JSON.parse(text) as { Statement: { Action: unknown }[] };
  return universe.matchesAny(parsed.Statement.flatMap((s) => listOf(s.Action)));
}

function expectedFor(pattern: string, service: string, unused: string[]): Set<string> {
  const gone = unusedSet([{ services: [{ service, whole: false, actions: unused }] }], universe);
  return new Set([...universe.matches(pattern)].filter((a) => !gone.has(a)));
}

function fixAll(service: PolicyService, path: string, text: string, languageId = 'json'): CodeAction {
  const document = doc(path, text, 1, languageId);
  const state = service.analyze(document)!;
  const [action] = service.codeActions(state, 0, { diagnostics: [], only: ['source.fixAll'] }, { documentChanges: false });
  assert.ok(action, 'a fix-all action');
  return action;
}

const EC2_FIFTH = every('ec2', 5);
const EC2_THIRD = every('ec2', 3);

test('auto: a policy that would be over 6,144 characters in words gets the compact form, exact, and no size error', () => {
  const text = policy(['ec2:*']);
  const service = serviceWith({ '/ws/unused-access.json': findings({ ec2: EC2_FIFTH }) });
  const document = doc('/ws/policy.json', text);
  assert.deepEqual(service.validate(document).diagnostics.map((d) => d.code), ['overbroad-wildcard']);
  const action = fixAll(service, '/ws/policy.json', text);
  const refined = applied(text, action);
  const size = jsonSize(refined);
  assert.ok(size <= 6144, `${size} characters`);
  assert.match(action.title, new RegExp(`\\(${size.toLocaleString('en-US')} of 6,144 characters\\)$`));
  assert.deepEqual(allowedBy(refined), expectedFor('ec2:*', 'ec2', EC2_FIFTH));
  // Compact patterns: a prefix that stops inside a word, or a star inside a pattern.
  const actions = (JSON.parse(refined) as { Statement: { Action: string[] }[] }).Statement[0]!.Action;
  const ec2 = catalog.actions('ec2').map((a) => `ec2:${a.name}`);
  const insideWord = (pattern: string): boolean => {
    const literal = pattern.slice(0, pattern.search(/[*?]|$/)).toLowerCase();
    return ec2.some((name) => name.toLowerCase().startsWith(literal) && /[a-z]/.test(name[literal.length] ?? ''));
  };
  assert.ok(actions.some((a) => a.includes('*') && insideWord(a)), 'a prefix inside a word');
  assert.ok(actions.some((a) => /^ec2:[^*]*\*[^*]+$/.test(a)), 'an infix star');

  // The same policy in words: over the limit, so the error says by how much and which statement weighs most.
  const words = serviceWith({ '/ws/unused-access.json': findings({ ec2: EC2_FIFTH }) }, { refinement: { style: 'words' } });
  const wordsText = applied(text, fixAll(words, '/ws/policy.json', text));
  const wordsSize = jsonSize(wordsText);
  assert.ok(wordsSize > 6144);
  assert.deepEqual(allowedBy(wordsText), expectedFor('ec2:*', 'ec2', EC2_FIFTH));
  const statement = jsonSize(JSON.stringify((JSON.parse(wordsText) as { Statement: unknown[] }).Statement[0]));
  const error = words.validate(document).diagnostics.find((d) => d.code === 'policy-size');
  assert.deepEqual(error && seen(error), {
    range: range(2, 15, 16), severity: 1, code: 'policy-size', source: SOURCE,
    message: `Refined, this policy would have ${wordsSize.toLocaleString('en-US')} characters: `
      + `${(wordsSize - 6144).toLocaleString('en-US')} over the 6,144 allowed for a managed policy (assumed: nothing says where it goes). `
      + `Largest statements: statement 1 (${statement.toLocaleString('en-US')} characters). Split the statements over more policies.`,
  });
});

test('when even the compact form is over the limit, the refinement is still offered with an error that says by how much', () => {
  const text = policy(['ec2:*']);
  const service = serviceWith({ '/ws/unused-access.json': findings({ ec2: EC2_THIRD }) });
  const refined = applied(text, fixAll(service, '/ws/policy.json', text));
  const size = jsonSize(refined);
  assert.ok(size > 6144);
  assert.deepEqual(allowedBy(refined), expectedFor('ec2:*', 'ec2', EC2_THIRD));
  const [wildcard, error] = service.validate(doc('/ws/policy.json', text)).diagnostics;
  assert.equal(wildcard?.code, 'overbroad-wildcard');
  const statement = jsonSize(JSON.stringify((JSON.parse(refined) as { Statement: unknown[] }).Statement[0]));
  assert.equal(error?.message, `Refined, this policy would have ${size.toLocaleString('en-US')} characters even in the compact form: `
    + `${(size - 6144).toLocaleString('en-US')} over the 6,144 allowed for a managed policy (assumed: nothing says where it goes). `
    + `Largest statements: statement 1 (${statement.toLocaleString('en-US')} characters). Split the statements over more policies.`);
  assert.equal(error?.severity, 1);
  // The setting names the kind: as a role's inline policy, 10,240 characters, it fits.
  const role = serviceWith({ '/ws/unused-access.json': findings({ ec2: EC2_THIRD }) }, { refinement: { sizeLimit: 'role' } });
  assert.deepEqual(role.validate(doc('/ws/policy.json', text)).diagnostics.map((d) => d.code), ['overbroad-wildcard']);
});

test('a policy that fits in words keeps the word form (the article\'s style), whatever the compact form would save', () => {
  const text = policy(['s3:*']);
  const unused = every('s3', 3);
  const service = serviceWith({ '/ws/unused-access.json': findings({ s3: unused }) });
  const refined = applied(text, fixAll(service, '/ws/policy.json', text));
  const actions = (JSON.parse(refined) as { Statement: { Action: string[] }[] }).Statement[0]!.Action;
  assert.ok(actions.every((a) => /^s3:([A-Z][A-Za-z0-9]*)\*?$/.test(a)), 'word prefixes and names only');
  const compact = serviceWith({ '/ws/unused-access.json': findings({ s3: unused }) }, { refinement: { style: 'compact' } });
  const compactText = applied(text, fixAll(compact, '/ws/policy.json', text));
  assert.ok(jsonSize(compactText) < jsonSize(refined));
  assert.deepEqual(allowedBy(compactText), allowedBy(refined));
});

test('the wildcard hover gives both forms\' sizes when they differ, and which one the refinement uses', () => {
  const text = policy(['ec2:*', 's3:GetObject']);
  const service = serviceWith({ '/ws/unused-access.json': findings({ ec2: EC2_FIFTH }) });
  const document = doc('/ws/policy.json', text);
  const state = service.analyze(document)!;
  const refiner = state.analysis.refinements[0]!.refiner;
  const entry = state.analysis.refinements[0]!.statements[0]!.entries[0]!;
  const words = refiner.analyzePattern(entry.entry.pattern!).replacement!;
  const compact = refiner.compactReplacement(entry.entry.pattern!)!;
  const chars = (list: readonly string[]): string => list.reduce((n, p) => n + p.length + 3, 0).toLocaleString('en-US');
  const paragraphs = (hoverText(service, document, offsetOf(text, 'ec2:*')) as string).split('\n\n');
  assert.equal(paragraphs[2], `**Size:** ${chars(words)} characters in words (${words.length.toLocaleString('en-US')} patterns), `
    + `${chars(compact)} compact (${compact.length.toLocaleString('en-US')} patterns); `
    + 'the replacement above is in the compact form.');
  assert.ok(paragraphs[1]!.startsWith(`**Recommended replacement** (${compact.length.toLocaleString('en-US')} patterns): `));
  // An action has one form: no sizes.
  assert.ok(!(hoverText(service, document, offsetOf(text, 's3:GetObject')) as string).includes('**Size:**'));
});

const ROLE_TEMPLATE = (first: string, second: string): string => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: compute
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: '${first}'
                Resource: '*'
  Extra:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref AppRole
      PolicyName: extra
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: '${second}'
            Resource: '*'
`;

test('a role\'s inline policies in one template count together against 10,240 characters', () => {
  // Alone, each fits a role's limit in words (about 5,000 and 3,900); together they do not, so both become compact.
  const files = { '/ws/unused-access.json': findings({ ec2: every('ec2', 4).filter((n) => n < 'D'), sagemaker: every('sagemaker', 4) }) };
  const text = ROLE_TEMPLATE('ec2:C*', 'sagemaker:*');
  const service = serviceWith(files);
  const document = doc('/ws/stack.yaml', text, 1, 'yaml');
  const state = service.analyze(document)!;
  assert.deepEqual(state.analysis.refinements.map((r) => r.style), ['compact', 'compact']);
  const refined = applied(text, fixAll(service, '/ws/stack.yaml', text, 'yaml'));
  assert.ok(refined.includes("- 'ec2:") || refined.includes('- ec2:'));
  assert.ok(!service.validate(document).diagnostics.some((d) => d.code === 'policy-size'));
  // In words, the error names the role and the total of its inline policies.
  const words = serviceWith(files, { refinement: { style: 'words' } });
  const error = words.validate(document).diagnostics.find((d) => d.code === 'policy-size');
  assert.match(String(error?.message), pattern('^Refined, the inline policies of role AppRole would have # characters: # over the 10,240 ',
    'allowed for a role\'s inline policies together. Largest statements: statement 1 (# characters). ',
    'Split the statements over more policies.$'));
  // On the first of the role's policies' statements.
  assert.equal(error?.range.start.line, 16);
});

const MANAGED_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
  AppPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles:
        - !Ref AppRole
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: 'ec2:*'
            Resource: '*'
          - Sid: Storage
            Effect: Allow
            Action: ['s3:*']
            Resource: '*'
          - Effect: Allow
            Action:
              - iam:*
            Resource: '*'
Outputs:
  Arn:
    Value: !Ref AppPolicy
`;

const MANAGED_FINDINGS = findings({ ec2: EC2_THIRD, s3: every('s3', 3), iam: every('iam', 3) });

/** The managed policies of a template once split: each one's statements, and whom it is attached to. */
function managedPolicies(text: string, service: PolicyService, path: string, languageId: string): Diagnostic[] {
  return service.validate(doc(path, text, 2, languageId)).diagnostics;
}

test('CloudFormation YAML: the split moves statements to new managed policies attached to the same role; the result reads back', () => {
  const service = serviceWith({ '/ws/unused-access.json': MANAGED_FINDINGS });
  const document = doc('/ws/stack.yaml', MANAGED_TEMPLATE, 1, 'yaml');
  const error = service.validate(document).diagnostics.find((d) => d.code === 'policy-size')!;
  assert.equal(error.severity, 1);
  assert.match(String(error.message), pattern('^Refined, this policy would have # characters even in the compact form: ',
    '# over the 6,144 allowed for ',
    'a managed policy. Largest statements: statement 1 (# characters), "Storage" (# characters), statement 3 (# characters).'));
  const state = service.analyze(document)!;
  const [split] = service.codeActions(state, 0, { diagnostics: [error] }, { documentChanges: false });
  assert.ok(split);
  assert.match(split.title, /^Refine, and move [\d,]+ statements? to [\d,]+ new managed polic(y|ies) attached to the same principals$/);
  const text = applied(MANAGED_TEMPLATE, split);
  // Before the policy and after the new resources, the template is as it was.
  assert.ok(text.startsWith(MANAGED_TEMPLATE.slice(0, MANAGED_TEMPLATE.indexOf("            Action: 'ec2:*'"))));
  assert.ok(text.endsWith('Outputs:\n  Arn:\n    Value: !Ref AppPolicy\n'));
  assert.match(text, /\n {2}AppPolicyPart2:\n {4}Type: AWS::IAM::ManagedPolicy\n {4}Properties:\n {6}PolicyDocument: \{\n/);
  assert.match(text, /\n {6}Roles:\n {8}- !Ref AppRole\n/);
  // A YAML parser that knows CloudFormation's short tags reads the same structure.
  const ref = { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) };
  const template = parseYaml(text, { customTags: [ref] }) as { Resources: Record<string, Resource> };
  assert.equal(template.Resources.AppPolicyPart2?.Type, 'AWS::IAM::ManagedPolicy');
  assert.deepEqual(template.Resources.AppPolicyPart2?.Properties.Roles, [{ Ref: 'AppRole' }]);
  for (const id of Object.keys(template.Resources).filter((r) => r.startsWith('AppPolicy'))) {
    assert.ok(jsonSize(JSON.stringify(template.Resources[id]!.Properties.PolicyDocument)) <= 6144, id);
  }
  // Read back: no policy over its limit, none with anything to refine, and all of them together allow what the refinement allows.
  const after = managedPolicies(text, service, '/ws/stack.yaml', 'yaml');
  assert.deepEqual(after.map((d) => d.code), []);
  const readBack = service.analyze(doc('/ws/stack.yaml', text, 3, 'yaml'))!;
  const patterns = readBack.analysis.refinements
    .flatMap((r) => r.policy.statements.flatMap((s) => s.entries.map((e) => e.value)));
  const unused = unusedSet([{ services: ['ec2', 's3', 'iam'].map((service) => ({
    service, whole: false, actions: { ec2: EC2_THIRD, s3: every('s3', 3), iam: every('iam', 3) }[service]!,
  })) }], universe);
  const expected = new Set([...universe.matchesAny(['ec2:*', 's3:*', 'iam:*'])].filter((a) => !unused.has(a)));
  assert.deepEqual(universe.matchesAny(patterns), expected);
  const parts = Number(/to ([\d,]+) new managed/.exec(split.title)![1]);
  assert.equal(readBack.analysis.refinements.length, 1 + parts);
});

test('CloudFormation JSON: the new resource is JSON in the Resources object, with a Ref to the role', () => {
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      AppRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } } },
      AppPolicy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Roles: [{ Ref: 'AppRole' }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: ['ec2:*', 's3:*', 'iam:*'].map((a) => ({ Effect: 'Allow', Action: a, Resource: '*' })),
          },
        },
      },
    },
  };
  const original = `${JSON.stringify(template, null, 2)}\n`;
  const service = serviceWith({ '/ws/unused-access.json': MANAGED_FINDINGS });
  const document = doc('/ws/stack.json', original);
  const error = service.validate(document).diagnostics.find((d) => d.code === 'policy-size')!;
  const [split] = service.codeActions(service.analyze(document)!, 0, { diagnostics: [error] }, { documentChanges: false });
  assert.ok(split);
  const text = applied(original, split);
  const parsed = JSON.parse(text) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const parts = Object.keys(parsed.Resources).filter((id) => id.startsWith('AppPolicyPart'));
  assert.ok(parts.length >= 1);
  for (const id of parts) {
    assert.equal(parsed.Resources[id]!.Type, 'AWS::IAM::ManagedPolicy');
    assert.deepEqual(parsed.Resources[id]!.Properties.Roles, [{ Ref: 'AppRole' }]);
    assert.ok(jsonSize(JSON.stringify(parsed.Resources[id]!.Properties.PolicyDocument)) <= 6144);
  }
  assert.ok(jsonSize(JSON.stringify(parsed.Resources.AppPolicy!.Properties.PolicyDocument)) <= 6144);
  const all = ['AppPolicy', ...parts]
    .flatMap((id) => (parsed.Resources[id]!.Properties.PolicyDocument as { Statement: { Action: unknown }[] }).Statement)
    .flatMap((s) => listOf(s.Action));
  for (const p of all) assert.ok(patternRegExp(p));
  assert.deepEqual(managedPolicies(text, service, '/ws/stack.json', 'json').map((d) => d.code), []);
});

const TERRAFORM = `resource "aws_iam_role" "app" {
  name = "app"
}

resource "aws_iam_policy" "app" {
  name = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "ec2:*"
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:*"]
        Resource = aws_s3_bucket.data.arn
      },
      {
        Effect   = "Allow"
        Action   = ["iam:*"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "app" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.app.arn
}
`;

test('Terraform: the split adds aws_iam_policy resources and attachments to the same role; the result reads back', async () => {
  const service = serviceWith({ '/ws/unused-access.json': MANAGED_FINDINGS, '/ws/main.tf': TERRAFORM });
  await service.loadReaders();
  const document = doc('/ws/main.tf', TERRAFORM, 1, 'terraform');
  const error = service.validate(document).diagnostics.find((d) => d.code === 'policy-size')!;
  // An ARN from another resource counts as it reads: the size is "about".
  assert.match(String(error.message),
    pattern('^Refined, this policy would have about # characters even in the compact form: ',
      '# over the 6,144 allowed for a managed policy.'));
  const [split] = service.codeActions(service.analyze(document)!, 0, { diagnostics: [error] }, { documentChanges: false });
  assert.ok(split);
  const text = applied(TERRAFORM, split);
  assert.ok(text.startsWith(TERRAFORM.slice(0, TERRAFORM.indexOf('        Action   = "ec2:*"'))));
  assert.ok(text.includes('\nresource "aws_iam_policy" "app_part2" {\n  policy = jsonencode({\n'
    + '    Version = "2012-10-17"\n    Statement = [\n'));
  assert.ok(text.includes('\nresource "aws_iam_role_policy_attachment" "app_part2" {\n  role = aws_iam_role.app.name\n'
    + '  policy_arn = aws_iam_policy.app_part2.arn\n}\n'));
  // The statement with an expression moves as written, expression and all.
  assert.equal(text.split('aws_s3_bucket.data.arn').length, 2);
  const readBack = service.analyze(doc('/ws/main.tf', text, 2, 'terraform'))!;
  assert.deepEqual(readBack.analysis.file.syntaxErrors, []);
  assert.deepEqual(service.validate(doc('/ws/main.tf', text, 2, 'terraform')).diagnostics.map((d) => d.code), []);
  assert.ok(readBack.analysis.refinements.length >= 2);
  for (const r of readBack.analysis.refinements) {
    assert.deepEqual(r.policy.source.context?.principals.map((p) => p.id), ['aws_iam_role.app'], r.policy.source.context?.resourceId);
  }
});

test('Terraform: a user\'s inline policy is held to 2,048 characters', async () => {
  const text = `resource "aws_iam_user" "ops" {
  name = "ops"
}

resource "aws_iam_user_policy" "ops" {
  user = aws_iam_user.ops.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ec2:*", Resource = "*" }]
  })
}
`;
  const service = serviceWith({ '/ws/unused-access.json': findings({ ec2: every('ec2', 8) }), '/ws/user.tf': text });
  await service.loadReaders();
  const error = service.validate(doc('/ws/user.tf', text, 1, 'terraform')).diagnostics.find((d) => d.code === 'policy-size');
  assert.match(String(error?.message), pattern(
    '^Refined, the inline policies of user ops would have # characters even in the compact form: ',
    '# over the 2,048 allowed for a user\'s inline policies together. Largest statements: statement 1 (# characters).'));
});

test('the settings: refinement.style and refinement.sizeLimit are read when they are one of theirs, else left to the defaults', () => {
  const read = readSettings({ refinement: { style: 'compact', sizeLimit: 'group' } });
  assert.equal(read.style, 'compact');
  assert.equal(read.sizeLimit, 'group');
  const wrong = readSettings({ refinement: { style: 'short', sizeLimit: 4096 } });
  assert.equal(wrong.style, undefined);
  assert.equal(wrong.sizeLimit, undefined);
  // A group's 5,120 characters: the compact ec2 refinement (about 5,900) does not fit; the kind is said to be assumed.
  const service = serviceWith({ '/ws/unused-access.json': findings({ ec2: EC2_FIFTH }) }, { refinement: { sizeLimit: 'group' } });
  const error = service.validate(doc('/ws/policy.json', policy(['ec2:*']))).diagnostics.find((d) => d.code === 'policy-size');
  assert.match(String(error?.message), pattern('even in the compact form: # over the 5,120 allowed for ',
    'a group\'s inline policies together (assumed: nothing says where it goes).'));
});

test('a policy over its limit before refining: no size error, and auto refines it in the compact form when words would not fit', () => {
  // Every S3 and IAM action by name: over 6,144 characters before any refinement.
  const named = [...catalog.actions('s3').map((a) => `s3:${a.name}`), ...catalog.actions('iam').map((a) => `iam:${a.name}`)];
  const text = `${JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }, { Effect: 'Allow', Action: named, Resource: '*' }],
  }, null, 2)}\n`;
  assert.ok(jsonSize(text) > 6144, `${jsonSize(text)} characters before`);
  const files = { '/ws/unused-access.json': findings({ ec2: EC2_FIFTH }) };
  const auto = serviceWith(files);
  assert.deepEqual(auto.validate(doc('/ws/policy.json', text)).diagnostics.map((d) => d.code), ['overbroad-wildcard']);
  const compact = applied(text, fixAll(auto, '/ws/policy.json', text));
  const words = applied(text, fixAll(serviceWith(files, { refinement: { style: 'words' } }), '/ws/policy.json', text));
  assert.ok(jsonSize(compact) < jsonSize(words), `${jsonSize(compact)} compact, ${jsonSize(words)} in words`);
  const expected = new Set([...expectedFor('ec2:*', 'ec2', EC2_FIFTH), ...universe.matchesAny(named)]);
  assert.deepEqual(allowedBy(compact), expected);
  assert.deepEqual(allowedBy(words), expected);
});
