import type { Refiner } from '../refine/refiner';
import type { ActionRef } from '../refine/trie';
import type { PolicyFile, PolicyStatement } from './policyDocument';
import type { PolicyTextAnalysis } from './analyzePolicyText';
import type { PolicyRefinement } from './refinePolicy';

export interface VerifyOptions {
  /** Statements the edits are meant to remove. */
  removed: ReadonlySet<PolicyStatement>;
  /** Statements the edits refine in full: no unused action may stay allowed in them. */
  complete: ReadonlySet<PolicyStatement>;
}

/** The scope of refining `refinements` in full; a policy to detach is left as it is. */
export function fullRefinementScope(refinements: readonly PolicyRefinement[]): VerifyOptions {
  const statements = refinements.filter((r) => !r.fullyUnused).flatMap((r) => r.statements);
  return {
    removed: new Set(statements.filter((s) => s.unused).map((s) => s.statement)),
    // A NotAction list with a value that cannot be read is left as it is: it is not refined in full.
    complete: new Set(statements.filter((s) => s.statement.listKey !== 'NotAction' || s.notAction).map((s) => s.statement)),
  };
}

/**
 * Checks edited text against the rule that outranks every other: no statement allows anything it
 * did not, none loses an action that is not unused, statements that are not refined are untouched,
 * and the text still parses (read by the same reader); in statements refined in full, nothing unused stays allowed. It expands
 * patterns by plain matching, not by the trie walk that produced them. Returns what is wrong.
 */
export function verifyRefinement(before: PolicyTextAnalysis, refinedText: string, options: VerifyOptions): string[] {
  const after = before.read(refinedText);
  if (after.syntaxErrors.length > 0) return [`the refined text does not parse: ${after.syntaxErrors[0]!.message}`];
  if (after.policies.length !== before.file.policies.length) return ['the refined text has a different number of policies'];
  const problems: string[] = [];
  before.refinements.forEach((refinement, p) => {
    const compared = comparisons(refinement.refiner);
    const kept = refinement.statements.map((s) => s.statement).filter((s) => !options.removed.has(s));
    const refined = after.policies[p]!.statements;
    if (kept.length !== refined.length) {
      problems.push(`policy ${p + 1}: expected ${kept.length} statements, found ${refined.length}`);
      return;
    }
    kept.forEach((original, i) => problems.push(
      ...compareStatement(before.file, original, after, refined[i]!, refinement.refiner, options.complete.has(original), compared),
    ));
  });
  return problems;
}

function compareStatement(
  beforeFile: PolicyFile, original: PolicyStatement, afterFile: PolicyFile, refined: PolicyStatement, refiner: Refiner, complete: boolean,
  compared: Map<string, readonly string[]>,
): string[] {
  const where = `statement ${original.sid ?? original.index + 1}`;
  const same = textOf(beforeFile, original) === textOf(afterFile, refined);
  if (original.effect !== 'Allow' || !original.listKey) return same ? [] : [`${where}: a statement that is not refined changed`];
  if (!same && dynamicTexts(beforeFile, original) !== dynamicTexts(afterFile, refined)) {
    return [`${where}: a value that cannot be analysed changed`];
  }
  // The same text allows the same actions; only one refined in full must have lost its unused ones.
  if (same && !complete) return [];
  if (refined.listKey !== original.listKey) return [`${where}: ${original.listKey} became ${refined.listKey}`];
  // Statements that list the same patterns, before and after, compare alike: each pair is expanded once.
  const key = `${original.listKey}\u0001${complete}\u0001${listText(original)}\u0001${listText(refined)}`;
  let reasons = compared.get(key);
  if (!reasons) {
    reasons = compareLists(original, refined, refiner, complete);
    // A bound on what a long editing session can accumulate.
    if (compared.size >= 2000) compared.clear();
    compared.set(key, reasons);
  }
  return reasons.map((reason) => `${where}: ${reason}`);
}

const compared = new WeakMap<Refiner, Map<string, readonly string[]>>();

/**
 * The comparisons of lists already made against a refiner (one findings set), by their texts: they
 * depend on nothing else. Every quick fix is verified before it is offered, and over a findings file
 * of 100,000 actions one comparison of broad wildcards takes a tenth of a second.
 */
function comparisons(refiner: Refiner): Map<string, readonly string[]> {
  let known = compared.get(refiner);
  if (!known) compared.set(refiner, (known = new Map()));
  return known;
}

/** What is wrong with `refined`'s list against `original`'s, which have the same key. */
function compareLists(original: PolicyStatement, refined: PolicyStatement, refiner: Refiner, complete: boolean): string[] {
  const before = matched(original, refiner);
  const after = matched(refined, refiner);
  const unused = (a: ActionRef): boolean => refiner.hit(a) !== undefined;
  const problems: string[] = [];
  if (original.listKey === 'Action') {
    for (const [key, action] of before) {
      if (!unused(action) && !after.has(key)) problems.push(`${action.full} is no longer allowed`);
    }
    for (const [key, action] of after) {
      if (!before.has(key)) problems.push(`${action.full} is newly allowed`);
      else if (complete && unused(action)) problems.push(`unused ${action.full} is still allowed`);
    }
  } else {
    // NotAction lists what is excluded: it may grow only by unused actions, and must take them all.
    for (const [key, action] of after) {
      if (!before.has(key) && !unused(action)) problems.push(`used ${action.full} is now excluded`);
    }
    for (const [key, action] of before) if (!after.has(key)) problems.push(`${action.full} is no longer excluded`);
    if (complete) {
      for (const hit of refiner.analyzeNotAction(refined.entries.flatMap((e) => (e.pattern ? [e.pattern] : []))).unused) {
        problems.push(`unused ${hit.action.full} is still allowed`);
      }
    }
  }
  return problems;
}

/** A list as the comparison sees it: its patterns, and its entries that are none, in order. */
function listText(statement: PolicyStatement): string {
  return statement.entries.map((e) => (e.pattern ? e.pattern.text : `\u0000${e.value}`)).join('\n');
}

const expansions = new WeakMap<Refiner, Map<string, ReadonlyMap<string, ActionRef>>>();

/**
 * Every known action a statement's list matches, by lower-case name. The last few lists are kept
 * per refiner: each quick fix at a statement compares the same original list with another refinement.
 */
function matched(statement: PolicyStatement, refiner: Refiner): ReadonlyMap<string, ActionRef> {
  let known = expansions.get(refiner);
  if (!known) expansions.set(refiner, (known = new Map()));
  const key = listText(statement);
  let out = known.get(key);
  if (!out) {
    const actions = new Map<string, ActionRef>();
    for (const entry of statement.entries) {
      if (!entry.pattern) continue;
      for (const action of refiner.expand(entry.pattern)) actions.set(action.lower, action);
    }
    // Few, since one list of broad wildcards over a hostile findings file may match 100,000 actions.
    if (known.size >= 4) known.delete(known.keys().next().value!);
    known.set(key, (out = actions));
  }
  return out;
}

/** The source text of a statement's dynamic values, in order: refinement never touches them. */
function dynamicTexts(file: PolicyFile, statement: PolicyStatement): string {
  return statement.entries.filter((e) => e.dynamic).map((e) => file.text.slice(e.span.offset, e.span.offset + e.span.length)).join('\n');
}

function textOf(file: PolicyFile, statement: PolicyStatement): string {
  return file.text.slice(statement.node.offset, statement.node.offset + statement.node.length);
}
