import { LineIndex } from './problem';
import { type TextEdit, applyEdits } from './textEdit';

/**
 * A unified diff (`diff -u` format, three lines of context) of the change `edits` make to `text`.
 * Built from the edits rather than by comparing texts: exact, and linear in the size of the file.
 */
export function unifiedDiff(text: string, edits: readonly TextEdit[], oldName: string, newName: string, context = 3): string {
  if (edits.length === 0) return '';
  const lines = new LineIndex(text);
  const oldLines = splitLines(text);
  const changes: LineChange[] = [];
  for (const edit of [...edits].sort((a, b) => a.offset - b.offset)) {
    const first = lines.position(edit.offset).line;
    const last = lines.position(Math.max(edit.offset, edit.offset + edit.length - 1)).line;
    const previous = changes.at(-1);
    if (previous && first <= previous.last) {
      previous.last = Math.max(previous.last, last);
      previous.edits.push(edit);
    } else {
      changes.push({ first, last, edits: [edit], replacement: [] });
    }
  }
  for (const change of changes) {
    const start = lines.lineStart(change.first);
    const end = change.last + 1 < oldLines.length ? lines.lineStart(change.last + 1) : text.length;
    const local = change.edits.map((e) => ({ ...e, offset: e.offset - start }));
    change.replacement = splitLines(applyEdits(text.slice(start, end), local));
  }

  let out = `--- ${oldName}\n+++ ${newName}\n`;
  let i = 0;
  let shift = 0; // new line number minus old line number before the current hunk
  while (i < changes.length) {
    // Gather the changes whose context windows touch into one hunk.
    let j = i;
    while (j + 1 < changes.length && changes[j + 1]!.first - changes[j]!.last - 1 <= 2 * context) j++;
    const from = Math.max(0, changes[i]!.first - context);
    const to = Math.min(oldLines.length - 1, changes[j]!.last + context);
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    let at = from;
    let hunkShift = shift;
    for (let k = i; k <= j; k++) {
      const change = changes[k]!;
      for (; at < change.first; at++, oldCount++, newCount++) body.push(` ${oldLines[at]}`);
      for (; at <= change.last; at++, oldCount++) body.push(`-${oldLines[at]}`);
      for (const line of change.replacement) {
        body.push(`+${line}`);
        newCount++;
      }
      hunkShift += change.replacement.length - (change.last - change.first + 1);
    }
    for (; at <= to; at++, oldCount++, newCount++) body.push(` ${oldLines[at]}`);
    const oldStart = oldCount === 0 ? from : from + 1;
    const newStart = newCount === 0 ? from + shift : from + shift + 1;
    out += `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@\n`;
    out += body.map(markMissingNewline).join('');
    shift = hunkShift;
    i = j + 1;
  }
  return out;
}

/** Old lines [first, last], which the edits turn into `replacement`. */
interface LineChange {
  first: number;
  last: number;
  edits: TextEdit[];
  replacement: string[];
}

/** Lines with their line breaks; a text that ends in a line break has no empty last line. */
function splitLines(text: string): string[] {
  const lines = text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
  return lines;
}

function markMissingNewline(line: string): string {
  return /[\r\n]$/.test(line) ? line : `${line}\n\\ No newline at end of file\n`;
}
