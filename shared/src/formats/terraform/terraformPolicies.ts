import type { Tree } from 'web-tree-sitter';
import type { PolicyContext } from '../../findings/policyContext';
import type { PolicySourceFile, SourcePolicy } from '../../policy/policySource';
import type { PolicyWriter } from '../../policy/policyWriter';
import { movedTree, property, type SourceNode } from '../../policy/sourceTree';
import type { Problem } from '../../text/problem';
import { JsonWriter } from '../json/jsonWriter';
import { Attachments, type ModuleFacts, moduleFacts } from './attachments';
import type { EmbeddedJson } from './embeddedJson';
import { heredocJson } from './heredocJson';
import { hclValue } from './hclExpression';
import {
  addressOf, attributesOf, blocksOf, copyHclTree, type HclBlock, type HclNode, hclSyntaxErrors, topBlocks, visitTopBlocks,
} from './hclTree';
import { HCL_LINE_COMMENTS, HclBlockWriter } from './hclWriter';
import { readPolicyDocumentBlock } from './policyDocumentBlock';
import { quotedJson } from './quotedJson';

/** A `.tf` file and its tree-sitter tree (parsed with the Terraform grammar). */
export interface TerraformFile {
  readonly text: string;
  readonly tree: Tree;
}

/** Resources whose `policy` attribute is an identity policy document. */
const POLICY_RESOURCES = new Set(['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy']);

/**
 * Finds the identity policies of a Terraform file: `policy` attributes of IAM policy resources and
 * of a role's `inline_policy` blocks (written with `jsonencode({…})`, as a JSON heredoc, or as a
 * quoted JSON string), and `aws_iam_policy_document` data blocks. Each comes with its resource
 * address and the principals it is attached to, as far as `module` (the other `.tf` files of the
 * folder) and the file itself say. Trust policies (`assume_role_policy`) and documents naming
 * principals (resource policies) are not identity policies and are left out; so are policies that
 * only Terraform can read (`file(…)`, `templatefile(…)`, variables).
 *
 * `readings` holds what the blocks of the file's previous text said: a block whose text has not
 * changed is not read again, only moved to where it now starts.
 */
export function readTerraform(
  text: string,
  tree: Tree,
  module: readonly TerraformFile[] = [],
  readings = new BlockReadings(),
): PolicySourceFile {
  const blocks = readings.read(tree, text);
  const facts = [...blocks.map((b) => b.facts), ...module.filter((m) => m.tree !== tree).map(cachedFacts)];
  const attachments = new Attachments(facts);
  const writers = new Writers(text);
  const policies: SourcePolicy[] = [];
  const jsonErrors: Problem[] = [];
  for (const block of blocks) {
    jsonErrors.push(...block.jsonErrors);
    for (const policy of block.policies) {
      if (policy.form === 'document' && attachments.isTrustDocument(block.address)) continue;
      const { node, statementNode, anchor, defaultEffect } = policy;
      const writer = policy.form === 'quoted' ? policy.writer : writers.of(policy.form);
      const context: PolicyContext = { resourceId: block.address, principals: attachments.principalsOf(block.address) };
      policies.push(defaultEffect
        ? { node, statementNode, anchor, defaultEffect, writer, context }
        : { node, statementNode, anchor, writer, context });
    }
  }
  return {
    format: 'terraform',
    text,
    policies: policies.sort((a, b) => a.node.offset - b.node.offset),
    syntaxErrors: [...hclSyntaxErrors(tree, text), ...jsonErrors],
  };
}

/** The facts of a module file, kept with its tree: the other files of a module change less often than the one being edited. */
const factsByTree = new WeakMap<Tree, { text: string; facts: ModuleFacts }>();

function cachedFacts(file: TerraformFile): ModuleFacts {
  const cached = factsByTree.get(file.tree);
  if (cached?.text === file.text) return cached.facts;
  const facts = moduleFacts(topBlocks(copyHclTree(file.tree, file.text, { attachmentsOnly: true }), file.text), file.text);
  factsByTree.set(file.tree, { text: file.text, facts });
  return facts;
}

