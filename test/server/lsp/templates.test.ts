import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_KIND as FIX_ALL } from '../../../shared/src/protocol/names';
import {
  type DocumentSummary, DocumentSummaryRequest, type FileRefinement, WorkspaceRefinementsRequest,
} from '../../../shared/src/protocol/requests';
import { repoRoot, testCatalog } from '../../support/catalog';
import { runCli, workspace } from '../../support/cli';
import { LspTestClient, uriOf } from '../../support/lspClient';
import { accessLevelLine } from '../../support/accessLevels';
import { actionDetailLines } from '../../support/actionDetails';

// Templates in the editor: CloudFormation and SAM in YAML and JSON, Terraform. Exact diagnostics
// (dynamic values as information), quick fixes and the fix-all action with the exact text they
// produce, hovers naming the role, and the workspace refinement. One server on the fixture
// repository; every change is made in the editor's memory, never on disk.

const TEMPLATES = join(repoRoot(), 'test', 'fixtures', 'workspaces', 'templates');
const DATE = '2026-09-26';
const NEVER = 'never used in the tracking period';

const range = (line: number, from: number, to: number, endLine = line): Range => ({
  start: { line, character: from }, end: { line: endLine, character: to },
});
/** What a user sees of a diagnostic. */
interface Seen {
  range: Range;
  severity?: number;
  code?: string | number;
  message: unknown;
}
const seen = (d: Diagnostic): Seen => ({ range: d.range, severity: d.severity, code: d.code, message: d.message });
const summary = (a: CodeAction) => [a.title, a.kind, a.isPreferred ?? false];
const code = (text: string): string => `\`${text}\``;

/** `text` with `from` (which must occur exactly once) replaced by `to`. */
function edit(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `${JSON.stringify(from)} must occur once`);
  return text.replace(from, to);
}

const FILES = {
  stackYaml: 'cfn/stack.yaml',
  sam: 'sam-app/template.yaml',
  stackJson: 'cfn/stack.json',
  mainTf: 'terraform/main.tf',
  iamTf: 'terraform/iam.tf',
} as const;
type File = keyof typeof FILES;
const LANGUAGES: Record<File, string> = { stackYaml: 'yaml', sam: 'yaml', stackJson: 'json', mainTf: 'terraform', iamTf: 'terraform' };
const ORIGINAL = Object.fromEntries(Object.entries(FILES)
  .map(([k, p]) => [k, readFileSync(join(TEMPLATES, p), 'utf8')])) as Record<File, string>;

// The edits each fix makes, written out by hand as before → after pieces of the fixture.
const GET_OBJECT = ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectAnnotation', 's3:GetObjectAttributes', 's3:GetObjectLegalHold',
  's3:GetObjectRetention', 's3:GetObjectTagging', 's3:GetObjectVersion*'];
const SQS = ['sqs:AddPermission', 'sqs:CancelMessageMoveTask', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:Get*', 'sqs:List*',
  'sqs:ReceiveMessage', 'sqs:RemovePermission', 'sqs:SendMessage', 'sqs:SetQueueAttributes', 'sqs:StartMessageMoveTask', 'sqs:TagQueue',
  'sqs:UntagQueue'];

const YAML_DELETE_ITEM = '                  - dynamodb:DeleteItem\n';
const YAML_SCAN = '                  - dynamodb:Scan   # reporting, moved to Athena\n';
const YAML_KEYS = '              - Sid: Keys\n                Effect: Allow\n'
  + '                Action: [kms:Decrypt, "kms:GenerateDataKey*"]\n                Resource: "*"\n';
const YAML_PURGE = "              - 'sqs:PurgeQueue'\n";
const SAM_DELETE_ITEM = '                - dynamodb:DeleteItem  # cleanup job, long gone\n';
const SAM_SQS_BEFORE = "              Action: 'sqs:*'\n";
const SAM_SQS_AFTER = `              Action:\n${SQS.map((p) => `                - '${p}'\n`).join('')}`;
const JSON_GET_OBJECT = '                "s3:GetObject*",\n';
const JSON_GET_OBJECT_AFTER = GET_OBJECT.map((p) => `                "${p}",\n`).join('');
const JSON_PUT_DELETE = '                "s3:PutObject",\n                "s3:DeleteObject",\n';
const JSON_ATHENA = '            },\n            {\n              "Sid": "Athena",\n              "Effect": "Allow",\n'
  + '              "Action": "athena:DeleteWorkGroup",\n              "Resource": "*"\n            }\n';
const TF_READ_BEFORE = '    actions = ["s3:GetObjectTorrent", "s3:ListBucket"]\n';
const TF_READ_AFTER = '    actions = ["s3:ListBucket"]\n';
const TF_ADMIN = '\n  statement {\n    sid       = "Admin"\n    actions   = ["s3:PutBucketPolicy"]\n    resources = ["*"]\n  }\n';
const TF_BUCKET_BEFORE = '["s3:GetObject*", "s3:PutObject", "s3:DeleteBucket"]';
const TF_BUCKET_AFTER = `[${[...GET_OBJECT, 's3:PutObject'].map((p) => `"${p}"`).join(', ')}]`;
const TF_SNS = '      {\n        Effect   = "Allow"\n        Action   = "sns:*"\n        Resource = "*"\n      },\n';
const TF_LOGS_BEFORE = '            "logs:PutLogEvents",\n            "logs:DeleteLogGroup"\n';
const TF_LOGS_AFTER = '            "logs:PutLogEvents"\n';

const apply = (text: string, edits: [string, string][]): string => edits.reduce((t, [from, to]) => edit(t, from, to), text);

