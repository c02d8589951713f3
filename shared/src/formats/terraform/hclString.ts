/**
 * HCL quoted strings: decoding (`\"`, `\\`, `\n`, `\uNNNN`, and the template escapes `$${` and
 * `%%{`) and encoding. Offsets are UTF-16 code units, as tree-sitter's indices and JavaScript's are.
 */

export interface Stretch {
  readonly start: number;
  readonly end: number;
}

/** The value of a string literal whose quotes are at `start` and `end - 1`. */
export function hclStringValue(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end - 1);
  // Most strings have nothing to decode.
  if (!/[\\$%]/.test(inner)) return inner;
  return decodeWithOffsets(text, start + 1, end - 1, []).text;
}

/** A decoded text and, for each of its code units, where it came from. */
export interface DecodedText {
  readonly text: string;
  /** `offsets[i]`: the source offset of decoded unit `i`; `offsets[text.length]` is the source end. */
  readonly offsets: readonly number[];
  /** The holes (interpolations, directives) in decoded offsets; their source text is copied as it is. */
  readonly holes: readonly Stretch[];
}

/**
 * Decodes the inside of a quoted template, `text[from, to)`. `holes` (source offsets, in order) are
 * `${…}` and `%{…}` parts: copied unchanged, one unit per source unit, so that a span over them maps
 * back exactly.
 */
export function decodeWithOffsets(text: string, from: number, to: number, holes: readonly Stretch[]): DecodedText {
  let out = '';
  const offsets: number[] = [];
  const decodedHoles: Stretch[] = [];
  let h = 0;
  let i = from;
  const emit = (s: string, at: number): void => {
    out += s;
    for (let k = 0; k < s.length; k++) offsets.push(at);
  };
  while (i < to) {
    const hole = holes[h];
    if (hole && hole.start === i) {
      decodedHoles.push({ start: out.length, end: out.length + (hole.end - hole.start) });
      for (let k = hole.start; k < hole.end; k++) {
        out += text[k];
        offsets.push(k);
      }
      i = hole.end;
      h++;
      continue;
    }
    const c = text[i]!;
    if (c === '\\' && i + 1 < to) {
      const e = text[i + 1]!;
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        emit(simple, i);
        i += 2;
        continue;
      }
      const digits = e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const hex = digits ? text.slice(i + 2, i + 2 + digits) : '';
      if (digits && hex.length === digits && /^[0-9A-Fa-f]+$/.test(hex) && i + 2 + digits <= to) {
        const code = parseInt(hex, 16);
        emit(code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd', i);
        i += 2 + digits;
        continue;
      }
    } else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      emit(`${c}{`, i);
      // `$${` is three source units for two decoded ones: the `{` keeps its own offset.
      offsets[offsets.length - 1] = i + 2;
      i += 3;
      continue;
    }
    emit(c, i);
    i++;
  }
  offsets.push(to);
  return { text: out, offsets, holes: decodedHoles };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Encodes a text for the inside of an HCL quoted string: escapes, and no accidental templates. */
export function encodeHclString(value: string): string {
  return value
    .replace(/[\\"\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\${c}`))
    .replace(/([$%])\{/g, '$1$1{');
}
