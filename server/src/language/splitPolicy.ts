import type { PolicyDocument } from '../../../shared/src/policy/policyDocument';
import type { PrincipalRef } from '../../../shared/src/findings/policyContext';
import { refinementEdits } from '../../../shared/src/policy/refinementEdits';
import { property, type SourceNode } from '../../../shared/src/policy/sourceTree';
import { applyEdits, textChange, type TextEdit } from '../../../shared/src/text/textEdit';
import type { PolicyDocumentState } from './documentState';
import { KIND_LIMITS } from './policyKind';
import { nodeSize } from './refinedSize';
import { sizeVerdicts } from './refinementStyle';

/**
 * Splitting a refined policy that does not fit its limit: the statements it cannot keep move to new
 * managed policies (6,144 characters each) attached to the same principals, written next to it in
 * the same template or module. CloudFormation and SAM templates (JSON or YAML) and Terraform
 * policies written with `jsonencode` or a JSON heredoc.
 */
export interface PolicySplit {
  /** One edit: the refinement, the statements moved out, and the new resources. */
  readonly edits: TextEdit[];
  /** How many new managed policies the moved statements take. */
  readonly parts: number;
  /** How many statements move. */
  readonly moved: number;
  /** The text once split, for the check that it reads back. */
  readonly text: string;
}

/** A policy document of a managed policy without statements: `{"Version":"2012-10-17","Statement":[]}`. */
const EMPTY_DOCUMENT = 38;

/** The split of policy `index` of the document, refined; undefined when it fits or cannot be split. */
export function splitPolicy(state: PolicyDocumentState, index: number): PolicySplit | undefined {
  const verdict = sizeVerdicts(state.analysis)[index];
  const refinement = state.analysis.refinements[index];
  if (!verdict || !refinement || verdict.total <= verdict.budget.limit) return undefined;
  const context = refinement.policy.source.context;
  if (!context || context.principals.length === 0) return undefined;
  const format = state.analysis.file.format;
  // The refined text, read again: the statements to move are the refined ones.
  const refined = applyEdits(state.text, refinementEdits(refinement));
  const file = state.analysis.read(refined);
  // The refinement edits only inside the policy: where it starts has not moved.
  const policy = file.policies.find((p) => p.node.offset === refinement.policy.node.offset);
  if (!policy || file.syntaxErrors.length > 0 || policy.statementNode.type !== 'array') return undefined;
  const capacity = KIND_LIMITS.managed - EMPTY_DOCUMENT;
  const plan = planMoves(policy, verdict.total - verdict.budget.limit, capacity, format === 'terraform' ? refined : undefined);
  if (!plan) return undefined;
  const parts = pack(plan.pieces, capacity);
  if (!parts) return undefined;
  const insertion = format === 'terraform'
    ? terraformResources(refined, context.resourceId, context.principals, parts)
    : templateResources(refined, policy, format === 'yaml', context.principals, parts);
  if (!insertion) return undefined;
  const text = applyEdits(refined, [...plan.edits, insertion]);
  return { edits: [textChange(state.text, text)], parts: parts.length, moved: plan.pieces.length, text };
}

/** A statement, or part of one, for a new policy: its text (JSON, or Terraform's own) and its size. */
interface Piece {
  readonly text: string;
  readonly size: number;
  /** Where it came from, to keep the document's order. */
  readonly order: number;
}

/**
 * What moves, largest statements first, until what is left fits: whole statements (never the first,
 * so the policy keeps one), and where a statement is too large to move or to stay whole, the end of
 * its `Action` list, copied into statements that are the same but for their actions. With `source`
 * (Terraform), whole statements are copied as written, expressions included.
 */
