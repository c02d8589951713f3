import { type ParseError, printParseErrorCode } from 'jsonc-parser';
import type { PolicySourceFile, SourceFormat, SourcePolicy } from './policySource';
import { type ActionPattern, parseActionPattern } from '../patterns/actionPattern';
import type { Problem, Span } from '../text/problem';
import { describeDynamic, isDynamic, property, type SourceNode } from './sourceTree';

/** One value of an `Action` or `NotAction` list. */
export interface ActionEntry {
  /** The string's value; for a dynamic value, how it reads (`!Sub`). */
  readonly value: string;
  /** The value's node: for a string, quotes included. */
  readonly node: SourceNode;
  readonly span: Span;
  /** Undefined when the value is not a valid action, or not known statically (a problem says why). */
  readonly pattern?: ActionPattern;
  /** The value is an expression (`!Sub`, `var.actions`): never analysed, never changed. */
  readonly dynamic?: boolean;
}

export interface PolicyStatement {
  readonly node: SourceNode;
  /** Position in the `Statement` list; 0 when `Statement` is a single object. */
  readonly index: number;
  readonly sid?: string;
  /** `Allow`, `Deny`, or undefined when missing, dynamic or not a string. */
  readonly effect?: string;
  /** Which list the statement uses; undefined when it has neither (a problem says so). */
  readonly listKey?: 'Action' | 'NotAction';
  /** The list's value: a string, a list, or an expression. */
  readonly listNode?: SourceNode;
  readonly entries: readonly ActionEntry[];
}

export interface PolicyDocument {
  /** The node that holds `Statement`. */
  readonly node: SourceNode;
  /** The `Statement` value: a list, or one object. */
  readonly statementNode: SourceNode;
  readonly statements: readonly PolicyStatement[];
  /** Where the policy came from: its writer, its anchor, the resource and principals it belongs to. */
  readonly source: SourcePolicy;
}

export interface PolicyFile {
  readonly format: SourceFormat;
  readonly text: string;
  /** For a JSON text, its top value: a policy that is the whole file is a standalone policy. */
  readonly root?: SourceNode;
  readonly policies: readonly PolicyDocument[];
  /** Syntax errors. A file that has them is analysed but never edited. */
  readonly syntaxErrors: readonly Problem[];
  /** Invalid actions, statements without Effect, values that cannot be known statically, and the like. */
  readonly problems: readonly Problem[];
}

/** Reads the statements and actions of every policy a format's reader found. */
export function readPolicyFile(source: PolicySourceFile, root?: SourceNode): PolicyFile {
  const problems: Problem[] = [];
  const policies = source.policies.map((p) => readPolicy(p, problems));
  // A dynamic statement spans many lines: its note goes on the first, as a squiggle that size reads.
  for (const p of problems) {
    if (p.code !== 'dynamic-value') continue;
    const eol = source.text.slice(p.span.offset, p.span.offset + p.span.length).search(/\s*[\r\n]/);
    if (eol > 0) p.span = { offset: p.span.offset, length: eol };
  }
  return { format: source.format, text: source.text, root, policies, syntaxErrors: source.syntaxErrors, problems };
}

/** Whether every statement of the policy could be read: none is an expression or malformed. */
export function readsEveryStatement(policy: PolicyDocument): boolean {
  const node = policy.statementNode;
  return policy.statements.length === (node.type === 'array' ? node.children?.length ?? 0 : 1);
}

/**
 * Whether a value looks like a policy's statements: an object, or a list with an object, that has
 * an `Effect` and an `Action` or `NotAction`. Used where any object with `Statement` may be a policy.
 */
export function looksLikeStatements(node: SourceNode): boolean {
  const candidates = node.type === 'array' ? node.children ?? [] : [node];
  return candidates.some((s) => s.type === 'object' && property(s, 'Effect') !== undefined
    && (property(s, 'Action') !== undefined || property(s, 'NotAction') !== undefined));
}

function readPolicy(source: SourcePolicy, problems: Problem[]): PolicyDocument {
  const statementNode = source.statementNode;
  const statementNodes = statementNode.type === 'array' ? statementNode.children ?? [] : [statementNode];
  const statements: PolicyStatement[] = [];
  statementNodes.forEach((s, index) => {
    if (isDynamic(s)) {
      problems.push(dynamicProblem(s, 'this statement is left as it is'));
    } else if (s.type !== 'object') {
      problems.push(problem(s, 'malformed-statement', 'A statement must be an object.'));
    } else {
      statements.push(readStatement(s, index, source.defaultEffect, problems));
    }
  });
  return { node: source.node, statementNode, statements, source };
}

function readStatement(node: SourceNode, index: number, defaultEffect: string | undefined, problems: Problem[]): PolicyStatement {
  const effectNode = property(node, 'Effect');
  let effect = effectNode?.type === 'string' ? (effectNode.value as string) : undefined;
  if (!effectNode) {
    if (defaultEffect) effect = defaultEffect;
    else problems.push(problem(node, 'malformed-statement', 'Statement has no "Effect".', 1));
  } else if (isDynamic(effectNode)) {
    problems.push(dynamicProblem(effectNode, 'this statement is left as it is'));
  } else if (effect !== 'Allow' && effect !== 'Deny') {
    problems.push(problem(effectNode, 'malformed-statement', '"Effect" must be "Allow" or "Deny".'));
  }
  const sidNode = property(node, 'Sid');
  const sid = sidNode?.type === 'string' ? (sidNode.value as string) : undefined;
  const action = property(node, 'Action');
  const notAction = property(node, 'NotAction');
  if (action && notAction) {
    problems.push(problem(notAction.parent?.children?.[0] ?? notAction, 'malformed-statement',
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

function readEntries(listNode: SourceNode, key: string, problems: Problem[]): ActionEntry[] {
  // A whole list that is an expression is one entry that cannot be known: the statement stays as it is.
  const items = listNode.type === 'array' ? listNode.children ?? [] : [listNode];
  if (listNode.type === 'array' && items.length === 0) {
    problems.push(problem(listNode, 'malformed-action', `"${key}" is empty.`));
  }
  const entries: ActionEntry[] = [];
  for (const item of items) {
    const span = { offset: item.offset, length: item.length };
    if (isDynamic(item)) {
      problems.push(dynamicProblem(item, 'it is left as it is'));
      entries.push({ value: describeDynamic(item), node: item, span, dynamic: true });
      continue;
    }
    if (item.type !== 'string') {
      problems.push(problem(item, 'malformed-action', `An entry of "${key}" must be a string, found ${item.type}.`));
      continue;
    }
    const value = item.value as string;
    const parsed = parseActionPattern(value);
    if (!parsed.ok) problems.push(problem(item, 'malformed-action', parsed.message));
    entries.push({ value, node: item, span, pattern: parsed.ok ? parsed.pattern : undefined });
  }
  return entries;
}

function dynamicProblem(node: SourceNode, consequence: string): Problem {
  return {
    severity: 'info',
    code: 'dynamic-value',
    message: `${describeDynamic(node)} is not known until deployment and cannot be analysed statically: ${consequence}.`,
    span: { offset: node.offset, length: node.length },
  };
}

function problem(node: SourceNode, code: string, message: string, length?: number): Problem {
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
