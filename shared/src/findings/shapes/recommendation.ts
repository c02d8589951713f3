import type { Node } from 'jsonc-parser';
import type { PolicyRecommendation } from '../model';
import type { PrincipalAccumulator } from './collect';
import { type Ctx, type JsonPath, expectArray, expectObject, label, optionalString, present, stampOf, timestamp } from './json';

/**
 * The `recommendation` saved beside an unused-permissions finding: the output of
 * `get-finding-recommendation`, every page's `recommendedSteps` together. Each step names a policy
 * and what AWS recommends for it; they are kept for comparison, and never change what counts as unused.
 */
export function readRecommendation(ctx: Ctx, node: Node, path: JsonPath, principal: PrincipalAccumulator, finding: string): void {
  if (!expectObject(ctx, node, path)) return;
  const status = optionalString(ctx, node, 'status', path);
  if (status && status.value !== 'SUCCEEDED') {
    const error = present(node, 'error');
    const reason = error?.value.type === 'object' ? optionalString(ctx, error.value, 'message', [...path, 'error']) : undefined;
    ctx.info(
      'findings-recommendation',
      `AWS's recommendation for ${finding} is ${status.value}${reason ? `: ${reason.value}` : ''}, so it names no policy`,
      status.node,
      [...path, 'status'],
    );
  }
  const next = optionalString(ctx, node, 'nextToken', path);
  if (next && next.value !== '')
    ctx.warning(
      'findings-partial-page',
      `The recommendation for ${finding} is one page of a longer result: nextToken says more steps exist`,
      next.node,
      [...path, 'nextToken'],
    );
  const steps = present(node, 'recommendedSteps');
  const items = steps && expectArray(ctx, steps.value, [...path, 'recommendedSteps']);
  items?.forEach((item, i) => {
    const at = [...path, 'recommendedSteps', i];
    if (!expectObject(ctx, item, at)) return;
    const step = present(item, 'unusedPermissionsRecommendedStep');
    // Steps of kinds added later say nothing this reader knows how to use.
    if (step) readStep(ctx, step.value, [...at, 'unusedPermissionsRecommendedStep'], principal);
  });
}

function readStep(ctx: Ctx, node: Node, path: JsonPath, principal: PrincipalAccumulator): void {
  if (!expectObject(ctx, node, path)) return;
  const action = optionalString(ctx, node, 'recommendedAction', path);
  if (!action) {
    ctx.error('findings-missing', `${label(path)} has no "recommendedAction"; the step was skipped`, node, path);
    return;
  }
  const step: PolicyRecommendation = { action: action.value, span: { offset: node.offset, length: node.length } };
  const policy = optionalString(ctx, node, 'existingPolicyId', path);
  if (policy) step.existingPolicyId = policy.value;
  const recommended = optionalString(ctx, node, 'recommendedPolicy', path);
  if (recommended) step.recommendedPolicy = recommended.value;
  const updated = stampOf(timestamp(ctx, node, 'policyUpdatedAt', path));
  if (updated) step.policyUpdatedAt = updated.text;
  principal.addRecommendation(step);
}
