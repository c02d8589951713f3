import type { PolicyWriter } from '../../policy/policyWriter';
import type { SourceNode } from '../../policy/sourceTree';
import type { TextEdit } from '../../text/textEdit';
import { JsonWriter } from '../json/jsonWriter';

/** How a scalar is written: new values take the style of the values they replace or join. */
type Style = 'plain' | 'single' | 'double';

/**
 * Edits YAML lists in place, for nodes read by `parseYamlSource` from the same text. Block lists
 * stay block lists (`- item` lines at the list's own columns), flow lists stay flow lists
 * (`[a, b]`, with their own separators and lines), and everything not edited stays byte-identical.
 *
 * Comment ownership: a comment on an item's line, and comment lines below it indented deeper than
 * its dash, belong to the item. A removed statement also takes the comment lines directly above
 * it at its dash's column (they describe it); a removed list entry leaves them, as the JSON writer
 * leaves a comment line above an entry.
 */
export class YamlWriter implements PolicyWriter {
  private readonly layout: Layout;
  /** Per document root: the indentation steps it uses, found once. */
  private readonly steps = new WeakMap<SourceNode, DocumentSteps>();

  /** Flow sequences are laid out like JSON arrays, with YAML's comments and quoting. */
  private readonly flow: JsonWriter;

  constructor(text: string) {
    const l = new Layout(text);
    this.layout = l;
    this.flow = new JsonWriter(text, ['#'],
      (value, like, list) => quote(value, like ? styleOf(l, like) : commonStyle(l, list.children ?? []), true));
  }

  editList(list: SourceNode, changes: ReadonlyMap<number, readonly string[]>): TextEdit[] {
    if (list.type !== 'array') return [];
    return this.layout.isFlow(list) ? this.flow.editList(list, changes) : this.blockEdits(list, changes, false);
  }

  appendToList(list: SourceNode, values: readonly string[]): TextEdit[] {
    const l = this.layout;
    if (values.length === 0 || list.type !== 'array') return [];
    const items = list.children ?? [];
    const style = commonStyle(l, items);
    if (!l.isFlow(list) && items.length > 0) {
      // New lines go after everything that belongs to the last item, in its layout.
      const i = items.length - 1;
      const { prefix, next } = this.blockItem(list, i, false);
      const lines = values.map((v) => prefix + quote(v, style, false));
      if (next === l.text.length && !/[\r\n]$/.test(l.text)) {
        return [{ offset: next, length: 0, newText: lines.map((line) => l.eol + line).join('') }];
      }
      return [{ offset: next, length: 0, newText: lines.map((line) => line + l.eol).join('') }];
    }
    // An empty flow list stays on its line, whatever the statement's layout.
    if (items.length === 0) {
      return [{ offset: list.offset, length: list.length, newText: `[${values.map((v) => quote(v, style, true)).join(', ')}]` }];
    }
    return this.flow.appendToList(list, values);
  }

  replaceScalar(scalar: SourceNode, statement: SourceNode, values: readonly string[], keepOriginal: boolean): TextEdit[] {
    const l = this.layout;
    const style = styleOf(l, scalar);
    const original = l.slice(scalar);
    const count = values.length + (keepOriginal ? 1 : 0);
    const property = scalar.parent?.type === 'property' ? scalar.parent : undefined;
    const colon = property && !l.inFlow(scalar) ? l.colonAfter(property) : undefined;
    // A block list takes the place of what follows the colon, which must be only white space: an
    // anchor or a comment there stays, and the list is written in flow style after it.
    const block = count > 1 && colon !== undefined && l.text.slice(colon + 1, scalar.offset).trim() === '';
    const flow = !block && (count > 1 || l.inFlow(scalar));
    const items = values.map((v) => quote(v, style, flow));
    if (keepOriginal) {
      // Verbatim, unless its text could not stand as an entry: a multi-line scalar would lose its
      // indentation, a plain one with flow indicators would split inside brackets.
      const verbatim = !/[\r\n]/.test(original) && (style !== 'plain' || plainSafe(original, flow));
      items.unshift(verbatim ? original : quote(typeof scalar.value === 'string' ? scalar.value : original, style, flow));
    }
    // An `Action` given as a string stays a string unless the replacement needs several.
    if (!block) {
      const newText = items.length === 1 ? items[0]! : `[${items.join(', ')}]`;
      return [{ offset: scalar.offset, length: scalar.length, newText }];
    }
    const dash = ' '.repeat(l.column(property!.offset) + this.sequenceStep(statement)) + '- ';
    const newText = items.map((item) => l.eol + dash + item).join('');
    return [{ offset: colon! + 1, length: scalar.offset + scalar.length - colon! - 1, newText }];
  }