/**
 * What a top-level block says, whatever surrounds it: who it attaches to what, and the policies it
 * holds, not yet tied to principals (that takes the whole module).
 */
interface BlockReading {
  readonly start: number;
  readonly address: string;
  readonly facts: ModuleFacts;
  readonly policies: readonly BlockPolicy[];
  readonly jsonErrors: readonly Problem[];
}

/**
 * A policy as its block holds it. The writer of a `jsonencode` list, a heredoc or a document block
 * edits the file's text, so it is made for each text; a quoted string's writer maps offsets of its
 * own, made with the policy.
 */
type BlockPolicy = Omit<SourcePolicy, 'writer' | 'context'> & (
  | { readonly form: 'hcl' | 'heredoc' | 'document' }
  | { readonly form: 'quoted'; readonly writer: PolicyWriter }
);

const NOTHING: BlockReading = { start: 0, address: '', facts: moduleFacts([], ''), policies: [], jsonErrors: [] };

/**
 * The readings of the top-level blocks of a file's last text, by their text. A keystroke changes
 * one block: the others are taken as they were read, moved if the edit was before them. Only the
 * last text's blocks are kept, so that no older text stays in memory.
 */
export class BlockReadings {
  private byText = new Map<string, BlockReading>();

  read(tree: Tree, text: string): BlockReading[] {
    const next = new Map<string, BlockReading>();
    const out: BlockReading[] = [];
    visitTopBlocks(tree, text, (start, end, copy) => {
      const source = text.slice(start, end);
      const reading = this.readingAt(start, this.byText.get(source) ?? next.get(source), () => {
        const block = copy();
        return block ? readTopBlock(block, text, start) : NOTHING;
      });
      next.set(source, reading);
      if (reading !== NOTHING) out.push(reading);
    });
    this.byText = next;
    return out;
  }

  /** The reading of a block at `start`: the one its text had before, moved there, or a new one. */
  private readingAt(start: number, before: BlockReading | undefined, read: () => BlockReading): BlockReading {
    if (before === NOTHING || before?.start === start) return before;
    if (!before || !movable(before)) return read();
    return moveReading(before, start);
  }
}

/** A quoted string's writer holds offsets into the text: its block is read again when it moves. */
function movable(reading: BlockReading): boolean {
  return reading.policies.every((p) => p.form !== 'quoted');
}

function moveReading(reading: BlockReading, start: number): BlockReading {
  const delta = start - reading.start;
  return {
    start,
    address: reading.address,
    facts: reading.facts,
    policies: reading.policies.map((p) => movedPolicy(p, delta)),
    jsonErrors: reading.jsonErrors.map((e) => ({ ...e, span: { offset: e.span.offset + delta, length: e.span.length } })),
  };
}

/** A policy moved by `delta`, its statements and anchor found in the moved tree as they were in the original. */
function movedPolicy(policy: BlockPolicy, delta: number): BlockPolicy {
  const node = movedTree(policy.node, delta);
  if (policy.form === 'document') {
    // A document block's statement list and label are not children of the block's node.
    return { ...policy, node, statementNode: movedTree(policy.statementNode, delta, node), anchor: movedTree(policy.anchor, delta) };
  }
  const statementNode = property(node, 'Statement')!;
  return { ...policy, node, statementNode, anchor: statementAnchor(statementNode) };
}

/** The writers of one text, made when a policy needs one. */
class Writers {
  private readonly made = new Map<'hcl' | 'heredoc' | 'document', PolicyWriter>();

  constructor(private readonly text: string) {}

  of(form: 'hcl' | 'heredoc' | 'document'): PolicyWriter {
    let writer = this.made.get(form);
    if (!writer) {
      writer = form === 'hcl'
        ? new JsonWriter(this.text, HCL_LINE_COMMENTS)
        : form === 'heredoc' ? new JsonWriter(this.text) : new HclBlockWriter(this.text);
      this.made.set(form, writer);
    }
    return writer;
  }
}

