import { type Node as JsonNode, type ParseError, parseTree } from 'jsonc-parser';
import { describeParseError } from '../../policy/policyDocument';
import type { Problem } from '../../text/problem';
import type { Stretch } from './hclString';
import type { BuildNode, SourceNode } from '../../policy/sourceTree';
import { describeSource, withChildren } from './sourceNodes';

/**
 * JSON written inside a Terraform string (a heredoc, or a quoted string), with `${…}` and `%{…}`
 * holes that only Terraform can fill. The holes are masked in a copy of the text, each by a
 * placeholder of its own length, so that the JSON parses and every offset stays where it was:
 * inside a JSON string by filler characters, elsewhere by a JSON string literal. A JSON value that
 * touches a hole is an expression.
 */
export interface EmbeddedJson {
  /** The JSON's top value, in offsets of the Terraform text; absent when nothing parses. */
  readonly root?: SourceNode;
  /** JSON syntax errors, located in the Terraform text. */
  readonly errors: readonly Problem[];
  /**
   * The JSON only parses once Terraform has filled the holes (`{ ${local.statements} }`): what it
   * says is not known, and the errors are not the author's.
   */
  readonly templated: boolean;
  /** The masked text that was parsed. */
  readonly masked: string;
  /** For each node of `root`, the node it was made from, in offsets of `masked`. */
  readonly parsedNodes: ReadonlyMap<SourceNode, JsonNode>;
}

export interface EmbeddedText {
  /** The JSON text as Terraform will see it, holes still in. */
  readonly text: string;
  /** Holes, in offsets of `text`. */
  readonly holes: readonly Stretch[];
  /** The Terraform offset of an offset of `text`; `text.length` maps to the end. */
  readonly toSource: (offset: number) => number;
  /** A JSON string's value as Terraform will see it (a heredoc still has `$${` escapes in its text). */
  readonly stringValue?: (value: string) => string;
}

export function parseEmbeddedJson(embedded: EmbeddedText, source: string): EmbeddedJson {
  const masked = maskHoles(embedded.text, embedded.holes);
  const errors: ParseError[] = [];
  let parsed: JsonNode | undefined;
  try {
    parsed = parseTree(masked, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  } catch {
    // The parser recurses per nesting level: hostile nesting ends here instead of in the caller.
    const at = embedded.toSource(0);
    const problem: Problem = {
      severity: 'error', code: 'json-syntax', message: 'The JSON is nested too deeply to analyse.', span: { offset: at, length: 0 },
    };
    return { errors: [problem], templated: false, masked, parsedNodes: new Map() };
  }
  if (errors.some((e) => causedByHole(e, masked, embedded.holes))) {
    return { errors: [], templated: true, masked, parsedNodes: new Map() };
  }
  const problems: Problem[] = errors.map((e) => {
    const offset = embedded.toSource(e.offset);
    const length = embedded.toSource(e.offset + e.length) - offset;
    return { severity: 'error', code: 'json-syntax', message: describeParseError(e), span: { offset, length } };
  });
  const parsedNodes = new Map<SourceNode, JsonNode>();
  const root = parsed && new Converter(embedded, source, parsedNodes).convert(parsed);
  return { root, errors: problems, templated: false, masked, parsedNodes };
}

/** A copy of `text` where each hole is a placeholder of the same length that JSON accepts where it stands. */
export function maskHoles(text: string, holes: readonly Stretch[]): string {
  if (holes.length === 0) return text;
  let out = '';
  let state: 'code' | 'string' | 'line' | 'block' = 'code';
  let h = 0;
  let i = 0;
  while (i < text.length) {
    const hole = holes[h];
    if (hole && hole.start === i) {
      const length = hole.end - hole.start;
      out += state === 'code' && length >= 2 ? `"${'_'.repeat(length - 2)}"` : '_'.repeat(length);
      i = hole.end;
      h++;
      continue;
    }
    const c = text[i]!;
    out += c;
    i++;
    if (state === 'string') {
      if (c === '\\' && i < text.length && holes[h]?.start !== i) {
        out += text[i];
        i++;
      } else if (c === '"') {
        state = 'code';
      }
    } else if (state === 'line') {
      if (c === '\n' || c === '\r') state = 'code';
    } else if (state === 'block') {
      if (c === '*' && text[i] === '/') {
        out += '/';
        i++;
        state = 'code';
      }
    } else if (c === '"') {
      state = 'string';
    } else if (c === '/' && (text[i] === '/' || text[i] === '*')) {
      state = text[i] === '/' ? 'line' : 'block';
      out += text[i];
      i++;
    }
  }
  return out;
}

/** An error at a hole, or right after one, is the hole's doing: it stands where JSON wants no value. */
function causedByHole(error: ParseError, masked: string, holes: readonly Stretch[]): boolean {
  return holes.some((hole) => {
    if (error.offset < hole.start) return false;
    let after = hole.end;
    while (after < masked.length && /\s/.test(masked[after]!)) after++;
    return error.offset <= after;
  });
}

class Converter {
  constructor(
    private readonly embedded: EmbeddedText,
    private readonly source: string,
    private readonly parsedNodes: Map<SourceNode, JsonNode>,
  ) {}

  convert(node: JsonNode): BuildNode {
    const start = this.embedded.toSource(node.offset);
    const end = this.embedded.toSource(node.offset + node.length);
    let out: BuildNode;
    if (node.type === 'string' && this.touchesHole(node)) {
      out = { type: 'expression', offset: start, length: end - start, value: describeSource(this.source.slice(start, end)) };
    } else if (node.type === 'string') {
      const value = node.value as string;
      out = { type: 'string', offset: start, length: end - start, value: this.embedded.stringValue?.(value) ?? value };
    } else if (node.type === 'object' || node.type === 'array' || node.type === 'property') {
      out = { type: node.type, offset: start, length: end - start };
      withChildren(out, (node.children ?? []).map((c) => this.convert(c)));
    } else {
      out = { type: node.type, offset: start, length: end - start, value: node.value as unknown };
    }
    this.parsedNodes.set(out, node);
    return out;
  }

  private touchesHole(node: JsonNode): boolean {
    const end = node.offset + node.length;
    return this.embedded.holes.some((h) => h.start < end && h.end > node.offset);
  }
}
