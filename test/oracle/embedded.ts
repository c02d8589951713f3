/**
 * Policies embedded in templates, for the property tests of the embedded forms: a generated policy
 * case (./policyCase) rendered as a CloudFormation or SAM template (YAML or JSON) or as Terraform
 * (`jsonencode({…})`, a JSON heredoc, a quoted JSON string, a `data "aws_iam_policy_document"`
 * block), and a reader that takes a text of that form, refined or not, back to its statements: plain
 * values (`{Effect, Action|NotAction}`) for the oracle, and the source text around them for the byte
 * comparisons.
 *
 * The reader is independent of the product's readers where a second parser exists: JSON (the
 * CloudFormation template, the heredoc's and the quoted string's JSON) is read with jsonc-parser
 * from text this file locates and decodes itself, YAML with the `yaml` package's document API (not
 * the product's tree builder). HCL has no second parser here: `jsonencode` objects and policy
 * document blocks are read through the product's reader, but only for their nodes and values; what
 * those values allow is the oracle's business.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { isMap, isPair, isScalar, isSeq, type Node as YamlNode, type Pair, parseDocument, type ScalarTag } from 'yaml';
import type { PolicyFile } from '../../shared/src/policy/policyDocument';
import { property, type SourceNode } from '../../shared/src/policy/sourceTree';
import type { PrincipalSpec, StatementJson, Universe } from './expand';
import { type CaseOptions, type StatementSpec, policyCaseArb, resourceOf } from './policyCase';

// ---------------------------------------------------------------------------------------------
// Cases.

export const EMBEDDED_FORMS = ['cfn-yaml', 'cfn-json', 'sam-yaml', 'tf-jsonencode', 'tf-heredoc', 'tf-quoted', 'tf-document'] as const;
export type EmbeddedForm = typeof EMBEDDED_FORMS[number];

export type Quoting = 'plain' | 'single' | 'double';
/** How a list is written: one string; `[a, b]` on one line; `[` one entry a line `]`; YAML `- a` lines. */
export type ListStyle = 'scalar' | 'flow' | 'flow-lines' | 'block';

export interface EmbeddedLayout {
  indent: 2 | 4;
  crlf: boolean;
  /**
   * Comments after some entries or on lines of their own above them (YAML `#`, HCL `#` or `//`,
   * CloudFormation JSON `//`), and above some YAML statements.
   */
  comments: boolean;
  /** Lists: all one style, or each statement its own (JSON and HCL: `block` and `flow-lines` are the same). */
  lists: 'block' | 'flow' | 'flow-lines' | 'mixed';
  /** YAML scalars: all one style, or each its own. */
  quoting: Quoting | 'mixed';
  /** YAML: block sequences with their dashes under their key. */
  indentless: boolean;
  /** A comma after the last entry of a list (HCL, JSONC, YAML flow lists over several lines). */
  trailingCommas: boolean;
  /** The order of a statement's keys (`Sid` always leads `Effect`). */
  keyOrder: 'effect-list-resource' | 'effect-resource-list' | 'list-effect-resource';
  /** `Version` after `Statement`. */
  versionLast: boolean;
  /**
   * Each statement on one line (YAML: a flow mapping); a heredoc's or a CloudFormation template's
   * policy sometimes wholly on one line, a quoted string's always.
   */
  oneLineStatements: boolean;
  /** `jsonencode`: `"Effect" : "Allow",` instead of `Effect = "Allow"`. */
  hclQuotedKeys: boolean;
  /** HCL: `=` aligned in a statement, as `terraform fmt` does. */
  alignEquals: boolean;
  /** Policy document blocks: Allow statements without `effect` (Terraform's default). */
  omitEffect: boolean;
  /** Policy document blocks: a blank line between statement blocks. */
  blankLines: boolean;
  /** Heredoc: `<<-EOT` with the JSON indented, else `<<EOT` with the JSON at column 0. */
  heredocIndented: boolean;
  /** `Statement` as one object when there is one statement. */
  singleObject: boolean;
  /** Other things around the policy: parameters, resources, outputs, SAM managed policies and policy templates. */
  extras: boolean;
  /**
   * CloudFormation and `jsonencode`: the policy is a role's inline policy, next to the role's trust
   * policy (which names `sts:AssumeRole`, unused by the findings, and must never change).
   */
  role: boolean;
  /** SAM: `Policies` is the one policy document, not a list. */
  policiesObject: boolean;
  /** Drives the choices per statement and per entry (quoting, list style, comments, conditions, dynamic values). */
  seed: number;
}

export interface EmbeddedStatement extends StatementSpec {
  /** A dynamic value (`!Sub`, `{"Fn::Join": …}`, `var.x`, `"${…}"`) goes in the list at this index, modulo its length + 1. */
  dynamicAt?: number;
}

export interface EmbeddedCase {
  form: EmbeddedForm;
  statements: EmbeddedStatement[];
  /**
   * A statement known only at deployment (`!If`, `{"Fn::If": …}`, `var.statement`, a `dynamic
   * "statement"` block) goes among the statements at this index, modulo their count + 1.
   */
  dynamicStatement?: number;
  /** One principal, or several whose findings are intersected. */
  principals: PrincipalSpec[];
  layout: EmbeddedLayout;
  /** Seeds the random probes of the containment oracle. */
  seed: number;
}

export type Entry = { kind: 'static'; value: string } | { kind: 'dynamic'; variant: number };

/** The entries of a statement's list, in order: its patterns, and its dynamic value if it has one. */
export function entriesOf(s: EmbeddedStatement): Entry[] {
  const out: Entry[] = s.patterns.map((value) => ({ kind: 'static', value }));
  if (s.dynamicAt !== undefined) out.splice(s.dynamicAt % (out.length + 1), 0, { kind: 'dynamic', variant: s.dynamicAt });
  return out;
}

export function isYaml(form: EmbeddedForm): boolean {
  return form === 'cfn-yaml' || form === 'sam-yaml';
}

export function isTerraform(form: EmbeddedForm): boolean {
  return form.startsWith('tf-');
}

/** A small deterministic hash: the choices per statement and entry, without arbitraries per entry. */
function hash(...xs: number[]): number {
  let h = 2166136261;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 16777619);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

export function isScalarList(c: EmbeddedCase, s: EmbeddedStatement): boolean {
  // Terraform wants a list for `actions`: a string there is not valid Terraform.
  return s.asString && s.patterns.length === 1 && s.dynamicAt === undefined && c.form !== 'tf-document';
}

/** How statement `i`'s list is written. */
export function listStyleOf(c: EmbeddedCase, i: number): ListStyle {
  const s = c.statements[i]!;
  if (isScalarList(c, s)) return 'scalar';
  const L = c.layout;
  const oneLine = L.oneLineStatements && c.form !== 'tf-document';
  if (oneLine) return 'flow';
  const styles = ['block', 'flow', 'flow-lines'] as const;
  const style = L.lists === 'mixed' ? styles[hash(L.seed, 3, i) % 3]! : L.lists;
  // JSON and HCL lists are brackets either way.
  return !isYaml(c.form) && style === 'flow-lines' ? 'block' : style;
}

function quotingOf(L: EmbeddedLayout, i: number, j: number): Quoting {
  if (L.quoting !== 'mixed') return L.quoting;
  return (['plain', 'single', 'double'] as const)[hash(L.seed, 1, i, j) % 3]!;
}

/** A comment for entry `j`: none, after it on its line, or on a line of its own above it (lists one entry a line only). */
function commentOf(L: EmbeddedLayout, i: number, j: number): 'none' | 'after' | 'above' {
  if (!L.comments) return 'none';
  return (['after', 'above', 'none', 'after'] as const)[hash(L.seed, 2, i, j) % 4]!;
}

function commentAfter(L: EmbeddedLayout, i: number, j: number): boolean {
  return commentOf(L, i, j) === 'after';
}

