// Templates for `npm run bench`: a large CloudFormation YAML template and a large Terraform module,
// opened and edited in the language server as an editor would.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Catalog } from '../../shared/src/catalog/catalog';
import { LspTestClient } from '../support/lspClient';
import type { Measurement } from './server';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The services the generated policies draw from, and a few actions of each. */
function actionPool(catalog: Catalog): string[][] {
  const services = [...catalog.services()].sort((a, b) => catalog.actionCount(b) - catalog.actionCount(a)).slice(0, 40);
  return services.map((s) => catalog.actions(s).map((a) => a.full));
}

/** Findings of every role: every third action of the services it is allowed, unused. */
function accountFindings(roles: readonly { name: string; actions: readonly string[] }[]): string {
  return JSON.stringify({
    findings: roles.map((role, i) => {
      const byService = new Map<string, string[]>();
      role.actions.forEach((action, k) => {
        if (k % 3 !== 0 || action.endsWith('*')) return;
        const [service, name] = action.split(':') as [string, string];
        byService.set(service, [...(byService.get(service) ?? []), name]);
      });
      return {
        id: `f${i}`, findingType: 'UnusedPermission', status: 'ACTIVE', resource: `arn:aws:iam::123456789012:role/${role.name}`,
        findingDetails: [...byService].map(([serviceNamespace, names]) => ({
          unusedPermissionDetails: { serviceNamespace, actions: names.map((action) => ({ action })) },
        })),
      };
    }),
  });
}

/** The actions of statement `s` of role `r`: five named actions and a wildcard of one service. */
function statementActions(pool: string[][], r: number, s: number): string[] {
  const actions = pool[(r * 3 + s) % pool.length]!;
  const pick = (k: number): string => actions[(r * 11 + s * 7 + k * 5) % actions.length]!;
  const [service, name] = pick(0).split(':') as [string, string];
  return [...new Set([pick(1), pick(2), pick(3), pick(4), pick(5)]), `${service}:${name.slice(0, 4)}*`];
}

/** A CloudFormation template of about 3,000 lines: 40 roles, each with an inline policy of 6 statements. */
export function cloudFormationTemplate(catalog: Catalog): { template: string; findings: string } {
  const pool = actionPool(catalog);
  const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Description: Generated for the benchmark', 'Resources:'];
  const roles: { name: string; actions: string[] }[] = [];
  for (let r = 0; r < 40; r++) {
    const name = `bench-role-${r}`;
    const all: string[] = [];
    lines.push(`  Role${r}:`, '    Type: AWS::IAM::Role', '    Properties:', `      RoleName: ${name}`,
      '      AssumeRolePolicyDocument:', '        Version: "2012-10-17"', '        Statement:', '          - Effect: Allow',
      '            Principal: { Service: lambda.amazonaws.com }', '            Action: sts:AssumeRole', '      Policies:',
      `        - PolicyName: role-${r}`, '          PolicyDocument:', '            Version: "2012-10-17"', '            Statement:');
    for (let s = 0; s < 6; s++) {
      const actions = statementActions(pool, r, s);
      all.push(...actions);
      lines.push(`              - Sid: S${s}`, '                Effect: Allow', '                Action:',
        ...actions.map((a) => `                  - ${a}`), `                Resource: !Sub "arn:aws:s3:::bucket-${r}-\${AWS::Region}/*"`);
    }
    lines.push('');
    roles.push({ name, actions: all });
  }
  return { template: `${lines.join('\n')}\n`, findings: accountFindings(roles) };
}

/** A Terraform module of 200 policy documents in the four forms, attached to 50 roles. */
export function terraformModule(catalog: Catalog): { main: string; findings: string } {
  const pool = actionPool(catalog);
  const blocks: string[] = [];
  const roles: { name: string; actions: string[] }[] = [];
  for (let r = 0; r < 50; r++) {
    const name = `tf-bench-${r}`;
    const all: string[] = [];
    blocks.push(`resource "aws_iam_role" "r${r}" {\n  name               = "${name}"\n  assume_role_policy = "{}"\n}\n`);
    const list = (s: number): string[] => {
      const actions = statementActions(pool, r, s);
      all.push(...actions);
      return actions;
    };
    const quoted = (actions: string[]): string => actions.map((a) => `"${a}"`).join(', ');
    blocks.push(`resource "aws_iam_role_policy" "inline${r}" {\n  role = aws_iam_role.r${r}.id\n`
      + '  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [\n'
      + [0, 1].map((s) => '      {\n        Effect   = "Allow"\n'
        + `        Action   = [${quoted(list(s))}]\n        Resource = "*"\n      },\n`).join('')
      + '    ]\n  })\n}\n');
    blocks.push(`resource "aws_iam_role_policy" "heredoc${r}" {\n  role   = aws_iam_role.r${r}.name\n  policy = <<-EOT\n`
      + '    {\n      "Version": "2012-10-17",\n      "Statement": [\n'
      + [2, 3].map((s) => '        {\n          "Effect": "Allow",\n          "Action": [\n'
        + list(s).map((a) => `            "${a}"`).join(',\n')
        + `\n          ],\n          "Resource": "arn:aws:s3:::\${var.bucket}/*"\n        }`).join(',\n')
      + '\n      ]\n    }\n  EOT\n}\n');
    blocks.push(`data "aws_iam_policy_document" "doc${r}" {\n${
      [4, 5].map((s) => `  statement {\n    actions   = [${quoted(list(s))}]\n    resources = ["*"]\n  }\n`).join('\n')}}\n`);
    blocks.push(`resource "aws_iam_policy" "managed${r}" {\n  policy = data.aws_iam_policy_document.doc${r}.json\n}\n\n`
      + `resource "aws_iam_policy" "plain${r}" {\n  policy = jsonencode({\n`
      + `    Statement = [{ Effect = "Allow", Action = [${quoted(list(6))}], Resource = "*" }]\n  })\n}\n`);
    blocks.push(`resource "aws_iam_role_policy_attachment" "a${r}" {\n  role       = aws_iam_role.r${r}.name\n`
      + `  policy_arn = aws_iam_policy.managed${r}.arn\n}\n\n`
      + `resource "aws_iam_role_policy_attachment" "b${r}" {\n  role       = aws_iam_role.r${r}.name\n`
      + `  policy_arn = aws_iam_policy.plain${r}.arn\n}\n`);
    roles.push({ name, actions: all });
  }
  return { main: `variable "bucket" {\n  type = string\n}\n\n${blocks.join('\n')}`, findings: accountFindings(roles) };
}

