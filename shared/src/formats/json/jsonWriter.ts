import type { PolicyWriter } from '../../policy/policyWriter';
import type { SourceNode } from '../../policy/sourceTree';
import type { TextEdit } from '../../text/textEdit';
import { JsonLayout } from './jsonLayout';

/**
 * How a new value is written: like `like`, the element it replaces, or like the list's others. JSON
 * and HCL write every value as a JSON string; YAML keeps the quoting of what is there.
 */
export type Quote = (value: string, like: SourceNode | undefined, list: SourceNode) => string;

/**
 * Edits JSON lists in place. Also serves HCL, whose lists (`["a", "b"]`) and statement tuples are
 * laid out like JSON's, and YAML's flow sequences (`[a, 'b']`): pass their comment starts and, for
 * YAML, their quoting.
 */
export class JsonWriter implements PolicyWriter {
  private readonly layout: JsonLayout;

  constructor(text: string, lineComments: readonly string[] = ['//'], private readonly quote: Quote = (value) => JSON.stringify(value)) {
    this.layout = new JsonLayout(text, lineComments);
  }

  editList(list: SourceNode, changes: ReadonlyMap<number, readonly string[]>): TextEdit[] {
    return arrayEdits(this.layout, list, changes, this.quote);
  }

  appendToList(list: SourceNode, values: readonly string[]): TextEdit[] {
    const layout = this.layout;
    if (values.length === 0) return [];
    const quoted = values.map((v) => this.quote(v, undefined, list));
    const last = list.children?.at(-1);
    // An empty list is laid out like the statement that holds it (list → property → statement).
    if (!last) {
      return [{ offset: list.offset, length: list.length, newText: formatArray(layout, list.parent?.parent ?? list, list, quoted) }];
    }
    const end = last.offset + last.length;
    const tail = layout.tail(end);
    if (layout.startsLine(last) && tail.endsLine) {
      // Insert after the line's comment, so that a comment stays with the entry it was written for.
      const indent = layout.indentAt(last.offset);
      const hasTrailingComma = tail.comma !== undefined;
      const lines = quoted.map((q) => layout.eol + indent + q).join(',') + (hasTrailingComma ? ',' : '');
      const edits: TextEdit[] = [{ offset: tail.eol, length: 0, newText: lines }];
      if (!hasTrailingComma) edits.unshift({ offset: end, length: 0, newText: ',' });
      return edits;
    }
    const sep = layout.inlineSeparator(list);
    return [{ offset: end, length: 0, newText: quoted.map((q) => sep + q).join('') }];
  }

  replaceScalar(scalar: SourceNode, statement: SourceNode, values: readonly string[], keepOriginal: boolean): TextEdit[] {
    const layout = this.layout;
    const items = values.map((v) => this.quote(v, scalar, scalar));
    if (keepOriginal) items.unshift(layout.text.slice(scalar.offset, scalar.offset + scalar.length));
    // An `Action` given as a string stays a string unless the replacement needs several.
    const newText = items.length === 1 ? items[0]! : formatArray(layout, statement, scalar, items);
    return [{ offset: scalar.offset, length: scalar.length, newText }];
  }

  removeStatements(container: SourceNode, statements: readonly SourceNode[]): TextEdit[] {
    const children = container.children ?? [];
    const changes = new Map<number, string[]>();
    for (const s of statements) {
      const index = children.indexOf(s);
      if (index >= 0) changes.set(index, []);
    }
    return changes.size > 0 ? arrayEdits(this.layout, container, changes, this.quote) : [];
  }
}

/**
 * Replaces and removes elements of an array. `changes` maps an element's index to what replaces it
 * (empty: remove it). An element alone on its line(s) is removed with its line, comment included;
 * otherwise with the separator next to it.
 */
function arrayEdits(layout: JsonLayout, array: SourceNode, changes: ReadonlyMap<number, readonly string[]>, quote: Quote): TextEdit[] {
  const items = array.children ?? [];
  const end = (i: number): number => items[i]!.offset + items[i]!.length;
  const removed = (i: number): boolean => changes.get(i)?.length === 0;
  const edits: TextEdit[] = [];

  for (const [i, replacement] of changes) {
    if (replacement.length === 0) continue;
    const node = items[i]!;
    const sep = layout.startsLine(node) ? `,${layout.eol}${layout.indentAt(node.offset)}` : layout.inlineSeparator(array);
    edits.push({ offset: node.offset, length: node.length, newText: replacement.map((r) => quote(r, node, array)).join(sep) });
  }

  const removals = [...changes.keys()].filter(removed).sort((a, b) => a - b);
  if (removals.length === 0) return edits;
  const lastKept = items.findLastIndex((_, i) => !removed(i));
  const byLine = removals.every((i) => layout.startsLine(items[i]!) && layout.tail(end(i)).endsLine);
  if (byLine) {
    for (const i of removals) {
      const start = layout.lineStart(items[i]!.offset);
      edits.push({ offset: start, length: layout.tail(end(i)).next - start, newText: '' });
    }
    // The new last element must not keep a comma the old last one did not have.
    if (removed(items.length - 1) && lastKept >= 0) {
      const trailing = layout.text[layout.nextToken(end(items.length - 1))] === ',';
      const comma = layout.nextToken(end(lastKept));
      if (!trailing && layout.text[comma] === ',') edits.push({ offset: comma, length: 1, newText: '' });
    }
    return edits;
  }
  if (lastKept < 0) {
    // All of them, a trailing comma included: `[]`.
    const after = layout.nextToken(end(items.length - 1));
    const stop = layout.text[after] === ',' ? after + 1 : end(items.length - 1);
    return [{ offset: items[0]!.offset, length: stop - items[0]!.offset, newText: '' }];
  }
  // Runs of neighbouring removed elements go together: with the separator after them, or, at the
  // end of the array, with the separator before them.
  for (let r = 0; r < removals.length; r++) {
    const first = removals[r]!;
    let last = first;
    while (removals[r + 1] === last + 1) last = removals[++r]!;
    if (last < items.length - 1) {
      edits.push({ offset: items[first]!.offset, length: items[last + 1]!.offset - items[first]!.offset, newText: '' });
    } else if (first > 0) {
      edits.push({ offset: end(first - 1), length: end(last) - end(first - 1), newText: '' });
    }
  }
  return edits;
}

/** A new array in place of `value`: on its own lines when `statement` is, else on one line. */
function formatArray(layout: JsonLayout, statement: SourceNode, value: SourceNode, quoted: readonly string[]): string {
  if (!layout.spansLines(statement)) return `[${quoted.join(', ')}]`;
  const holder = value.parent?.type === 'property' ? value.parent : value;
  const indent = layout.indentAt(holder.offset);
  const unit = layout.indentUnit(holder, statement);
  const eol = layout.eol;
  return `[${eol}${quoted.map((q) => indent + unit + q).join(`,${eol}`)}${eol}${indent}]`;
}
