import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { type ActionPattern, parseActionPattern } from '../patterns/actionPattern';
import type { Problem, Span } from '../text/problem';

/** One string of an `Action` or `NotAction` list. */
export interface ActionEntry {
  /** The string's value. */
  readonly value: string;
  /** The string literal, quotes included. */
  readonly node: Node;
  readonly span: Span;
  /** Undefined when the string is not a valid action (a problem says why). */
  readonly pattern?: ActionPattern;
}

export interface PolicyStatement {
  readonly node: Node;
  /** Position in the `Statement` array; 0 when `Statement` is a single object. */
  readonly index: number;
  readonly sid?: string;
  /** `Allow`, `Deny`, or undefined when missing or not a string. */
  readonly effect?: string;
  /** Which list the statement uses; undefined when it has neither (a problem says so). */
  readonly listKey?: 'Action' | 'NotAction';
  /** The list's value: a string or an array. */
  readonly listNode?: Node;
  readonly entries: readonly ActionEntry[];
}

export interface PolicyDocument {
  /** The object that holds `Statement`. */
  readonly node: Node;
  /** The `Statement` value: an array, or one object. */
  readonly statementNode: Node;
  readonly statements: readonly PolicyStatement[];
}

export interface PolicyFile {
  readonly text: string;
  readonly root?: Node;
  readonly policies: readonly PolicyDocument[];
  /** JSON syntax errors. A file that has them is analysed but never edited. */
  readonly syntaxErrors: readonly Problem[];
  /** Invalid actions, statements without Effect, and the like, in recognised policies. */
  readonly problems: readonly Problem[];
}

/**
 * Finds the IAM policy documents in a JSON or JSONC text, wherever they sit: at the top (a policy
 * file), or nested (`aws iam get-policy-version` output, a `PolicyDocument` in a larger file). An
 * object is a policy when it has a `Statement` object or array of which some entry has an `Effect`
 * and an `Action` or `NotAction`; other JSON is not a policy, whatever the file is called.
 */
export function parsePolicyFile(text: string): PolicyFile {
  // A byte-order mark is not JSON; a space keeps every offset where the editor has it.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  } catch {
    // The parser recurses per nesting level: hostile nesting ends here instead of in the caller.
    const problem = { severity: 'error', code: 'json-syntax', message: 'The JSON is nested too deeply to analyse.', span: { offset: 0, length: 0 } } as const;
    return { text, policies: [], syntaxErrors: [problem], problems: [] };
  }
  const syntaxErrors: Problem[] = errors.map((e) => ({
    severity: 'error',
    code: 'json-syntax',
    message: describeParseError(e),
    span: { offset: e.offset, length: e.length },
  }));
  const problems: Problem[] = [];
  const policies: PolicyDocument[] = [];
  if (root) findPolicies(root, policies, problems);
  return { text, root, policies, syntaxErrors, problems };
}

function findPolicies(root: Node, policies: PolicyDocument[], problems: Problem[]): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'object') {
      const statementNode = property(node, 'Statement');
      if (statementNode && looksLikeStatements(statementNode)) {
        policies.push(readPolicy(node, statementNode, problems));
        continue;
      }
    }
    if (node.type === 'object' || node.type === 'array') {
      for (const child of node.children ?? []) stack.push(child.type === 'property' ? child.children?.[1] ?? child : child);
    }
  }
  policies.sort((a, b) => a.node.offset - b.node.offset);
}

function looksLikeStatements(node: Node): boolean {
  const candidates = node.type === 'array' ? node.children ?? [] : [node];
  return candidates.some((s) => s.type === 'object' && property(s, 'Effect') !== undefined
    && (property(s, 'Action') !== undefined || property(s, 'NotAction') !== undefined));
}

function readPolicy(node: Node, statementNode: Node, problems: Problem[]): PolicyDocument {
  const statementNodes = statementNode.type === 'array' ? statementNode.children ?? [] : [statementNode];
  const statements: PolicyStatement[] = [];
  statementNodes.forEach((s, index) => {
    if (s.type !== 'object') {
      problems.push(problem(s, 'malformed-statement', 'A statement must be an object.'));
      return;
    }
    statements.push(readStatement(s, index, problems));
  });
  return { node, statementNode, statements };
}