/** Every file refined in full: what "Refine every policy in the file", the workspace refinement and `iam-refine --write` give. */
const REFINED: Record<File, string> = {
  stackYaml: apply(ORIGINAL.stackYaml, [[YAML_DELETE_ITEM + YAML_SCAN, ''], [YAML_KEYS, ''], [YAML_PURGE, '']]),
  sam: apply(ORIGINAL.sam, [[SAM_DELETE_ITEM, ''], [SAM_SQS_BEFORE, SAM_SQS_AFTER]]),
  stackJson: apply(ORIGINAL.stackJson, [[JSON_GET_OBJECT + JSON_PUT_DELETE, JSON_GET_OBJECT_AFTER], [JSON_ATHENA, '            }\n']]),
  mainTf: apply(ORIGINAL.mainTf, [[TF_BUCKET_BEFORE, TF_BUCKET_AFTER], [TF_SNS, ''], [TF_LOGS_BEFORE, TF_LOGS_AFTER]]),
  iamTf: apply(ORIGINAL.iamTf, [[TF_READ_BEFORE, TF_READ_AFTER], [TF_ADMIN, '']]),
};

const dynamic = (r: Range, what: string, left = 'it is left as it is') => ({
  range: r, severity: 3, code: 'dynamic-value',
  message: `${what} is not known until deployment and cannot be analysed statically: ${left}.`,
});
const unusedAction = (r: Range, action: string, by: string) => ({
  range: r, severity: 2, code: 'unused-action', message: `Unused action ${action}: ${NEVER} by ${by}.`,
});
const unusedStatement = (r: Range, sid?: string) => ({
  range: r, severity: 2, code: 'unused-statement',
  message: `Every action this statement allows is unused${sid ? ` (statement "${sid}")` : ''}.`,
});
const wildcard = (r: Range, message: string) => ({ range: r, severity: 2, code: 'overbroad-wildcard', message });

const API = 'role orders-api-role';
const TF = 'role tf-app-role';
const DIAGNOSTICS: Record<File, Seen[]> = {
  stackYaml: [
    dynamic(range(37, 20, 54), '!Sub'),
    dynamic(range(43, 16, 19), '!If', 'this statement is left as it is'),
    unusedAction(range(35, 20, 39), 'dynamodb:DeleteItem', API),
    unusedAction(range(36, 20, 33), 'dynamodb:Scan', API),
    unusedStatement(range(41, 16, 22), 'Keys'),
    unusedAction(range(41, 25, 36), 'kms:Decrypt', API),
    wildcard(range(41, 38, 60), 'kms:GenerateDataKey* allows only actions of kms, which is unused as a whole.'),
    // The managed policy both roles have: only what both leave unused.
    unusedAction(range(75, 16, 32), 'sqs:PurgeQueue', 'roles orders-api-role and orders-worker-role'),
  ],
  sam: [
    unusedAction(range(24, 18, 37), 'dynamodb:DeleteItem', 'role orders-api-OrdersFunctionRole-1A2B3C4D5E6F'),
    wildcard(range(27, 22, 29), 'sqs:* allows 3 unused actions (of 20).'),
  ],
  stackJson: [
    dynamic(range(31, 16, 72), 'Fn::Join'),
    wildcard(range(28, 16, 31), 's3:GetObject* allows 1 unused action (of 16).'),
    unusedAction(range(29, 16, 30), 's3:PutObject', 'role orders-reports-role'),
    unusedAction(range(30, 16, 33), 's3:DeleteObject', 'role orders-reports-role'),
    unusedStatement(range(38, 14, 22), 'Athena'),
    unusedAction(range(38, 24, 48), 'athena:DeleteWorkGroup', 'role orders-reports-role'),
  ],
  mainTf: [
    dynamic(range(43, 19, 36), 'var.extra_actions'),
    wildcard(range(33, 20, 35), 's3:GetObject* allows 1 unused action (of 16).'),
    unusedAction(range(33, 53, 70), 's3:DeleteBucket', TF),
    unusedStatement(range(38, 8, 14)),
    wildcard(range(38, 19, 26), 'sns:* allows only actions of sns, which is unused as a whole.'),
    unusedAction(range(62, 12, 33), 'logs:DeleteLogGroup', TF),
  ],
  iamTf: [
    unusedAction(range(3, 15, 36), 's3:GetObjectTorrent', TF),
    unusedStatement(range(9, 4, 11), 'Admin'),
    unusedAction(range(9, 17, 37), 's3:PutBucketPolicy', TF),
  ],
};

