import type { Node } from 'jsonc-parser';
import type { PolicyRecommendation } from '../model';
import type { FindingsCollector, PrincipalAccumulator } from './collect';
import { type Ctx, type JsonPath, expectArray, expectObject, label, member, optionalString, present, stampOf, timestamp } from './json';

/**
 * The keys of a recommendation in each spelling AWS uses: Access Analyzer's `get-finding-recommendation`
 * (camelCase) and Security Hub's `GetRecommendedPolicyV2` (PascalCase, with its own names for two of them).
 */
const CAMEL = {
  status: 'status', error: 'error', message: 'message', nextToken: 'nextToken', resourceArn: 'resourceArn',
  steps: 'recommendedSteps', step: 'unusedPermissionsRecommendedStep', action: 'recommendedAction',
  policyId: 'existingPolicyId', policy: 'recommendedPolicy', updatedAt: 'policyUpdatedAt', type: 'recommendationType',
} as const;

type Keys = { readonly [K in keyof typeof CAMEL]: string };

const PASCAL: Keys = {
  status: 'Status', error: 'Error', message: 'Message', nextToken: 'NextToken', resourceArn: 'ResourceArn',
  steps: 'RecommendationSteps', step: 'UnusedPermissions', action: 'RecommendedAction',
  policyId: 'ExistingPolicyId', policy: 'RecommendedPolicy', updatedAt: 'PolicyUpdatedAt', type: 'RecommendationType',
};

/** The spelling an object uses: Security Hub's when it has one of its names, else Access Analyzer's. */
function keysOf(node: Node): Keys {
  return member(node, PASCAL.steps) || member(node, PASCAL.type) || member(node, PASCAL.step) || member(node, PASCAL.action)
    ? PASCAL : CAMEL;
}

/** A saved recommendation response on its own, in either spelling: it has steps or says its type. */
export function looksLikeRecommendation(node: Node): boolean {
  return [CAMEL, PASCAL].some((keys) => member(node, keys.steps) !== undefined || member(node, keys.type) !== undefined);
}

/**
 * A saved `get-finding-recommendation` or `GetRecommendedPolicyV2` response on its own: its steps
 * belong to the principal its resource ARN names. A file of these only says what AWS recommends;
 * it never says what is unused.
 */
export function readRecommendationResponse(ctx: Ctx, node: Node, path: JsonPath, out: FindingsCollector): void {
  if (!expectObject(ctx, node, path)) return;
  const keys = keysOf(node);
  const arn = optionalString(ctx, node, keys.resourceArn, path);
  readRecommendation(ctx, node, path, out.principal(arn?.value), arn ? arn.value : 'this principal');
}

export function readRecommendationList(ctx: Ctx, items: readonly Node[], path: JsonPath, out: FindingsCollector): void {
  items.forEach((item, i) => readRecommendationResponse(ctx, item, [...path, i], out));
}

/**
 * The `recommendation` saved beside an unused-permissions finding, or a response saved on its own:
 * every page's steps together. Each step names a policy and what AWS recommends for it; they are
 * kept for comparison, and never change what counts as unused.
 */
export function readRecommendation(ctx: Ctx, node: Node, path: JsonPath, principal: PrincipalAccumulator, finding: string): void {
  if (!expectObject(ctx, node, path)) return;
  const keys = keysOf(node);
  const status = optionalString(ctx, node, keys.status, path);
  if (status && status.value !== 'SUCCEEDED') {
    const error = present(node, keys.error);
    const reason = error?.value.type === 'object' ? optionalString(ctx, error.value, keys.message, [...path, keys.error]) : undefined;
    ctx.info(
      'findings-recommendation',
      `AWS's recommendation for ${finding} is ${status.value}${reason ? `: ${reason.value}` : ''}, so it names no policy`,
      status.node,
      [...path, keys.status],
    );
  }
  const next = optionalString(ctx, node, keys.nextToken, path);
  if (next && next.value !== '')
    ctx.warning(
      'findings-partial-page',
      `The recommendation for ${finding} is one page of a longer result: ${keys.nextToken} says more steps exist`,
      next.node,
      [...path, keys.nextToken],
    );
  const steps = present(node, keys.steps);
  const items = steps && expectArray(ctx, steps.value, [...path, keys.steps]);
  items?.forEach((item, i) => {
    const at = [...path, keys.steps, i];
    if (!expectObject(ctx, item, at)) return;
    const step = present(item, keys.step);
    // Steps of kinds added later say nothing this reader knows how to use.
    if (step) readStep(ctx, step.value, [...at, keys.step], principal, keys);
  });
}

function readStep(ctx: Ctx, node: Node, path: JsonPath, principal: PrincipalAccumulator, keys: Keys): void {
  if (!expectObject(ctx, node, path)) return;
  const action = optionalString(ctx, node, keys.action, path);
  if (!action) {
    ctx.error('findings-missing', `${label(path)} has no "${keys.action}"; the step was skipped`, node, path);
    return;
  }
  const step: PolicyRecommendation = { action: action.value, span: { offset: node.offset, length: node.length } };
  const policy = optionalString(ctx, node, keys.policyId, path);
  if (policy) step.existingPolicyId = policy.value;
  const recommended = optionalString(ctx, node, keys.policy, path);
  if (recommended) step.recommendedPolicy = recommended.value;
  const updated = stampOf(timestamp(ctx, node, keys.updatedAt, path));
  if (updated) step.policyUpdatedAt = updated.text;
  principal.addRecommendation(step);
}
