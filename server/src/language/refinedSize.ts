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
 * it would not, when the policy is over the limit already (then the refinement is not the cause),
 * or when the document is not one policy.
 */
export function sizeOverLimit(state: PolicyDocumentState, limit: number): number | undefined {
  const before = sizeBefore(state);
  if (before === undefined || before > limit) return undefined;
  // A standalone document holds one policy: its edits are the document's.
  const after = sizeAfter(state, state.analysis.edits);
  return after !== undefined && after > limit ? after : undefined;
}