  removeStatements(container: SourceNode, statements: readonly SourceNode[]): TextEdit[] {
    if (container.type !== 'array') return [];
    const children = container.children ?? [];
    const changes = new Map<number, string[]>();
    for (const s of statements) {
      const index = children.indexOf(s);
      if (index >= 0) changes.set(index, []);
    }
    if (changes.size === 0) return [];
    return this.layout.isFlow(container) ? this.flow.editList(container, changes) : this.blockEdits(container, changes, true);
  }

  /** A block item: where its lines start and end, and how a new item next to it starts. */
  private blockItem(
    list: SourceNode,
    i: number,
    withComments: boolean,
  ): { dash: number; shared: boolean; start: number; next: number; prefix: string } {
    const l = this.layout;
    const node = list.children![i]!;
    // All dashes of a block sequence share the first one's column; only white space, a tag, an
    // anchor or a comment stand between a dash and its value, none of them a `- ` at that column.
    const column = l.column(list.offset);
    let dash = node.offset - 1;
    while (dash > list.offset && !(l.text[dash] === '-' && l.column(dash) === column && /\s/.test(l.text[dash + 1] ?? ' '))) dash--;
    if (dash < list.offset) dash = list.offset;
    const gap = l.text.slice(dash + 1, node.offset);
    const prefix = ' '.repeat(column) + '-' + (/^[ ]+$/.test(gap) ? gap : ' ');

    // `- - a`: the first item of a nested sequence shares its line with the outer dash.
    const ownLine = l.startsLine(dash);
    let start = ownLine ? l.lineStart(dash) : dash;
    if (ownLine && withComments) {
      while (start > 0) {
        const above = l.lineStart(start - 1);
        if (l.commentColumn(above) !== column) break;
        start = above;
      }
    }
    let next = l.nextLine(node.offset + node.length);
    while (next < l.text.length && (l.commentColumn(next) ?? -1) > column) next = l.nextLine(next);
    return { dash, shared: !ownLine, start, next, prefix };
  }

  private blockEdits(list: SourceNode, changes: ReadonlyMap<number, readonly string[]>, statements: boolean): TextEdit[] {
    const l = this.layout;
    const items = list.children ?? [];
    const edits: TextEdit[] = [];
    for (const [i, values] of changes) {
      const node = items[i];
      if (!node || values.length === 0) continue;
      const { prefix } = this.blockItem(list, i, false);
      const style = styleOf(l, node);
      edits.push({ offset: node.offset, length: node.length, newText: values.map((v) => quote(v, style, false)).join(l.eol + prefix) });
    }
    const removed = (i: number): boolean => changes.get(i)?.length === 0;
    const removals = items.map((_, i) => i).filter(removed);
    if (removals.length === 0) return edits;
    if (removals.length === items.length) return this.emptyBlock(list, statements);

    const ranges: [number, number][] = [];
    for (const i of removals) {
      const item = this.blockItem(list, i, statements);
      if (item.shared) {
        // `- - a`: the next kept item moves up onto the shared line.
        let k = i + 1;
        while (removed(k)) k++;
        ranges.push([item.dash, this.blockItem(list, k, false).dash]);
      } else {
        ranges.push([item.start, item.next]);
      }
    }
    const listStart = this.blockItem(list, 0, statements).start;
    for (const [start, next] of mergeRanges(ranges)) {
      let end = next;
      // Blank lines keep separating items one at a time: removed items take the blank line after
      // them when they open the list or a blank line is already above them.
      const blankAbove = start === listStart || (start > 0 && l.isBlankLine(l.lineStart(start - 1)));
      if (blankAbove && l.startsLine(start) && end < l.text.length && l.isBlankLine(end)) end = l.nextLine(end);
      // A last line without a line break goes with the line break before it.
      const from = end === l.text.length && start > 0 && !/[\r\n]$/.test(l.text) && l.startsLine(start) ? l.previousLineEnd(start) : start;
      edits.push({ offset: from, length: end - from, newText: '' });
    }
    return edits;
  }

