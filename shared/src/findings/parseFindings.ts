import {
  type Node,
  type ParseError,
  ParseErrorCode,
  SyntaxKind,
  createScanner,
  findNodeAtOffset,
  parseTree,
} from 'jsonc-parser';
import type { Span } from '../text/problem';
import type { FindingsDocument, FindingsFormat, FindingsParseOptions } from './model';
import { looksLikeFinding, readFinding, readFindingList, readFindingsObject } from './shapes/accessAnalyzer';
import { readActionsList } from './shapes/actionsList';
import { FindingsCollector } from './shapes/collect';
import { Ctx, INVISIBLE, type JsonPath, expectArray, found, label, member, quote } from './shapes/json';
import { readFetched } from './shapes/fetched';
import { looksLikeLastAccessed, readLastAccessed, readLastAccessedList } from './shapes/lastAccessed';
import { looksLikeRecommendation, readRecommendationList, readRecommendationResponse } from './shapes/recommendation';

/**
 * Findings are shallow (under ten levels). jsonc-parser recurses once per level and overflows the
 * stack at a few thousand, so anything deeper is refused before it is parsed.
 */
const MAX_DEPTH = 256;

/** Garbage yields one syntax error per character; a few dozen say all there is to say. */
const MAX_SYNTAX_ERRORS = 50;

const SHAPES =
  'Expected one of: a list of {"serviceNamespace", "actions"} entries; an Access Analyzer finding ' +
  '(get-finding-v2 output, with "findingDetails"), a list of them, or {"findings": [...]}; an IAM ' +
  'last-accessed report (get-service-last-accessed-details output, with "ServicesLastAccessed"), a list ' +
  'of them, or {"findings": [...]}; AWS\'s recommendation (get-finding-recommendation or Security Hub\'s ' +
  'GetRecommendedPolicyV2 output) or a list of them; or {"appliesTo": [...], "findings": ...} around any of these';

/**
 * Reads a findings file: the article's unused-actions list, Access Analyzer `get-finding-v2`
 * responses, IAM last-accessed reports, or AWS's recommendations saved on their own, optionally
 * wrapped with `appliesTo` globs, and the `fetched` header of a file written by `iam-refine fetch`.
 * Never throws; whatever is wrong becomes a located problem and the valid rest is still used.
 */
export function parseFindings(text: string, options: FindingsParseOptions = {}): FindingsDocument {
  const ctx = new Ctx(options);
  const out = new FindingsCollector();
  const document: FindingsDocument = { format: 'empty', principals: [], problems: [] };
  const root = parseJson(ctx, text);
  if (root) {
    const header = root.type === 'object' ? member(root, 'fetched') : undefined;
    if (header) document.fetched = readFetched(ctx, header.value, out);
    if (document.fetched?.thresholdDays !== undefined) ctx.defaultThreshold(document.fetched.thresholdDays);
    const wrapper = root.type === 'object' ? member(root, 'appliesTo') : undefined;
    if (wrapper) {
      document.appliesTo = readAppliesTo(ctx, wrapper.value);
      const findings = member(root, 'findings');
      if (findings) document.format = readShape(ctx, findings.value, ['findings'], out) ?? 'empty';
      else ctx.error('findings-missing', 'An "appliesTo" wrapper needs a "findings" field', root, []);
    } else {
      document.format = readShape(ctx, root, [], out) ?? 'empty';
    }
  }
  document.principals = out.result();
  document.problems = ctx.finish();
  return document;
}

