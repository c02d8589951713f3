import type { Refiner } from '../refine/refiner';
import type { Problem } from '../text/problem';
import type { TextEdit } from '../text/textEdit';
import { type PolicyFile, parsePolicyFile } from './policyDocument';
import { type PolicyRefinement, refinePolicy } from './refinePolicy';
import { refinementEdits } from './refinementEdits';

export interface PolicyTextAnalysis {
  readonly file: PolicyFile;
  readonly refinements: readonly PolicyRefinement[];
  /**
   * Every edit the refinements call for; none while the text has JSON syntax errors. Computed on
   * first use: the editor needs them only for code actions and the size check, not per keystroke.
   */
  readonly edits: readonly TextEdit[];
  /** Syntax errors, invalid statements and actions, policies to detach. */
  readonly problems: readonly Problem[];
}

/** Parses a JSON/JSONC text, refines every policy in it, and computes the edits. */
export function analyzePolicyText(text: string, refiner: Refiner): PolicyTextAnalysis {
  const file = parsePolicyFile(text);
  const refinements = file.policies.map((p) => refinePolicy(p, refiner));
  const problems = [...file.syntaxErrors, ...file.problems, ...refinements.flatMap((r) => r.problems)];
  let edits: readonly TextEdit[] | undefined;
  return {
    file,
    refinements,
    problems,
    get edits() {
      // Editing a text that does not parse could make it worse: analyse it, but leave it alone.
      edits ??= file.syntaxErrors.length > 0 ? [] : refinements.flatMap((r) => refinementEdits(text, r));
      return edits;
    },
  };
}
