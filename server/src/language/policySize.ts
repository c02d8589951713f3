import type { TextEdit } from '../../../shared/src/text/textEdit';

/**
 * A JSON text's size as IAM counts a policy: every character but white space outside strings.
 * Comments are not part of the policy AWS receives, so they do not count either.
 */
export function policySize(text: string): number {
  let size = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Strings are most of a policy: their end is searched for natively, not walked to.
      const end = stringEnd(text, i);
      size += end - i + 1;
      i = end;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 1;
    } else if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) {
      size++;
    }
  }
  return size;
}

/** The offset of the quote that closes the string opened at `open`; the last offset when none does. */
function stringEnd(text: string, open: number): number {
  for (let quote = text.indexOf('"', open + 1); quote >= 0; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return text.length - 1;
}

/** The size after edits, from the size before: only the edited stretches are counted again. */
export function sizeAfterEdits(text: string, sizeBefore: number, edits: readonly TextEdit[]): number {
  let size = sizeBefore;
  for (const edit of edits) size += policySize(edit.newText) - policySize(text.slice(edit.offset, edit.offset + edit.length));
  return size;
}