/** Recognises shapes 1–4; undefined (with a problem) when `node` is none of them. */
function readShape(ctx: Ctx, node: Node, path: JsonPath, out: FindingsCollector): FindingsFormat | undefined {
  if (node.type === 'array') {
    const items = node.children ?? [];
    if (items.length === 0) return 'empty';
    // The first object decides, so that one bad entry is reported as bad rather than as an unknown file.
    const sample = items.find((item) => item.type === 'object');
    if (sample && looksLikeFinding(sample)) {
      readFindingList(ctx, items, path, out);
      return 'access-analyzer-finding';
    }
    if (sample && looksLikeLastAccessed(sample)) {
      readLastAccessedList(ctx, items, path, out);
      return 'service-last-accessed';
    }
    if (sample && looksLikeRecommendation(sample)) {
      readRecommendationList(ctx, items, path, out);
      return 'recommendation';
    }
    if (sample && (member(sample, 'serviceNamespace') || member(sample, 'actions'))) {
      readActionsList(ctx, items, path, out);
      return 'unused-actions-list';
    }
  } else if (node.type === 'object') {
    const nested = member(node, 'appliesTo');
    if (nested) {
      const at = [...path, 'appliesTo'];
      ctx.error('findings-shape', 'An "appliesTo" wrapper cannot be nested in another one', nested.key, at);
      return undefined;
    }
    const findings = member(node, 'findings');
    if (findings) {
      const sample = findings.value.children?.find((item) => item.type === 'object');
      if (findings.value.type === 'array' && sample && looksLikeLastAccessed(sample)) {
        readLastAccessedList(ctx, findings.value.children ?? [], [...path, 'findings'], out);
        return 'service-last-accessed';
      }
      readFindingsObject(ctx, node, path, out);
      return 'access-analyzer-finding';
    }
    if (looksLikeFinding(node)) {
      readFinding(ctx, node, path, out);
      return 'access-analyzer-finding';
    }
    if (looksLikeLastAccessed(node)) {
      readLastAccessed(ctx, node, path, out);
      return 'service-last-accessed';
    }
    if (looksLikeRecommendation(node)) {
      readRecommendationResponse(ctx, node, path, out);
      return 'recommendation';
    }
  }
  const what = node.type === 'array' || node.type === 'object' ? `This ${node.type}` : `A ${found(node)}`;
  ctx.error('findings-shape', `${what} is not a recognised findings file. ${SHAPES}`, node, [...path]);
  return undefined;
}

function readAppliesTo(ctx: Ctx, node: Node): { glob: string; span: Span }[] {
  const items = expectArray(ctx, node, ['appliesTo']);
  if (!items) return [];
  if (items.length === 0)
    ctx.warning('findings-empty', 'appliesTo is empty, so these findings apply to no file', node, ['appliesTo']);
  const globs: { glob: string; span: Span }[] = [];
  items.forEach((item, i) => {
    const path = ['appliesTo', i];
    if (item.type !== 'string')
      ctx.error('findings-type', `${label(path)} must be a glob string, found ${found(item)}`, item, path);
    else if (item.value === '')
      ctx.error('findings-empty', `${label(path)} is empty; write a glob such as "policies/*.json"`, item, path);
    else globs.push({ glob: item.value as string, span: { offset: item.offset, length: item.length } });
  });
  return globs;
}

/** The parse tree, or undefined (with problems) when the text is not one well-formed JSON value. */
function parseJson(ctx: Ctx, text: string): Node | undefined {
  if (/^\s*$/.test(text)) {
    ctx.error('findings-empty', `The findings file is empty. ${SHAPES}`, { offset: 0, length: text.length });
    return undefined;
  }
  // JSON text cannot hold a raw NUL anywhere, and binary files nearly always do.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    ctx.error('findings-json', 'The file contains NUL bytes: it is binary, not JSON text', { offset: nul, length: 1 });
    return undefined;
  }
  const deep = tooDeep(text);
  if (deep !== undefined) {
    ctx.error('findings-too-deep', `Nesting deeper than ${MAX_DEPTH} levels: this is not a findings file`, {
      offset: deep,
      length: 1,
    });
    return undefined;
  }
  // A byte-order mark is harmless, but jsonc-parser rejects it; a space keeps every offset.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const errors = new CappedErrors(source);
  let root: Node | undefined;
  try {
    root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (e) {
    ctx.error('findings-json', `The file could not be read as JSON: ${String(e)}`, { offset: 0, length: 0 });
    return undefined;
  }
  for (const error of errors) {
    const span = { offset: error.offset, length: error.length };
    ctx.error('findings-json', describe(error, source, root), span);
  }
  if (errors.dropped > 0) {
    const last = errors[errors.length - 1]!;
    ctx.error('findings-json', `${errors.dropped} more syntax errors after this point were not listed`, {
      offset: last.offset + last.length,
      length: 0,
    });
  }
  return errors.length === 0 ? root : undefined;
}