  /** Every item removed: the value must stay a list, `[]`, not become null. */
  private emptyBlock(list: SourceNode, statements: boolean): TextEdit[] {
    const l = this.layout;
    const items = list.children ?? [];
    const first = this.blockItem(list, 0, statements);
    const last = this.blockItem(list, items.length - 1, statements);
    const property = list.parent?.type === 'property' ? list.parent : undefined;
    const colon = property ? l.colonAfter(property) : undefined;
    if (colon !== undefined && !first.shared) {
      return [
        { offset: colon + 1, length: 0, newText: ' []' },
        { offset: first.start, length: last.next - first.start, newText: '' },
      ];
    }
    const lastNode = items.at(-1)!;
    return [{ offset: list.offset, length: lastNode.offset + lastNode.length - list.offset, newText: '[]' }];
  }

  /** Flow lists are laid out like JSON arrays: the JSON writer's rules, with YAML's quoting. */


  /**
   * How far right of its key a new block sequence's dashes go: as the statement's own block
   * sequences do, else as most of the document's, else one step of its mappings, else 2. Zero
   * when the document writes its sequences "indentless", dashes under the key.
   */
  private sequenceStep(statement: SourceNode): number {
    const own = stepsOf(this.layout, statement);
    if (own.sequence.size > 0) return mostCommon(own.sequence);
    let root = statement;
    while (root.parent) root = root.parent;
    let doc = this.steps.get(root);
    if (!doc) this.steps.set(root, (doc = stepsOf(this.layout, root)));
    if (doc.sequence.size > 0) return mostCommon(doc.sequence);
    if (own.mapping.size > 0) return mostCommon(own.mapping);
    if (doc.mapping.size > 0) return mostCommon(doc.mapping);
    return 2;
  }
}

/** Counts of indentation steps: from a key to its block sequence's dashes, and to its block mapping's keys. */
interface DocumentSteps {
  sequence: Map<number, number>;
  mapping: Map<number, number>;
}

function stepsOf(l: Layout, root: SourceNode): DocumentSteps {
  const steps: DocumentSteps = { sequence: new Map(), mapping: new Map() };
  const count = (map: Map<number, number>, step: number): void => void map.set(step, (map.get(step) ?? 0) + 1);
  const visit = (node: SourceNode): void => {
    for (const child of node.children ?? []) {
      const value = child.type === 'property' ? child.children?.[1] : undefined;
      if (value && (value.type === 'array' || value.type === 'object') && !l.isFlow(value) && l.startsLine(value.offset)) {
        const step = l.column(value.offset) - l.column(child.offset);
        if (value.type === 'array') count(steps.sequence, step);
        else if (step > 0) count(steps.mapping, step);
      }
      visit(child);
    }
  };
  visit(root);
  return steps;
}

function mostCommon(counts: ReadonlyMap<number, number>): number {
  let best = 0;
  let most = 0;
  for (const [step, n] of counts) {
    if (n > most) [best, most] = [step, n];
  }
  return best;
}

