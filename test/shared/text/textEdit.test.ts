import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyEdits, textChange } from '../../../shared/src/text/textEdit';

// textChange compares long stretches at once: checked against a comparison a character at a time,
// on texts long and short, alike at the start, at the end, or both, across stretch boundaries.

function naiveChange(before: string, after: string): { offset: number; length: number; newText: string } {
  let start = 0;
  while (start < Math.min(before.length, after.length) && before[start] === after[start]) start++;
  let tail = 0;
  const most = Math.min(before.length, after.length) - start;
  while (tail < most && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { offset: start, length: before.length - start - tail, newText: after.slice(start, after.length - tail) };
}

describe('textChange', () => {
  test('random edits of texts up to 3,000 characters: the edit a character-at-a-time comparison finds', () => {
    let state = 5;
    const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) >> 8;
    const letters = 'ab"{}\n ';
    for (let i = 0; i < 600; i++) {
      const before = Array.from({ length: next() % 3000 }, () => letters[next() % letters.length]).join('');
      const at = next() % (before.length + 1);
      const removed = Math.min(next() % 600, before.length - at);
      const inserted = Array.from({ length: next() % 600 }, () => letters[next() % letters.length]).join('');
      const after = `${before.slice(0, at)}${inserted}${before.slice(at + removed)}`;
      const change = textChange(before, after);
      assert.deepEqual(change, naiveChange(before, after));
      assert.equal(applyEdits(before, [change]), after);
    }
  });

  test('equal texts, and texts one of which is the start or the end of the other', () => {
    const long = 'x'.repeat(1000);
    assert.deepEqual(textChange(long, long), { offset: 1000, length: 0, newText: '' });
    assert.deepEqual(textChange(long, `${long}y`), { offset: 1000, length: 0, newText: 'y' });
    assert.deepEqual(textChange(`y${long}`, long), naiveChange(`y${long}`, long));
    assert.deepEqual(textChange('', 'abc'), { offset: 0, length: 0, newText: 'abc' });
    // Alike for longer than they can share: the end counted never overlaps the start.
    assert.deepEqual(textChange('x'.repeat(600), 'x'.repeat(900)), { offset: 600, length: 0, newText: 'x'.repeat(300) });
    assert.deepEqual(textChange('x'.repeat(900), 'x'.repeat(600)), { offset: 600, length: 300, newText: '' });
  });
});
