import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskHoles } from '../../../../shared/src/formats/terraform/embeddedJson';
import { decodeWithOffsets, encodeHclString, hclStringValue } from '../../../../shared/src/formats/terraform/hclString';

test('HCL string escapes decode, and each decoded unit knows where it came from', () => {
  const source = '"a\\"b\\\\c\\n\\u00e9$${x}%%{y}"';
  assert.equal(hclStringValue(source, 0, source.length), 'a"b\\c\né${x}%{y}');
  const decoded = decodeWithOffsets(source, 1, source.length - 1, []);
  assert.equal(decoded.text, 'a"b\\c\né${x}%{y}');
  // `\"` is two source units for one decoded unit; `$${` three for two.
  assert.deepEqual(decoded.offsets.slice(0, 8), [1, 2, 4, 5, 7, 8, 10, 16]);
  assert.equal(decoded.offsets[decoded.text.indexOf('{')], source.indexOf('{'));
  assert.equal(decoded.offsets.at(-1), source.length - 1);
});

test('holes (interpolations) are copied unit for unit, located in decoded offsets', () => {
  const source = '"\\"${var.a}\\""';
  const decoded = decodeWithOffsets(source, 1, source.length - 1, [{ start: 3, end: 11 }]);
  assert.equal(decoded.text, '"${var.a}"');
  assert.deepEqual(decoded.holes, [{ start: 1, end: 9 }]);
  assert.deepEqual(decoded.offsets.slice(1, 10), [3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test('encoding for a quoted string escapes what HCL would read otherwise', () => {
  assert.equal(encodeHclString('a"b\\c\n${d}%{e}\t'), 'a\\"b\\\\c\\n$${d}%%{e}\\t');
});

test('masking: a hole in a JSON string becomes filler, elsewhere a string of its own length; comments stay comments', () => {
  const text = '{"a": "x${b}y", "c": ${dd}, // ${e}\n "f": 1}';
  const holes = [...text.matchAll(/\$\{[^}]*\}/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const masked = maskHoles(text, holes);
  assert.equal(masked.length, text.length);
  assert.equal(masked, '{"a": "x____y", "c": "___", // ____\n "f": 1}');
});
