/**
 * What the fake AWS knows: one account's roles, users, groups, managed policies, analyzers, findings,
 * recommendations and last-accessed data, and the faults it is told to answer with.
 */

export interface FakeRole {
  readonly name: string;
  /** IAM path, `/` by default; it shows in the ARN. */
  readonly path?: string;
}

export interface FakeGroup {
  readonly name: string;
  readonly users: readonly string[];
}

export interface FakePolicy {
  readonly arn: string;
  readonly roles?: readonly string[];
  readonly users?: readonly string[];
  readonly groups?: readonly string[];
}

export interface FakeAnalyzer {
  readonly name: string;
  readonly type: 'ACCOUNT' | 'ACCOUNT_UNUSED_ACCESS' | 'ORGANIZATION_UNUSED_ACCESS';
  readonly status?: 'ACTIVE' | 'CREATING' | 'DISABLED' | 'FAILED';
}

/** One `unusedPermissionDetails` entry, as get-finding-v2 gives it. */
export interface UnusedPermission {
  readonly serviceNamespace: string;
  readonly actions?: readonly { action: string; lastAccessed?: string }[];
  readonly lastAccessed?: string;
}

export interface FakeFinding {
  readonly id: string;
  readonly resource: string;
  readonly findingType?: 'UnusedPermission' | 'UnusedIAMRole' | 'UnusedIAMUserAccessKey' | 'UnusedIAMUserPassword';
  readonly status?: 'ACTIVE' | 'ARCHIVED' | 'RESOLVED';
  readonly details: readonly UnusedPermission[];
  readonly analyzedAt?: string;
}

/** AWS's recommendation for a finding: IN_PROGRESS for the first `inProgress` reads, then its steps. */
export interface FakeRecommendation {
  readonly inProgress?: number;
  readonly status?: 'SUCCEEDED' | 'FAILED';
  readonly error?: { code: string; message: string };
  readonly steps: readonly {
    recommendedAction: 'CREATE_POLICY' | 'DETACH_POLICY';
    existingPolicyId?: string;
    recommendedPolicy?: string;
    policyUpdatedAt?: string;
  }[];
}

/** One service of a last-accessed report, as get-service-last-accessed-details gives it. */
export interface ServiceUse {
  readonly ServiceNamespace: string;
  readonly ServiceName?: string;
  readonly LastAuthenticated?: string;
  readonly TrackedActionsLastAccessed?: readonly { ActionName: string; LastAccessedTime?: string }[];
}

export interface FakeLastAccessed {
  /** The job reads IN_PROGRESS this many times before it completes. */
  readonly inProgress?: number;
  /** When set, the job ends FAILED with this message instead of COMPLETED. */
  readonly failure?: string;
  readonly services: readonly ServiceUse[];
}

/** An error answered instead of `operation`'s result, `times` times (every time when absent). */
export interface Fault {
  readonly operation: string;
  readonly code: string;
  readonly status: number;
  readonly message?: string;
  /** Only for requests whose parameters include this text (a finding's id, a role's name). */
  readonly when?: string;
  times?: number;
}

export interface World {
  readonly account: string;
  readonly roles?: readonly FakeRole[];
  readonly users?: readonly FakeRole[];
  readonly groups?: readonly FakeGroup[];
  readonly policies?: readonly FakePolicy[];
  readonly analyzers?: readonly FakeAnalyzer[];
  readonly findings?: readonly FakeFinding[];
  /** By finding id. */
  readonly recommendations?: Readonly<Record<string, FakeRecommendation>>;
  /** By principal ARN. */
  readonly lastAccessed?: Readonly<Record<string, FakeLastAccessed>>;
  /** The IAM Identity Center access token the SSO portal accepts (GetRoleCredentials). */
  readonly ssoAccessToken?: string;
  /** Items per page of every paged answer: small, so that every list takes several pages. */
  readonly pageSize?: number;
  readonly faults?: Fault[];
}

/** The access key of the temporary credentials the SSO portal hands out. */
export const SSO_KEY = 'ASIAFAKESSOSESSION';

export const ANALYZED_AT = '2025-03-01T10:00:00.000Z';

export function roleArn(world: World, name: string): string {
  const role = world.roles?.find((r) => r.name === name);
  return `arn:aws:iam::${world.account}:role${role?.path ?? '/'}${name}`;
}

export function userArn(world: World, name: string): string {
  const user = world.users?.find((u) => u.name === name);
  return `arn:aws:iam::${world.account}:user${user?.path ?? '/'}${name}`;
}

export function analyzerArn(world: World, analyzer: FakeAnalyzer): string {
  return `arn:aws:access-analyzer:eu-west-1:${world.account}:analyzer/${analyzer.name}`;
}

/** Unused actions of services, in get-finding-v2's detail entries: `{s3: ['GetObject'], ec2: []}`, [] for a whole service. */
export function unusedPermissions(spec: Record<string, readonly string[]>): UnusedPermission[] {
  return Object.entries(spec).map(([serviceNamespace, actions]) => (actions.length === 0
    ? { serviceNamespace, lastAccessed: '2024-11-02T08:00:00.000Z' }
    : { serviceNamespace, actions: actions.map((action) => ({ action, lastAccessed: '2024-12-24T18:00:00.000Z' })) }));
}