function readStatement(node: Node, index: number, problems: Problem[]): PolicyStatement {
  const effectNode = property(node, 'Effect');
  const effect = effectNode?.type === 'string' ? (effectNode.value as string) : undefined;
  if (!effectNode) problems.push(problem(node, 'malformed-statement', 'Statement has no "Effect".', 1));
  else if (effect !== 'Allow' && effect !== 'Deny') {
    problems.push(problem(effectNode, 'malformed-statement', '"Effect" must be "Allow" or "Deny".'));
  }
  const sidNode = property(node, 'Sid');
  const sid = sidNode?.type === 'string' ? (sidNode.value as string) : undefined;
  const action = property(node, 'Action');
  const notAction = property(node, 'NotAction');
  if (action && notAction) {
    problems.push(problem(notAction.parent!.children![0]!, 'malformed-statement',
      'A statement may have "Action" or "NotAction", not both.'));
    // What such a statement means is not defined, so it is not refined.
    return { node, index, sid, effect, entries: [] };
  }
  if (!action && !notAction) {
    problems.push(problem(node, 'malformed-statement', 'Statement has neither "Action" nor "NotAction".', 1));
    return { node, index, sid, effect, entries: [] };
  }
  const listKey = action ? 'Action' : 'NotAction';
  const listNode = (action ?? notAction)!;
  return { node, index, sid, effect, listKey, listNode, entries: readEntries(listNode, listKey, problems) };
}

function readEntries(listNode: Node, key: string, problems: Problem[]): ActionEntry[] {
  const items = listNode.type === 'array' ? listNode.children ?? [] : [listNode];
  if (listNode.type === 'array' && items.length === 0) {
    problems.push(problem(listNode, 'malformed-action', `"${key}" is empty.`));
  }
  const entries: ActionEntry[] = [];
  for (const item of items) {
    if (item.type !== 'string') {
      problems.push(problem(item, 'malformed-action', `An entry of "${key}" must be a string, found ${item.type}.`));
      continue;
    }
    const value = item.value as string;
    const parsed = parseActionPattern(value);
    if (!parsed.ok) problems.push(problem(item, 'malformed-action', parsed.message));
    entries.push({ value, node: item, span: { offset: item.offset, length: item.length }, pattern: parsed.ok ? parsed.pattern : undefined });
  }
  return entries;
}

/** The value of a property of an object node. */
export function property(node: Node, key: string): Node | undefined {
  for (const p of node.children ?? []) {
    if (p.type === 'property' && p.children?.[0]?.value === key) return p.children[1];
  }
  return undefined;
}

function problem(node: Node, code: string, message: string, length?: number): Problem {
  return { severity: 'error', code, message, span: { offset: node.offset, length: length ?? node.length } };
}

const PARSE_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Invalid character.',
  InvalidNumberFormat: 'Invalid number.',
  PropertyNameExpected: 'Expected a property name in double quotes.',
  ValueExpected: 'Expected a value.',
  ColonExpected: 'Expected a colon.',
  CommaExpected: 'Expected a comma.',
  CloseBraceExpected: 'Expected a closing brace "}".',
  CloseBracketExpected: 'Expected a closing bracket "]".',
  EndOfFileExpected: 'Expected the end of the document.',
  InvalidCommentToken: 'Invalid comment.',
  UnexpectedEndOfComment: 'A comment is not closed.',
  UnexpectedEndOfString: 'A string is not closed.',
  UnexpectedEndOfNumber: 'A number is not finished.',
  InvalidUnicode: 'Invalid unicode escape.',
  InvalidEscapeCharacter: 'Invalid escape character.',
  InvalidCharacter: 'Invalid character in a string.',
};

export function describeParseError(error: ParseError): string {
  const name = printParseErrorCode(error.error);
  return PARSE_MESSAGES[name] ?? name;
}
