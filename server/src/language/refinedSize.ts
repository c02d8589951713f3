import { refinementEdits } from '../../../shared/src/policy/refinementEdits';
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
 * The size of a standalone policy that its full refinement would push over `limit`; undefined when
 * it would not, or when the policy is over the limit already (then the refinement is not the cause).
 */
export function sizeOverLimit(state: PolicyDocumentState, policy: number, limit: number): number | undefined {
  const refinement = state.analysis.refinements[policy];
  const before = sizeBefore(state);
  if (!refinement || before === undefined || before > limit) return undefined;
  const after = sizeAfter(state, refinementEdits(state.text, refinement));
  return after !== undefined && after > limit ? after : undefined;
}
