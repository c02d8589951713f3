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
  const start = commonStart(before, after);
  const tail = commonEnd(before, after, Math.min(before.length, after.length) - start);
  return { offset: start, length: before.length - start - tail, newText: after.slice(start, after.length - tail) };
}

/**
 * Texts are compared a stretch at a time, natively, then a character at a time: a document is
 * compared with its last version at every keystroke, and the two differ in a few characters.
 */
const STRETCH = 256;

/** How many characters `a` and `b` begin with alike. */
function commonStart(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  let at = 0;
  while (at + STRETCH <= shorter && a.slice(at, at + STRETCH) === b.slice(at, at + STRETCH)) at += STRETCH;
  while (at < shorter && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** How many characters `a` and `b` end with alike, `most` at most. */
function commonEnd(a: string, b: string, most: number): number {
  let length = 0;
  const stretch = (s: string): string => s.slice(s.length - length - STRETCH, s.length - length);
  while (length + STRETCH <= most && stretch(a) === stretch(b)) length += STRETCH;
  while (length < most && a.charCodeAt(a.length - length - 1) === b.charCodeAt(b.length - length - 1)) length++;
  return length;
}
