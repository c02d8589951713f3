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

/** The size of a standalone policy after `edits`; undefined for policies inside other JSON. */
export function sizeAfter(state: PolicyDocumentState, edits: readonly TextEdit[]): number | undefined {
  if (!isStandalone(state)) return undefined;
  let before = sizes.get(state);
  if (before === undefined) {
    before = policySize(state.text);
    sizes.set(state, before);
  }
  return sizeAfterEdits(state.text, before, edits);
}

/** The size of a standalone policy once fully refined; undefined when nothing changes or it is not standalone. */
export function refinedPolicySize(state: PolicyDocumentState, policy: number): number | undefined {
  const refinement = state.analysis.refinements[policy];
  if (!refinement || !isStandalone(state)) return undefined;
  const edits = refinementEdits(state.text, refinement);
  return edits.length === 0 ? undefined : sizeAfter(state, edits);
}
