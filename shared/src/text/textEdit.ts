/** A replacement of `length` characters at `offset`; insertions have length 0. */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

/** Applies non-overlapping edits; edits that touch (one ends where the next starts) are fine. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    if (edit.offset < at) throw new Error(`Overlapping edits at offset ${edit.offset}`);
    out += text.slice(at, edit.offset) + edit.newText;
    at = edit.offset + edit.length;
  }
  return out + text.slice(at);
}

/** The one edit that turns `before` into `after`: what lies between their common start and common end. */
export function textChange(before: string, after: string): TextEdit {
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start < shortest && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < shortest - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { offset: start, length: before.length - start - tail, newText: after.slice(start, after.length - tail) };
}
