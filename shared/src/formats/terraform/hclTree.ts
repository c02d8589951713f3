import type { Node as TsNode, Tree, TreeCursor } from 'web-tree-sitter';
import type { Problem } from '../../text/problem';
import { hclStringValue } from './hclString';

/**
 * A tree-sitter node copied into plain JavaScript: every property read of a tree-sitter node is a
 * call into WebAssembly, and a policy is read many times over, so the parts the reader needs are
 * copied once, with one cursor walk. Only named nodes are kept (`=`, `,`, `(` are not needed: the
 * writers read the text), and what is never looked into is cut off: see `LEAVES`.
 */
export interface HclNode {
  /** The grammar's node type: `block`, `attribute`, `expression`, `string_lit`, `tuple`… */
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly children: readonly HclNode[];
}

/**
 * Nodes copied without their children. A string literal is decoded from the text; a reference
 * (`aws_iam_role.app.name`) is read from the text; conditionals, for-expressions, operations and
 * template interpolations are expressions whose insides never matter, only their span.
 */
const LEAVES = new Set([
  'identifier', 'string_lit', 'numeric_lit', 'bool_lit', 'null_lit',
  'variable_expr', 'get_attr', 'index', 'splat', 'legacy_index', 'attr_splat', 'full_splat',
  'conditional', 'for_expr', 'operation',
  'template_literal', 'template_interpolation', 'template_directive', 'heredoc_identifier',
  'ERROR',
]);

/** Named nodes not copied at all: brackets, quotes and comments, which the writers read from the text. */
const SKIPPED = new Set([
  'comment', 'object_start', 'object_end', 'tuple_start', 'tuple_end', 'block_start', 'block_end',
  'quoted_template_start', 'quoted_template_end', 'heredoc_start',
]);

/** The nested blocks whose bodies hold what the reader needs; other nested blocks keep only their names. */
const NESTED_BLOCKS = new Set(['statement', 'inline_policy']);

/**
 * Top-level blocks worth copying: IAM resources (policies, principals, attachments) and the data
 * sources that are policy documents or principals. Everything else in a module is skipped whole.
 */
function wantedTopBlock(type: string, labels: readonly string[]): boolean {
  const kind = labels[0] ?? '';
  if (type === 'resource') return kind.startsWith('aws_iam_');
  if (type === 'data') {
    return kind === 'aws_iam_policy_document' || kind === 'aws_iam_role' || kind === 'aws_iam_user' || kind === 'aws_iam_group';
  }
  return false;
}

/**
 * Attributes of a top-level block worth copying: the policy, and what names principals, policies
 * and documents. A trust policy only matters as a reference to a document, so only its span is
 * copied, not a `jsonencode` trust policy's insides; `tags` and the like are not copied at all.
 */
const TOP_ATTRIBUTES = new Set([
  'policy', 'name', 'role', 'user', 'group', 'roles', 'users', 'groups', 'role_name', 'user_name', 'group_name',
  'policy_arn', 'policy_arns', 'managed_policy_arns',
  'source_policy_documents', 'override_policy_documents', 'source_json', 'override_json',
]);
const SPAN_ONLY_ATTRIBUTES = new Set(['assume_role_policy']);

/** Depths in the tree: `config_file > body > block > body > attribute`. */
const TOP_BLOCK_DEPTH = 2;
const TOP_ATTRIBUTE_DEPTH = 4;

/**
 * Copies the parts of a parsed Terraform file that policies and attachments are read from. The
 * grammar wraps every value in `expression`, and literals in `literal_value` or
 * `collection_value`: the copy leaves these wrappers out where a value is just one thing, so that
 * an attribute's value is the `string_lit`, `tuple`, `object`, `function_call`… itself. A value
 * made of several parts (`var.x`, `local.list[0]`) stays an `expression`, without children.
 */
export function copyHclTree(tree: Tree, text: string, options: CopyOptions = {}): HclNode {
  const cursor = tree.walk();
  try {
    return copy(cursor, { text, attachmentsOnly: options.attachmentsOnly ?? false }, 0, cursor.nodeType);
  } finally {
    cursor.delete();
  }
}

export interface CopyOptions {
  /**
   * Only what says who is attached to what: for the other files of a module, whose policies are
   * not read. A `policy` is then only copied as a span (it may reference a document), and
   * `statement` blocks not at all.
   */
  readonly attachmentsOnly?: boolean;
}

interface CopyContext {
  readonly text: string;
  readonly attachmentsOnly: boolean;
}

function copy(cursor: TreeCursor, context: CopyContext, depth: number, type: string): HclNode {
  if (type === 'expression') return copyExpression(cursor, context, depth);
  return copyNode(cursor, context, depth, type, cursor.startIndex, cursor.endIndex);
}

