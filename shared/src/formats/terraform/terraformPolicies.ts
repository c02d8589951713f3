import type { Tree } from 'web-tree-sitter';
import type { PolicyWriter } from '../../policy/policyWriter';
import { property, type SourceNode } from '../../policy/sourceTree';
import type { Problem } from '../../text/problem';
import { JsonWriter } from '../json/jsonWriter';
import type { PolicyContext, PolicySourceFile, SourcePolicy } from '../policySource';
import { Attachments, type ModuleFacts, moduleFacts } from './attachments';
import type { EmbeddedJson } from './embeddedJson';
import { heredocJson } from './heredocJson';
import { hclValue } from './hclExpression';
import { addressOf, attributesOf, blocksOf, copyHclTree, type HclBlock, type HclNode, hclSyntaxErrors, topBlocks } from './hclTree';
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
 */
export function readTerraform(text: string, tree: Tree, module: readonly TerraformFile[] = []): PolicySourceFile {
  const blocks = topBlocks(copyHclTree(tree, text), text);
  const facts = [moduleFacts(blocks, text), ...module.filter((m) => m.tree !== tree).map(cachedFacts)];
  const reader = new PolicyReader(text, new Attachments(facts));
  for (const block of blocks) reader.readBlock(block);
  return {
    format: 'terraform',
    text,
    policies: reader.policies.sort((a, b) => a.node.offset - b.node.offset),
    syntaxErrors: [...hclSyntaxErrors(tree, text), ...reader.jsonErrors],
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

class PolicyReader {
  readonly policies: SourcePolicy[] = [];
  readonly jsonErrors: Problem[] = [];
  private hclListWriter?: JsonWriter;
  private heredocWriter?: JsonWriter;
  private blockWriter?: HclBlockWriter;

  constructor(private readonly text: string, private readonly attachments: Attachments) {}

  readBlock(block: HclBlock): void {
    const address = addressOf(block);
    const type = block.labels[0];
    if (!address || !type) return;
    if (block.type === 'resource' && POLICY_RESOURCES.has(type)) {
      this.readPolicyAttribute(block.body, address);
    } else if (block.type === 'resource' && type === 'aws_iam_role') {
      // `assume_role_policy` is a trust policy: never read. Inline policies are the role's own.
      for (const inline of blocksOf(block.body, this.text)) {
        if (inline.type === 'inline_policy') this.readPolicyAttribute(inline.body, address);
      }
    } else if (block.type === 'data' && type === 'aws_iam_policy_document' && !this.attachments.isTrustDocument(address)) {
      const document = readPolicyDocumentBlock(block, this.text);
      if (!document || document.namesPrincipals) return;
      this.blockWriter ??= new HclBlockWriter(this.text);
      const { node, statementNode, anchor } = document;
      this.policies.push({ node, statementNode, anchor, defaultEffect: 'Allow', writer: this.blockWriter, context: this.context(address) });
    }
  }

  private context(address: string): PolicyContext {
    return { resourceId: address, principals: this.attachments.principalsOf(address) };
  }

  /** The `policy` attribute of a body, in whichever of the three forms Terraform can be given JSON. */
  private readPolicyAttribute(body: HclNode | undefined, address: string): void {
    const n = attributesOf(body, this.text).get('policy')?.value;
    if (!n) return;
    if (n.type === 'function_call') {
      this.readJsonencode(n, address);
    } else if (n.type === 'template_expr' && n.children[0]?.type === 'heredoc_template') {
      const json = heredocJson(n.children[0], this.text);
      this.heredocWriter ??= new JsonWriter(this.text);
      if (json) this.addEmbedded(json, this.heredocWriter, address);
    } else if (n.type === 'string_lit' || (n.type === 'template_expr' && n.children[0]?.type === 'quoted_template')) {
      const quoted = quotedJson(n.type === 'string_lit' ? n : n.children[0]!, this.text);
      if (quoted) this.addEmbedded(quoted.json, quoted.writer, address);
    }
  }

  /** `jsonencode({ Version = …, Statement = […] })`: the object, as HCL writes it. */
  private readJsonencode(call: HclNode, address: string): void {
    const [name, args] = call.children;
    if (!name || this.text.slice(name.start, name.end) !== 'jsonencode' || args?.type !== 'function_arguments') return;
    const object = args.children.length === 1 ? args.children[0] : undefined;
    if (object?.type !== 'object') return;
    this.hclListWriter ??= new JsonWriter(this.text, HCL_LINE_COMMENTS);
    this.add(hclValue(object, this.text), this.hclListWriter, address);
  }

  private addEmbedded(json: EmbeddedJson, writer: PolicyWriter, address: string): void {
    // JSON that only parses once Terraform fills in its templates says nothing for certain.
    if (json.templated) return;
    this.jsonErrors.push(...json.errors);
    if (json.root) this.add(json.root, writer, address);
  }

  /** A policy object: one with a `Statement`, whatever that holds (an expression is reported as such). */
  private add(node: SourceNode, writer: PolicyWriter, address: string): void {
    if (node.type !== 'object') return;
    const statementNode = property(node, 'Statement');
    if (!statementNode) return;
    const anchor = statementNode.parent?.children?.[0] ?? statementNode;
    this.policies.push({ node, statementNode, anchor, writer, context: this.context(address) });
  }
}
