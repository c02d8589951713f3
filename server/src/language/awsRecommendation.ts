import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePolicyFile } from '../../../shared/src/formats/json/jsonSource';
import type { PolicyRecommendation } from '../../../shared/src/findings/model';
import { type ActionPattern, parseActionPattern } from '../../../shared/src/patterns/actionPattern';
import type { PolicyDocument } from '../../../shared/src/policy/policyDocument';
import type { PolicyRefinement } from '../../../shared/src/policy/refinePolicy';
import type { Refiner } from '../../../shared/src/refine/refiner';
import type { ActionRef } from '../../../shared/src/refine/trie';
import type { LoadedFindings } from '../workspace/findingsFiles';
import type { PolicyDocumentState } from './documentState';
import { plural } from './verdicts';

/** Our refinement of one policy beside AWS's recommendation for it, compared by the actions each allows. */
export interface RecommendationComparison {
  /** The policy as AWS names it: a managed policy's ARN or an inline policy's name. */
  readonly policyId: string;
  /** AWS says to detach the policy rather than replace it. */
  readonly detach: boolean;
  /** Set when the two cannot be compared (a value known only at deployment, a recommendation that does not parse). */
  readonly unknown?: string;
  /** Actions our refinement allows and AWS's recommendation does not, in name order. */
  readonly onlyOurs: readonly string[];
  /** Actions AWS's recommendation allows and our refinement does not, in name order. */
  readonly onlyAws: readonly string[];
  /** How many actions our refinement allows. */
  readonly ours: number;
}

/**
 * AWS's recommendation for a policy, where the findings that apply to it hold one: the one that
 * names it (a managed policy's ARN or an inline policy's name, against the file's name for a
 * standalone policy), else the only one when the document has only this policy.
 */
export function recommendationFor(
  policy: PolicyDocument,
  policyCount: number,
  path: string | undefined,
  findings: readonly LoadedFindings[],
): PolicyRecommendation | undefined {
  const steps = findings.flatMap((f) => f.document.principals.flatMap((p) => p.recommendations ?? []));
  if (steps.length === 0) return undefined;
  const name = !policy.source.context && path ? basename(path).replace(/\.[^.]*$/, '') : undefined;
  const named = steps.find((s) => name !== undefined && s.existingPolicyId !== undefined && policyName(s.existingPolicyId) === name);
  if (named) return named;
  return steps.length === 1 && policyCount === 1 ? steps[0] : undefined;
}

/** A policy's name from AWS's id for it: the last part of a managed policy's ARN, or the inline policy's name. */
function policyName(id: string): string {
  return id.startsWith('arn:') ? id.slice(id.lastIndexOf('/') + 1) : id;
}

/**
 * Compares by expansion over the catalogue and the actions the findings name, not by text: two
 * policies that allow the same actions agree however differently they are written.
 */
export function compareRecommendation(refinement: PolicyRefinement, step: PolicyRecommendation): RecommendationComparison {
  const policyId = step.existingPolicyId ?? 'this policy';
  const detach = step.action === 'DETACH_POLICY';
  const empty = { policyId, detach, onlyOurs: [], onlyAws: [], ours: 0 };
  const ours = refinement.fullyUnused ? new Map<string, ActionRef>() : allowedActions(refinement.policy, refinement.refiner, true);
  if (!ours) return { ...empty, unknown: 'the policy has values known only at deployment' };
  let aws = new Map<string, ActionRef>();
  if (!detach) {
    const file = step.recommendedPolicy === undefined ? undefined : parsePolicyFile(step.recommendedPolicy);
    const recommended = file?.syntaxErrors.length === 0 ? file.policies[0] : undefined;
    const allowed = recommended && allowedActions(recommended, refinement.refiner, false);
    if (!allowed) return { ...empty, ours: ours.size, unknown: 'AWS\'s recommended policy cannot be read' };
    aws = allowed;
  }
  const only = (a: Map<string, ActionRef>, b: Map<string, ActionRef>): string[] =>
    [...a].filter(([key]) => !b.has(key)).map(([, action]) => action.full).sort();
  return { policyId, detach, onlyOurs: only(ours, aws), onlyAws: only(aws, ours), ours: ours.size };
}