interface Scenario {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly languageId: string;
  /** The edit types at the end of the first occurrence of this text: inside a value, as a person would, keeping the file valid. */
  readonly typeAfter: string;
}

/**
 * For one large file: its first open in a new server (the grammar loaded, the workspace scanned),
 * the first open of a file like it in the running server, the same file opened again after it was
 * closed, and a keystroke → new diagnostics.
 */
async function measureScenario(dir: string, scenario: Scenario): Promise<Measurement[]> {
  const path = join(dir, scenario.file);
  writeFileSync(path, scenario.text);
  // Copies of the file, each in a folder of its own below the findings: each opened once.
  const copies = Array.from({ length: 5 }, (_, i) => {
    mkdirSync(join(dir, `copy${i}`));
    const copy = join(dir, `copy${i}`, scenario.file);
    writeFileSync(copy, scenario.text);
    return copy;
  });
  const client = await LspTestClient.start([dir]);
  const opened = async (file: string): Promise<number> => {
    const start = performance.now();
    const uri = await client.open(file, scenario.text, scenario.languageId);
    await client.diagnostics(uri, (d) => d.length > 0, 60_000);
    const elapsed = performance.now() - start;
    await client.close(uri);
    client.forget(uri);
    return elapsed;
  };
  const first = await opened(path);
  const firstOfItsKind: number[] = [];
  for (const copy of copies) firstOfItsKind.push(await opened(copy));
  const again: number[] = [];
  for (let i = 0; i < 8; i++) again.push(await opened(path));
  const uri = await client.open(path, scenario.text, scenario.languageId);
  await client.diagnostics(uri, (d) => d.length > 0);
  const at = client.positionOf(uri, scenario.typeAfter, scenario.typeAfter.length);
  const edits: number[] = [];
  for (let i = 0; i < 33; i++) {
    const typed = i % 2 === 0;
    const start = performance.now();
    const range = typed ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
    await client.edit(uri, range, typed ? 'x' : '');
    await client.diagnostics(uri);
    if (i >= 3) edits.push(performance.now() - start);
  }
  await client.stop();
  return [
    { what: `${scenario.name}: first open in a new server → diagnostics`, median: first, budget: '' },
    { what: `${scenario.name}: open in a running server → first diagnostics`, median: median(firstOfItsKind), budget: '≤ 150 ms' },
    { what: `${scenario.name}: opened again after it was closed → first diagnostics`, median: median(again), budget: '≤ 150 ms' },
    { what: `${scenario.name}: a keystroke → new diagnostics`, median: median(edits), budget: '≤ 40 ms' },
  ];
}

export async function templateMeasurements(catalog: Catalog): Promise<Measurement[]> {
  const cfn = cloudFormationTemplate(catalog);
  const cfnDir = mkdtempSync(join(tmpdir(), 'iam-refine-bench-cfn-'));
  writeFileSync(join(cfnDir, 'account.unused-access.json'), cfn.findings);
  const lines = cfn.template.split('\n').length - 1;
  const rows = await measureScenario(cfnDir, {
    name: `CloudFormation YAML, ${lines.toLocaleString('en-US')} lines, 40 roles`,
    file: 'template.yaml', text: cfn.template, languageId: 'yaml', typeAfter: 'Sid: S3',
  });
  const tf = terraformModule(catalog);
  const tfDir = mkdtempSync(join(tmpdir(), 'iam-refine-bench-tf-'));
  writeFileSync(join(tfDir, 'account.unused-access.json'), tf.findings);
  rows.push(...await measureScenario(tfDir, {
    name: 'Terraform module, 200 policy documents', file: 'main.tf', text: tf.main, languageId: 'terraform', typeAfter: 'Resource = "*',
  }));
  return rows;
}
