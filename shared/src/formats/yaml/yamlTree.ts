import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, type CST, type Node, type Pair } from 'yaml';
import type { BuildNode as Building, SourceNode } from '../../policy/sourceTree';
import type { Problem } from '../../text/problem';

/** The tags YAML itself defines (`!!str`, `!!int`…): they resolve to values, not expressions. */
const STANDARD_TAG = 'tag:yaml.org,2002:';

/**
 * CloudFormation's short-form functions, declared so that the composer takes them as they are:
 * an unknown tag costs a warning, and each warning an error object with a stack trace.
 */
const CLOUDFORMATION_TAGS = ['Ref', 'Sub', 'GetAtt', 'Join', 'If', 'Select', 'Split', 'FindInMap', 'Base64', 'Cidr', 'ImportValue',
  'GetAZs', 'Equals', 'Not', 'And', 'Or', 'Condition', 'Transform', 'ToJsonString', 'Length'].flatMap((name) => (
  [undefined, 'seq', 'map'] as const).map((collection) => ({ tag: `!${name}`, collection, resolve: (value: unknown) => value })));

export interface YamlSource {
  readonly roots: SourceNode[];
  readonly syntaxErrors: Problem[];
}

/**
 * Reads a YAML text (CloudFormation or SAM templates, standalone policies) as source trees, one
 * root per document, with offsets into `text` as JavaScript counts them (a leading byte-order mark
 * included). Every tagged value (`!Sub`, `!GetAtt`, any `!Custom`) and every alias is an
 * `expression`: its value is not known statically, and it is never edited through.
 */
export function parseYamlSource(text: string): YamlSource {
  return parseBySections(text) ?? parseWhole(text);
}

