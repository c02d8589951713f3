import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, type CST, type Node, type Pair } from 'yaml';
import type { SourceNode } from '../../policy/sourceTree';
import type { Problem } from '../../text/problem';

/** A node while it is being built: `SourceNode` is read-only for its readers. */
interface Building {
  type: SourceNode['type'];
  offset: number;
  length: number;
  parent?: SourceNode;
  children?: SourceNode[];
  value?: unknown;
}

/** The tags YAML itself defines (`!!str`, `!!int`…): they resolve to values, not expressions. */
const STANDARD_TAG = 'tag:yaml.org,2002:';

/**
 * Reads a YAML text (CloudFormation or SAM templates, standalone policies) as source trees, one
 * root per document, with offsets into `text` as JavaScript counts them (a leading byte-order mark
 * included). Every tagged value (`!Sub`, `!GetAtt`, any `!Custom`) and every alias is an
 * `expression`: its value is not known statically, and it is never edited through.
 */
export function parseYamlSource(text: string): { roots: SourceNode[]; syntaxErrors: Problem[] } {
  // The CST is parsed once and composed from: the tag tokens are only in the CST, the values and
  // the errors only in the composed documents.
  const tokens = Array.from(new Parser().parse(text));
  const tags: CST.SourceToken[] = [];
  for (const token of tokens) collectTags(token, tags);
  tags.sort((a, b) => a.offset - b.offset);

  // Core schema (YAML 1.2): `Version: 2012-10-17` is a string. Unknown tags are warnings, not errors.
  const composer = new Composer({ version: '1.2', schema: 'core' });
  const docs = Array.from(composer.compose(tokens, false, text.length));
  const builder = new TreeBuilder(text, tags);
  const roots: SourceNode[] = [];
  const syntaxErrors: Problem[] = [];
  const report = (errors: readonly { pos: [number, number]; message: string }[]): void => {
    for (const e of errors) {
      syntaxErrors.push({ severity: 'error', code: 'yaml-syntax', message: e.message, span: { offset: e.pos[0], length: Math.max(0, e.pos[1] - e.pos[0]) } });
    }
  };
  for (const doc of docs) {
    const contents = doc.contents as Node | null;
    roots.push(contents ? builder.node(contents, undefined) : builder.leaf('null', doc.range[0], 0, null, undefined));
    report(doc.errors);
  }
  if (docs.length === 0) report(composer.streamInfo().errors);
  return { roots, syntaxErrors };
}

/** All `!tag` tokens of a CST token, wherever the CST keeps them (item starts, separators, props). */
function collectTags(token: CST.Token | CST.SourceToken | CST.CollectionItem | undefined | null, out: CST.SourceToken[]): void {
  if (!token) return;
  if ('type' in token) {
    if (token.type === 'tag') {
      out.push(token as CST.SourceToken);
      return;
    }
    if (token.type === 'document') {
      for (const t of token.start) collectTags(t, out);
      collectTags(token.value, out);
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      for (const item of token.items) collectTags(item, out);
    } else if (token.type === 'block-scalar') {
      for (const t of token.props) collectTags(t, out);
    }
    return;
  }
  for (const t of token.start) collectTags(t, out);
  collectTags(token.key, out);
  for (const t of token.sep ?? []) collectTags(t, out);
  collectTags(token.value, out);
}

class TreeBuilder {
  constructor(
    private readonly text: string,
    /** Tag tokens, by offset. */
    private readonly tags: readonly CST.SourceToken[],
  ) {}

  leaf(type: SourceNode['type'], offset: number, length: number, value: unknown, parent: SourceNode | undefined): SourceNode {
    const node: Building = { type, offset, length, value };
    if (parent) node.parent = parent;
    return node;
  }