function useSingleObject(c: EmbeddedCase): boolean {
  return c.layout.singleObject && c.statements.length === 1 && c.form !== 'tf-document' && c.dynamicStatement === undefined;
}

/** Where the dynamic statement goes, if there is one. */
export function dynamicStatementIndex(c: EmbeddedCase): number | undefined {
  return c.dynamicStatement === undefined ? undefined : c.dynamicStatement % (c.statements.length + 1);
}

/** The order of a statement's members: `head` (Sid and Effect), `list`, `resource`, and a condition last. */
function memberOrder(L: EmbeddedLayout): ('head' | 'list' | 'resource' | 'condition')[] {
  return L.keyOrder === 'effect-list-resource' ? ['head', 'list', 'resource', 'condition']
    : L.keyOrder === 'effect-resource-list' ? ['head', 'resource', 'list', 'condition'] : ['list', 'head', 'resource', 'condition'];
}

/** Whether statement `i` has a condition (which the refinement must leave as it is). */
function hasCondition(L: EmbeddedLayout, i: number): boolean {
  return hash(L.seed, 9, i) % 3 === 0;
}

// ---------------------------------------------------------------------------------------------
// Dynamic values: what each form writes for a value known only at deployment.

const YAML_DYNAMIC_BLOCK = [
  '!Sub "${Prefix}:GetObject"',
  "!Sub '${Service}:Get*'",
  '!Ref ExtraAction',
  '!Join [":", [s3, GetObject]]',
  'Fn::Sub: "${Service}:List*"',
];
const YAML_DYNAMIC_FLOW = [
  '!Sub "${Prefix}:GetObject"',
  "!Sub '${Service}:Get*'",
  '!Ref ExtraAction',
  '!Join [":", [s3, GetObject]]',
  '{"Fn::Sub": "${Service}:List*"}',
];
const JSON_DYNAMIC = ['{"Fn::Sub": "${Prefix}:GetObject"}', '{"Ref": "ExtraAction"}', '{"Fn::Join": [":", ["s3", "GetObject"]]}'];
const HCL_DYNAMIC = ['var.extra_action', '"s3:${var.verb}Bucket"', 'local.actions[0]', '"${var.service}:Get*"'];
const TEMPLATE_DYNAMIC = ['"dynamodb:${var.operation}"', '"${var.service}:Get*"'];

function yamlDynamic(variant: number, flow: boolean): string {
  const list = flow ? YAML_DYNAMIC_FLOW : YAML_DYNAMIC_BLOCK;
  return list[variant % list.length]!;
}

// ---------------------------------------------------------------------------------------------
// YAML: CloudFormation and SAM.

const sp = (n: number): string => ' '.repeat(Math.max(0, n));

/** Whether a value reads back as itself when written plain (conservatively: the shapes of patterns and ARNs). */
function yamlPlainSafe(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_.:*?/-]*$/.test(value) && !/:$/.test(value) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(value);
}

export function yamlScalar(value: string, style: Quoting): string {
  if (style === 'double') return JSON.stringify(value);
  if (style === 'single' || !yamlPlainSafe(value)) return `'${value.replaceAll("'", "''")}'`;
  return value;
}

