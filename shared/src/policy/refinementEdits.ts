import type { Node } from 'jsonc-parser';
import type { TextEdit } from '../text/textEdit';
import { JsonLayout } from './jsonLayout';
import type { EntryRefinement, PolicyRefinement, StatementRefinement } from './refinePolicy';

/** Which part of a refinement to turn into edits; all of it when empty. */
export interface EditScope {
  statement?: StatementRefinement;
  /** One entry of `statement`. */
  entry?: EntryRefinement;
}

/**
 * The minimal text edits that carry out a refinement. Everything outside the changed lists stays
 * byte-identical: kept entries, comments, key order, indentation, line endings. Returns no edits for
 * a policy that would be left without statements.
 */
export function refinementEdits(text: string, refinement: PolicyRefinement, scope: EditScope = {}): TextEdit[] {
  if (refinement.fullyUnused) return [];
  const layout = new JsonLayout(text);
  const statements = scope.statement ? [scope.statement] : refinement.statements.filter((s) => s.changed);
  const edits: TextEdit[] = [];
  const removedStatements = new Map<number, string[]>();
  for (const s of statements) {
    const entries = scope.entry ? [scope.entry] : s.entries;
    if (s.unused && (!scope.entry || leavesListEmpty(s, scope.entry))) {
      const index = refinement.policy.statementNode.children?.indexOf(s.statement.node) ?? -1;
      if (index >= 0) removedStatements.set(index, []);
    } else if (s.notAction) {
      edits.push(...appendEdits(layout, s, s.notAction.additions));
    } else {
      edits.push(...actionEdits(layout, s, entries));
    }
  }
  if (removedStatements.size > 0) edits.push(...arrayEdits(layout, refinement.policy.statementNode, removedStatements));
  return edits;
}

function leavesListEmpty(s: StatementRefinement, entry: EntryRefinement): boolean {
  return entry.replacement?.length === 0 && s.statement.entries.length === 1;
}

function actionEdits(layout: JsonLayout, s: StatementRefinement, entries: readonly EntryRefinement[]): TextEdit[] {
  const list = s.statement.listNode!;
  const changes = new Map<number, string[]>();
  for (const e of entries) {
    if (!e.replacement) continue;
    if (list.type === 'string') return replaceString(layout, s, e.replacement);
    changes.set(list.children!.indexOf(e.entry.node), e.replacement);
  }
  return changes.size > 0 ? arrayEdits(layout, list, changes) : [];
}

/** An `Action` given as a string: it stays a string unless the replacement needs several. */
function replaceString(layout: JsonLayout, s: StatementRefinement, items: readonly string[]): TextEdit[] {
  const node = s.statement.listNode!;
  if (items.length === 1) return [{ offset: node.offset, length: node.length, newText: JSON.stringify(items[0]) }];
  return [{ offset: node.offset, length: node.length, newText: formatArray(layout, s, items.map((i) => JSON.stringify(i))) }];
}

/** Adds patterns at the end of a `NotAction` list. */
function appendEdits(layout: JsonLayout, s: StatementRefinement, additions: readonly string[]): TextEdit[] {
  if (additions.length === 0) return [];
  const list = s.statement.listNode!;
  const quoted = additions.map((a) => JSON.stringify(a));
  if (list.type === 'string') {
    const original = layout.text.slice(list.offset, list.offset + list.length);
    return [{ offset: list.offset, length: list.length, newText: formatArray(layout, s, [original, ...quoted]) }];
  }
  const last = list.children?.at(-1);
  if (!last) return [{ offset: list.offset, length: list.length, newText: formatArray(layout, s, quoted) }];
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

/**
 * Replaces and removes elements of an array. `changes` maps an element's index to what replaces it
 * (empty: remove it). An element alone on its line(s) is removed with its line, comment included;
 * otherwise with the separator next to it.
 */
function arrayEdits(layout: JsonLayout, array: Node, changes: ReadonlyMap<number, readonly string[]>): TextEdit[] {
  const items = array.children ?? [];
  const end = (i: number): number => items[i]!.offset + items[i]!.length;
  const removed = (i: number): boolean => changes.get(i)?.length === 0;
  const edits: TextEdit[] = [];

  for (const [i, replacement] of changes) {
    if (replacement.length === 0) continue;
    const node = items[i]!;
    const sep = layout.startsLine(node) ? `,${layout.eol}${layout.indentAt(node.offset)}` : layout.inlineSeparator(array);
    edits.push({ offset: node.offset, length: node.length, newText: replacement.map((r) => JSON.stringify(r)).join(sep) });
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

/** A new array in place of a value: on its own lines when the statement is, else on one line. */
function formatArray(layout: JsonLayout, s: StatementRefinement, quoted: readonly string[]): string {
  const statement = s.statement.node;
  const value = s.statement.listNode!;
  if (!layout.spansLines(statement)) return `[${quoted.join(', ')}]`;
  const property = value.parent!;
  const indent = layout.indentAt(property.offset);
  const unit = layout.indentUnit(property, statement);
  const eol = layout.eol;
  return `[${eol}${quoted.map((q) => indent + unit + q).join(`,${eol}`)}${eol}${indent}]`;
}
