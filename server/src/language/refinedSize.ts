import type { PolicyStatement } from '../../../shared/src/policy/policyDocument';
import type { PolicyRefinement, StatementRefinement } from '../../../shared/src/policy/refinePolicy';
import type { SourceNode } from '../../../shared/src/policy/sourceTree';
import type { TextEdit } from '../../../shared/src/text/textEdit';
import type { PolicyDocumentState } from './documentState';
import { policySize, sizeAfterEdits } from './policySize';

/** Whether the document is one policy and nothing else, so that IAM's managed-policy limit applies. */
export function isStandalone(state: PolicyDocumentState): boolean {
  const [only, ...others] = state.analysis.refinements;
  return only !== undefined && others.length === 0 && state.analysis.file.root === only.policy.node;
}

const sizes = new WeakMap<PolicyDocumentState, number>();

/** The size of a standalone policy as it is; undefined for policies inside other JSON. */
export function sizeBefore(state: PolicyDocumentState): number | undefined {
  if (!isStandalone(state)) return undefined;
  let size = sizes.get(state);
  if (size === undefined) {
    size = policySize(state.text);
    sizes.set(state, size);
  }
  return size;
}

/** The size of a standalone policy after `edits`; undefined for policies inside other JSON. */
export function sizeAfter(state: PolicyDocumentState, edits: readonly TextEdit[]): number | undefined {
  const before = sizeBefore(state);
  return before === undefined ? undefined : sizeAfterEdits(state.text, before, edits);
}

/**
 * A policy's size as IAM counts it, read from its tree rather than its text: a template's or a
 * module's policy is written in YAML or HCL, but IAM receives it as JSON. Values only known at
 * deployment (`!Sub`, `var.x`) count as their source text reads: `exact` is false then.
 */
export interface TreeSize {
  size: number;
  exact: boolean;
}

/**
 * How a size is being counted: whether every value was a literal so far, and, for a JSON text, the
 * text itself, so that a large value is counted once per text it reads as (see valueSize).
 */
interface Walk {
  exact: boolean;
  readonly text?: string;
}

/**
 * The size of a policy, its statements refined as `refinement` says (nothing refined when undefined).
 * `jsonText`: the JSON text the policy is read from, if it is one.
 */
export function policyTreeSize(refinement: PolicyRefinement, refined: boolean, jsonText?: string): TreeSize {
  const note: Walk = { exact: true, ...(jsonText === undefined ? {} : { text: jsonText }) };
  const policy = refinement.policy;
  const whole = statementSize(policy.node, note);
  if (!refined) return { size: whole, exact: note.exact };
  const before = statementSize(policy.statementNode, note);
  const after = statementsSize(refinement, note);
  return { size: whole - before + after, exact: note.exact };
}

/** The refined size of each statement, by index, for naming the largest. */
export function statementSizes(refinement: PolicyRefinement): { statement: PolicyStatement; size: number }[] {
  const note = { exact: true };
  return refinement.statements
    .map((s) => ({ statement: s.statement, size: refinedStatementSize(s, note) }))
    .filter((s): s is { statement: PolicyStatement; size: number } => s.size !== undefined);
}

function statementsSize(refinement: PolicyRefinement, note: Walk): number {
  const node = refinement.policy.statementNode;
  const byNode = new Map(refinement.statements.map((s) => [s.statement.node, s]));
  const sizes: number[] = [];
  const items = node.type === 'array' ? node.children ?? [] : [node];
  const removesAll = refinement.fullyUnused;
  for (const item of items) {
    const s = byNode.get(item);
    if (!s || removesAll) sizes.push(statementSize(item, note));
    else {
      const size = refinedStatementSize(s, note);
      if (size !== undefined) sizes.push(size);
    }
  }
  const inner = sizes.reduce((a, b) => a + b, 0) + Math.max(0, sizes.length - 1);
  return node.type === 'array' ? inner + 2 : inner;
}