/** The members of statement `i` as lines, its keys at column `k`. */
function yamlStatementLines(c: EmbeddedCase, i: number, k: number): string[] {
  const L = c.layout;
  const s = c.statements[i]!;
  const q = (v: string, j: number): string => yamlScalar(v, quotingOf(L, i, 100 + j));
  const style = listStyleOf(c, i);
  const entries = entriesOf(s);
  const flow = style === 'flow' || style === 'flow-lines' || L.oneLineStatements;
  const literal = (e: Entry, j: number): string => (e.kind === 'static'
    ? yamlScalar(e.value, quotingOf(L, i, j))
    : yamlDynamic(e.variant, flow));
  if (L.oneLineStatements) {
    // A flow mapping: `{Effect: Allow, Action: [a, b], Resource: r}`.
    const members = {
      head: [...(s.sid ? [`Sid: ${q(`S${i}`, 0)}`] : []), `Effect: ${q(s.effect, 1)}`],
      list: [`${s.key}: ${style === 'scalar' ? literal(entries[0]!, 0) : `[${entries.map(literal).join(', ')}]`}`],
      resource: [`Resource: ${q(resourceOf(i), 2)}`],
      condition: hasCondition(L, i) ? ['Condition: {StringEquals: {"aws:RequestedRegion": eu-west-1}}'] : [],
    };
    return [`${sp(k)}{${memberOrder(L).flatMap((m) => members[m]).join(', ')}}${commentAfter(L, i, 0) ? ' # a statement' : ''}`];
  }
  const head: string[] = [];
  if (s.sid) head.push(`${sp(k)}Sid: ${q(`S${i}`, 0)}`);
  head.push(`${sp(k)}Effect: ${q(s.effect, 1)}`);
  const resource = [`${sp(k)}Resource: ${q(resourceOf(i), 2)}`];
  const condition = hasCondition(L, i)
    ? [`${sp(k)}Condition:`, `${sp(k + L.indent)}StringEquals:`, `${sp(k + 2 * L.indent)}"aws:RequestedRegion": eu-west-1`]
    : [];
  const lines: string[] = [];
  if (style === 'scalar') {
    lines.push(`${sp(k)}${s.key}: ${literal(entries[0]!, 0)}${commentAfter(L, i, 0) ? ' # a single pattern' : ''}`);
  } else if (style === 'flow') {
    lines.push(`${sp(k)}${s.key}: [${entries.map(literal).join(', ')}]${commentAfter(L, i, 0) ? ' # the list' : ''}`);
  } else if (style === 'flow-lines') {
    lines.push(`${sp(k)}${s.key}: [`);
    entries.forEach((e, j) => {
      const last = j === entries.length - 1;
      const comma = last ? (L.trailingCommas ? ',' : '') : ',';
      lines.push(`${sp(k + L.indent)}${literal(e, j)}${comma}${commentAfter(L, i, j) ? ` # note ${i}.${j}` : ''}`);
    });
    lines.push(`${sp(k)}]`);
  } else {
    lines.push(`${sp(k)}${s.key}:`);
    const dash = k + (L.indentless ? 0 : L.indent);
    entries.forEach((e, j) => {
      const comment = commentOf(L, i, j);
      if (comment === 'above') lines.push(`${sp(dash)}# about entry ${i}.${j}`);
      lines.push(`${sp(dash)}- ${literal(e, j)}${comment === 'after' ? `  # note ${i}.${j}` : ''}`);
    });
  }
  const parts = { head, list: lines, resource, condition };
  return memberOrder(L).flatMap((m) => parts[m]);
}

/** A statement known only at deployment, as a sequence item whose dash is at `dash`. */
function yamlDynamicStatementLines(dash: number): string[] {
  return [`${sp(dash)}- !If`, `${sp(dash + 2)}- IsProd`, `${sp(dash + 2)}- Effect: Allow`,
    `${sp(dash + 4)}Action: cloudwatch:PutMetricData`, `${sp(dash + 4)}Resource: "*"`, `${sp(dash + 2)}- !Ref AWS::NoValue`];
}

/** `Statement:` at column `keyCol` and its statements. */
function yamlStatementsLines(c: EmbeddedCase, keyCol: number): string[] {
  const L = c.layout;
  const lines = [`${sp(keyCol)}Statement:`];
  if (useSingleObject(c)) {
    lines.push(...yamlStatementLines(c, 0, keyCol + L.indent));
    return lines;
  }
  const dash = keyCol + (L.indentless ? 0 : L.indent);
  const dynamic = dynamicStatementIndex(c);
  c.statements.forEach((_, i) => {
    if (i === dynamic) lines.push(...yamlDynamicStatementLines(dash));
    if (L.comments && hash(L.seed, 4, i) % 3 === 0) lines.push(`${sp(dash)}# statement ${i}`);
    const members = yamlStatementLines(c, i, dash + 2);
    members[0] = `${sp(dash)}- ${members[0]!.slice(dash + 2)}`;
    lines.push(...members);
  });
  if (dynamic === c.statements.length) lines.push(...yamlDynamicStatementLines(dash));
  return lines;
}

/** A policy document (`Version` and `Statement`) with its keys at column `k`. */
function yamlPolicyLines(c: EmbeddedCase, k: number): string[] {
  // Plain, `2012-10-17` is a string in YAML 1.2 (CloudFormation's reading too).
  const style = quotingOf(c.layout, 99, 0);
  const version = `${sp(k)}Version: ${style === 'plain' ? '2012-10-17' : yamlScalar('2012-10-17', style)}`;
  const statements = yamlStatementsLines(c, k);
  return c.layout.versionLast ? [...statements, version] : [version, ...statements];
}

function renderCfnYaml(c: EmbeddedCase): string[] {
  const L = c.layout;
  const u = L.indent;
  const lines: string[] = [];
  if (L.extras) {
    lines.push('AWSTemplateFormatVersion: "2010-09-09"', 'Description: A generated managed policy', 'Parameters:',
      `${sp(u)}Prefix:`, `${sp(2 * u)}Type: String`, `${sp(u)}Service:`, `${sp(2 * u)}Type: String`);
  }
  lines.push('Resources:');
  if (L.extras) lines.push(`${sp(u)}Bucket:`, `${sp(2 * u)}Type: AWS::S3::Bucket`);
  if (L.role) {
    const dash = 3 * u + (L.indentless ? 0 : u);
    lines.push(`${sp(u)}R:`, `${sp(2 * u)}Type: AWS::IAM::Role`, `${sp(2 * u)}Properties:`,
      `${sp(3 * u)}AssumeRolePolicyDocument:`, `${sp(4 * u)}Version: "2012-10-17"`, `${sp(4 * u)}Statement:`,
      `${sp(dash + u)}- Effect: Allow`, `${sp(dash + u + 2)}Principal: { Service: lambda.amazonaws.com }`,
      `${sp(dash + u + 2)}Action: sts:AssumeRole`,
      `${sp(3 * u)}Policies:`, `${sp(dash)}- PolicyName: refined`, `${sp(dash + 2)}PolicyDocument:`, ...yamlPolicyLines(c, dash + 2 + u),
      `${sp(3 * u)}RoleName: refined-role`);
  } else {
    lines.push(`${sp(u)}R:`, `${sp(2 * u)}Type: AWS::IAM::ManagedPolicy`, `${sp(2 * u)}Properties:`);
    if (L.extras) lines.push(`${sp(3 * u)}Description: !Sub "Access for \${Prefix}"`);
    lines.push(`${sp(3 * u)}PolicyDocument:`, ...yamlPolicyLines(c, 4 * u));
    lines.push(`${sp(3 * u)}ManagedPolicyName: refined-policy`);
  }
  if (L.extras) lines.push('Outputs:', `${sp(u)}PolicyArn:`, `${sp(2 * u)}Value: !Ref R`);
  return lines;
}

function renderSamYaml(c: EmbeddedCase): string[] {
  const L = c.layout;
  const u = L.indent;
  const lines: string[] = ['Transform: AWS::Serverless-2016-10-31', 'Resources:'];
  lines.push(`${sp(u)}Fn:`, `${sp(2 * u)}Type: AWS::Serverless::Function`, `${sp(2 * u)}Properties:`,
    `${sp(3 * u)}Handler: index.handler`, `${sp(3 * u)}Runtime: nodejs20.x`, `${sp(3 * u)}Policies:`);
  if (L.policiesObject) {
    lines.push(...yamlPolicyLines(c, 4 * u), `${sp(3 * u)}Timeout: 3`);
    return lines;
  }
  const dash = 3 * u + (L.indentless ? 0 : u);
  if (L.extras) {
    lines.push(`${sp(dash)}- AWSLambdaBasicExecutionRole`, `${sp(dash)}- S3ReadPolicy:`, `${sp(dash + 2 + u)}BucketName: my-bucket`);
  }
  const policy = yamlPolicyLines(c, dash + 2);
  policy[0] = `${sp(dash)}- ${policy[0]!.slice(dash + 2)}`;
  lines.push(...policy);
  if (L.extras) lines.push(`${sp(dash)}- SQSPollerPolicy:`, `${sp(dash + 2 + u)}QueueName: !Ref Queue`);
  lines.push(`${sp(3 * u)}Timeout: 3`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// JSON and HCL objects: CloudFormation JSON, the JSON of heredocs and quoted strings, jsonencode.

interface ObjectSyntax {
  /** `"Effect": ` or `Effect = `, with padding to `width` where `=` is aligned. */
  key(name: string, width: number): string;
  /** Between the members of a statement written over several lines. */
  memberSep: string;
  /** Between members on one line. */
  inlineSep: string;
  align: boolean;
  /** A comment after entry `j` of statement `i` (with its leading space), or ''. */
  comment(i: number, j: number): string;
  /** A comment line above entry `j` of statement `i`, or undefined. */
  commentAbove(i: number, j: number): string | undefined;
  trailingCommas: boolean;
  dynamic(variant: number): string;
  /** A statement known only at deployment, on one line. */
  dynamicStatement: string;
  /** `[` `]` list entries without spaces (compact JSON). */
  compact?: boolean;
  /** HCL's object syntax (`jsonencode`), not JSON's. */
  hcl?: boolean;
}

function jsonSyntax(c: EmbeddedCase, compact = false): ObjectSyntax {
  const L = c.layout;
  const jsonc = c.form === 'cfn-json';
  return {
    key: (name) => (compact ? `"${name}":` : `"${name}": `),
    memberSep: ',',
    inlineSep: compact ? ',' : ', ',
    align: false,
    comment: (i, j) => (jsonc && commentAfter(L, i, j) ? ` // note ${i}.${j}` : ''),
    commentAbove: (i, j) => (jsonc && commentOf(L, i, j) === 'above' ? `// about entry ${i}.${j}` : undefined),
    trailingCommas: jsonc && L.comments && L.trailingCommas,
    dynamic: (v) => (c.form === 'cfn-json' ? JSON_DYNAMIC[v % JSON_DYNAMIC.length]! : TEMPLATE_DYNAMIC[v % TEMPLATE_DYNAMIC.length]!),
    dynamicStatement: c.form === 'cfn-json'
      ? '{ "Fn::If": ["IsProd", { "Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*" }, { "Ref": "AWS::NoValue" }] }'
      : '${jsonencode(var.extra_statement)}',
    compact,
  };
}

function hclSyntax(c: EmbeddedCase): ObjectSyntax {
  const L = c.layout;
  const quoted = L.hclQuotedKeys && c.form === 'tf-jsonencode';
  return {
    key: (name, width) => (quoted
      ? `"${name}"${L.alignEquals ? sp(width - name.length) : ''} : `
      : `${name}${L.alignEquals ? sp(width - name.length) : ''} = `),
    memberSep: quoted ? ',' : '',
    inlineSep: ', ',
    align: L.alignEquals,
    comment: (i, j) => (commentAfter(L, i, j) ? (hash(L.seed, 5, i, j) % 2 === 0 ? ` # note ${i}.${j}` : ` // note ${i}.${j}`) : ''),
    commentAbove: (i, j) => (commentOf(L, i, j) === 'above'
      ? `${hash(L.seed, 5, i, j) % 2 === 0 ? '#' : '//'} about entry ${i}.${j}`
      : undefined),
    trailingCommas: L.trailingCommas,
    dynamic: (v) => HCL_DYNAMIC[v % HCL_DYNAMIC.length]!,
    dynamicStatement: 'var.extra_statement',
    hcl: true,
  };
}

/**
 * Statement `i` as lines at indentation `base` (one line when the layout says so), as a JSON or HCL
 * object; `keys` names the members (the policy grammar's, or a policy document block's).
 */
function objectStatementLines(c: EmbeddedCase, i: number, base: number, syn: ObjectSyntax): string[] {
  const L = c.layout;
  const s = c.statements[i]!;
  const q = JSON.stringify;
  const style = listStyleOf(c, i);
  const entries = entriesOf(s);
  const literal = (e: Entry): string => (e.kind === 'static' ? q(e.value) : syn.dynamic(e.variant));
  const head: [string, string[]][] = [];
  if (s.sid) head.push(['Sid', [q(`S${i}`)]]);
  head.push(['Effect', [q(s.effect)]]);
  const resource: [string, string[]][] = [['Resource', [q(resourceOf(i))]]];
  const inner = base + 2 * L.indent;
  const list: [string, string[]][] = [];
  if (style === 'scalar') {
    list.push([s.key, [literal(entries[0]!)]]);
  } else if (style === 'flow' || syn.compact) {
    const tc = syn.trailingCommas && !syn.compact && hash(L.seed, 6, i) % 2 === 0 ? ',' : '';
    list.push([s.key, [`[${entries.map(literal).join(syn.inlineSep)}${tc}]`]]);
  } else {
    const lines = ['['];
    entries.forEach((e, j) => {
      const last = j === entries.length - 1;
      const above = syn.commentAbove(i, j);
      if (above !== undefined) lines.push(`${sp(inner)}${above}`);
      lines.push(`${sp(inner)}${literal(e)}${last ? (syn.trailingCommas ? ',' : '') : ','}${syn.comment(i, j)}`);
    });
    lines.push(`${sp(base + L.indent)}]`);
    list.push([s.key, lines]);
  }
  const regionCondition = syn.hcl
    ? '{ StringEquals = { "aws:RequestedRegion" = "eu-west-1" } }'
    : '{ "StringEquals": { "aws:RequestedRegion": "eu-west-1" } }';
  const condition: [string, string[]][] = hasCondition(L, i) ? [['Condition', [regionCondition]]] : [];
  const parts = { head, list, resource, condition };
  const members = memberOrder(L).flatMap((m) => parts[m]);

  if (L.oneLineStatements || syn.compact) {
    const body = members.map(([k, v]) => `${syn.key(k, 0)}${v.join('')}`).join(syn.inlineSep);
    return [syn.compact ? `{${body}}` : `{ ${body} }`];
  }
  const width = syn.align ? Math.max(...members.map(([k]) => k.length)) : 0;
  const lines = ['{'];
  members.forEach(([k, v], m) => {
    const sep = m === members.length - 1 ? '' : syn.memberSep;
    const [first, ...rest] = v;
    if (rest.length === 0) {
      lines.push(`${sp(base + L.indent)}${syn.key(k, width)}${first}${sep}`);
    } else {
      lines.push(`${sp(base + L.indent)}${syn.key(k, width)}${first}`, ...rest.slice(0, -1), `${rest.at(-1)}${sep}`);
    }
  });
  lines.push(`${sp(base)}}`);
  return lines;
}

/**
 * A policy object (`Version` and `Statement`) as lines; the first line is `{`, to follow a key or
 * `jsonencode(`, the others are indented from `base`, the column of the line the object opens on.
 */
function objectPolicyLines(c: EmbeddedCase, base: number, syn: ObjectSyntax): string[] {
  const L = c.layout;
  const u = L.indent;
  const version = `${syn.key('Version', 0)}"2012-10-17"`;
  const statementLines: string[] = [];
  if (useSingleObject(c)) {
    const [first, ...rest] = objectStatementLines(c, 0, base + u, syn);
    statementLines.push(`${syn.key('Statement', 0)}${first}`, ...rest);
  } else {
    statementLines.push(`${syn.key('Statement', 0)}[`);
    const elements = c.statements.map((_, i) => objectStatementLines(c, i, base + 2 * u, syn));
    const dynamic = dynamicStatementIndex(c);
    if (dynamic !== undefined) elements.splice(dynamic, 0, [syn.dynamicStatement]);
    elements.forEach((lines, i) => {
      const last = i === elements.length - 1;
      lines[0] = sp(base + 2 * u) + lines[0]!;
      lines[lines.length - 1] += last ? (syn.trailingCommas && !syn.compact ? ',' : '') : ',';
      statementLines.push(...lines);
    });
    statementLines.push(`${sp(base + u)}]`);
  }
  const sep = syn.memberSep;
  const versionLine = (last: boolean): string => `${sp(base + u)}${version}${last ? '' : sep}`;
  const [head, ...tail] = statementLines;
  const statement = [`${sp(base + u)}${head}`, ...tail];
  if (!L.versionLast) {
    return ['{', versionLine(false), ...statement, `${sp(base)}}`];
  }
  statement[statement.length - 1] += sep;
  return ['{', ...statement, versionLine(true), `${sp(base)}}`];
}

/** The whole policy on one line, as `JSON.stringify` would write it (with spaces after `:` and `,` unless compact). */
function compactPolicy(c: EmbeddedCase, spaced: boolean): string {
  const syn = { ...jsonSyntax(c, !spaced), compact: true };
  if (spaced) {
    syn.key = (name: string) => `"${name}": `;
    syn.inlineSep = ', ';
  }
  const statements = c.statements.map((_, i) => objectStatementLines(c, i, 0, syn)[0]!);
  const dynamic = dynamicStatementIndex(c);
  if (dynamic !== undefined) statements.splice(dynamic, 0, syn.dynamicStatement);
  const statement = useSingleObject(c) ? statements[0]! : `[${statements.join(syn.inlineSep)}]`;
  const members = [`${syn.key('Version', 0)}"2012-10-17"`, `${syn.key('Statement', 0)}${statement}`];
  if (c.layout.versionLast) members.reverse();
  return `{${members.join(syn.inlineSep)}}`;
}

function renderCfnJson(c: EmbeddedCase): string[] {
  const L = c.layout;
  const u = L.indent;
  const lines = ['{'];
  if (L.extras) {
    lines.push(`${sp(u)}"AWSTemplateFormatVersion": "2010-09-09",`, `${sp(u)}"Parameters": { "Prefix": { "Type": "String" } },`);
  }
  lines.push(`${sp(u)}"Resources": {`);
  if (L.extras) lines.push(`${sp(2 * u)}"Bucket": { "Type": "AWS::S3::Bucket" },`);
  // A role's inline policy sits two levels deeper, in `Policies: [{PolicyName, PolicyDocument}]`.
  const base = L.role ? 6 * u : 4 * u;
  const policy = L.oneLineStatements && L.extras && hash(L.seed, 7) % 2 === 0
    ? [compactPolicy(c, true)]
    : objectPolicyLines(c, base, jsonSyntax(c));
  policy[0] = `${sp(base)}"PolicyDocument": ${policy[0]}`;
  if (L.role) {
    lines.push(`${sp(2 * u)}"R": {`, `${sp(3 * u)}"Type": "AWS::IAM::Role",`, `${sp(3 * u)}"Properties": {`,
      `${sp(4 * u)}"AssumeRolePolicyDocument": { "Version": "2012-10-17", "Statement": [`
        + '{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] },',
      `${sp(4 * u)}"Policies": [`, `${sp(5 * u)}{`, `${sp(6 * u)}"PolicyName": "refined",`, ...policy, `${sp(5 * u)}}`, `${sp(4 * u)}],`,
      `${sp(4 * u)}"RoleName": "refined-role"`, `${sp(3 * u)}}`, `${sp(2 * u)}}`);
  } else {
    lines.push(`${sp(2 * u)}"R": {`, `${sp(3 * u)}"Type": "AWS::IAM::ManagedPolicy",`, `${sp(3 * u)}"Properties": {`);
    if (L.extras) lines.push(`${sp(4 * u)}"Description": { "Fn::Sub": "Access for \${Prefix}" },`);
    policy[policy.length - 1] += ',';
    lines.push(...policy, `${sp(4 * u)}"ManagedPolicyName": "refined-policy"`, `${sp(3 * u)}}`, `${sp(2 * u)}}`);
  }
  lines.push(L.extras ? `${sp(u)}},` : `${sp(u)}}`);
  if (L.extras) lines.push(`${sp(u)}"Outputs": { "PolicyArn": { "Value": { "Ref": "R" } } }`);
  lines.push('}');
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Terraform.

function terraformAround(c: EmbeddedCase, policy: string[]): string[] {
  const L = c.layout;
  const u = L.indent;
  const lines: string[] = [];
  if (L.extras) lines.push('# Generated policies.', 'variable "service" {', `${sp(u)}type = string`, '}', '');
  lines.push('resource "aws_iam_policy" "p" {', `${sp(u)}name${L.alignEquals ? '  ' : ''} = "p"`);
  if (L.extras) lines.push(`${sp(u)}description = "generated" # a comment`);
  lines.push(...policy, '}');
  if (L.extras) lines.push('', 'resource "aws_s3_bucket" "b" {', `${sp(u)}bucket = "b"`, '}');
  return lines;
}

function renderJsonencode(c: EmbeddedCase): string[] {
  const L = c.layout;
  const u = L.indent;
  const base = L.role ? 2 * u : u;
  const policy = objectPolicyLines(c, base, hclSyntax(c));
  policy[0] = `${sp(base)}policy = jsonencode(${policy[0]}`;
  policy[policy.length - 1] += ')';
  if (!L.role) return terraformAround(c, policy);
  // A role's inline policy, beside its trust policy.
  return ['resource "aws_iam_role" "r" {', `${sp(u)}name = "r"`, `${sp(u)}assume_role_policy = jsonencode({`,
    `${sp(2 * u)}Version = "2012-10-17"`,
    `${sp(2 * u)}Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]`,
    `${sp(u)}})`, '', `${sp(u)}inline_policy {`, `${sp(2 * u)}name = "p"`, ...policy, `${sp(u)}}`, '}'];
}

function renderHeredoc(c: EmbeddedCase): string[] {
  const L = c.layout;
  const u = L.indent;
  const indent = L.heredocIndented ? 2 * u : 0;
  const json = (L.oneLineStatements && hash(L.seed, 7) % 2 === 0 ? [compactPolicy(c, true)] : objectPolicyLines(c, 0, jsonSyntax(c)))
    .map((l) => sp(indent) + l);
  const marker = L.heredocIndented ? '<<-EOT' : '<<EOT';
  return terraformAround(c, [`${sp(u)}policy = ${marker}`, ...json, `${L.heredocIndented ? sp(u) : ''}EOT`]);
}

/** A text as the inside of an HCL quoted string; `${…}` stays a template. */
export function encodeHclQuoted(text: string): string {
  return text.replace(/[\\"\n\r\t]/g, (ch) => (ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : `\\${ch}`));
}

function renderQuoted(c: EmbeddedCase): string[] {
  const L = c.layout;
  const json = L.oneLineStatements ? compactPolicy(c, hash(L.seed, 8) % 2 === 0) : objectPolicyLines(c, 0, jsonSyntax(c)).join('\n');
  return terraformAround(c, [`${sp(L.indent)}policy = "${encodeHclQuoted(json)}"`]);
}

function renderDocument(c: EmbeddedCase): string[] {
  const L = c.layout;
  const u = L.indent;
  const syn = hclSyntax(c);
  const lines = ['data "aws_iam_policy_document" "d" {'];
  if (L.extras) lines.push(`${sp(u)}version = "2012-10-17"`);
  const blocks = c.statements.map((s, i) => {
    const head: [string, string[]][] = [];
    if (s.sid) head.push(['sid', [JSON.stringify(`S${i}`)]]);
    if (!(L.omitEffect && s.effect === 'Allow')) head.push(['effect', [JSON.stringify(s.effect)]]);
    const resource: [string, string[]][] = [['resources', [`[${JSON.stringify(resourceOf(i))}]`]]];
    const key = s.key === 'Action' ? 'actions' : 'not_actions';
    const entries = entriesOf(s);
    const literal = (e: Entry): string => (e.kind === 'static' ? JSON.stringify(e.value) : syn.dynamic(e.variant));
    const list: [string, string[]][] = [];
    if (listStyleOf(c, i) === 'flow') {
      list.push([key, [`[${entries.map(literal).join(', ')}${syn.trailingCommas && hash(L.seed, 6, i) % 2 === 0 ? ',' : ''}]`]]);
    } else {
      const items = ['['];
      entries.forEach((e, j) => {
        const last = j === entries.length - 1;
        const above = syn.commentAbove(i, j);
        if (above !== undefined) items.push(`${sp(3 * u)}${above}`);
        items.push(`${sp(3 * u)}${literal(e)}${last ? (syn.trailingCommas ? ',' : '') : ','}${syn.comment(i, j)}`);
      });
      items.push(`${sp(2 * u)}]`);
      list.push([key, items]);
    }
    const parts = { head, list, resource, condition: [] };
    const members = memberOrder(L).flatMap((m) => parts[m]);
    const width = L.alignEquals ? Math.max(...members.map(([k]) => k.length)) : 0;
    const block = [`${sp(u)}statement {`];
    for (const [k, [first, ...rest]] of members) block.push(`${sp(2 * u)}${syn.key(k, width)}${first}`, ...rest);
    if (hasCondition(L, i)) {
      block.push('', `${sp(2 * u)}condition {`, `${sp(3 * u)}test     = "StringEquals"`, `${sp(3 * u)}variable = "aws:RequestedRegion"`,
        `${sp(3 * u)}values   = ["eu-west-1"]`, `${sp(2 * u)}}`);
    }
    block.push(`${sp(u)}}`);
    return block;
  });
  const dynamic = dynamicStatementIndex(c);
  if (dynamic !== undefined) {
    blocks.splice(dynamic, 0, [`${sp(u)}dynamic "statement" {`, `${sp(2 * u)}for_each = var.extra_statements`, `${sp(2 * u)}content {`,
      `${sp(3 * u)}actions   = statement.value.actions`, `${sp(3 * u)}resources = ["*"]`, `${sp(2 * u)}}`, `${sp(u)}}`]);
  }
  blocks.forEach((block, i) => {
    if (i > 0 && L.blankLines) lines.push('');
    lines.push(...block);
  });
  lines.push('}');
  if (L.extras) {
    lines.push('', 'resource "aws_iam_policy" "p" {', `${sp(u)}name   = "p"`, `${sp(u)}policy = data.aws_iam_policy_document.d.json`, '}');
  }
  return lines;
}

/** The template text of a case, in its form and layout, ending with a line break. */
export function renderEmbedded(c: EmbeddedCase): string {
  const lines = {
    'cfn-yaml': renderCfnYaml,
    'cfn-json': renderCfnJson,
    'sam-yaml': renderSamYaml,
    'tf-jsonencode': renderJsonencode,
    'tf-heredoc': renderHeredoc,
    'tf-quoted': renderQuoted,
    'tf-document': renderDocument,
  }[c.form](c);
  const eol = c.layout.crlf ? '\r\n' : '\n';
  return lines.join(eol) + eol;
}

// ---------------------------------------------------------------------------------------------
// Generators.

const NO_NULL_PROTO = { noNullPrototype: true };

function weighted<T>(...items: [T, number][]): fc.Arbitrary<T> {
  return fc.oneof(...items.filter(([, w]) => w > 0).map(([v, weight]) => ({ arbitrary: fc.constant(v), weight })));
}

export const layoutArb: fc.Arbitrary<EmbeddedLayout> = fc.record({
  indent: weighted<2 | 4>([2, 3], [4, 1]),
  crlf: weighted([false, 3], [true, 1]),
  comments: weighted([false, 2], [true, 1]),
  lists: weighted<EmbeddedLayout['lists']>(['block', 3], ['flow', 2], ['flow-lines', 1], ['mixed', 2]),
  quoting: weighted<EmbeddedLayout['quoting']>(['plain', 3], ['single', 1], ['double', 1], ['mixed', 2]),
  indentless: weighted([false, 3], [true, 1]),
  trailingCommas: weighted([false, 2], [true, 1]),
  keyOrder: weighted<EmbeddedLayout['keyOrder']>(['effect-list-resource', 4], ['effect-resource-list', 1], ['list-effect-resource', 1]),
  versionLast: weighted([false, 4], [true, 1]),
  oneLineStatements: weighted([false, 3], [true, 1]),
  hclQuotedKeys: weighted([false, 3], [true, 1]),
  alignEquals: weighted([false, 1], [true, 1]),
  omitEffect: fc.boolean(),
  blankLines: fc.boolean(),
  heredocIndented: weighted([true, 3], [false, 1]),
  singleObject: weighted([false, 3], [true, 1]),
  extras: fc.boolean(),
  role: weighted([false, 3], [true, 1]),
  policiesObject: weighted([false, 3], [true, 1]),
  seed: fc.nat(),
}, NO_NULL_PROTO);

/** The layout with what does not apply to `form` set to fixed values, so that counterexamples show only what matters. */
export function normalizeLayout(form: EmbeddedForm, L: EmbeddedLayout): EmbeddedLayout {
  const yaml = isYaml(form);
  const hcl = form === 'tf-jsonencode' || form === 'tf-document';
  return {
    ...L,
    quoting: yaml ? L.quoting : 'double',
    indentless: yaml && L.indentless,
    comments: L.comments && (yaml || hcl || form === 'cfn-json'),
    trailingCommas: L.trailingCommas && (hcl || yaml || (form === 'cfn-json' && L.comments)),
    oneLineStatements: L.oneLineStatements && form !== 'tf-document',
    hclQuotedKeys: L.hclQuotedKeys && form === 'tf-jsonencode',
    alignEquals: L.alignEquals && hcl,
    omitEffect: L.omitEffect && form === 'tf-document',
    blankLines: L.blankLines && form === 'tf-document',
    heredocIndented: L.heredocIndented && form === 'tf-heredoc',
    singleObject: L.singleObject && form !== 'tf-document',
    role: L.role && (form === 'cfn-yaml' || form === 'cfn-json' || form === 'tf-jsonencode'),
    policiesObject: L.policiesObject && form === 'sam-yaml' && !L.extras,
  };
}

/**
 * A generated policy case (./policyCase) in `form`, with a layout and, now and then, dynamic values
 * in its lists and a dynamic statement. A role's trust policy names `sts:AssumeRole`: the findings
 * then call all of `sts` unused, which must change nothing there.
 */
export function embeddedCaseArb(universe: Universe, form: EmbeddedForm, o: CaseOptions, dynamicWeight = 1): fc.Arbitrary<EmbeddedCase> {
  const maybe = fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.nat(), weight: dynamicWeight });
  return policyCaseArb(universe, o).chain((c) => fc.record({
    layout: layoutArb.map((L) => normalizeLayout(form, L)),
    dynamic: fc.array(maybe, { minLength: c.statements.length, maxLength: c.statements.length }),
    dynamicStatement: maybe,
  }, NO_NULL_PROTO).map(({ layout, dynamic, dynamicStatement }): EmbeddedCase => {
    const principals = layout.role
      ? c.principals.map((p) => ({
        services: [...p.services.filter((s) => s.service !== 'sts'), { service: 'sts', whole: true, actions: [] }],
      }))
      : c.principals;
    const out: EmbeddedCase = {
      form,
      statements: c.statements.map((s, i) => (dynamic[i] === undefined ? s : { ...s, dynamicAt: dynamic[i] })),
      principals,
      layout,
      seed: c.seed,
    };
    if (dynamicStatement !== undefined) out.dynamicStatement = dynamicStatement;
    return out;
  }));
}

// ---------------------------------------------------------------------------------------------
// Reading a text back.

/** One entry of a list as read back. */
export interface ReadItem {
  dynamic: boolean;
  /** A string's value; for a dynamic value, its source text. */
  value: string;
  /** The entry's source text as written (quotes, a YAML tag included). */
  literal: string;
  /** Offset of `literal` in the read space. */
  offset: number;
}

export interface ReadStatement {
  /** The statement's text, from its first to its last character. */
  text: string;
  /** As written; undefined when the statement has no `Effect` (a policy document block's default is Allow). */
  effect?: string;
  key: 'Action' | 'NotAction';
  /** The list is a list (not one string). */
  isList: boolean;
  /** The list is laid out one entry a line (a YAML block sequence, or a list whose text spans lines). */
  multiline: boolean;
  items: ReadItem[];
  resource: string;
  /** The statement's text before and after its list: what must stay when only the list changes. */
  around: [string, string];
}

export interface ReadTemplate {
  /** The text offsets refer to: the template's, or the decoded JSON of a quoted string. */
  space: string;
  /** The template's text before and after the statements: what must stay whatever the refinement does. */
  outside: [string, string];
  /** The statements that are objects, in order. */
  statements: ReadStatement[];
  /** Every element of the statement list in order: a statement's resource, or `dynamic <its text>`. */
  order: string[];
  /** A quoted string's policy: the Terraform text around the string. */
  outsideTerraform?: [string, string];
}

/** A statement as plain values for the oracle: static entries only (dynamic ones are no pattern). */
export function statementJson(s: ReadStatement): StatementJson {
  const values = s.items.filter((i) => !i.dynamic).map((i) => i.value);
  return { Effect: s.effect ?? 'Allow', [s.key]: values };
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Statements read, and the order of every element of the statement list. */
interface Elements {
  statements: ReadStatement[];
  order: string[];
}

// JSON, with jsonc-parser.

function jsonProp(node: JsonNode, key: string): JsonNode | undefined {
  for (const p of node.children ?? []) if (p.type === 'property' && p.children?.[0]?.value === key) return p.children[1];
  return undefined;
}

function jsonAt(node: JsonNode | undefined, path: readonly (string | number)[], what: string): JsonNode {
  let n = node;
  for (const key of path) n = n && (typeof key === 'number' ? n.children?.[key] : jsonProp(n, key));
  assert.ok(n, `${what}: nothing at ${path.join('.')}`);
  return n;
}

/** A CloudFormation intrinsic function written as an object: `{"Ref": …}`, `{"Fn::Join": …}`. */
function isIntrinsic(key: unknown): boolean {
  return typeof key === 'string' && (key === 'Ref' || key.startsWith('Fn::'));
}

/**
 * Where JSON text has Terraform templates outside its strings (`${jsonencode(var.x)}` as a value),
 * a string of the same length, so that it parses and every offset stays.
 */
function maskCodeTemplates(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += json[++i] ?? '';
      else if (ch === '"') inString = false;
    } else if (ch === '$' && json[i + 1] === '{') {
      const close = json.indexOf('}', i);
      assert.ok(close > i, 'an unterminated template');
      out += `"${'_'.repeat(close - i - 1)}"`;
      i = close;
    } else {
      out += ch;
      if (ch === '"') inString = true;
    }
  }
  return out;
}

/**
 * The statement list of a policy object parsed by jsonc-parser from `json` (the text as written is
 * `source`, the same length), whose offset 0 is `base` in the space. `templated`: strings with `${…}`
 * are Terraform templates, dynamic.
 */
function readJsonStatements(source: string, statementNode: JsonNode, base: number, templated: boolean, what: string): Elements {
  const nodes = statementNode.type === 'array' ? statementNode.children ?? [] : [statementNode];
  const slice = (n: JsonNode): string => source.slice(n.offset, n.offset + n.length);
  const out: Elements = { statements: [], order: [] };
  const dynamic = (n: JsonNode): boolean => {
    if (n.type === 'string') return templated && slice(n).includes('${');
    const key = n.type === 'object' && n.children?.length === 1 ? n.children[0]?.children?.[0]?.value : undefined;
    return isIntrinsic(key);
  };
  nodes.forEach((node, i) => {
    if (dynamic(node)) {
      out.order.push(`dynamic ${slice(node)}`);
      return;
    }
    assert.equal(node.type, 'object', `${what}: statement ${i} is not an object`);
    const action = jsonProp(node, 'Action');
    const notAction = jsonProp(node, 'NotAction');
    const list = action ?? notAction;
    assert.ok(list && !(action && notAction), `${what}: statement ${i} needs exactly one of Action and NotAction`);
    const items = (list.type === 'array' ? list.children ?? [] : [list]).map((item): ReadItem => {
      const literal = slice(item);
      if (dynamic(item)) return { dynamic: true, value: literal, literal, offset: base + item.offset };
      assert.equal(item.type, 'string', `${what}: an entry is neither a string nor an intrinsic function: ${literal}`);
      return { dynamic: false, value: item.value as string, literal, offset: base + item.offset };
    });
    const effect = jsonProp(node, 'Effect');
    const resource = jsonProp(node, 'Resource')?.value as string;
    out.order.push(resource);
    out.statements.push({
      text: slice(node),
      effect: effect?.value as string | undefined,
      key: action ? 'Action' : 'NotAction',
      isList: list.type === 'array',
      multiline: /[\r\n]/.test(slice(list)),
      items,
      resource,
      around: [source.slice(node.offset, list.offset), source.slice(list.offset + list.length, node.offset + node.length)],
    });
  });
  return out;
}

function parseJson(json: string, what: string): JsonNode {
  const errors: ParseError[] = [];
  const root = parseTree(json, errors, { allowTrailingComma: true, disallowComments: false });
  assert.deepEqual(errors.map((e) => `${printParseErrorCode(e.error)} at ${e.offset}`), [], `${what} does not parse:\n${json}`);
  assert.ok(root, `${what}: no JSON`);
  return root;
}

/**
 * The policy object at `path` in the JSON `source` (which starts at `base` in `space`): its
 * statements, and the space outside them. `templated`: Terraform's JSON, where `${…}` are templates.
 */
function readJsonPolicy(
  space: string, source: string, path: readonly (string | number)[], base: number, templated: boolean, what: string,
): ReadTemplate {
  const root = parseJson(templated ? maskCodeTemplates(source) : source, what);
  const statementNode = jsonAt(root, [...path, 'Statement'], what);
  const start = base + statementNode.offset;
  const end = start + statementNode.length;
  return { space, outside: [space.slice(0, start), space.slice(end)], ...readJsonStatements(source, statementNode, base, templated, what) };
}

function readHeredoc(text: string, what: string): ReadTemplate {
  const open = /policy = <<(-?)EOT(\r?\n)/.exec(text);
  assert.ok(open, `${what}: no heredoc`);
  const start = open.index + open[0].length;
  const close = /^[ \t]*EOT[ \t]*\r?$/m.exec(text.slice(start));
  assert.ok(close, `${what}: the heredoc does not end`);
  return readJsonPolicy(text, text.slice(start, start + close.index), [], start, true, `${what} (heredoc JSON)`);
}

/**
 * The inside of a quoted HCL string that starts at `from` (after its quote): its value, with `${…}`
 * templates kept as written (they are Terraform's, not the JSON's), and where its closing quote is.
 */
export function decodeHclQuoted(text: string, from: number): { value: string; end: number } {
  let out = '';
  let i = from;
  for (;;) {
    const ch = text[i];
    assert.ok(ch !== undefined && ch !== '\n' && ch !== '\r', 'an unterminated quoted string');
    if (ch === '"') return { value: out, end: i };
    if (ch === '\\') {
      const e = text[i + 1]!;
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
      if (simple[e] !== undefined) {
        out += simple[e];
        i += 2;
        continue;
      }
      assert.ok(e === 'u', `an unexpected escape \\${e}`);
      out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
      continue;
    }
    if (ch === '$' && text[i + 1] === '{') {
      // A template: copied up to its closing brace (the generated ones hold no quotes or braces).
      const close = text.indexOf('}', i);
      assert.ok(close > i, 'an unterminated template');
      out += text.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    // `$${` is a literal `${`: nothing generated has one, so the product would have written it.
    assert.ok(!((ch === '$' || ch === '%') && text[i + 1] === ch && text[i + 2] === '{'),
      `an escaped template ${ch}${ch}{ in the quoted policy`);
    out += ch;
    i++;
  }
}

function readQuoted(text: string, what: string): ReadTemplate {
  const open = /policy = "/.exec(text);
  assert.ok(open, `${what}: no quoted policy`);
  const from = open.index + open[0].length;
  const { value, end } = decodeHclQuoted(text, from);
  return {
    ...readJsonPolicy(value, value, [], 0, true, `${what} (quoted JSON)`),
    outsideTerraform: [text.slice(0, from), text.slice(end)],
  };
}

// YAML, with the yaml package's documents.

/** CloudFormation's short-form tags, as opaque strings: what they say is not known statically. */
const CFN_TAGS: ScalarTag[] = ['!Sub', '!Ref', '!GetAtt', '!ImportValue'].map((tag) => ({ tag, resolve: (s: string) => s }));

function yamlGet(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

/** Where a node's value ends: its last character, not the comments and line breaks after it. */
function yamlEnd(node: YamlNode): number {
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items.at(-1) as unknown;
    if (isPair(last)) return last.value ? yamlEnd(last.value as YamlNode) : yamlEnd(last.key as YamlNode);
    return yamlEnd(last as YamlNode);
  }
  return node.range![1];
}

/** A tagged value (`!Sub …`, `!If […]`), or an intrinsic function in long form (`Fn::Sub: …`). */
function isYamlDynamic(node: YamlNode): boolean {
  if (node.tag !== undefined && !node.tag.startsWith('tag:yaml.org,2002:')) return true;
  if (isMap(node) && node.items.length === 1) {
    const key = node.items[0]!.key;
    return isScalar(key) && isIntrinsic(key.value);
  }
  return false;
}

/** A dynamic value's source text, its short-form tag included (the tag stands before the value's range). */
function yamlDynamicSource(text: string, node: YamlNode, what: string): { source: string; start: number } {
  const tagged = node.tag !== undefined && !node.tag.startsWith('tag:yaml.org,2002:');
  const start = tagged ? text.lastIndexOf('!', node.range![0] - 1) : node.range![0];
  assert.ok(!tagged || (start >= 0 && text.slice(start, node.range![0]).trim() === node.tag), `${what}: the tag of a dynamic value`);
  return { source: text.slice(start, yamlEnd(node)), start };
}

function readYamlStatement(text: string, node: unknown, i: number, what: string): ReadStatement {
  assert.ok(isMap(node), `${what}: statement ${i} is not a mapping`);
  const pairs = node.items as Pair[];
  const isList = (p: Pair): boolean => isScalar(p.key) && (p.key.value === 'Action' || p.key.value === 'NotAction');
  const listIndex = pairs.findIndex(isList);
  assert.ok(listIndex >= 0 && pairs.filter(isList).length === 1, `${what}: statement ${i} needs exactly one of Action and NotAction`);
  const listPair = pairs[listIndex]!;
  const list = listPair.value as YamlNode;
  const keyNode = listPair.key as YamlNode;
  const start = node.range![0];
  const end = yamlEnd(node);
  const items = (isSeq(list) ? list.items as YamlNode[] : [list]).map((item): ReadItem => {
    if (isYamlDynamic(item)) {
      const { source, start: at } = yamlDynamicSource(text, item, what);
      return { dynamic: true, value: source, literal: source, offset: at };
    }
    const literal = text.slice(item.range![0], yamlEnd(item));
    assert.ok(isScalar(item) && typeof item.value === 'string', `${what}: an entry is not a string: ${literal}`);
    return { dynamic: false, value: item.value, literal, offset: item.range![0] };
  });
  const next = pairs[listIndex + 1];
  const effect = yamlGet(node, 'Effect')?.value;
  const resource = yamlGet(node, 'Resource')?.value;
  return {
    text: text.slice(start, end),
    effect: isScalar(effect) ? String(effect.value) : undefined,
    key: (keyNode as unknown as { value: 'Action' | 'NotAction' }).value,
    isList: isSeq(list),
    // A block sequence is one entry a line, whatever its length.
    multiline: (isSeq(list) && !list.flow) || /[\r\n]/.test(text.slice(list.range![0], yamlEnd(list))),
    items,
    resource: isScalar(resource) ? String(resource.value) : '',
    // Before: up to the key (a string that becomes a block list moves its value to the next lines);
    // after: from the next key on.
    around: [text.slice(start, keyNode.range![1]), next ? text.slice((next.key as YamlNode).range![0], end) : ''],
  };
}

/**
 * The statements of a YAML template and the text outside them. `path` leads from the root to the
 * policy document: keys, and `'*'` for the item of a sequence that is a mapping with the next key.
 */
function readYaml(text: string, path: readonly string[], what: string): ReadTemplate {
  const doc = parseDocument(text, { customTags: CFN_TAGS });
  assert.deepEqual(doc.errors.map((e) => e.message), [], `${what} does not parse:\n${text}`);
  // Down to the statements; what follows them is the nearest next sibling on the way.
  const steps = [...path, 'Statement'];
  let node: unknown = doc.contents;
  let after: number | undefined;
  steps.forEach((key, depth) => {
    if (key === '*') {
      assert.ok(isSeq(node), `${what}: not a sequence at ${steps.slice(0, depth).join('.')}`);
      const items = node.items as YamlNode[];
      const k = items.findIndex((item) => yamlGet(item, steps[depth + 1]!) !== undefined);
      assert.ok(k >= 0, `${what}: no policy in the sequence`);
      if (items[k + 1]) after = lineStart(text, items[k + 1]!.range![0]);
      node = items[k];
      return;
    }
    assert.ok(isMap(node), `${what}: not a mapping before ${key}`);
    const pairs = node.items as Pair[];
    const k = pairs.findIndex((p) => isScalar(p.key) && p.key.value === key);
    assert.ok(k >= 0, `${what}: no ${key}`);
    if (pairs[k + 1]) after = lineStart(text, (pairs[k + 1]!.key as YamlNode).range![0]);
    node = pairs[k]!.value;
  });
  assert.ok(after !== undefined, `${what}: nothing follows the statements`);
  const statements = node as YamlNode;
  // The statements start on the line of their first one, with the comment lines right above it.
  let start = lineStart(text, statements.range![0]);
  const column = statements.range![0] - start;
  while (start > 0) {
    const above = lineStart(text, start - 1 - (text[start - 2] === '\r' ? 1 : 0));
    const line = text.slice(above, start).replace(/\r?\n$/, '');
    if (!(line.trimStart().startsWith('#') && line.length - line.trimStart().length === column)) break;
    start = above;
  }
  const out: Elements = { statements: [], order: [] };
  (isSeq(statements) ? statements.items as YamlNode[] : [statements]).forEach((s, i) => {
    if (isYamlDynamic(s)) {
      out.order.push(`dynamic ${yamlDynamicSource(text, s, what).source}`);
      return;
    }
    const statement = readYamlStatement(text, s, i, what);
    out.statements.push(statement);
    out.order.push(statement.resource);
  });
  return { space: text, outside: [text.slice(0, start), text.slice(after)], ...out };
}

// HCL, through the product's reader.

function readTerraformStatements(text: string, file: PolicyFile, document: boolean, what: string): ReadTemplate {
  assert.deepEqual(file.syntaxErrors.map((e) => e.message), [], `${what} does not parse:\n${text}`);
  assert.equal(file.policies.length, 1, `${what}: one policy`);
  const statementNode = file.policies[0]!.statementNode;
  const slice = (n: SourceNode): string => text.slice(n.offset, n.offset + n.length);
  const out: Elements = { statements: [], order: [] };
  (statementNode.type === 'array' ? statementNode.children ?? [] : [statementNode]).forEach((node, i) => {
    if (node.type === 'expression') {
      out.order.push(`dynamic ${slice(node)}`);
      return;
    }
    assert.equal(node.type, 'object', `${what}: statement ${i} is not an object`);
    const action = property(node, 'Action');
    const notAction = property(node, 'NotAction');
    const list = action ?? notAction;
    assert.ok(list && !(action && notAction), `${what}: statement ${i} needs exactly one of Action and NotAction`);
    const items = (list.type === 'array' ? list.children ?? [] : [list]).map((item): ReadItem => {
      const literal = slice(item);
      if (item.type === 'expression') return { dynamic: true, value: literal, literal, offset: item.offset };
      assert.equal(item.type, 'string', `${what}: an entry is neither a string nor an expression: ${literal}`);
      return { dynamic: false, value: item.value as string, literal, offset: item.offset };
    });
    const resource = (document ? property(node, 'resources')?.children?.[0] : property(node, 'Resource'))?.value as string;
    out.order.push(resource);
    out.statements.push({
      text: slice(node),
      effect: property(node, 'Effect')?.value as string | undefined,
      key: action ? 'Action' : 'NotAction',
      isList: list.type === 'array',
      multiline: /[\r\n]/.test(slice(list)),
      items,
      resource,
      around: [text.slice(node.offset, list.offset), text.slice(list.offset + list.length, node.offset + node.length)],
    });
  });
  let outside: [string, string];
  if (document) {
    // The data block's own lines: its first, and its closing brace at column 0 (found in the text, not by the reader).
    const open = text.indexOf('data "aws_iam_policy_document" "d" {');
    assert.ok(open >= 0, `${what}: no policy document block`);
    const bodyStart = text.indexOf('\n', open) + 1;
    const close = /^\}/m.exec(text.slice(bodyStart));
    assert.ok(close, `${what}: the policy document block does not end`);
    outside = [text.slice(0, bodyStart), text.slice(bodyStart + close.index)];
  } else {
    outside = [text.slice(0, statementNode.offset), text.slice(statementNode.offset + statementNode.length)];
  }
  return { space: text, outside, ...out };
}

/**
 * Reads a text of a case's form back: its statements and the text outside them. `readTerraform` is
 * the product's Terraform reader (for `jsonencode` and policy document blocks only).
 */
export function readEmbedded(c: EmbeddedCase, text: string, what: string, readTerraform?: (text: string) => PolicyFile): ReadTemplate {
  switch (c.form) {
    case 'cfn-yaml':
      return readYaml(text, ['Resources', 'R', 'Properties', ...(c.layout.role ? ['Policies', '*'] : []), 'PolicyDocument'], what);
    case 'sam-yaml':
      return readYaml(text, ['Resources', 'Fn', 'Properties', 'Policies', ...(c.layout.policiesObject ? [] : ['*'])], what);
    case 'cfn-json':
      return readJsonPolicy(text, text,
        ['Resources', 'R', 'Properties', ...(c.layout.role ? ['Policies', 0] : []), 'PolicyDocument'], 0, false, what);
    case 'tf-heredoc':
      return readHeredoc(text, what);
    case 'tf-quoted':
      return readQuoted(text, what);
    case 'tf-jsonencode':
    case 'tf-document':
      assert.ok(readTerraform, 'a Terraform reader');
      return readTerraformStatements(text, readTerraform(text), c.form === 'tf-document', what);
  }
}

/** The style of a YAML scalar as written. */
export function yamlStyleOf(literal: string): Quoting {
  return literal.startsWith("'") ? 'single' : literal.startsWith('"') ? 'double' : 'plain';
}
