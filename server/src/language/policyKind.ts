import type { PolicyDocument } from '../../../shared/src/policy/policyDocument';
import { property, type SourceNode } from '../../../shared/src/policy/sourceTree';

/** Where a policy ends up in IAM, which sets how large it may be. */
export type PolicyKind = 'managed' | 'role' | 'user' | 'group';

export const POLICY_KINDS: readonly PolicyKind[] = ['managed', 'role', 'user', 'group'];

/**
 * IAM's size limits, in characters other than white space: a managed policy on its own; a role's,
 * a user's or a group's inline policies all together.
 */
export const KIND_LIMITS: Readonly<Record<PolicyKind, number>> = { managed: 6144, role: 10240, user: 2048, group: 5120 };

/** What the limit applies to, for messages. */
export const KIND_NAMES: Readonly<Record<PolicyKind, string>> = {
  managed: 'a managed policy',
  role: "a role's inline policies together",
  user: "a user's inline policies together",
  group: "a group's inline policies together",
};

/** The limit that applies to one policy, and the policies it shares the limit with. */
export interface PolicyBudget {
  readonly kind: PolicyKind;
  readonly limit: number;
  /** Whether the source says the kind; otherwise it is the setting's. */
  readonly known: boolean;
  /**
   * The principal whose inline policies share the limit (`role:AppRole`): every policy of the
   * document with the same key counts in one total. Undefined for a policy counted alone.
   */
  readonly shared?: string;
  /** That principal as messages name it: its IAM name where the source spells it, else its id or address. */
  readonly principal?: string;
}

/** CloudFormation and SAM resources that hold policies, and where those policies end up. */
const TEMPLATE_KINDS: Record<string, PolicyKind | 'attached'> = {
  'AWS::IAM::ManagedPolicy': 'managed',
  'AWS::IAM::Role': 'role',
  'AWS::IAM::User': 'user',
  'AWS::IAM::Group': 'group',
  'AWS::IAM::RolePolicy': 'role',
  'AWS::IAM::UserPolicy': 'user',
  'AWS::IAM::GroupPolicy': 'group',
  // SAM writes a function's or state machine's policies inline into the role it generates.
  'AWS::Serverless::Function': 'role',
  'AWS::Serverless::StateMachine': 'role',
  // Inline in every principal it names: it counts in each one's total.
  'AWS::IAM::Policy': 'attached',
};

/** Terraform resources that hold policies, by type. */
const TERRAFORM_KINDS: Record<string, PolicyKind | 'attached'> = {
  aws_iam_policy: 'managed',
  aws_iam_role_policy: 'role',
  aws_iam_user_policy: 'user',
  aws_iam_group_policy: 'group',
  // A role's `inline_policy` blocks.
  aws_iam_role: 'role',
};

/**
 * The budget of a policy: the kind its resource says (CloudFormation, SAM, Terraform), else
 * `fallback` (a setting, or `--limit`). A policy document data block may end up anywhere: the
 * fallback applies.
 */
export function policyBudget(policy: PolicyDocument, fallback: PolicyKind): PolicyBudget {
  const context = policy.source.context;
  const declared = context && (terraformKind(context.resourceId) ?? templateKind(policy.node));
  if (!context || !declared) return { kind: fallback, limit: KIND_LIMITS[fallback], known: false };
  let kind: PolicyKind;
  if (declared === 'attached') {
    // Counted against the strictest of the principals it is attached to.
    const kinds = context.principals.map((p) => p.kind);
    const strictest = kinds.sort((a, b) => KIND_LIMITS[a] - KIND_LIMITS[b])[0];
    if (!strictest) return { kind: fallback, limit: KIND_LIMITS[fallback], known: false };
    kind = strictest;
  } else {
    kind = declared;
  }
  if (kind === 'managed') return { kind, limit: KIND_LIMITS.managed, known: true };
  const principal = context.principals.find((p) => p.kind === kind);
  return principal
    ? { kind, limit: KIND_LIMITS[kind], known: true, shared: `${kind}:${principal.id}`, principal: principal.name ?? principal.id }
    : { kind, limit: KIND_LIMITS[kind], known: true };
}

function terraformKind(resourceId: string): PolicyKind | 'attached' | undefined {
  const type = /^(aws_[a-z0-9_]+)\./.exec(resourceId)?.[1];
  return type ? TERRAFORM_KINDS[type] : undefined;
}

/** The `Type` of the template resource that holds a policy, found up its tree. */
function templateKind(node: SourceNode): PolicyKind | 'attached' | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (at.type !== 'object') continue;
    const type = property(at, 'Type');
    if (type?.type === 'string' && typeof type.value === 'string' && property(at, 'Properties')) return TEMPLATE_KINDS[type.value];
  }
  return undefined;
}