/**
 * Visits the top-level blocks of a file in order, with their spans. `copy` copies the block (and
 * reads its name and labels) only when asked, and only during the visit: a caller that already
 * knows what a block says, because its text has not changed, needs no walk through WebAssembly.
 */
export function visitTopBlocks(
  tree: Tree,
  text: string,
  visit: (start: number, end: number, copy: () => HclBlock | undefined) => void,
): void {
  const cursor = tree.walk();
  try {
    if (!cursor.gotoFirstChild() || !gotoSibling(cursor, 'body') || !cursor.gotoFirstChild()) return;
    const context: CopyContext = { text, attachmentsOnly: false };
    do {
      if (cursor.nodeType !== 'block') continue;
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      visit(start, end, () => {
        const node = copyNode(cursor, context, TOP_BLOCK_DEPTH, 'block', start, end);
        return node.children[0]?.type === 'identifier' ? readBlock(node, text) : undefined;
      });
    } while (cursor.gotoNextSibling());
  } finally {
    cursor.delete();
  }
}

/** Moves the cursor to the first node of `type` among the node it is at and the siblings after it. */
function gotoSibling(cursor: TreeCursor, type: string): boolean {
  while (cursor.nodeType !== type) if (!cursor.gotoNextSibling()) return false;
  return true;
}

