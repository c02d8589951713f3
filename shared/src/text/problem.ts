/** A stretch of a document, in UTF-16 code units as JavaScript strings count them. */
export interface Span {
  offset: number;
  length: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** Something wrong with an input, located so that an editor or a CLI can point at it. */
export interface Problem {
  severity: Severity;
  /** Stable identifier, e.g. `findings-json`, `malformed-action`. */
  code: string;
  message: string;
  span: Span;
  /** JSON path of the offending value, where there is one. */
  path?: (string | number)[];
}

/** Zero-based line and character of an offset. */
export interface Position {
  line: number;
  character: number;
}

/** Maps offsets to positions; built once per text because a text is usually asked many times. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    // Most texts end their lines with \n alone: searching for it is native, and six times faster
    // than the loop below (a document is indexed again at every keystroke).
    if (text.indexOf('\r') < 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) this.starts.push(i + 1);
      else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }

  /** The offset of a position; a character past the end of its line means the line's end, as LSP says. */
  offset(position: Position): number {
    const line = Math.min(Math.max(position.line, 0), this.starts.length - 1);
    const start = this.starts[line]!;
    let end = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    if (end > start && this.text[end - 1] === '\n') end--;
    if (end > start && this.text[end - 1] === '\r') end--;
    return Math.min(start + Math.max(position.character, 0), end);
  }

  lineStart(line: number): number {
    return this.starts[Math.min(line, this.starts.length - 1)]!;
  }
}

/** `path[0].actions[2]` — how problems name where they are. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || '(root)';
}