  node(yaml: Node, parent: SourceNode | undefined): SourceNode {
    const [start] = yaml.range!;
    if (isAlias(yaml)) return this.leaf('expression', start, this.end(yaml) - start, `*${yaml.source}`, parent);
    if (yaml.tag !== undefined && !yaml.tag.startsWith(STANDARD_TAG)) {
      // The tag is the nearest tag token before the value: only the value's own props lie between.
      const tag = this.tagBefore(start);
      const offset = tag?.offset ?? start;
      return this.leaf('expression', offset, this.end(yaml) - offset, tag?.source ?? yaml.tag, parent);
    }
    if (isMap(yaml) || isSeq(yaml)) {
      const node: Building = { type: isMap(yaml) ? 'object' : 'array', offset: start, length: this.end(yaml) - start, children: [] };
      if (parent) node.parent = parent;
      for (const item of yaml.items as unknown[]) {
        if (isPair(item)) {
          const property = this.property(item, node);
          // `[a: b]`: a pair in a sequence is a one-entry mapping.
          node.children!.push(node.type === 'object' ? property : this.wrap(property, node));
        } else {
          node.children!.push(this.node(item as Node, node));
        }
      }
      return node;
    }
    if (isScalar(yaml)) {
      const length = this.end(yaml) - start;
      const v = yaml.value;
      if (v === null) return this.leaf('null', start, length, null, parent);
      if (typeof v === 'boolean') return this.leaf('boolean', start, length, v, parent);
      if (typeof v === 'number' || typeof v === 'bigint') return this.leaf('number', start, length, v, parent);
      if (typeof v === 'string') return this.leaf('string', start, length, v, parent);
      // Values of other schemas (a `%YAML 1.1` timestamp): the text as written.
      return this.leaf('string', start, length, this.text.slice(start, start + length), parent);
    }
    return this.leaf('null', start, 0, null, parent);
  }

  private property(pair: Pair, parent: SourceNode): SourceNode {
    const key = pair.key as Node | null;
    const value = pair.value as Node | null;
    const node: Building = { type: 'property', offset: 0, length: 0, parent, children: [] };
    const keyStart = key?.range?.[0] ?? value?.range?.[0] ?? parent.offset;
    const keyEnd = key ? this.end(key) : keyStart;
    const keyNode = this.leaf('string', keyStart, keyEnd - keyStart, this.keyText(key), node);
    // A pair without a value (`{ a }`, `? a`) reads as `a: null`.
    const valueNode = value ? this.node(value, node) : this.leaf('null', keyEnd, 0, null, node);
    node.offset = keyStart;
    node.length = Math.max(keyEnd, valueNode.offset + valueNode.length) - keyStart;
    node.children!.push(keyNode, valueNode);
    return node;
  }

  private wrap(property: SourceNode, parent: SourceNode): SourceNode {
    const node: Building = { type: 'object', offset: property.offset, length: property.length, parent, children: [property] };
    (property as Building).parent = node;
    return node;
  }

  private keyText(key: Node | null): string {
    if (!key) return '';
    if (isScalar(key) && typeof key.value === 'string') return key.value;
    if (isAlias(key)) return `*${key.source}`;
    const [start] = key.range!;
    return this.text.slice(start, this.end(key));
  }

  /** Where a node's value ends: after its last character, not after the comments and line breaks that follow it. */
  private end(yaml: Node): number {
    if ((isMap(yaml) || isSeq(yaml)) && !yaml.flow) {
      const last = yaml.items.at(-1) as unknown;
      if (isPair(last)) {
        const value = last.value as Node | null;
        if (value) return this.end(value);
        if (last.key) return this.end(last.key as Node);
      } else if (last) {
        return this.end(last as Node);
      }
    }
    const [start, valueEnd] = yaml.range!;
    let end = valueEnd;
    // Block scalars include their final line break and trailing blank lines.
    while (end > start && /\s/.test(this.text[end - 1]!)) end--;
    return end;
  }

  private tagBefore(offset: number): CST.SourceToken | undefined {
    let lo = 0;
    let hi = this.tags.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tags[mid]!.offset < offset) lo = mid + 1;
      else hi = mid;
    }
    return this.tags[lo - 1];
  }
}
