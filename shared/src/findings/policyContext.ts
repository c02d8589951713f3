/**
 * Whom a policy belongs to. Findings are selected by it (a principal's findings apply to the
 * policies attached to it), so it lives with the findings, below the policy model that carries it.
 */

/** A principal that a policy is attached to in the same template or module. */
export interface PrincipalRef {
  readonly kind: 'role' | 'user' | 'group';
  /** CloudFormation logical id, or Terraform resource address (`aws_iam_role.app`). */
  readonly id: string;
  /** The principal's IAM name where the source spells it as a literal (`RoleName`, Terraform `name`). */
  readonly name?: string;
}

/** Where an embedded policy sits: which resource holds it and whom it is attached to. */
export interface PolicyContext {
  /** Logical id or resource address of the resource that holds the policy. */
  readonly resourceId: string;
  /** The principals it is attached to, as far as the template or module says. */
  readonly principals: readonly PrincipalRef[];
}