function copyNode(cursor: TreeCursor, context: CopyContext, depth: number, type: string, start: number, end: number): HclNode {
  const text = context.text;
  const children: HclNode[] = [];
  if (!LEAVES.has(type) && cursor.gotoFirstChild()) {
    do {
      const childType = cursor.nodeType;
      if (!isNamed(childType) || SKIPPED.has(childType)) continue;
      // A block's body comes after its name and labels, which say whether it is worth reading.
      if (type === 'block' && childType === 'body' && !wantedBody(children, context, depth)) continue;
      if (type === 'attribute' && depth === TOP_ATTRIBUTE_DEPTH && children.length === 1) {
        const name = text.slice(children[0]!.start, children[0]!.end);
        if (SPAN_ONLY_ATTRIBUTES.has(name) || (context.attachmentsOnly && name === 'policy')) {
          children.push({ type: childType, start: cursor.startIndex, end: cursor.endIndex, children: [] });
          continue;
        }
        if (!TOP_ATTRIBUTES.has(name)) continue;
      }
      children.push(copy(cursor, context, depth + 1, childType));
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return { type, start, end, children };
}

/** An `expression`: its one part without the wrappers, or, when it has several, itself without children. */
function copyExpression(cursor: TreeCursor, context: CopyContext, depth: number): HclNode {
  let only: HclNode | undefined;
  let parts = 0;
  if (cursor.gotoFirstChild()) {
    do {
      const type = cursor.nodeType;
      // `(x)` is not `x`: as an object key it is evaluated, where `x` is a name.
      if (type === '(') {
        parts = 2;
        break;
      }
      if (!isNamed(type) || SKIPPED.has(type)) continue;
      // `var.x`, `aws_iam_role.app.name`: a traversal is read from its text, not from its parts.
      if (++parts > 1 || type === 'variable_expr') {
        parts = 2;
        break;
      }
      only = type === 'literal_value' || type === 'collection_value'
        ? copyWrapped(cursor, context, depth)
        : copy(cursor, context, depth + 1, type);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  // Its span is asked only here: every call into WebAssembly counts, and most expressions are one literal.
  return parts === 1 && only ? only : { type: 'expression', start: cursor.startIndex, end: cursor.endIndex, children: [] };
}

/** The one named child of `literal_value` or `collection_value`. */
function copyWrapped(cursor: TreeCursor, context: CopyContext, depth: number): HclNode | undefined {
  let only: HclNode | undefined;
  if (cursor.gotoFirstChild()) {
    do {
      const type = cursor.nodeType;
      if (isNamed(type) && !SKIPPED.has(type)) {
        only = copy(cursor, context, depth + 2, type);
        break;
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return only;
}

/**
 * Whether a node type is a named node's: the grammar's anonymous tokens are punctuation (`=`,
 * `,`, `(`), or keywords (`for`, `if`, `true`) that only occur inside leaves. Telling them apart
 * by their type saves a call into WebAssembly per node.
 */
function isNamed(type: string): boolean {
  const c = type.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function wantedBody(header: readonly HclNode[], context: CopyContext, depth: number): boolean {
  const name = header[0];
  if (!name || name.type !== 'identifier') return false;
  const text = context.text;
  const type = text.slice(name.start, name.end);
  if (depth === TOP_BLOCK_DEPTH) return wantedTopBlock(type, header.slice(1).map((l) => labelText(l, text)));
  return NESTED_BLOCKS.has(type) && !(context.attachmentsOnly && type === 'statement');
}

function labelText(node: HclNode, text: string): string {
  return node.type === 'string_lit' ? hclStringValue(text, node.start, node.end) : text.slice(node.start, node.end);
}

// ---------------------------------------------------------------------------------------------
// Reading blocks and attributes

/** A block: `resource "aws_iam_policy" "p" { … }`, or a nested `statement { … }`. */
export interface HclBlock {
  readonly node: HclNode;
  /** `resource`, `data`, `statement`… */
  readonly type: string;
  readonly typeNode: HclNode;
  readonly labels: readonly string[];
  readonly labelNodes: readonly HclNode[];
  /** Absent when the body was not copied, or the block is empty. */
  readonly body?: HclNode;
}

export function readBlock(node: HclNode, text: string): HclBlock {
  const typeNode = node.children[0]!;
  const labelNodes: HclNode[] = [];
  let body: HclNode | undefined;
  for (const child of node.children.slice(1)) {
    if (child.type === 'string_lit' || child.type === 'identifier') labelNodes.push(child);
    else if (child.type === 'body') body = child;
  }
  return {
    node,
    type: text.slice(typeNode.start, typeNode.end),
    typeNode,
    labels: labelNodes.map((l) => labelText(l, text)),
    labelNodes,
    body,
  };
}

/** The blocks of a body (the file's, or a block's). */
export function blocksOf(body: HclNode | undefined, text: string): HclBlock[] {
  const out: HclBlock[] = [];
  for (const child of body?.children ?? []) {
    if (child.type === 'block' && child.children[0]?.type === 'identifier') out.push(readBlock(child, text));
  }
  return out;
}

/** The top-level blocks of a file. */
export function topBlocks(root: HclNode, text: string): HclBlock[] {
  return blocksOf(root.children.find((c) => c.type === 'body'), text);
}

/** `name = value` in a body: the attribute node, its name and the name's node, and the value. */
export interface HclAttribute {
  readonly node: HclNode;
  readonly name: string;
  readonly nameNode: HclNode;
  /** The value, without the grammar's wrappers (see `copyHclTree`). */
  readonly value: HclNode;
}

export function attributesOf(body: HclNode | undefined, text: string): Map<string, HclAttribute> {
  const out = new Map<string, HclAttribute>();
  for (const child of body?.children ?? []) {
    if (child.type !== 'attribute') continue;
    const [nameNode, value] = child.children;
    if (nameNode?.type !== 'identifier' || !value) continue;
    const name = text.slice(nameNode.start, nameNode.end);
    // Terraform rejects a repeated attribute; the first one is the one the reader sees.
    if (!out.has(name)) out.set(name, { node: child, name, nameNode, value });
  }
  return out;
}

/** The address of a top-level resource or data block: `aws_iam_role.app`, `data.aws_iam_policy_document.read`. */
export function addressOf(block: HclBlock): string | undefined {
  const [type, name] = block.labels;
  if (type === undefined || name === undefined) return undefined;
  if (block.type === 'resource') return `${type}.${name}`;
  if (block.type === 'data') return `data.${type}.${name}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

const MAX_SYNTAX_ERRORS = 5;

/**
 * The places tree-sitter could not parse: `ERROR` nodes (unexpected text) and `MISSING` nodes
 * (a token it had to assume). Only looked for when the tree says it has errors, and only the first
 * few: the rest are usually consequences of the first.
 */
export function hclSyntaxErrors(tree: Tree, text: string): Problem[] {
  const out: Problem[] = [];
  if (!tree.rootNode.hasError) return out;
  const visit = (node: TsNode): void => {
    if (out.length >= MAX_SYNTAX_ERRORS) return;
    if (node.isMissing) {
      const message = `Missing ${describeToken(node.type)}.`;
      out.push({ severity: 'error', code: 'hcl-syntax', message, span: { offset: node.startIndex, length: 0 } });
      return;
    }
    if (node.isError) {
      out.push(unexpected(node, text));
      return;
    }
    for (const child of node.children) if (child.hasError) visit(child);
  };
  visit(tree.rootNode);
  return out;
}

function describeToken(type: string): string {
  return /^[A-Za-z_]+$/.test(type) ? type.replace(/_/g, ' ') : `"${type}"`;
}

/** An `ERROR` node may swallow a lot of text: the problem points at its first line only. */
function unexpected(node: TsNode, text: string): Problem {
  const start = node.startIndex;
  let end = node.endIndex;
  const newline = text.slice(start, end).search(/[\r\n]/);
  if (newline > 0) end = start + newline;
  const token = /^\S{1,30}/.exec(text.slice(start, end))?.[0] ?? '';
  const message = token ? `Unexpected "${token}".` : 'Syntax error.';
  return { severity: 'error', code: 'hcl-syntax', message, span: { offset: start, length: end - start } };
}