function planMoves(
  policy: PolicyDocument,
  excess: number,
  capacity: number,
  source?: string,
): { pieces: Piece[]; edits: TextEdit[] } | undefined {
  const items = policy.statementNode.children ?? [];
  const sized = items.map((node, order) => ({ node, order, ...nodeSize(node) }));
  const pieces: Piece[] = [];
  const whole: SourceNode[] = [];
  const trimmed = new Map<SourceNode, number[]>();
  let freed = 0;
  for (const s of [...sized].sort((a, b) => b.size - a.size)) {
    if (freed >= excess) break;
    if (s.order > 0 && s.size <= capacity && (s.exact || source)) {
      whole.push(s.node);
      pieces.push({ text: source ? dedent(source, s.node) : JSON.stringify(plain(s.node), null, 2), size: s.size, order: s.order });
      freed += s.size + 1;
      continue;
    }
    const list = s.node.type === 'object' ? property(s.node, 'Action') : undefined;
    const entries = list?.type === 'array' ? list.children ?? [] : [];
    if (!s.exact || entries.length < 2 || entries.some((e) => e.type !== 'string')) continue;
    // The statement without its actions, and each action with its separator.
    const base = s.size - nodeSize(list!).size + 2;
    const moved: number[] = [];
    for (let k = entries.length - 1; k > 0 && freed < excess; k--) {
      moved.unshift(k);
      freed += nodeSize(entries[k]!).size + 1;
    }
    trimmed.set(list!, moved);
    let chunk: string[] = [];
    let size = base;
    const flush = (): void => {
      if (chunk.length === 0) return;
      const value = { ...(plain(s.node) as Record<string, unknown>), Action: chunk };
      pieces.push({ text: JSON.stringify(value, null, 2), size, order: s.order });
      chunk = [];
      size = base;
    };
    for (const k of moved) {
      const action = String(entries[k]!.value);
      const cost = JSON.stringify(action).length + 1;
      if (size + cost > capacity) flush();
      chunk.push(action);
      size += cost;
    }
    flush();
  }
  if (freed < excess || pieces.length === 0) return undefined;
  const writer = policy.source.writer;
  const edits = [...writer.removeStatements(policy.statementNode, whole)];
  for (const [list, moved] of trimmed) edits.push(...writer.editList(list, new Map(moved.map((k) => [k, []]))));
  return { pieces: pieces.sort((a, b) => a.order - b.order), edits };
}

/** First fit, largest first: bins of at most `capacity` characters; undefined when a statement alone is larger. */
function pack(items: readonly Piece[], capacity: number): Piece[][] | undefined {
  const bins: { items: Piece[]; size: number }[] = [];
  for (const item of [...items].sort((a, b) => b.size - a.size)) {
    if (item.size > capacity) return undefined;
    const bin = bins.find((b) => b.size + item.size + 1 <= capacity);
    if (bin) {
      bin.items.push(item);
      bin.size += item.size + 1;
    } else {
      bins.push({ items: [item], size: item.size });
    }
  }
  return bins.map((b) => b.items.sort((x, y) => x.order - y.order));
}

/** A node of the tree as a plain value, for writing it again as JSON. */
function plain(node: SourceNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of node.children ?? []) out[String(p.children?.[0]?.value)] = p.children?.[1] ? plain(p.children[1]) : null;
      return out;
    }
    case 'array': return (node.children ?? []).map(plain);
    default: return node.value ?? null;
  }
}

/** Where the policy document goes in a resource written as JSON. */
const MARK = '@policy-document@';

/** A policy document of the pieces, as indented JSON. */
function documentText(pieces: readonly Piece[]): string {
  const statements = pieces.map((p) => `    ${p.text.replace(/\n/g, '\n    ')}`).join(',\n');
  return `{\n  "Version": "2012-10-17",\n  "Statement": [\n${statements}\n  ]\n}`;
}

const PRINCIPAL_KEYS: Record<PrincipalRef['kind'], string> = { role: 'Roles', user: 'Users', group: 'Groups' };

/**
 * New `AWS::IAM::ManagedPolicy` resources, inserted after the resource that holds the policy, each
 * attached to the same principals: `Ref` to a principal of the template, else its name.
 */
function templateResources(
  text: string,
  policy: PolicyDocument,
  yaml: boolean,
  principals: readonly PrincipalRef[],
  parts: readonly Piece[][],
): TextEdit | undefined {
  const holder = resourceEntry(policy.node);
  if (!holder) return undefined;
  const { entry, resources, id, type } = holder;
  const ids = new Set((resources.children ?? []).map((r) => String(r.children?.[0]?.value)));
  const refs = principals.map((p) => {
    // SAM names the role it generates for a function after the function.
    const logical = p.id === id && type.startsWith('AWS::Serverless::') ? `${id}Role` : p.id;
    return { key: PRINCIPAL_KEYS[p.kind], ref: ids.has(p.id) ? logical : undefined, name: p.name ?? p.id };
  });
  const column = text.slice(text.lastIndexOf('\n', entry.offset) + 1, entry.offset).length;
  const indent = ' '.repeat(column);
  const blocks: string[] = [];
  parts.forEach((part, i) => {
    let name = `${id}Part${i + 2}`;
    for (let n = i + 2; ids.has(name); n += parts.length) name = `${id}Part${n}`;
    ids.add(name);
    const document = documentText(part);
    const attach: Record<string, unknown[]> = {};
    for (const r of refs) (attach[r.key] ??= []).push(r.ref ? (yaml ? `!Ref ${r.ref}` : { Ref: r.ref }) : r.name);
    if (yaml) {
      const lines = [`${name}:`, '  Type: AWS::IAM::ManagedPolicy', '  Properties:',
        `    PolicyDocument: ${document.replace(/\n/g, `\n${indent}      `)}`];
      for (const [key, values] of Object.entries(attach)) {
        const item = (v: unknown): string => (typeof v === 'string' && v.startsWith('!Ref ') ? v : JSON.stringify(v));
        lines.push(`    ${key}:`, ...values.map((v) => `      - ${item(v)}`));
      }
      blocks.push(lines.map((l, k) => (k === 0 ? l : `${indent}${l}`)).join('\n'));
    } else {
      const resource = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: MARK, ...attach } };
      const written = JSON.stringify(resource, null, 2).replace(`"${MARK}"`, document.replace(/\n/g, '\n    '));
      blocks.push(`${JSON.stringify(name)}: ${written.replace(/\n/g, `\n${indent}`)}`);
    }
  });
  const end = entry.offset + entry.length;
  const newText = yaml ? blocks.map((b) => `\n${indent}${b}`).join('') : blocks.map((b) => `,\n${indent}${b}`).join('');
  return { offset: end, length: 0, newText };
}

