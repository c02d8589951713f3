import type { PolicyTextAnalysis } from '../../../shared/src/policy/analyzePolicyText';
import { type PolicyRefinement, type RefinementStyle, inStyle } from '../../../shared/src/policy/refinePolicy';
import { refinementEdits } from '../../../shared/src/policy/refinementEdits';
import type { Problem } from '../../../shared/src/text/problem';
import type { TextEdit } from '../../../shared/src/text/textEdit';
import { KIND_NAMES, type PolicyBudget, type PolicyKind, policyBudget } from './policyKind';
import { policySize, sizeAfterEdits } from './policySize';
import { policyTreeSize, statementSizes, type TreeSize } from './refinedSize';
import { count } from './verdicts';

/** `auto`: the word form when the refined policy fits its limit, else the compact form. */
export type StyleSetting = 'auto' | RefinementStyle;

export const STYLE_SETTINGS: readonly StyleSetting[] = ['auto', 'words', 'compact'];

export interface StyleOptions {
  readonly style: StyleSetting;
  /** The kind of a policy whose source does not say where it ends up. */
  readonly fallback: PolicyKind;
}

/** What one policy comes to in size, refined in the style chosen for it. */
export interface PolicySizeVerdict {
  readonly budget: PolicyBudget;
  readonly before: number;
  /** Refined in words. */
  readonly words: number;
  /** Refined in the compact form, when that was needed: words did not fit, or the style asks for it. */
  readonly compact?: number;
  readonly chosen: RefinementStyle;
  /** The size of what its limit counts, once refined: the policy, or all the inline policies of its principal. */
  readonly total: number;
  /** False when values known only at deployment were counted as they read. */
  readonly exact: boolean;
}

const verdicts = new WeakMap<PolicyTextAnalysis, readonly (PolicySizeVerdict | undefined)[]>();

/** Per policy of an analysis made by `styledAnalysis`, its size verdict; undefined for a policy with nothing to refine. */
export function sizeVerdicts(analysis: PolicyTextAnalysis): readonly (PolicySizeVerdict | undefined)[] {
  return verdicts.get(analysis) ?? [];
}

interface Sized {
  readonly refinement: PolicyRefinement;
  readonly budget: PolicyBudget;
  readonly before: number;
  /** Refined in words; counted on first use. */
  readonly words: number;
  /** False when values known only at deployment were counted as they read (before or in words). */
  readonly exact: boolean;
  compactSize?: number;
  /** A standalone policy's compact edits, once made for its size: the analysis's edits then. */
  compactEdits?: readonly TextEdit[];
}

/**
 * The analysis with each policy refined in the style the options choose, and an error-level
 * `policy-size` problem for each refined policy that does not fit its limit even so. Returns the
 * analysis itself when nothing changes.
 */
