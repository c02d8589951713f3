import type { Refiner, NotActionAnalysis, PatternAnalysis } from '../refine/refiner';
import type { Problem } from '../text/problem';
import { type ActionEntry, type PolicyDocument, type PolicyStatement, readsEveryStatement } from './policyDocument';

export interface EntryRefinement extends PatternAnalysis {
  readonly entry: ActionEntry;
}

export interface StatementRefinement {
  readonly statement: PolicyStatement;
  /** For `Action` statements: one per valid entry, in document order. */
  readonly entries: readonly EntryRefinement[];
  /** For `Allow` statements with `NotAction`. */
  readonly notAction?: NotActionAnalysis;
  /** Every action the statement allows is unused: the statement should go. */
  readonly unused: boolean;
  /** Whether anything in the statement should change. */
  readonly changed: boolean;
}

/**
 * How replacements are written: `words`, the shortest safe word-aligned prefixes (`s3:GetObject*`);
 * `compact`, the fewest characters that allow exactly the same actions (`s3:GetO*`, `s3:*Tagging`).
 */
export type RefinementStyle = 'words' | 'compact';

export interface PolicyRefinement {
  readonly policy: PolicyDocument;
  readonly style: RefinementStyle;
  /** What the policy was refined against: the findings of the principals it belongs to. */
  readonly refiner: Refiner;
  readonly statements: readonly StatementRefinement[];
  /**
   * Every statement allows only unused actions. Removing them all would leave an invalid policy,
   * so nothing is removed and the fix is to detach the policy.
   */
  readonly fullyUnused: boolean;
  readonly problems: readonly Problem[];
}

/** The least-general refinement of every Allow statement of a policy. Deny statements never change. */
export function refinePolicy(policy: PolicyDocument, refiner: Refiner, style: RefinementStyle = 'words'): PolicyRefinement {
  let statements = policy.statements.map((s) => refineStatement(s, refiner, style));
  const problems: Problem[] = [];
  const span = { offset: policy.source.anchor.offset, length: policy.source.anchor.length };
  const allUnused = statements.length > 0 && statements.every((s) => s.unused);
  if (allUnused && !readsEveryStatement(policy)) {
    // Beside a statement that cannot be read (`!If`), which may allow what is in use or come to
    // nothing, removing the others could leave no statement at all: nothing is changed, and a
    // person decides.
    statements = policy.statements.map((statement) => ({ statement, entries: [], unused: false, changed: false }));
    problems.push({
      severity: 'warning',
      code: 'unused-policy',
      message: 'Every action the readable statements of this policy allow is unused, '
        + 'and the others are not known until deployment: nothing is removed automatically.',
      span,
    });
  }
  const fullyUnused = allUnused && readsEveryStatement(policy);
  if (fullyUnused) {
    problems.push({
      severity: 'warning',
      code: 'unused-policy',
      message: 'Every action this policy allows is unused: detach the policy rather than edit it.',
      span,
    });
  }
  return { policy, style, refiner, statements, fullyUnused, problems };
}

const restyled = new WeakMap<PolicyRefinement, PolicyRefinement>();

/** The same refinement written in another style: the same statements go, the same actions stay. */
export function inStyle(refinement: PolicyRefinement, style: RefinementStyle): PolicyRefinement {
  if (refinement.style === style) return refinement;
  let other = restyled.get(refinement);
  if (!other) {
    other = refinePolicy(refinement.policy, refinement.refiner, style);
    restyled.set(refinement, other);
    // Both ways: asked back for the first style, the other one gives the refinement it came from.
    restyled.set(other, refinement);
  }
  return other;
}

export function refineStatement(statement: PolicyStatement, refiner: Refiner, style: RefinementStyle = 'words'): StatementRefinement {
  const unchanged = { statement, entries: [], unused: false, changed: false };
  if (statement.effect !== 'Allow' || !statement.listKey) return unchanged;
  const valid = statement.entries.filter((e) => e.pattern);
  if (statement.listKey === 'NotAction') {
    // A NotAction with an invalid entry excludes something we cannot know: leave it alone.
    if (valid.length < statement.entries.length) return unchanged;
    const notAction = refiner.analyzeNotAction(valid.map((e) => e.pattern!));
    return { statement, entries: [], notAction, unused: false, changed: notAction.additions.length > 0 };
  }
  const judged = judgeList(statement.entries, refiner, style);
  const entries = valid.map((entry, i) => entryRefinement(entry, judged.analyses[i]!));
  return { statement, entries, unused: judged.unused, changed: judged.changed };
}