/**
 * The actions a policy allows, by lower-case name; with `refined`, as our refinement leaves it (what
 * it allows but the findings call unused). Undefined when an entry cannot be read.
 */
function allowedActions(policy: PolicyDocument, refiner: Refiner, refined: boolean): Map<string, ActionRef> | undefined {
  const allowed = new Map<string, ActionRef>();
  const denied = new Set<string>();
  let everything: readonly ActionRef[] | undefined;
  for (const statement of policy.statements) {
    if (!statement.listKey) continue;
    if (statement.entries.some((e) => !e.pattern)) return undefined;
    const listed = new Map(statement.entries.flatMap((e) => refiner.expand(e.pattern!)).map((a) => [a.lower, a]));
    if (statement.effect === 'Deny') {
      // Unconditionally or not, a Deny only takes away: both sides are read the same way.
      if (statement.listKey === 'Action') for (const key of listed.keys()) denied.add(key);
      continue;
    }
    if (statement.effect !== 'Allow') continue;
    const actions = statement.listKey === 'Action'
      ? [...listed.values()]
      : (everything ??= refiner.expand(parseAll())).filter((a) => !listed.has(a.lower));
    for (const action of actions) if (!refined || !refiner.hit(action)) allowed.set(action.lower, action);
  }
  for (const key of denied) allowed.delete(key);
  return allowed;
}

function parseAll(): ActionPattern {
  const parsed = parseActionPattern('*');
  if (!parsed.ok) throw new Error('"*" is an action pattern');
  return parsed.pattern;
}

/** One line for a person: whether they agree, and if not, the difference both ways (the first few each). */
export function describeComparison(c: RecommendationComparison, limit = 5): string {
  const name = c.policyId.startsWith('arn:') ? policyName(c.policyId) : c.policyId;
  const head = `AWS's recommendation for ${name}`;
  if (c.unknown) return `${head} cannot be compared: ${c.unknown}.`;
  const list = (names: readonly string[]): string =>
    names.slice(0, limit).join(', ') + (names.length > limit ? `, and ${names.length - limit} more` : '');
  if (c.detach) {
    return c.ours === 0 ? `${head} is to detach it, as this refinement says.`
      : `${head} is to detach it; this refinement keeps ${plural(c.ours, 'action')}: ${list(c.onlyOurs)}.`;
  }
  if (c.onlyOurs.length === 0 && c.onlyAws.length === 0) return `${head} allows the same ${plural(c.ours, 'action')} as this refinement.`;
  const parts = [
    c.onlyOurs.length > 0 ? `this refinement also allows ${list(c.onlyOurs)}` : '',
    c.onlyAws.length > 0 ? `AWS's also allows ${list(c.onlyAws)}` : '',
  ].filter((p) => p !== '');
  return `${head} differs: ${parts.join('; ')}.`;
}

const comparisons = new WeakMap<PolicyRefinement, RecommendationComparison | null>();

/** The comparison for policy `policy` of a document's state, when the findings hold AWS's recommendation for it. */
export function policyComparison(state: PolicyDocumentState, policy: number): RecommendationComparison | undefined {
  const refinement = state.analysis.refinements[policy];
  if (!refinement) return undefined;
  let known = comparisons.get(refinement);
  if (known === undefined) {
    const path = state.uri.startsWith('file:') ? fileURLToPath(state.uri) : undefined;
    const files = [...state.policyFindings[policy] ?? [], ...state.policyRecommendations[policy] ?? []];
    const step = recommendationFor(refinement.policy, state.analysis.refinements.length, path, files);
    known = step ? compareRecommendation(refinement, step) : null;
    comparisons.set(refinement, known);
  }
  return known ?? undefined;
}
