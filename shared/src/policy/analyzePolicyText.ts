import type { Refiner } from '../refine/refiner';
import type { Problem } from '../text/problem';
import type { TextEdit } from '../text/textEdit';
import type { PolicyDocument, PolicyFile } from './policyDocument';
import { type PolicyRefinement, refinePolicy } from './refinePolicy';
import { refinementEdits } from './refinementEdits';

/**
 * Reads the policies of a text in one format; verification reads a refined text the same way.
 * `previous`, the reading of the text this one was edited from, may make it quicker; what is read
 * is the same with it or without.
 */
export type PolicyReader = (text: string, previous?: PolicyFile) => PolicyFile;

export interface PolicyTextAnalysis {
  readonly file: PolicyFile;
  /** How `file` was read: a refined text is read back the same way to check it. */
  readonly read: PolicyReader;
  readonly refinements: readonly PolicyRefinement[];
  /**
   * Every edit the refinements call for; none while the text has syntax errors. Computed on first
   * use: the editor needs them only for code actions and the size check, not per keystroke.
   */
  readonly edits: readonly TextEdit[];
  /** Syntax errors, invalid statements and actions, dynamic values, policies to detach. */
  readonly problems: readonly Problem[];
}

/**
 * Reads a text, refines every policy in it against the findings of the principals it belongs to,
 * and computes the edits. `previous` is the reading of the text this one was edited from, if any.
 */
export function analyzePolicies(
  text: string,
  read: PolicyReader,
  refinerFor: (policy: PolicyDocument) => Refiner,
  previous?: PolicyFile,
): PolicyTextAnalysis {
  const file = read(text, previous);
  const refinements = file.policies.map((p) => refinePolicy(p, refinerFor(p)));
  const problems = [...file.syntaxErrors, ...file.problems, ...refinements.flatMap((r) => r.problems)];
  let edits: readonly TextEdit[] | undefined;
  return {
    file,
    read,
    refinements,
    problems,
    get edits() {
      // Editing a text that does not parse could make it worse: analyse it, but leave it alone.
      edits ??= file.syntaxErrors.length > 0 ? [] : refinements.flatMap((r) => refinementEdits(r));
      return edits;
    },
  };
}