/** Keeps the first few errors and counts the rest, so a huge garbage file cannot exhaust memory. */
class CappedErrors extends Array<ParseError> {
  dropped = 0;

  // Arrays derived from this one (map, filter) are plain arrays.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  constructor(private readonly text: string) {
    super();
  }

  override push(...items: ParseError[]): number {
    for (const item of items) {
      if (this.extendsLast(item)) continue;
      if (this.length < MAX_SYNTAX_ERRORS) super.push(item);
      else this.dropped++;
    }
    return this.length;
  }

  /**
   * One error per run of the same error on one line: the parser reports each word of a line of
   * garbage on its own, and a person reads that line as one mistake.
   */
  private extendsLast(item: ParseError): boolean {
    const last = this.dropped === 0 ? this[this.length - 1] : undefined;
    if (!last || last.error !== item.error) return false;
    const end = last.offset + last.length;
    if (item.offset < end || !/^[ \t]*$/.test(this.text.slice(end, item.offset))) return false;
    this[this.length - 1] = { ...last, length: item.offset + item.length - last.offset };
    return true;
  }
}

/** The offset of the first bracket nested deeper than MAX_DEPTH; the scanner is iterative, unlike the parser. */
function tooDeep(text: string): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_DEPTH) return scanner.getTokenOffset();
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      depth--;
    }
  }
  return undefined;
}

/** A jsonc-parser error in plain words. */
function describe(error: ParseError, text: string, root: Node | undefined): string {
  const token = text.slice(error.offset, error.offset + error.length);
  const expected = (what: string) =>
    error.offset >= text.length ? `The text ends too early: expected ${what}` : `Expected ${what}`;
  switch (error.error) {
    case ParseErrorCode.InvalidSymbol:
      return INVISIBLE.test(token)
        ? `Unexpected binary data ${quote(token)}; a findings file is JSON text`
        : `Unexpected ${quote(token)}; expected a JSON value (strings need double quotes)`;
    case ParseErrorCode.InvalidNumberFormat:
      return `Invalid number ${quote(token)}`;
    case ParseErrorCode.PropertyNameExpected:
      return expected('a property name in double quotes');
    case ParseErrorCode.ValueExpected:
      return expected('a value');
    case ParseErrorCode.ColonExpected:
      return expected('a colon after the property name');
    case ParseErrorCode.CommaExpected:
      return expected(container(root, error.offset) === 'object' ? 'a comma or closing brace' : 'a comma or closing bracket');
    case ParseErrorCode.CloseBraceExpected:
      return expected('} to close the object');
    case ParseErrorCode.CloseBracketExpected:
      return expected('] to close the array');
    case ParseErrorCode.EndOfFileExpected:
      return 'Unexpected text after the end of the JSON value';
    case ParseErrorCode.UnexpectedEndOfComment:
      return 'The comment is not closed: expected */';
    case ParseErrorCode.UnexpectedEndOfString:
      return 'The string is not closed: expected a double quote';
    case ParseErrorCode.UnexpectedEndOfNumber:
      return 'The number is cut off: expected a digit';
    case ParseErrorCode.InvalidUnicode:
      return 'Invalid \\u escape: expected four hexadecimal digits';
    case ParseErrorCode.InvalidEscapeCharacter:
      return 'Invalid escape in the string: only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX are allowed';
    case ParseErrorCode.InvalidCharacter: {
      const bad = [...token].find((c) => c < ' ') ?? '';
      const hex = bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      return `The string contains the control character U+${hex}; write it as \\u${hex}`;
    }
    default:
      return 'Invalid JSON';
  }
}

/** Whether the comma was missing between properties or between array elements. */
function container(root: Node | undefined, offset: number): 'object' | 'array' {
  for (let node = root && findNodeAtOffset(root, offset); node; node = node.parent) {
    if (node.type === 'object' || node.type === 'array') return node.type;
  }
  return 'array';
}
