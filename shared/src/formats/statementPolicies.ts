import { looksLikeStatements } from '../policy/policyDocument';
import type { SourcePolicy } from '../policy/policySource';
import type { PolicyWriter } from '../policy/policyWriter';
import { property, type SourceNode } from '../policy/sourceTree';

/**
 * Finds the IAM policy documents in a tree wherever they sit: at the top (a policy file), or
 * nested (`aws iam get-policy-version` output, a `PolicyDocument` in a larger file). An object is a
 * policy when it has a `Statement` object or list of which some entry has an `Effect` and an
 * `Action` or `NotAction`; anything else is not a policy, whatever the file is called.
 */
export function findStatementPolicies(root: SourceNode, writer: PolicyWriter): SourcePolicy[] {
  const policies: SourcePolicy[] = [];
  const stack: SourceNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'object') {
      const policy = statementPolicy(node, writer);
      if (policy) {
        policies.push(policy);
        continue;
      }
    }
    if (node.type === 'object' || node.type === 'array') {
      for (const child of node.children ?? []) stack.push(child.type === 'property' ? child.children?.[1] ?? child : child);
    }
  }
  return policies.sort((a, b) => a.node.offset - b.node.offset);
}

/** The policy an object is, if it has statements. */
export function statementPolicy(node: SourceNode, writer: PolicyWriter, context?: SourcePolicy['context']): SourcePolicy | undefined {
  const statementNode = property(node, 'Statement');
  if (!statementNode || !looksLikeStatements(statementNode)) return undefined;
  const anchor = statementNode.parent?.children?.[0] ?? statementNode;
  return context ? { node, statementNode, anchor, writer, context } : { node, statementNode, anchor, writer };
}
