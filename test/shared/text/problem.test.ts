import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../../../shared/src/text/problem';

// LineIndex against vscode-languageserver-textdocument, which editors' servers use to map offsets
// to positions: the same answers on every kind of line end, and on random texts of them.

/** A text of random pieces, line ends among them: \n only, or \r\n and lone \r too. */
function randomText(seed: number, withCarriageReturns: boolean): string {
  const pieces = withCarriageReturns ? ['a', 'bc', ' ', '\n', '\r\n', '\r', '"s3:Get*"', 'é'] : ['a', 'bc', ' ', '\n', '"s3:Get*"', 'é'];
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648);
  return Array.from({ length: next() % 60 }, () => pieces[next() % pieces.length]).join('');
}

function assertAgrees(text: string): void {
  const index = new LineIndex(text);
  const document = TextDocument.create('file:///t', 'json', 1, text);
  for (let offset = 0; offset <= text.length; offset++) {
    const expected = document.positionAt(offset);
    // Inside a \r\n pair TextDocument moves back to the line end; LineIndex counts the \r's column.
    if (text[offset - 1] === '\r' && text[offset] === '\n') continue;
    assert.deepEqual(index.position(offset), expected, `offset ${offset} of ${JSON.stringify(text)}`);
    assert.equal(index.offset(expected), offset, `position ${JSON.stringify(expected)} of ${JSON.stringify(text)}`);
  }
}

describe('LineIndex', () => {
  test('positions and offsets on \\n, \\r\\n and lone \\r, at the ends and in between', () => {
    for (const text of ['', 'x', '\n', 'a\nb', 'a\n', '\na', 'a\r\nb\r\n', 'a\rb', 'a\r\n\rb\n\nc', '\r', '\r\n']) assertAgrees(text);
  });

  test('random texts with \\n line ends agree with TextDocument', () => {
    for (let seed = 1; seed <= 300; seed++) assertAgrees(randomText(seed, false));
  });

  test('random texts with every kind of line end agree with TextDocument', () => {
    for (let seed = 1; seed <= 300; seed++) assertAgrees(randomText(seed, true));
  });

  test('a position past the end of its line is the line end; past the last line, the last line', () => {
    const index = new LineIndex('ab\ncd\r\nef');
    assert.equal(index.offset({ line: 0, character: 9 }), 2);
    assert.equal(index.offset({ line: 1, character: 9 }), 5);
    assert.equal(index.offset({ line: 7, character: 1 }), 8);
  });
});
