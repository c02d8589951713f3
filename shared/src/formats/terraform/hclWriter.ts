import type { PolicyWriter } from '../../policy/policyWriter';
import type { SourceNode } from '../../policy/sourceTree';
import type { TextEdit } from '../../text/textEdit';
import { JsonLayout } from '../json/jsonLayout';
import { JsonWriter } from '../json/jsonWriter';

/** HCL's line comments: the writers keep a comment with the entry it follows. */
export const HCL_LINE_COMMENTS = ['#', '//'] as const;

/**
 * Edits an `aws_iam_policy_document` data block. Its lists (`actions = [...]`) are laid out like
 * JSON arrays, so a `JsonWriter` edits them; its statements are `statement { … }` blocks, removed
 * with their lines.
 */
export class HclBlockWriter implements PolicyWriter {
  private readonly lists: JsonWriter;
  private readonly layout: JsonLayout;

  constructor(private readonly text: string) {
    this.lists = new JsonWriter(text, HCL_LINE_COMMENTS);
    this.layout = new JsonLayout(text, HCL_LINE_COMMENTS);
  }

  editList(list: SourceNode, changes: ReadonlyMap<number, readonly string[]>): TextEdit[] {
    return this.lists.editList(list, changes);
  }

  appendToList(list: SourceNode, values: readonly string[]): TextEdit[] {
    return this.lists.appendToList(list, values);
  }

  /**
   * `actions = "s3:Get*"`: Terraform wants a list there, so even a single value becomes one
   * (`["s3:GetObject"]`); several are laid out like the statement, as JSON would be.
   */
  replaceScalar(scalar: SourceNode, statement: SourceNode, values: readonly string[], keepOriginal: boolean): TextEdit[] {
    const count = values.length + (keepOriginal ? 1 : 0);
    if (count !== 1) return this.lists.replaceScalar(scalar, statement, values, keepOriginal);
    const item = keepOriginal ? this.text.slice(scalar.offset, scalar.offset + scalar.length) : JSON.stringify(values[0]);
    return [{ offset: scalar.offset, length: scalar.length, newText: `[${item}]` }];
  }

  /**
   * Removes `statement { … }` blocks (children of `container`, the document's statement list): each
   * with its lines when it has them to itself, and with a blank line that would otherwise be left
   * doubled, or left hanging at the start or end of the body. Everything else stays as it is.
   */
  removeStatements(container: SourceNode, statements: readonly SourceNode[]): TextEdit[] {
    const children = container.children ?? [];
    const ranges = statements
      .filter((s) => children.includes(s))
      .map((s) => this.blockRange(s))
      .sort((a, b) => a.start - b.start);
    const merged: Range[] = [];
    for (const range of ranges) {
      const last = merged.at(-1);
      // Statements next to each other (only blank lines between) go as one, blank lines included.
      if (last && last.byLine && range.byLine && this.text.slice(last.end, range.start).trim() === '') {
        merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end), byLine: true };
      } else if (last && range.start < last.end) {
        merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end), byLine: last.byLine };
      } else {
        merged.push(range);
      }
    }
    return merged.map((r) => {
      const { start, end } = r.byLine ? this.withBlankLines(r) : r;
      return { offset: start, length: end - start, newText: '' };
    });
  }

  /** A block's whole lines (and its trailing comment) when nothing else is on them; else just the block. */
  private blockRange(node: SourceNode): Range {
    const end = node.offset + node.length;
    const tail = this.layout.tail(end);
    if (this.layout.startsLine(node) && tail.endsLine) return { start: this.layout.lineStart(node.offset), end: tail.next, byLine: true };
    let after = end;
    while (this.text[after] === ' ' || this.text[after] === '\t') after++;
    return { start: node.offset, end: after, byLine: false };
  }

  private withBlankLines(range: Range): { start: number; end: number } {
    const before = this.blankLinesBefore(range.start);
    const after = this.blankLinesAfter(range.end);
    const atBodyStart = this.text[this.previousToken(before)] === '{';
    const atBodyEnd = this.text[this.layout.nextToken(after)] === '}';
    if (atBodyStart) return { start: range.start, end: after };
    if (atBodyEnd) return { start: before, end: range.end };
    if (before < range.start && after > range.end) return { start: before, end: range.end };
    return range;
  }

  /** The start of the run of blank lines that ends at `lineStart` (itself if there is none). */
  private blankLinesBefore(lineStart: number): number {
    let start = lineStart;
    while (start > 0) {
      // Step over the line break (`\n` or `\r\n`) into the line before.
      let end = start - 1;
      if (this.text[end] === '\n' && this.text[end - 1] === '\r') end--;
      const previous = this.layout.lineStart(end);
      if (this.text.slice(previous, start).trim() !== '') break;
      start = previous;
    }
    return start;
  }

  /** The end of the run of blank lines that starts at `lineStart`. */
  private blankLinesAfter(lineStart: number): number {
    let end = lineStart;
    for (;;) {
      const newline = this.text.indexOf('\n', end);
      if (newline < 0 || this.text.slice(end, newline).trim() !== '') return end;
      end = newline + 1;
    }
  }

  /** The offset of the last character before `offset` that is not white space (-1 if none). */
  private previousToken(offset: number): number {
    let i = offset - 1;
    while (i >= 0 && /\s/.test(this.text[i]!)) i--;
    return i;
  }
}

interface Range {
  readonly start: number;
  readonly end: number;
  /** Whole lines: the blank lines around may have to go too. */
  readonly byLine: boolean;
}