/** What an `Action` list comes to, apart from where it is written: one analysis per valid entry. */
interface ListJudgement {
  readonly analyses: readonly PatternAnalysis[];
  readonly unused: boolean;
  readonly changed: boolean;
}

/**
 * Judgements by list text, per refiner. A document is refined again at every keystroke, and all
 * its lists but one are the ones it had a keystroke ago; the judgement depends on nothing else.
 */
const judgements = new WeakMap<Refiner, Map<string, ListJudgement>>();

function judgeList(list: readonly ActionEntry[], refiner: Refiner, style: RefinementStyle): ListJudgement {
  let known = judgements.get(refiner);
  if (!known) {
    known = new Map();
    judgements.set(refiner, known);
  }
  // An invalid entry is marked apart: it is never analysed, but it keeps its statement.
  const key = `${style}\n${list.map((e) => (e.pattern ? e.value : `\u0000${e.value}`)).join('\n')}`;
  let judged = known.get(key);
  if (!judged) {
    // A bound on what a long editing session can accumulate.
    if (known.size >= 20000) known.clear();
    judged = computeJudgement(list, refiner, style);
    known.set(key, judged);
  }
  return judged;
}

function computeJudgement(list: readonly ActionEntry[], refiner: Refiner, style: RefinementStyle): ListJudgement {
  const valid = list.filter((e) => e.pattern);
  const analysed = valid.map((e) => {
    const words = refiner.analyzePattern(e.pattern!);
    if (style === 'words' || !words.replacement || words.replacement.length === 0) return words;
    return { ...words, replacement: [...refiner.compactReplacement(e.pattern!)!] };
  });
  // Judged before dedupe, which empties replacements that only repeat other entries.
  // Invalid entries stay, so a statement that has one is never removed.
  const unused = valid.length === list.length && analysed.length > 0 && analysed.every((a) => a.replacement?.length === 0);
  const analyses = dedupe(valid.map((e) => e.value), analysed);
  return { analyses, unused, changed: analyses.some((a) => a.replacement !== undefined) };
}

/**
 * Written out field by field rather than spread: objects of one shape are the cheapest to make
 * and to collect.
 */
function entryRefinement(entry: ActionEntry, analysis: PatternAnalysis): EntryRefinement {
  const { allowedCount, unused, wholeServiceUnused, replacement } = analysis;
  return { entry, allowedCount, unused, wholeServiceUnused, replacement };
}

/**
 * Drops replacement patterns that the list already has (`values`), or that an earlier replacement
 * emits: the union allowed stays the same, the list gets no duplicates.
 */
function dedupe(values: readonly string[], analyses: readonly PatternAnalysis[]): PatternAnalysis[] {
  const present = new Set(values.filter((_, i) => analyses[i]!.replacement === undefined).map((v) => v.toLowerCase()));
  return analyses.map((a) => {
    if (!a.replacement) return a;
    const keys = lowerCased(a.replacement);
    const kept = a.replacement.filter((_, i) => {
      if (present.has(keys[i]!)) return false;
      present.add(keys[i]!);
      return true;
    });
    // Nearly always nothing is dropped: the analysis then stays the one the refiner shares.
    return kept.length === a.replacement.length ? a : { ...a, replacement: kept };
  });
}

/**
 * Replacements are shared by every analysis of the same pattern (the refiner memoises them):
 * each is lower-cased once.
 */
const lowered = new WeakMap<readonly string[], readonly string[]>();

function lowerCased(patterns: readonly string[]): readonly string[] {
  let keys = lowered.get(patterns);
  if (!keys) {
    keys = patterns.map((p) => p.toLowerCase());
    lowered.set(patterns, keys);
  }
  return keys;
}
