import type { SourceNode as Node } from '../../policy/sourceTree';

/**
 * Reads the layout of a JSON text around a node, so that new text matches what is already there:
 * line endings, indentation, separators, where lines end. HCL lists are laid out the same way and
 * add `#` line comments.
 */
export class JsonLayout {
  readonly eol: string;

  constructor(readonly text: string, private readonly lineComments: readonly string[] = ['//']) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  private lineCommentAt(i: number): boolean {
    return this.lineComments.some((c) => this.text.startsWith(c, i));
  }

  lineStart(offset: number): number {
    let i = offset;
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    return i;
  }

  /** The white space that starts the line `offset` is on. */
  indentAt(offset: number): string {
    const start = this.lineStart(offset);
    let end = start;
    while (end < this.text.length && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return this.text.slice(start, end);
  }

  /** Only white space stands between the start of the node's line and the node. */
  startsLine(node: Node): boolean {
    return this.text.slice(this.lineStart(node.offset), node.offset).trim() === '';
  }

  spansLines(node: Node): boolean {
    return /[\r\n]/.test(this.text.slice(node.offset, node.offset + node.length));
  }

  /**
   * What follows a value on its line: an optional comma, then an optional comment. `endsLine` is
   * true when nothing else follows; `next` is then the start of the next line.
   */
  tail(end: number): { comma?: number; eol: number; endsLine: boolean; next: number } {
    const t = this.text;
    let i = skipBlanks(t, end);
    let comma: number | undefined;
    if (t[i] === ',') {
      comma = i;
      i = skipBlanks(t, i + 1);
    }
    if (this.lineCommentAt(i)) {
      while (i < t.length && t[i] !== '\n' && t[i] !== '\r') i++;
    } else if (t.startsWith('/*', i)) {
      const close = t.indexOf('*/', i + 2);
      const line = t.slice(i, close < 0 ? t.length : close);
      if (close >= 0 && !/[\r\n]/.test(line)) i = skipBlanks(t, close + 2);
    }
    const eol = i;
    const endsLine = i >= t.length || t[i] === '\n' || t[i] === '\r';
    let next = i;
    if (t[next] === '\r') next++;
    if (t[next] === '\n') next++;
    return { comma, eol, endsLine, next };
  }

  /** The offset of the next character that is neither white space nor part of a comment. */
  nextToken(offset: number): number {
    const t = this.text;
    let i = offset;
    for (;;) {
      while (i < t.length && /\s/.test(t[i]!)) i++;
      if (this.lineCommentAt(i)) {
        while (i < t.length && t[i] !== '\n' && t[i] !== '\r') i++;
      } else if (t.startsWith('/*', i)) {
        const close = t.indexOf('*/', i + 2);
        i = close < 0 ? t.length : close + 2;
      } else {
        return i;
      }
    }
  }

  /** The separator between elements of a one-line array: `, ` unless the array shows another. */
  inlineSeparator(array: Node): string {
    const [a, b] = array.children ?? [];
    if (a && b) {
      const between = this.text.slice(a.offset + a.length, b.offset);
      const match = /^\s*,([ \t]*)$/.exec(between);
      if (match) return `,${match[1]}`;
    }
    return ', ';
  }

  /** One level of indentation as the text uses it: from the node to its parent, else the first indented line. */
  indentUnit(child: Node, parent: Node): string {
    if (this.startsLine(child)) {
      const inner = this.indentAt(child.offset);
      const outer = this.indentAt(parent.offset);
      if (inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
    }
    const first = /^([ \t]+)\S/m.exec(this.text);
    if (first?.[1]?.startsWith('\t')) return '\t';
    return '  ';
  }
}

function skipBlanks(t: string, i: number): number {
  while (i < t.length && (t[i] === ' ' || t[i] === '\t')) i++;
  return i;
}
