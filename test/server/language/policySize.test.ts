import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { policySize, sizeAfterEdits } from '../../../server/src/language/policySize';

// IAM counts a policy's characters without the white space between its tokens. For a JSON text whose
// strings are written as JSON.stringify writes them, that is the length of the text JSON.stringify
// gives again: an oracle that shares nothing with the scan it checks.

const VALUES = ['s3:Get*', 'quote " inside', 'back\\slash', '\\"', 'end\\', 'tab\there', 'x', '', 'caf\u00e9'];
const SPACES = ['', ' ', '\n  ', '\t', '\r\n    '];

/** A random JSON value written with random white space between its tokens. */
function randomJson(next: () => number, depth = 0): string {
  const space = (): string => SPACES[next() % SPACES.length]!;
  const kind = depth > 2 ? 0 : next() % 3;
  if (kind === 0) return JSON.stringify(VALUES[next() % VALUES.length]);
  const items = Array.from({ length: next() % 4 }, () => randomJson(next, depth + 1));
  if (kind === 1) return `[${space()}${items.join(`${space()},${space()}`)}${space()}]`;
  // Keys differ, so that parsing keeps every member.
  const members = items.map((item, i) => `${JSON.stringify(`${VALUES[next() % VALUES.length]}${i}`)}${space()}:${space()}${item}`);
  return `{${space()}${members.join(`,${space()}`)}${space()}}`;
}

describe('policySize', () => {
  test('random JSON with escaped quotes and backslashes: the length of its compact form', () => {
    let state = 7;
    const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) >> 8;
    for (let i = 0; i < 500; i++) {
      const text = `${SPACES[i % SPACES.length]}${randomJson(next)}\n`;
      assert.equal(policySize(text), JSON.stringify(JSON.parse(text)).length, text);
    }
  });

  test('comments do not count; an unclosed string counts to the end of the text', () => {
    assert.equal(policySize('{ // a comment "with a quote\n "a": /* b " */ "c" }'), '{"a":"c"}'.length);
    assert.equal(policySize('["ab'), 4);
    assert.equal(policySize('["a\\"'), 5);
  });

  test('the size after edits is the size of the edited text', () => {
    const text = '{ "Action": [ "s3:Get*", "s3:Put*" ] }';
    const edits = [{ offset: text.indexOf('"s3:Get*"'), length: '"s3:Get*"'.length, newText: '"s3:GetObject*", "s3:GetBucket\\"x"' }];
    const after = `${text.slice(0, edits[0]!.offset)}${edits[0]!.newText}${text.slice(edits[0]!.offset + edits[0]!.length)}`;
    assert.equal(sizeAfterEdits(text, policySize(text), edits), policySize(after));
  });
});