/** The `Resources` entry (a property node) whose resource holds `node`, with its id and type. */
function resourceEntry(node: SourceNode): { entry: SourceNode; resources: SourceNode; id: string; type: string } | undefined {
  for (let at: SourceNode | undefined = node.parent; at; at = at.parent) {
    const type = at.type === 'object' ? property(at, 'Type') : undefined;
    const entry = at.parent;
    const resources = entry?.parent;
    if (type?.type === 'string' && property(at, 'Properties') && entry?.type === 'property' && resources) {
      return { entry, resources, id: String(entry.children?.[0]?.value), type: String(type.value) };
    }
  }
  return undefined;
}

const TERRAFORM_ATTACHMENTS: Record<PrincipalRef['kind'], { type: string; key: string; resource: string }> = {
  role: { type: 'aws_iam_role_policy_attachment', key: 'role', resource: 'aws_iam_role' },
  user: { type: 'aws_iam_user_policy_attachment', key: 'user', resource: 'aws_iam_user' },
  group: { type: 'aws_iam_group_policy_attachment', key: 'group', resource: 'aws_iam_group' },
};

/**
 * New `aws_iam_policy` resources at the end of the file, their statements copied as written (the
 * HCL or JSON of a `jsonencode` or heredoc), each attached to the same principals.
 */
function terraformResources(
  text: string,
  address: string,
  principals: readonly PrincipalRef[],
  parts: readonly Piece[][],
): TextEdit | undefined {
  const base = /^[a-z0-9_]+\.([A-Za-z0-9_-]+)$/.exec(address)?.[1];
  if (!base) return undefined;
  const blocks: string[] = [];
  parts.forEach((part, i) => {
    let name = `${base}_part${i + 2}`;
    for (let n = i + 2; text.includes(`"${name}"`); n += parts.length) name = `${base}_part${n}`;
    const statements = part.map((m) => `      ${m.text.replace(/\n/g, '\n      ')}`).join(',\n');
    blocks.push(`resource "aws_iam_policy" "${name}" {\n  policy = jsonencode({\n    Version = "2012-10-17"\n`
      + `    Statement = [\n${statements},\n    ]\n  })\n}`);
    principals.forEach((p, k) => {
      const attachment = TERRAFORM_ATTACHMENTS[p.kind];
      const reference = p.id.startsWith(`${attachment.resource}.`) ? `${p.id}.name` : JSON.stringify(p.name ?? p.id);
      const suffix = principals.length > 1 ? `_${k + 1}` : '';
      blocks.push(`resource "${attachment.type}" "${name}${suffix}" {\n  ${attachment.key} = ${reference}\n`
        + `  policy_arn = aws_iam_policy.${name}.arn\n}`);
    });
  });
  const newline = text.endsWith('\n') ? '' : '\n';
  return { offset: text.length, length: 0, newText: `${newline}\n${blocks.join('\n\n')}\n` };
}

/** A node's text with the indentation of its first line taken off its other lines. */
function dedent(text: string, node: SourceNode): string {
  const column = node.offset - (text.lastIndexOf('\n', node.offset - 1) + 1);
  const own = text.slice(node.offset, node.offset + node.length);
  return own.replace(new RegExp(`\\n[ \\t]{0,${column}}`, 'g'), '\n');
}

/** Whether a split text reads back whole: no syntax error, and the new policies beside the old ones. */
export function splitReadsBack(state: PolicyDocumentState, split: PolicySplit): boolean {
  try {
    const file = state.analysis.read(split.text);
    return file.syntaxErrors.length === 0 && file.policies.length === state.analysis.file.policies.length + split.parts;
  } catch {
    return false;
  }
}