/** A statement's size once refined; undefined when it goes. */
function refinedStatementSize(s: StatementRefinement, note: Walk): number | undefined {
  if (s.unused) return undefined;
  const whole = statementSize(s.statement.node, note);
  const list = s.statement.listNode;
  if (!s.changed || !list) return whole;
  // The list as written once refined: how many values, and their characters with quotes.
  let count = 0;
  let size = 0;
  const add = (patterns: readonly string[]): void => {
    count += patterns.length;
    size += quotedSize(patterns);
  };
  const items = list.type === 'array' ? list.children ?? [] : [list];
  const byNode = s.notAction ? undefined : new Map(s.entries.map((e) => [e.entry.node, e]));
  for (const item of items) {
    const replacement = byNode?.get(item)?.replacement;
    if (replacement) add(replacement);
    else {
      count++;
      size += valueSize(item, note);
    }
  }
  if (s.notAction) add(s.notAction.additions);
  // One value stays a string; several are a list.
  if (count !== 1 || list.type === 'array') size += 2 + Math.max(0, count - 1);
  return whole - valueSize(list, note) + size;
}

/**
 * The characters of patterns written as JSON strings. Replacement lists are shared by every
 * analysis of the same list (the refiner remembers them), so each is counted once.
 */
const quotedSizes = new WeakMap<readonly string[], number>();

function quotedSize(patterns: readonly string[]): number {
  let size = quotedSizes.get(patterns);
  if (size === undefined) {
    size = 0;
    for (const p of patterns) size += JSON.stringify(p).length;
    quotedSizes.set(patterns, size);
  }
  return size;
}

/**
 * A statement's (or a whole policy's) size, kept while its node lives: a policy is sized before and
 * after refining, in words and perhaps compact, and each time every statement is counted.
 */
const knownStatementSizes = new WeakMap<SourceNode, TreeSize>();

function statementSize(node: SourceNode, note: Walk): number {
  let known = knownStatementSizes.get(node);
  if (!known) {
    known = nodeSize(node, note.text);
    knownStatementSizes.set(node, known);
  }
  if (!known.exact) note.exact = false;
  return known.size;
}

/** The JSON size of a value of the tree, without white space; `exact` false when an expression was counted as it reads. */
export function nodeSize(node: SourceNode, jsonText?: string): TreeSize {
  const note: Walk = { exact: true, ...(jsonText === undefined ? {} : { text: jsonText }) };
  return { size: valueSize(node, note), exact: note.exact };
}

/**
 * Sizes of large JSON values by their text. A keystroke reads the whole text again, into new nodes,
 * and all its statements but one read as they did: each is then one lookup, not a walk.
 */
const textSizes = new Map<string, TreeSize>();

/** Below this many characters a value is walked: its text would cost as much to look up. */
const TEXT_SIZED = 200;

/** The JSON size of a value of the tree, without white space. */
function valueSize(node: SourceNode, note: Walk): number {
  switch (node.type) {
    case 'object':
    case 'array': {
      if (note.text !== undefined && node.length >= TEXT_SIZED) return sizeByText(node, note, note.text);
      const children = node.children ?? [];
      let size = 2 + Math.max(0, children.length - 1);
      for (const child of children) size += valueSize(child, note);
      return size;
    }
    case 'property': {
      const [key, value] = node.children ?? [];
      return JSON.stringify(String(key?.value ?? '')).length + 1 + (value ? valueSize(value, note) : 4);
    }
    case 'string':
      return JSON.stringify(String(node.value)).length;
    case 'expression':
      note.exact = false;
      return JSON.stringify(String(node.value ?? '')).length;
    default:
      return String(node.value).length;
  }
}

function sizeByText(node: SourceNode, note: Walk, text: string): number {
  const key = text.slice(node.offset, node.offset + node.length);
  let known = textSizes.get(key);
  if (!known) {
    const inner: Walk = { exact: true, text };
    const children = node.children ?? [];
    let size = 2 + Math.max(0, children.length - 1);
    for (const child of children) size += valueSize(child, inner);
    known = { size, exact: inner.exact };
    // A bound on what a long editing session can accumulate.
    if (textSizes.size >= 20000) textSizes.clear();
    textSizes.set(key, known);
  }
  if (!known.exact) note.exact = false;
  return known.size;
}