describe('templates in the editor', () => {
  let client: LspTestClient;
  const uris = {} as Record<File, string>;

  before(async () => {
    client = await LspTestClient.start([TEMPLATES]);
    for (const file of Object.keys(FILES) as File[]) {
      uris[file] = await client.open(join(TEMPLATES, FILES[file]), ORIGINAL[file], LANGUAGES[file]);
    }
  });

  after(async () => {
    await client.stop();
  });

  /**
   * The diagnostics of a document's current version. A Terraform document opened before the grammar
   * has loaded first gets an empty publish; every document here has diagnostics.
   */
  const diagnosticsOf = (file: File, accept: (d: Diagnostic[]) => boolean = (d) => d.length > 0): Promise<Diagnostic[]> =>
    client.diagnostics(uris[file], accept);

  /** Back to the fixture's text; its diagnostics. */
  async function reset(file: File): Promise<Diagnostic[]> {
    if (client.text(uris[file]) !== ORIGINAL[file]) await client.change(uris[file], ORIGINAL[file]);
    return diagnosticsOf(file);
  }

  /** The diagnostic of a document with `code` and a message that contains `what`. */
  async function target(file: File, code: string, what: string): Promise<Diagnostic> {
    const found = (await reset(file)).filter((d) => d.code === code && d.message.toString().includes(what));
    assert.equal(found.length, 1, `one ${code} diagnostic on ${what} in ${file}`);
    return found[0]!;
  }

  const at = (file: File, needle: string, delta = 1, nth = 0): Range => {
    const p = client.positionOf(uris[file], needle, delta, nth);
    return { start: p, end: p };
  };

  describe('diagnostics', () => {
    test('cfn/stack.yaml (yaml): inline and managed policies; !Sub and !If as information; '
      + 'trust and queue policies have none', async () => {
      const diagnostics = await diagnosticsOf('stackYaml');
      assert.deepEqual(diagnostics.map(seen), DIAGNOSTICS.stackYaml);
      for (const d of diagnostics) assert.equal(d.source, 'iam-policy-refiner');
      // Where the dynamic values are: the whole !Sub scalar, the !If tag.
      assert.equal(client.text(uris.stackYaml).split('\n')[37]!.slice(20, 54), '!Sub "${QueueService}:SendMessage"');
      assert.equal(client.text(uris.stackYaml).split('\n')[43]!.slice(16, 19), '!If');
      // The managed policy's unused action links to where the account's findings call it unused.
      const findings = uriOf(join(TEMPLATES, 'account.unused-access.json'));
      assert.deepEqual(diagnostics[7]!.relatedInformation?.map((r) => [r.location.uri, r.message]), [
        [findings, 'Reported unused here'],
      ]);
    });

    test('sam-app/template.yaml (yaml): the function\'s inline statements, '
      + 'with findings that name the function by logical id', async () => {
      assert.deepEqual((await diagnosticsOf('sam')).map(seen), DIAGNOSTICS.sam);
    });

    test('cfn/stack.json (json): a policy attached by Ref; Fn::Join as information; the trust policy has none', async () => {
      assert.deepEqual((await diagnosticsOf('stackJson')).map(seen), DIAGNOSTICS.stackJson);
    });

    test('terraform/main.tf and iam.tf (terraform): jsonencode, heredoc and a policy document attached from the other file; '
      + 'the trust document has none', async () => {
      assert.deepEqual((await diagnosticsOf('mainTf')).map(seen), DIAGNOSTICS.mainTf);
      assert.deepEqual((await diagnosticsOf('iamTf')).map(seen), DIAGNOSTICS.iamTf);
    });

    test('a .tf file is Terraform by its name: opened as plain text, the same diagnostics', async () => {
      const path = join(TEMPLATES, FILES.iamTf);
      await client.close(uris.iamTf);
      try {
        await client.open(path, ORIGINAL.iamTf, 'plaintext');
        assert.deepEqual((await diagnosticsOf('iamTf')).map(seen), DIAGNOSTICS.iamTf);
        assert.match((await client.hover(uris.iamTf, client.positionOf(uris.iamTf, 's3:ListBucket'))) ?? '',
          /^\*\*`s3:ListBucket`\*\* · Amazon S3 · List/);
      } finally {
        await client.close(uris.iamTf);
        await client.open(path, ORIGINAL.iamTf, 'terraform');
        await diagnosticsOf('iamTf');
      }
    });

    test('trust policies, the queue policy, managed policy names and dynamic values are not read as policy text: '
      + 'no hover, no code action', async () => {
      const nothingAt = async (file: File, needle: string, nth = 0): Promise<void> => {
        const where = at(file, needle, 1, nth);
        assert.equal(await client.hover(uris[file], where.start), undefined, `hover on ${needle} #${nth} in ${file}`);
        assert.deepEqual(await client.codeActions(uris[file], where), [], `code actions on ${needle} #${nth} in ${file}`);
      };
      await nothingAt('stackYaml', 'sts:AssumeRole', 0);
      await nothingAt('stackYaml', 'sts:AssumeRole', 1);
      await nothingAt('stackYaml', 'sqs:*');
      await nothingAt('stackJson', 'sts:AssumeRole');
      await nothingAt('mainTf', 'sts:AssumeRole');
      await nothingAt('sam', 'AWSLambdaBasicExecutionRole');
      await nothingAt('sam', 'DynamoDBReadPolicy');
      // A dynamic value, and a statement written as !If, have no hover.
      assert.equal(await client.hover(uris.stackYaml, client.positionOf(uris.stackYaml, '${QueueService}')), undefined);
      assert.equal(await client.hover(uris.stackJson, client.positionOf(uris.stackJson, 'Fn::Join')), undefined);
      assert.equal(await client.hover(uris.mainTf, client.positionOf(uris.mainTf, 'var.extra_actions')), undefined);
      assert.equal(await client.hover(uris.stackYaml, client.positionOf(uris.stackYaml, 'cloudwatch:PutMetricData')), undefined,
        'inside !If');
    });

    test('dynamic-value has its own severity setting', async () => {
      try {
        await client.configurationChanged({ severity: { 'dynamic-value': 'hint' } });
        const hinted = await diagnosticsOf('stackJson', (d) => d[0]?.code === 'dynamic-value' && d[0].severity === 4);
        assert.deepEqual(hinted.map(seen), [{ ...DIAGNOSTICS.stackJson[0]!, severity: 4 }, ...DIAGNOSTICS.stackJson.slice(1)]);
        await client.configurationChanged({ severity: { 'dynamic-value': 'off' } });
        assert.deepEqual((await diagnosticsOf('stackJson', (d) => d.length === 5)).map(seen), DIAGNOSTICS.stackJson.slice(1));
      } finally {
        await client.configurationChanged({});
      }
      assert.deepEqual((await diagnosticsOf('stackJson', (d) => d.length === 6 && d[0]!.severity === 3)).map(seen), DIAGNOSTICS.stackJson);
    });
  });

  describe('quick fixes', () => {
    const cases: { file: File; code: string; what: string; quickFix: string; statement: string; policy: string; text: string }[] = [
      {
        file: 'stackYaml', code: 'unused-action', what: 'dynamodb:DeleteItem',
        quickFix: 'Remove unused action dynamodb:DeleteItem', statement: 'Refine this statement: 2 unused actions removed',
        policy: 'Refine the whole policy: 1 unused statement removed, 2 unused actions removed',
        text: edit(ORIGINAL.stackYaml, YAML_DELETE_ITEM, ''),
      },
      {
        file: 'stackYaml', code: 'unused-action', what: 'dynamodb:Scan',
        quickFix: 'Remove unused action dynamodb:Scan', statement: 'Refine this statement: 2 unused actions removed',
        policy: 'Refine the whole policy: 1 unused statement removed, 2 unused actions removed',
        // The line goes with its comment.
        text: edit(ORIGINAL.stackYaml, YAML_SCAN, ''),
      },
      {
        file: 'stackYaml', code: 'unused-statement', what: 'Keys',
        quickFix: 'Remove unused statement', statement: 'Refine this statement: 1 unused statement removed',
        policy: 'Refine the whole policy: 1 unused statement removed, 2 unused actions removed',
        text: edit(ORIGINAL.stackYaml, YAML_KEYS, ''),
      },
      {
        // In a flow sequence: the entry and its comma.
        file: 'stackYaml', code: 'unused-action', what: 'kms:Decrypt',
        quickFix: 'Remove unused action kms:Decrypt', statement: 'Refine this statement: 1 unused statement removed',
        policy: 'Refine the whole policy: 1 unused statement removed, 2 unused actions removed',
        text: edit(ORIGINAL.stackYaml, '[kms:Decrypt, "kms:GenerateDataKey*"]', '["kms:GenerateDataKey*"]'),
      },
      {
        // The managed policy of both roles.
        file: 'stackYaml', code: 'unused-action', what: 'sqs:PurgeQueue',
        quickFix: 'Remove unused action sqs:PurgeQueue', statement: 'Refine this statement: 1 unused action removed',
        policy: 'Refine the whole policy: 1 unused action removed',
        text: edit(ORIGINAL.stackYaml, YAML_PURGE, ''),
      },
      {
        file: 'sam', code: 'overbroad-wildcard', what: 'sqs:*',
        quickFix: 'Replace sqs:* with 13 patterns that exclude 3 unused actions',
        statement: 'Refine this statement: 1 wildcard narrowed (3 unused actions excluded)',
        policy: 'Refine the whole policy: 1 unused action removed, 1 wildcard narrowed (3 unused actions excluded)',
        // A quoted scalar becomes a block sequence of entries quoted the same way.
        text: edit(ORIGINAL.sam, SAM_SQS_BEFORE, SAM_SQS_AFTER),
      },
      {
        file: 'sam', code: 'unused-action', what: 'dynamodb:DeleteItem',
        quickFix: 'Remove unused action dynamodb:DeleteItem', statement: 'Refine this statement: 1 unused action removed',
        policy: 'Refine the whole policy: 1 unused action removed, 1 wildcard narrowed (3 unused actions excluded)',
        text: edit(ORIGINAL.sam, SAM_DELETE_ITEM, ''),
      },
      {
        file: 'stackJson', code: 'unused-statement', what: 'Athena',
        quickFix: 'Remove unused statement', statement: 'Refine this statement: 1 unused statement removed',
        policy: 'Refine the whole policy: 1 unused statement removed, 2 unused actions removed, '
          + '1 wildcard narrowed (1 unused action excluded)',
        text: edit(ORIGINAL.stackJson, JSON_ATHENA, '            }\n'),
      },
      {
        file: 'stackJson', code: 'overbroad-wildcard', what: 's3:GetObject*',
        quickFix: 'Replace s3:GetObject* with 8 patterns that exclude 1 unused action',
        statement: 'Refine this statement: 2 unused actions removed, 1 wildcard narrowed (1 unused action excluded)',
        policy: 'Refine the whole policy: 1 unused statement removed, 2 unused actions removed, '
          + '1 wildcard narrowed (1 unused action excluded)',
        text: edit(ORIGINAL.stackJson, JSON_GET_OBJECT, JSON_GET_OBJECT_AFTER),
      },
      {
        // A statement block of a data "aws_iam_policy_document", with the blank line before it.
        file: 'iamTf', code: 'unused-statement', what: 'Admin',
        quickFix: 'Remove unused statement', statement: 'Refine this statement: 1 unused statement removed',
        policy: 'Refine the whole policy: 1 unused statement removed, 1 unused action removed',
        text: edit(ORIGINAL.iamTf, TF_ADMIN, ''),
      },
      {
        file: 'iamTf', code: 'unused-action', what: 's3:GetObjectTorrent',
        quickFix: 'Remove unused action s3:GetObjectTorrent', statement: 'Refine this statement: 1 unused action removed',
        policy: 'Refine the whole policy: 1 unused statement removed, 1 unused action removed',
        text: edit(ORIGINAL.iamTf, TF_READ_BEFORE, TF_READ_AFTER),
      },
      {
        // The last entry of a jsonencode tuple, before a comment.
        file: 'mainTf', code: 'unused-action', what: 's3:DeleteBucket',
        quickFix: 'Remove unused action s3:DeleteBucket',
        statement: 'Refine this statement: 1 unused action removed, 1 wildcard narrowed (1 unused action excluded)',
        policy: 'Refine the whole policy: 1 unused statement removed, 1 unused action removed, '
          + '1 wildcard narrowed (1 unused action excluded)',
        text: edit(ORIGINAL.mainTf, '"s3:PutObject", "s3:DeleteBucket"] # DeleteBucket', '"s3:PutObject"] # DeleteBucket'),
      },
      {
        file: 'mainTf', code: 'unused-statement', what: 'Every action',
        quickFix: 'Remove unused statement', statement: 'Refine this statement: 1 unused statement removed',
        policy: 'Refine the whole policy: 1 unused statement removed, 1 unused action removed, '
          + '1 wildcard narrowed (1 unused action excluded)',
        text: edit(ORIGINAL.mainTf, TF_SNS, ''),
      },
      {
        // JSON in a heredoc.
        file: 'mainTf', code: 'unused-action', what: 'logs:DeleteLogGroup',
        quickFix: 'Remove unused action logs:DeleteLogGroup', statement: 'Refine this statement: 1 unused action removed',
        policy: 'Refine the whole policy: 1 unused action removed',
        text: edit(ORIGINAL.mainTf, TF_LOGS_BEFORE, TF_LOGS_AFTER),
      },
    ];

    for (const c of cases) {
      test(`${FILES[c.file]}, ${c.code} on ${c.what}: "${c.quickFix}"`, async () => {
        const diagnostic = await target(c.file, c.code, c.what);
        const actions = await client.codeActions(uris[c.file], diagnostic.range, [diagnostic]);
        assert.deepEqual(actions.map(summary), [
          [c.quickFix, 'quickfix', true],
          [c.statement, 'refactor.rewrite', false],
          [c.policy, 'refactor.rewrite', false],
        ]);
        assert.deepEqual(actions[0]!.diagnostics, [diagnostic]);
        assert.equal(await client.apply(actions[0]!), c.text);
        const after = await client.diagnostics(uris[c.file]);
        assert.equal(after.filter((d) => d.message === diagnostic.message).length, 0, `${diagnostic.message} is still reported`);
      });
    }

    test('a dynamic value\'s diagnostic has no quick fix; the statement around it can still be refined', async () => {
      const sub = await target('stackYaml', 'dynamic-value', '!Sub');
      assert.deepEqual((await client.codeActions(uris.stackYaml, sub.range, [sub])).map(summary), [
        ['Refine this statement: 2 unused actions removed', 'refactor.rewrite', false],
        ['Refine the whole policy: 1 unused statement removed, 2 unused actions removed', 'refactor.rewrite', false],
      ]);
      // A statement written as !If is left whole: only the policy around it is offered.
      const condition = await target('stackYaml', 'dynamic-value', '!If');
      const [whole] = await client.codeActions(uris.stackYaml, condition.range, [condition]);
      assert.equal(whole?.title, 'Refine the whole policy: 1 unused statement removed, 2 unused actions removed');
      assert.equal(await client.apply(whole!), edit(edit(ORIGINAL.stackYaml, YAML_DELETE_ITEM + YAML_SCAN, ''), YAML_KEYS, ''));
      assert.deepEqual((await client.diagnostics(uris.stackYaml)).map(seen), [
        dynamic(range(35, 20, 54), '!Sub'),
        dynamic(range(37, 16, 19), '!If', 'this statement is left as it is'),
        unusedAction(range(69, 16, 32), 'sqs:PurgeQueue', 'roles orders-api-role and orders-worker-role'),
      ]);
    });

    const fixAllTitles: Record<File, string> = {
      stackYaml: 'Refine every policy in the file: 1 unused statement removed, 3 unused actions removed',
      sam: 'Refine every policy in the file: 1 unused action removed, 1 wildcard narrowed (3 unused actions excluded)',
      stackJson: 'Refine every policy in the file: 1 unused statement removed, 2 unused actions removed, '
        + '1 wildcard narrowed (1 unused action excluded)',
      mainTf: 'Refine every policy in the file: 1 unused statement removed, 2 unused actions removed, '
        + '1 wildcard narrowed (1 unused action excluded)',
      iamTf: 'Refine every policy in the file: 1 unused statement removed, 1 unused action removed',
    };
    for (const file of Object.keys(FILES) as File[]) {
      test(`${FIX_ALL} on ${FILES[file]}: every policy of the file refined, exactly; `
        + 'then only the dynamic values are reported', async () => {
        await reset(file);
        const actions = await client.codeActions(uris[file], range(0, 0, 0), [], ['source.fixAll']);
        assert.deepEqual(actions.map((a) => [a.title, a.kind]), [[fixAllTitles[file], FIX_ALL]]);
        assert.equal(await client.apply(actions[0]!), REFINED[file]);
        const remaining = (await client.diagnostics(uris[file])).map(seen);
        assert.deepEqual(remaining.map((d) => d.code), DIAGNOSTICS[file].filter((d) => d.code === 'dynamic-value').map((d) => d.code));
        assert.deepEqual(await client.codeActions(uris[file], range(0, 0, 0), [], ['source.fixAll']), []);
      });
    }
  });

  describe('hovers', () => {
    test('on a wildcard in YAML: what it allows, what of it is unused and by whom, the replacement; '
      + 'the footer names the function\'s role', async () => {
      await reset('sam');
      const by = 'by role orders-api-OrdersFunctionRole-1A2B3C4D5E6F';
      const used = ['sqs:AddPermission', 'sqs:CancelMessageMoveTask', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage',
        'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ListDeadLetterSourceQueues', 'sqs:ListMessageMoveTasks', 'sqs:ListQueueTags',
        'sqs:ListQueues', 'sqs:ReceiveMessage', 'sqs:RemovePermission', 'sqs:SendMessage', 'sqs:SetQueueAttributes',
        'sqs:StartMessageMoveTask', 'sqs:TagQueue', 'sqs:UntagQueue'];
      const expected = [
        `**${code('sqs:*')}** allows 20 known actions, 3 of them unused.`,
        `**Recommended replacement** (13 patterns): ${SQS.map(code).join(', ')}`,
        '**Size:** 267 characters in words (13 patterns), 69 compact (7 patterns); the replacement above is in words.',
        `**Unused** (3), ${NEVER} ${by}: ${['sqs:CreateQueue', 'sqs:DeleteQueue', 'sqs:PurgeQueue'].map(code).join(', ')}`,
        `In use (17): ${used.map(code).join(', ')}`,
        accessLevelLine(testCatalog().actions('sqs')),
        // The role SAM generates has no name in the template: its logical id stands for it.
        `_role OrdersFunction · Findings: orders.unused-access.json (analysed 2026-11-01) · action catalogue of ${DATE}_`,
      ].join('\n\n');
      // Anywhere on the scalar, its quotes included.
      assert.equal(await client.hover(uris.sam, client.positionOf(uris.sam, "'sqs:*'", 0)), expected);
      assert.equal(await client.hover(uris.sam, client.positionOf(uris.sam, "'sqs:*'", 4)), expected);
    });

    test('on an action of the managed policy two roles share: both roles in the footer', async () => {
      await reset('stackYaml');
      assert.equal(await client.hover(uris.stackYaml, client.positionOf(uris.stackYaml, "'sqs:SendMessage'")), [
        `**${code('sqs:SendMessage')}** · Amazon SQS · Write`,
        'Grants permission to deliver a message to the specified queue',
        // Unused by the worker, used by the API: in use.
        'In use: the findings do not call it unused.',
        ...actionDetailLines('sqs:SendMessage'),
        '_role orders-worker-role, role orders-api-role · Findings: account.unused-access.json (analysed 2026-11-01) · '
          + `action catalogue of ${DATE}_`,
      ].join('\n\n'));
    });

    test('on a wildcard in Terraform: the role the policy is attached to in the footer', async () => {
      await reset('mainTf');
      const used = ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectAnnotation', 's3:GetObjectAttributes', 's3:GetObjectLegalHold',
        's3:GetObjectRetention', 's3:GetObjectTagging', 's3:GetObjectVersion', 's3:GetObjectVersionAcl', 's3:GetObjectVersionAnnotation',
        's3:GetObjectVersionAnnotationForReplication', 's3:GetObjectVersionAttributes', 's3:GetObjectVersionForReplication',
        's3:GetObjectVersionTagging', 's3:GetObjectVersionTorrent'];
      assert.equal(await client.hover(uris.mainTf, client.positionOf(uris.mainTf, '"s3:GetObject*"')), [
        `**${code('s3:GetObject*')}** allows 16 known actions, 1 of them unused.`,
        `**Recommended replacement** (8 patterns): ${GET_OBJECT.map(code).join(', ')}`,
        '**Size:** 176 characters in words (8 patterns), 92 compact (7 patterns); the replacement above is in words.',
        `**Unused** (1), ${NEVER} by role tf-app-role: ${code('s3:GetObjectTorrent')}`,
        `In use (15): ${used.map(code).join(', ')}`,
        accessLevelLine(testCatalog().actions('s3').filter((a) => a.name.startsWith('GetObject'))),
        `_role tf-app-role · Findings: account.unused-access.json (analysed 2026-11-01) · action catalogue of ${DATE}_`,
      ].join('\n\n'));
      // The policy document of the other file: the role comes from main.tf.
      await reset('iamTf');
      const hover = (await client.hover(uris.iamTf, client.positionOf(uris.iamTf, 's3:PutBucketPolicy')))?.split('\n\n');
      assert.equal(hover?.[2], `**Unused:** ${NEVER} by role tf-app-role.`);
      assert.equal(hover?.at(-1),
        `_role tf-app-role · Findings: account.unused-access.json (analysed 2026-11-01) · action catalogue of ${DATE}_`);
    });
  });

  describe('editing', () => {
    test('editing a YAML template updates its diagnostics', async () => {
      await reset('sam');
      // Delete the DeleteItem line, as an editor sends it.
      await client.edit(uris.sam, range(24, 0, 0, 25), '');
      assert.deepEqual((await client.diagnostics(uris.sam)).map(seen), [
        wildcard(range(26, 22, 29), 'sqs:* allows 3 unused actions (of 20).'),
      ]);
      // sqs:* → sqs:Get*: nothing unused any more.
      await client.edit(uris.sam, range(26, 27, 28), 'Get*');
      assert.equal(client.text(uris.sam).split('\n')[26], "              Action: 'sqs:Get*'");
      assert.deepEqual(await client.diagnostics(uris.sam), []);
      // A new unused action.
      await client.edit(uris.sam, range(24, 0, 0), '                - dynamodb:DeleteItem\n');
      assert.deepEqual((await client.diagnostics(uris.sam)).map(seen), [DIAGNOSTICS.sam[0]]);
    });

    test('editing a Terraform file updates its diagnostics', async () => {
      await reset('mainTf');
      // "sns:Publish" typed into the bucket statement's tuple: sns is unused as a whole.
      await client.edit(uris.mainTf, range(33, 20, 20), '"sns:Publish", ');
      assert.deepEqual((await client.diagnostics(uris.mainTf)).map(seen), [
        DIAGNOSTICS.mainTf[0],
        unusedAction(range(33, 20, 33), 'sns:Publish', TF),
        wildcard(range(33, 35, 50), 's3:GetObject* allows 1 unused action (of 16).'),
        unusedAction(range(33, 68, 85), 's3:DeleteBucket', TF),
        ...DIAGNOSTICS.mainTf.slice(3),
      ]);
      // The sns statement removed by hand.
      await client.change(uris.mainTf, edit(ORIGINAL.mainTf, TF_SNS, ''));
      const moved = (d: Seen): Seen => ({ ...d, range: range(d.range.start.line - 5, d.range.start.character, d.range.end.character) });
      assert.deepEqual((await client.diagnostics(uris.mainTf)).map(seen), [
        moved(DIAGNOSTICS.mainTf[0]!), DIAGNOSTICS.mainTf[1], DIAGNOSTICS.mainTf[2], moved(DIAGNOSTICS.mainTf[5]!),
      ]);
    });

    test('unsaved edits to a module\'s other file count: '
      + 'renaming the role in main.tf changes what iam.tf\'s document is judged against', async () => {
      await reset('iamTf');
      await reset('mainTf');
      const renamed = edit(ORIGINAL.mainTf, 'name               = "tf-app-role"', 'name               = "tf-other-role"');
      try {
        await client.change(uris.mainTf, renamed);
        assert.deepEqual((await client.diagnostics(uris.mainTf)).map(seen), [DIAGNOSTICS.mainTf[0]]);
        // iam.tf's document is attached to that role, which now has no findings.
        assert.deepEqual(await client.diagnostics(uris.iamTf, (d) => d.length === 0, 4000), []);
        assert.equal((await client.hover(uris.iamTf, client.positionOf(uris.iamTf, 's3:ListBucket')))?.split('\n\n').at(-1),
          `_role tf-other-role · No findings file applies to this policy · action catalogue of ${DATE}_`);
      } finally {
        await client.change(uris.mainTf, ORIGINAL.mainTf);
        await diagnosticsOf('mainTf');
      }
      assert.deepEqual((await client.diagnostics(uris.iamTf, (d) => d.length === 3, 4000)).map(seen), DIAGNOSTICS.iamTf);
    });

    test('syntax errors in YAML and Terraform (HCL, and a heredoc\'s JSON) are reported; '
      + 'the rest is still analysed, and nothing is offered to edit', async () => {
      const noEdits = async (file: File, diagnostics: Diagnostic[]): Promise<void> => {
        for (const d of diagnostics) {
          assert.deepEqual(await client.codeActions(uris[file], d.range, [d]), [], `${file}: ${d.message.toString()}`);
        }
        assert.deepEqual(await client.codeActions(uris[file], range(0, 0, 0), [], ['source.fixAll']), []);
      };
      const syntax = (r: Range, message: string) => ({ range: r, severity: 1, code: 'syntax-error', message });
      // Each diagnostic that would have a fix says why it has none.
      const fixable = new Set(['unused-action', 'overbroad-wildcard', 'unused-statement', 'overbroad-notaction']);
      const blocked = (line: number, diagnostics: ReturnType<typeof seen>[]) => diagnostics.map((d) => (fixable.has(String(d.code))
        ? { ...d, message: `${String(d.message)} No fix is offered until the syntax error on line ${line} is fixed.` } : d));

      await reset('stackYaml');
      await client.change(uris.stackYaml,
        edit(ORIGINAL.stackYaml, 'Action: [kms:Decrypt, "kms:GenerateDataKey*"]', 'Action: [kms:Decrypt, "kms:GenerateDataKey*"'));
      const yaml = await client.diagnostics(uris.stackYaml);
      assert.deepEqual(yaml.map(seen), [
        syntax(range(42, 16, 17), 'Flow sequence in block collection must be sufficiently indented and end with a ]'),
        ...blocked(43, DIAGNOSTICS.stackYaml),
      ]);
      await noEdits('stackYaml', yaml);

      await reset('mainTf');
      await client.change(uris.mainTf, edit(ORIGINAL.mainTf, '"s3:DeleteBucket"] #', '"s3:DeleteBucket" #'));
      const hcl = await client.diagnostics(uris.mainTf);
      assert.deepEqual(hcl.map(seen), [syntax(range(34, 8, 8), 'Missing "]".'), ...blocked(35, DIAGNOSTICS.mainTf)]);
      await noEdits('mainTf', hcl);

      await client.change(uris.mainTf, edit(ORIGINAL.mainTf, '"logs:PutLogEvents",', '"logs:PutLogEvents"'));
      const heredoc = await client.diagnostics(uris.mainTf);
      assert.deepEqual(heredoc.map(seen), [syntax(range(62, 12, 33), 'Expected a comma.'), ...blocked(63, DIAGNOSTICS.mainTf)]);
      await noEdits('mainTf', heredoc);

      await reset('stackYaml');
      await reset('mainTf');
    });
  });

  describe('findings files of templates', () => {
    test('findings whose appliesTo names "template.yaml#OrdersFunction" apply to a policy: no unmatched-findings; '
      + 'nor on the account\'s findings', async () => {
      for (const path of ['sam-app/orders.unused-access.json', 'account.unused-access.json']) {
        const uri = await client.open(join(TEMPLATES, path));
        assert.deepEqual(await client.diagnostics(uri), [], path);
        await client.close(uri);
      }
    });

    test('editing the function\'s findings file in the editor re-checks the template at once', async () => {
      await reset('sam');
      const path = join(TEMPLATES, 'sam-app', 'orders.unused-access.json');
      const original = readFileSync(path, 'utf8');
      const uri = await client.open(path);
      try {
        await client.change(uri, edit(original, ', { "action": "sqs:CreateQueue" }', ''));
        assert.deepEqual(await client.diagnostics(uri), []);
        assert.deepEqual((await diagnosticsOf('sam', (d) => d[1]?.message !== DIAGNOSTICS.sam[1]!.message)).map(seen), [
          DIAGNOSTICS.sam[0], wildcard(range(27, 22, 29), 'sqs:* allows 2 unused actions (of 20).'),
        ]);
        // Another logical id: the function is no longer named, so nothing applies to it.
        await client.change(uri, edit(original, 'template.yaml#OrdersFunction', 'template.yaml#OrdersQueue'));
        assert.deepEqual(await diagnosticsOf('sam', (d) => d.length === 0), []);
      } finally {
        await client.close(uri);
      }
      const restored = await diagnosticsOf('sam', (d) => d.length === 2 && d[1]!.message === DIAGNOSTICS.sam[1]!.message);
      assert.deepEqual(restored.map(seen), DIAGNOSTICS.sam);
    });

    test('an untitled template (no file yet) gets the findings that name its roles', async () => {
      const untitled = await client.openUri('untitled:Untitled-1', ORIGINAL.stackYaml, 'yaml');
      try {
        assert.deepEqual((await client.diagnostics(untitled)).map(seen), DIAGNOSTICS.stackYaml);
      } finally {
        await client.close(untitled);
      }
    });

    test('…while findings naming a template file that does not exist apply to nothing: unmatched-findings', async () => {
      const text = '{\n  "appliesTo": [\n    "template.yml#OrdersFunction"\n  ],\n'
        + '  "findings": [{ "serviceNamespace": "sqs", "actions": ["PurgeQueue"] }]\n}\n';
      const uri = await client.openUri(uriOf(join(TEMPLATES, 'sam-app', 'draft.unused-access.json')), text);
      try {
        assert.deepEqual((await client.diagnostics(uri)).map(seen), [{
          range: range(2, 4, 33), severity: 2, code: 'unmatched-findings',
          message: 'These findings apply to no policy in the workspace: no IAM policy matches its "appliesTo" globs.',
        }]);
      } finally {
        await client.close(uri);
      }
    });
  });

  describe(DocumentSummaryRequest.method, () => {
    test('what the status bar shows of a template: its unused actions, counted once, and the findings that apply', async () => {
      const summaryOf = async (file: File): Promise<DocumentSummary> => {
        await reset(file);
        const summary = await client.request(client.connection.sendRequest(DocumentSummaryRequest, { uri: uris[file] }));
        assert.ok(summary, `a summary of ${file}`);
        return summary;
      };
      assert.deepEqual(await summaryOf('sam'), {
        isPolicy: true,
        unusedActions: 4,
        findings: [{
          uri: uriOf(join(TEMPLATES, 'sam-app', 'orders.unused-access.json')),
          principals: ['arn:aws:iam::123456789012:role/orders-api-OrdersFunctionRole-1A2B3C4D5E6F'],
          analyzedAt: '2026-11-01T10:00:00+00:00',
        }],
        summary: { statements: 0, actions: 1, wildcards: 1, notActions: 0, excluded: 3 },
      });
      const account = uriOf(join(TEMPLATES, 'account.unused-access.json'));
      // kms:Decrypt, the four of kms:GenerateDataKey*, dynamodb:DeleteItem and Scan, sqs:PurgeQueue.
      const stack = await summaryOf('stackYaml');
      assert.deepEqual([stack.isPolicy, stack.unusedActions, stack.findings.map((f) => f.uri), stack.summary],
        [true, 8, [account], { statements: 1, actions: 3, wildcards: 0, notActions: 0, excluded: 0 }]);
      // s3:GetObjectTorrent, s3:DeleteBucket, the 41 actions of sns, logs:DeleteLogGroup.
      const main = await summaryOf('mainTf');
      assert.deepEqual([main.isPolicy, main.unusedActions, main.findings.map((f) => f.uri), main.summary],
        [true, 44, [account], { statements: 1, actions: 2, wildcards: 1, notActions: 0, excluded: 1 }]);
    });
  });

  describe(WorkspaceRefinementsRequest.method, () => {
    test('the refinement of every template file, Terraform included; applied, exactly what iam-refine --write writes', async () => {
      // Every document open at the fixture's text, in a version of its own: the edits are for that version.
      const versions = {} as Record<File, number>;
      for (const file of Object.keys(FILES) as File[]) {
        versions[file] = await client.change(uris[file], ORIGINAL[file]);
        await diagnosticsOf(file);
      }
      const request = (): Promise<FileRefinement[]> => client.request(client.connection.sendRequest(WorkspaceRefinementsRequest));
      const refinements = await request();
      assert.deepEqual(refinements.map((r) => [r.uri, r.version, r.detach, r.summary]), [
        [uris.stackJson, versions.stackJson, 0, { statements: 1, actions: 2, wildcards: 1, notActions: 0, excluded: 1 }],
        [uris.stackYaml, versions.stackYaml, 0, { statements: 1, actions: 3, wildcards: 0, notActions: 0, excluded: 0 }],
        [uris.sam, versions.sam, 0, { statements: 0, actions: 1, wildcards: 1, notActions: 0, excluded: 3 }],
        [uris.iamTf, versions.iamTf, 0, { statements: 1, actions: 1, wildcards: 0, notActions: 0, excluded: 0 }],
        [uris.mainTf, versions.mainTf, 0, { statements: 1, actions: 2, wildcards: 1, notActions: 0, excluded: 1 }],
      ]);

      const cli = workspace({ '.git/': '' });
      cpSync(TEMPLATES, cli, { recursive: true });
      const written = runCli(['--write', '--quiet', '.'], cli);
      assert.deepEqual(written, { status: 0, stdout: '', stderr: '' });
      for (const refinement of refinements) {
        const path = fileURLToPath(refinement.uri);
        const relative = path.slice(TEMPLATES.length + 1);
        const original = TextDocument.create(refinement.uri, 'text', 0, readFileSync(path, 'utf8'));
        const refined = TextDocument.applyEdits(original, refinement.edits);
        assert.equal(refined, readFileSync(join(cli, relative), 'utf8'), relative);
        assert.equal(refined, REFINED[(Object.keys(FILES) as File[]).find((f) => FILES[f] === relative)!], relative);
      }

      // With no document open, the files are read from disk (Terraform's module too): the same edits, for no version.
      for (const file of Object.keys(FILES) as File[]) await client.close(uris[file]);
      try {
        const onDisk = await request();
        assert.deepEqual(onDisk.map((r) => [r.uri, r.version]), refinements.map((r) => [r.uri, undefined]));
        assert.deepEqual(onDisk.map((r) => r.edits), refinements.map((r) => r.edits));
      } finally {
        for (const file of Object.keys(FILES) as File[]) {
          await client.open(join(TEMPLATES, FILES[file]), ORIGINAL[file], LANGUAGES[file]);
          await diagnosticsOf(file);
        }
      }
    });
  });
});