/** The whole text in one parse: what the section-by-section reading must always agree with. */
export function parseWhole(text: string): YamlSource {
  // The CST is parsed once and composed from: the tag tokens are only in the CST, the values and
  // the errors only in the composed documents.
  const tokens = Array.from(new Parser().parse(text));
  const tags: CST.SourceToken[] = [];
  for (const token of tokens) collectTags(token, tags);
  tags.sort((a, b) => a.offset - b.offset);

  // Core schema (YAML 1.2): `Version: 2012-10-17` is a string. Other unknown tags are warnings, not errors.
  const composer = new Composer({ version: '1.2', schema: 'core', customTags: CLOUDFORMATION_TAGS });
  const docs = Array.from(composer.compose(tokens, false, text.length));
  const builder = new TreeBuilder(text, tags);
  const roots: SourceNode[] = [];
  const syntaxErrors: Problem[] = [];
  const report = (errors: readonly { pos: [number, number]; message: string }[]): void => {
    for (const e of errors) {
      const span = { offset: e.pos[0], length: Math.max(0, e.pos[1] - e.pos[0]) };
      syntaxErrors.push({ severity: 'error', code: 'yaml-syntax', message: e.message, span });
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

/**
 * Sections of the last texts read, by their text: a keystroke changes one resource of a template,
 * and the others are taken from here instead of being parsed again.
 */
const sections = new Map<string, SourceNode>();
const SECTION_CACHE_LIMIT = 4000;

/** A text that could be cut into sections wrongly (aliases, several documents, tabs, a mark) is parsed whole. */
const NOT_BY_SECTIONS = /^(?:---|\.\.\.|%|\t)|(?:^|[\s[{,])[&*][^\s,[\]{}]|^\uFEFF/m;

/**
 * Parses a template section by section: each top-level key, and each resource under `Resources`,
 * on its own. In a block mapping a line that starts at a key's column starts the next key, so the
 * sections are exactly the entries the whole parse would find; any section that does not parse
 * cleanly, or a text that is not a plain template, sends the reader back to the whole parse, which
 * also gives errors their best positions. Undefined when the text is not read this way.
 */
function parseBySections(text: string): YamlSource | undefined {
  if (text.length < 20_000 || NOT_BY_SECTIONS.test(text)) return undefined;
  const starts = sectionStarts(text);
  if (!starts) return undefined;
  const root: Building = { type: 'object', offset: starts.top[0]!, length: 0, children: [] };
  let resources: Building | undefined;
  const all = [
    ...starts.top.map((offset) => ({ offset, resource: false })),
    ...starts.resources.map((offset) => ({ offset, resource: true })),
  ].sort((a, b) => a.offset - b.offset);
  for (let i = 0; i < all.length; i++) {
    const { offset, resource } = all[i]!;
    if (offset === starts.resourcesKey) {
      const key: Building = { type: 'string', offset, length: 'Resources'.length, value: 'Resources' };
      const property: Building = { type: 'property', offset, length: 0, parent: root, children: [key] };
      resources = { type: 'object', offset: all[i + 1]!.offset, length: 0, parent: property, children: [] };
      key.parent = property;
      property.children!.push(resources);
      root.children!.push(property);
      continue;
    }
    const end = all[i + 1]?.offset ?? text.length;
    const parsed = section(text.slice(offset, end));
    if (!parsed) return undefined;
    const parent = resource ? resources! : root;
    for (const property of parsed.children ?? []) parent.children!.push(shifted(property, offset, parent));
  }
  const last = (node: Building): number => {
    const child = node.children?.at(-1);
    return child ? child.offset + child.length : node.offset;
  };
  resources!.offset = resources!.children![0]?.offset ?? resources!.offset;
  resources!.length = last(resources!) - resources!.offset;
  const property = resources!.parent as Building;
  property.length = resources!.offset + resources!.length - property.offset;
  root.length = last(root) - root.offset;
  // Keep the cache to about the sections of the texts being edited.
  if (sections.size > SECTION_CACHE_LIMIT) sections.clear();
  return { roots: [root], syntaxErrors: [] };
}

/**
 * Where each top-level key and each resource starts; undefined unless the text is a block mapping
 * with a `Resources:` key whose resources all sit at one column.
 */
function sectionStarts(text: string): { top: number[]; resources: number[]; resourcesKey: number } | undefined {
  const top: number[] = [];
  const resources: number[] = [];
  let resourcesKey = -1;
  let column = -1;
  for (let at = 0; at < text.length;) {
    let next = text.indexOf('\n', at);
    next = next < 0 ? text.length : next + 1;
    let indent = at;
    while (text[indent] === ' ') indent++;
    const first = text[indent];
    const significant = first !== undefined && first !== '#' && first !== '\n' && first !== '\r';
    if (significant) {
      if (indent === at) {
        if (!/[A-Za-z0-9_]/.test(first)) return undefined;
        top.push(at);
        if (/^Resources:[ \t]*(?:#.*)?\r?\n?$/.test(text.slice(at, next))) resourcesKey = at;
      } else if (top.at(-1) === resourcesKey && resourcesKey >= 0) {
        if (column < 0) column = indent - at;
        if (indent - at < column) return undefined;
        if (indent - at === column) {
          if (!/[A-Za-z0-9_]/.test(first)) return undefined;
          resources.push(at);
        }
      }
    }
    at = next;
  }
  return resourcesKey >= 0 && resources.length > 0 ? { top, resources, resourcesKey } : undefined;
}

/** One section parsed on its own: a mapping of the keys it holds, offsets relative to it; undefined if it is not clean. */
function section(text: string): SourceNode | undefined {
  let tree = sections.get(text);
  if (!tree) {
    const { roots, syntaxErrors } = parseWhole(text);
    if (syntaxErrors.length > 0 || roots.length !== 1 || roots[0]!.type !== 'object') return undefined;
    tree = roots[0]!;
    sections.set(text, tree);
  }
  return tree;
}

/** A copy of `node` moved by `delta`, under `parent`: cached sections stay as they were parsed. */
function shifted(node: SourceNode, delta: number, parent: SourceNode): SourceNode {
  const copy: Building = { type: node.type, offset: node.offset + delta, length: node.length, parent };
  if (node.value !== undefined) copy.value = node.value;
  if (node.children) copy.children = node.children.map((child) => shifted(child, delta, copy));
  return copy;
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