function mergeRanges(ranges: readonly [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function styleOf(l: Layout, node: SourceNode): Style {
  if (node.type !== 'string') return 'plain';
  const c = l.text[node.offset];
  return c === "'" ? 'single' : c === '"' ? 'double' : 'plain';
}

/** The style most of a list's strings use; on a tie, the later one's. */
function commonStyle(l: Layout, items: readonly SourceNode[]): Style {
  const counts = new Map<Style, number>();
  let best: Style = 'plain';
  for (const item of items) {
    if (item.type !== 'string') continue;
    const style = styleOf(l, item);
    const n = (counts.get(style) ?? 0) + 1;
    counts.set(style, n);
    if (n >= (counts.get(best) ?? 0)) best = style;
  }
  return best;
}

function quote(value: string, style: Style, flow: boolean): string {
  // JSON's string escapes are all YAML double-quoted escapes.
  if (style === 'double') return JSON.stringify(value);
  if (style === 'single' || !plainSafe(value, flow)) return `'${value.replaceAll("'", "''")}'`;
  return value;
}

/**
 * Scalars that would not read back as themselves when plain: null, booleans (YAML 1.1's too, as
 * older parsers read them), anything that starts like a number (numbers, dates, sexagesimals).
 */
const NULL_OR_BOOLEAN = /~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF/;
const VALUE_OR_MERGE_KEY = /=|<</;
const NUMBER_LIKE = /[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?\.?[0-9].*/;
const NOT_A_STRING = new RegExp(`^(?:${NULL_OR_BOOLEAN.source}|${VALUE_OR_MERGE_KEY.source}|${NUMBER_LIKE.source})$`, 's');

/** Whether `value` reads back as the same string when written plain, in block or flow context. */
function plainSafe(value: string, flow: boolean): boolean {
  if (value === '' || value !== value.trim() || NOT_A_STRING.test(value)) return false;
  // Control characters, line breaks and the byte order mark cannot be written plain.
  // eslint-disable-next-line no-control-regex -- the control characters are what this test looks for
  if (/[\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(value)) return false;
  // Indicators: these start something else than a plain scalar.
  if (/^[[\]{},#&*!|>'"%@`]/.test(value)) return false;
  if (/^[-?:](?:\s|$)/.test(value)) return false;
  if (/:(?:\s|$)|\s#/.test(value)) return false;
  return !(flow && /[,[\]{}]/.test(value));
}

/** Reads the text around nodes: lines, columns, comments, separators. */
class Layout {
  readonly eol: string;

  constructor(readonly text: string) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  slice(node: SourceNode): string {
    return this.text.slice(node.offset, node.offset + node.length);
  }

  isFlow(node: SourceNode): boolean {
    const c = this.text[node.offset];
    return (node.type === 'array' && c === '[') || (node.type === 'object' && c === '{');
  }

  /** Inside a flow collection, where `,[]{}` end a plain scalar and block lists cannot be. */
  inFlow(node: SourceNode): boolean {
    for (let n = node.parent; n; n = n.parent) if (this.isFlow(n)) return true;
    return false;
  }

  lineStart(offset: number): number {
    let i = offset;
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    return i;
  }

  lineEnd(offset: number): number {
    let i = offset;
    while (i < this.text.length && this.text[i] !== '\n' && this.text[i] !== '\r') i++;
    return i;
  }

  /** The start of the line after `offset`'s, or the end of the text. */
  nextLine(offset: number): number {
    let i = this.lineEnd(offset);
    if (this.text[i] === '\r') i++;
    if (this.text[i] === '\n') i++;
    return i;
  }

  /** Where the line before the line starting at `start` ends (its line break's start). */
  previousLineEnd(start: number): number {
    let i = start;
    if (this.text[i - 1] === '\n') i--;
    if (this.text[i - 1] === '\r') i--;
    return i;
  }

  column(offset: number): number {
    const start = this.lineStart(offset);
    // A byte-order mark takes no column.
    return offset - start - (start === 0 && this.text.startsWith('\ufeff') && offset > 0 ? 1 : 0);
  }

  indentAt(offset: number): string {
    const start = this.lineStart(offset);
    let end = start;
    while (this.text[end] === ' ' || this.text[end] === '\t') end++;
    return this.text.slice(start, end);
  }

  startsLine(offset: number): boolean {
    return this.text.slice(this.lineStart(offset), offset).trim() === '';
  }

  isBlankLine(start: number): boolean {
    return this.text.slice(start, this.lineEnd(start)).trim() === '';
  }

  /** The column of the `#` of a line that holds only a comment; undefined for other lines. */
  commentColumn(start: number): number | undefined {
    const i = skipBlanks(this.text, start);
    return this.text[i] === '#' ? i - start : undefined;
  }

  /** Where the `:` after a property's key is, if it directly follows the key. */
  colonAfter(property: SourceNode): number | undefined {
    const key = property.children?.[0];
    if (!key) return undefined;
    const i = skipBlanks(this.text, key.offset + key.length);
    return this.text[i] === ':' ? i : undefined;
  }
}

function skipBlanks(t: string, i: number): number {
  while (t[i] === ' ' || t[i] === '\t') i++;
  return i;
}