export function styledAnalysis(analysis: PolicyTextAnalysis, options: StyleOptions): PolicyTextAnalysis {
  const { file, refinements } = analysis;
  if (file.syntaxErrors.length > 0 || !refinements.some((r) => !r.fullyUnused && r.statements.some((s) => s.changed))) return analysis;
  const standalone = refinements.length === 1 && file.root === refinements[0]!.policy.node;
  // In JSON a value's text says its size, so unchanged statements are sized by a lookup (see refinedSize).
  const jsonText = file.format === 'json' ? file.text : undefined;
  // Sizes are read from the refined trees, which needs no edits: a keystroke makes none. A
  // standalone policy's size before is its text's (comments do not count), and its size is counted
  // again from the edits where a message gives it (see exactTotal).
  const sized: Sized[] = refinements.map((refinement) => {
    const budget = policyBudget(refinement.policy, options.fallback);
    const before = standalone ? { size: policySize(file.text), exact: true } : policyTreeSize(refinement, false, jsonText);
    let words: TreeSize | undefined;
    const inWords = (): TreeSize => (words ??= policyTreeSize(refinement, !refinement.fullyUnused, jsonText));
    return {
      refinement, budget, before: before.size,
      get words() {
        return inWords().size;
      },
      get exact() {
        return before.exact && inWords().exact;
      },
    };
  });
  const compactSize = (s: Sized): number => {
    if (s.compactSize === undefined) {
      const compact = inStyle(s.refinement, 'compact');
      s.compactSize = policyTreeSize(compact, !compact.fullyUnused, jsonText).size;
    }
    return s.compactSize;
  };
  /** A standalone policy's refined size from its text and edits, exactly as the code actions count it. */
  const exactTotal = (s: Sized, refined: PolicyRefinement, total: number): number => {
    if (!standalone) return total;
    const edits = refinementEdits(refined);
    if (refined.style === 'compact') s.compactEdits = edits;
    return sizeAfterEdits(file.text, s.before, edits);
  };
  // The policies that share a limit: a principal's inline policies, or each policy alone.
  const groups = new Map<string, Sized[]>();
  sized.forEach((s, i) => {
    const key = s.budget.shared ?? `policy ${i}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  });
  const groupOf = (s: Sized): readonly Sized[] => groups.get(s.budget.shared ?? '') ?? [s];
  // The style of each group, chosen on first use: a group over its limit before refining gets no
  // size problem, and nothing but code actions and the hover needs to know its form.
  const chosen = new Map<string | Sized, RefinementStyle>();
  const styleOf = (s: Sized): RefinementStyle => {
    if (options.style !== 'auto') return options.style;
    const key = s.budget.shared ?? s;
    let style = chosen.get(key);
    if (!style) {
      style = groupOf(s).reduce((sum, g) => sum + g.words, 0) <= s.budget.limit ? 'words' : 'compact';
      chosen.set(key, style);
    }
    return style;
  };
  const sizeOf = (s: Sized): number => (styleOf(s) === 'compact' ? compactSize(s) : s.words);
  const totalOf = (s: Sized): number => groupOf(s).reduce((sum, g) => sum + sizeOf(g), 0);
  // Refined in another style only when something asks for it (code actions, the hover): the
  // diagnostics read what is unused and what is replaced, the same in either style (see wordRefinements).
  const styledOf = (s: Sized): PolicyRefinement => inStyle(s.refinement, styleOf(s));
  const problems: Problem[] = [];
  let undecided = false;
  const list = sized.map((s): PolicySizeVerdict | undefined => {
    const { refinement } = s;
    if (refinement.fullyUnused || !refinement.statements.some((st) => st.changed)) return undefined;
    const beforeTotal = groupOf(s).reduce((sum, g) => sum + g.before, 0);
    // A policy over its limit already is not pushed over by the refinement: that is not this check's
    // to say, and its refined size is counted only when something asks for it.
    if (beforeTotal > s.budget.limit) {
      undecided ||= options.style === 'auto';
      return lazyVerdict(s, () => styleOf(s), () => totalOf(s), () => s.compactSize);
    }
    let total = totalOf(s);
    if (total > s.budget.limit) total = exactTotal(s, styledOf(s), total);
    const verdict = lazyVerdict(s, () => styleOf(s), () => total, () => s.compactSize);
    if (total > s.budget.limit) problems.push(sizeProblem(styledOf(s), verdict));
    return verdict;
  });
  const restyled = undecided || sized.some((s) => styleOf(s) !== s.refinement.style);
  if (!restyled && problems.length === 0) {
    verdicts.set(analysis, list);
    return analysis;
  }
  let styled: readonly PolicyRefinement[] | undefined;
  let edits: readonly TextEdit[] | undefined;
  const result: PolicyTextAnalysis = {
    file,
    read: analysis.read,
    get refinements() {
      styled ??= sized.map(styledOf);
      return styled;
    },
    problems: [...analysis.problems, ...problems],
    get edits() {
      edits ??= this.refinements.flatMap((r, i) => (r.style === 'compact' && sized[i]!.compactEdits) || refinementEdits(r));
      return edits;
    },
  };
  verdicts.set(result, list);
  analysed.set(result, refinements);
  return result;
}

/** A size verdict whose refined sizes, and the form they are counted in, are worked out on first use. */
function lazyVerdict(
  s: Sized, chosen: () => RefinementStyle, total: () => number, compact: () => number | undefined,
): PolicySizeVerdict {
  let known: number | undefined;
  return {
    budget: s.budget, before: s.before,
    get words() {
      return s.words;
    },
    get exact() {
      return s.exact;
    },
    get chosen() {
      return chosen();
    },
    get total() {
      known ??= total();
      return known;
    },
    // Known once the total is: counting it in the compact form is what sizes that form.
    get compact() {
      known ??= total();
      return compact();
    },
  };
}

const analysed = new WeakMap<PolicyTextAnalysis, readonly PolicyRefinement[]>();

/**
 * The refinements as analysed, in words, before a policy was restyled: what the diagnostics read.
 * Which actions are unused, which entries change and which statements go is the same in either
 * style; only the patterns that replace a wildcard differ, and no diagnostic names them.
 */
export function wordRefinements(analysis: PolicyTextAnalysis): readonly PolicyRefinement[] {
  return analysed.get(analysis) ?? analysis.refinements;
}

/** Says by how much a refined policy is over its limit, and which statements weigh most. */
function sizeProblem(refinement: PolicyRefinement, v: PolicySizeVerdict): Problem {
  const about = v.exact ? '' : 'about ';
  const principal = v.budget.principal;
  const what = principal ? `Refined, the inline policies of ${v.budget.kind} ${principal} would have` : 'Refined, this policy would have';
  const form = v.chosen === 'compact' ? ' even in the compact form' : '';
  const largest = statementSizes(refinement).sort((a, b) => b.size - a.size).slice(0, 3)
    .map(({ statement, size }) => `${statement.sid ? `"${statement.sid}"` : `statement ${statement.index + 1}`} `
      + `(${count(size)} characters)`);
  const message = `${what} ${about}${count(v.total)} characters${form}: ${count(v.total - v.budget.limit)} over the `
    + `${count(v.budget.limit)} allowed for ${KIND_NAMES[v.budget.kind]}${v.budget.known ? '' : ' (assumed: nothing says where it goes)'}. `
    + `Largest statements: ${largest.join(', ')}. Split the statements over more policies.`;
  const span = { offset: refinement.policy.statementNode.offset, length: 1 };
  return { severity: 'error', code: 'policy-size', message, span };
}
