import type { Node as JsonNode } from 'jsonc-parser';
import type { PolicyWriter } from '../../policy/policyWriter';
import type { SourceNode } from '../../policy/sourceTree';
import type { TextEdit } from '../../text/textEdit';
import { JsonWriter } from '../json/jsonWriter';
import { type EmbeddedJson, parseEmbeddedJson } from './embeddedJson';
import { decodeWithOffsets, encodeHclString, type Stretch } from './hclString';
import type { HclNode } from './hclTree';

/**
 * The JSON of a quoted string (`policy = "{\"Version\": …}"`): decoded with a map from each
 * decoded unit to its place in the Terraform text, parsed, and mapped back, so that every node
 * spans its exact source text (escapes included). `${…}` holes are masked like a heredoc's.
 */
export function quotedJson(node: HclNode, text: string): { json: EmbeddedJson; writer: PolicyWriter } | undefined {
  if (node.type !== 'string_lit' && node.type !== 'quoted_template') return undefined;
  if (text[node.start] !== '"' || text[node.end - 1] !== '"' || node.end - node.start < 2) return undefined;
  const holes: Stretch[] = node.children
    .filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive')
    .map((c) => ({ start: c.start, end: c.end }));
  const decoded = decodeWithOffsets(text, node.start + 1, node.end - 1, holes);
  const offsets = decoded.offsets;
  const json = parseEmbeddedJson({ text: decoded.text, holes: decoded.holes, toSource: (i) => offsets[i]! }, text);
  return { json, writer: new QuotedJsonWriter(json, offsets) };
}

/**
 * Edits the JSON of a quoted string: a `JsonWriter` works on the decoded JSON, and each of its
 * edits is mapped back to the Terraform text, its new text escaped for a quoted string (`\"`,
 * `\\`, `\n`, and `$${` so that nothing new becomes a template).
 */
export class QuotedJsonWriter implements PolicyWriter {
  private readonly inner: JsonWriter;

  constructor(private readonly json: EmbeddedJson, private readonly offsets: readonly number[]) {
    this.inner = new JsonWriter(json.masked);
  }

  editList(list: SourceNode, changes: ReadonlyMap<number, readonly string[]>): TextEdit[] {
    return this.toSource(this.inner.editList(this.parsed(list), changes));
  }

  appendToList(list: SourceNode, values: readonly string[]): TextEdit[] {
    return this.toSource(this.inner.appendToList(this.parsed(list), values));
  }

  replaceScalar(scalar: SourceNode, statement: SourceNode, values: readonly string[], keepOriginal: boolean): TextEdit[] {
    return this.toSource(this.inner.replaceScalar(this.parsed(scalar), this.parsed(statement), values, keepOriginal));
  }

  removeStatements(container: SourceNode, statements: readonly SourceNode[]): TextEdit[] {
    return this.toSource(this.inner.removeStatements(this.parsed(container), statements.map((s) => this.parsed(s))));
  }

  /** The decoded node a source node was made from: the writer only edits the policy it was made for. */
  private parsed(node: SourceNode): JsonNode {
    const parsed = this.json.parsedNodes.get(node);
    if (!parsed) throw new Error('QuotedJsonWriter: the node is not part of this quoted policy.');
    return parsed;
  }

  private toSource(edits: readonly TextEdit[]): TextEdit[] {
    return edits.map((e) => {
      const offset = this.offsets[e.offset]!;
      return { offset, length: this.offsets[e.offset + e.length]! - offset, newText: encodeHclString(e.newText) };
    });
  }
}