function readTopBlock(block: HclBlock, text: string, start: number): BlockReading {
  const address = addressOf(block);
  const type = block.labels[0];
  if (!address || !type) return NOTHING;
  const reader = new BlockReader(text);
  if (block.type === 'resource' && POLICY_RESOURCES.has(type)) {
    reader.readPolicyAttribute(block.body);
  } else if (block.type === 'resource' && type === 'aws_iam_role') {
    // `assume_role_policy` is a trust policy: never read. Inline policies are the role's own.
    for (const inline of blocksOf(block.body, text)) {
      if (inline.type === 'inline_policy') reader.readPolicyAttribute(inline.body);
    }
  } else if (block.type === 'data' && type === 'aws_iam_policy_document') {
    // Whether the document is a trust policy depends on the rest of the module: that is decided when the file is read.
    const document = readPolicyDocumentBlock(block, text);
    if (document && !document.namesPrincipals) {
      const { node, statementNode, anchor } = document;
      reader.policies.push({ node, statementNode, anchor, defaultEffect: 'Allow', form: 'document' });
    }
  }
  return { start, address, facts: moduleFacts([block], text), policies: reader.policies, jsonErrors: reader.jsonErrors };
}

/** Where a "detach this policy" diagnostic points: the `Statement` key. */
function statementAnchor(statementNode: SourceNode): SourceNode {
  return statementNode.parent?.children?.[0] ?? statementNode;
}

class BlockReader {
  readonly policies: BlockPolicy[] = [];
  readonly jsonErrors: Problem[] = [];

  constructor(private readonly text: string) {}

  /** The `policy` attribute of a body, in whichever of the three forms Terraform can be given JSON. */
  readPolicyAttribute(body: HclNode | undefined): void {
    const n = attributesOf(body, this.text).get('policy')?.value;
    if (!n) return;
    if (n.type === 'function_call') {
      this.readJsonencode(n);
    } else if (n.type === 'template_expr' && n.children[0]?.type === 'heredoc_template') {
      const json = heredocJson(n.children[0], this.text);
      if (json && this.embedded(json)) this.add(json.root, { form: 'heredoc' });
    } else if (n.type === 'string_lit' || (n.type === 'template_expr' && n.children[0]?.type === 'quoted_template')) {
      const quoted = quotedJson(n.type === 'string_lit' ? n : n.children[0]!, this.text);
      if (quoted && this.embedded(quoted.json)) this.add(quoted.json.root, { form: 'quoted', writer: quoted.writer });
    }
  }

  /** `jsonencode({ Version = …, Statement = […] })`: the object, as HCL writes it. */
  private readJsonencode(call: HclNode): void {
    const [name, args] = call.children;
    if (!name || this.text.slice(name.start, name.end) !== 'jsonencode' || args?.type !== 'function_arguments') return;
    const object = args.children.length === 1 ? args.children[0] : undefined;
    if (object?.type !== 'object') return;
    this.add(hclValue(object, this.text), { form: 'hcl' });
  }

  /** Whether embedded JSON says something for certain; its errors are kept either way. */
  private embedded(json: EmbeddedJson): json is EmbeddedJson & { root: SourceNode } {
    // JSON that only parses once Terraform fills in its templates says nothing for certain.
    if (json.templated) return false;
    this.jsonErrors.push(...json.errors);
    return json.root !== undefined;
  }

  /** A policy object: one with a `Statement`, whatever that holds (an expression is reported as such). */
  private add(node: SourceNode, form: { form: 'hcl' | 'heredoc' } | { form: 'quoted'; writer: PolicyWriter }): void {
    if (node.type !== 'object') return;
    const statementNode = property(node, 'Statement');
    if (!statementNode) return;
    this.policies.push({ node, statementNode, anchor: statementAnchor(statementNode), ...form });
  }
}
