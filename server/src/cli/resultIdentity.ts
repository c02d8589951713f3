import { createHash } from 'node:crypto';
import type { PolicyTextAnalysis } from '../../../shared/src/policy/analyzePolicyText';
import type { PolicyDocument } from '../../../shared/src/policy/policyDocument';
import type { SourceNode } from '../../../shared/src/policy/sourceTree';

/*
 * What a result is, independent of where it is: code scanning matches the results of one run with
 * those of the last by their fingerprints, and reopens an alert whose fingerprint changed. So a
 * fingerprint is made of the rule, the file, the policy and statement the result is in, and the text
 * it points at (the action), never of line numbers or offsets, which any unrelated edit shifts.
 */

/** The policy and statement a result at `offset` is in, by names and structure; empty outside every policy. */
export function policyIdentity(analysis: PolicyTextAnalysis, offset: number, policyIndex?: number): string[] {
  const policy = policyIndex !== undefined
    ? analysis.refinements[policyIndex]?.policy
    : innermost(analysis.file.policies.filter((p) => contains(p.node, offset)));
  if (!policy) return [];
  const statement = policy.statements.find((s) => contains(s.node, offset));
  const which = statement === undefined ? '' : statement.sid !== undefined ? `sid ${statement.sid}` : `statement ${statement.index}`;
  return [policy.source.context?.resourceId ?? '', structuralPath(policy.node), which];
}

/** A stable digest of a result's identity; `ordinal` tells apart results that are otherwise the same (an action listed twice). */
export function fingerprintOf(parts: readonly string[], ordinal: number): string {
  return createHash('sha256').update([...parts, String(ordinal)].join('\0')).digest('hex').slice(0, 32);
}

function innermost(policies: readonly PolicyDocument[]): PolicyDocument | undefined {
  return policies.reduce<PolicyDocument | undefined>((best, p) => (!best || p.node.length < best.node.length ? p : best), undefined);
}

function contains(node: { offset: number; length: number }, offset: number): boolean {
  return offset >= node.offset && offset < node.offset + node.length;
}

/** Keys and indexes from the top of the tree down to `node` (`Resources/ReportsPolicy/Properties/PolicyDocument`). */
function structuralPath(node: SourceNode): string {
  const parts: string[] = [];
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'property' && parent.children?.[1] === child) parts.push(String(parent.children[0]?.value ?? ''));
    else if (parent.type === 'array') parts.push(String(parent.children?.indexOf(child) ?? ''));
  }
  return parts.reverse().join('/');
}
