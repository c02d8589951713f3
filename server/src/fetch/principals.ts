import { GetGroupCommand, GetRoleCommand, GetUserCommand, ListEntitiesForPolicyCommand } from '@aws-sdk/client-iam';
import { FetchError, required } from './errors';
import { ACTIONS } from './permissions';
import { type AwsSession, AwsCallError, call, errorCode } from './session';

/** A role or user whose findings are fetched. */
export interface Principal {
  /** Its ARN as IAM gives it, path included: findings name their resource so. */
  readonly arn: string;
  readonly kind: 'role' | 'user';
  readonly name: string;
  /** The managed policy it was named through. */
  readonly via?: string;
}

/** What a PRINCIPAL argument names once resolved: the principals, and the name the output file takes after it. */
export interface Resolved {
  readonly principals: readonly Principal[];
  readonly name: string;
}

interface Arn {
  readonly partition: string;
  readonly account: string;
  readonly kind: string;
  /** The path and the name: `service-role/app`. */
  readonly resource: string;
  readonly name: string;
}

const IAM_ARN = /^arn:([^:]+):iam::([^:]*):([a-z-]+)\/(.+)$/;

function parseArn(text: string): Arn | undefined {
  const match = IAM_ARN.exec(text);
  if (!match) return undefined;
  const resource = match[4]!;
  return { partition: match[1]!, account: match[2]!, kind: match[3]!, resource, name: resource.slice(resource.lastIndexOf('/') + 1) };
}

/** Every principal the arguments name, once each, in the order given. */
export async function resolvePrincipals(session: AwsSession, account: string, args: readonly string[]): Promise<Resolved[]> {
  const resolved: Resolved[] = [];
  for (const arg of args) resolved.push(await resolveOne(session, account, arg));
  return resolved;
}

/** The principals of all the arguments together, without repeats: a role named twice is one principal. */
export function distinctPrincipals(resolved: readonly Resolved[]): Principal[] {
  const seen = new Map<string, Principal>();
  for (const principal of resolved.flatMap((r) => r.principals)) if (!seen.has(principal.arn)) seen.set(principal.arn, principal);
  return [...seen.values()];
}

async function resolveOne(session: AwsSession, account: string, arg: string): Promise<Resolved> {
  if (!arg.startsWith('arn:')) {
    if (/[/:]/.test(arg))
      throw new FetchError(`"${arg}" is neither a role name nor an IAM ARN: give a role name, or a role, user or policy ARN`);
    return { principals: [await getRole(session, arg, account)], name: arg };
  }
  const arn = parseArn(arg);
  if (!arn)
    throw new FetchError(`"${arg}" is not an IAM role, user or policy ARN (arn:aws:iam::ACCOUNT:role/NAME, user/NAME or policy/NAME)`);
  switch (arn.kind) {
    case 'role':
    case 'user':
      // Another account's principal cannot be looked up from this one; its ARN is taken as given.
      if (arn.account !== account) return { principals: [{ arn: arg, kind: arn.kind, name: arn.name }], name: arn.name };
      return { principals: [arn.kind === 'role' ? await getRole(session, arn.name, account) : await getUser(session, arn.name, account)],
        name: arn.name };
    case 'policy':
      return { principals: await policyPrincipals(session, arg), name: arn.name };
    case 'group':
      throw new FetchError(`"${arg}" is a group, which has no findings of its own: name its users, or a managed policy attached to it`);
    default:
      throw new FetchError(`"${arg}" is an IAM ${arn.kind}, not a role, user or managed policy`);
  }
}

/** Whether the call failed because IAM has no such entity. */
function notFound(error: unknown): boolean {
  return error instanceof AwsCallError && ['NoSuchEntity', 'NoSuchEntityException'].includes(errorCode(error.error) ?? '');
}

async function getRole(session: AwsSession, name: string, account: string, via?: string): Promise<Principal> {
  try {
    const { Role } = await call(ACTIONS.getRole, () => session.iam.send(new GetRoleCommand({ RoleName: name })));
    return withVia({ arn: required(Role?.Arn, `the ARN of role ${name}`), kind: 'role', name }, via);
  } catch (error) {
    if (notFound(error))
      throw new FetchError(`principal not found: account ${account} has no role named "${name}" (check the name and the profile)`);
    throw error;
  }
}

async function getUser(session: AwsSession, name: string, account: string, via?: string): Promise<Principal> {
  try {
    const { User } = await call(ACTIONS.getUser, () => session.iam.send(new GetUserCommand({ UserName: name })));
    return withVia({ arn: required(User?.Arn, `the ARN of user ${name}`), kind: 'user', name }, via);
  } catch (error) {
    if (notFound(error))
      throw new FetchError(`principal not found: account ${account} has no user named "${name}" (check the name and the profile)`);
    throw error;
  }
}

function withVia(principal: Principal, via: string | undefined): Principal {
  return via === undefined ? principal : { ...principal, via };
}

/**
 * A managed policy stands for every role and user it is attached to, and every user of every group
 * it is attached to. Their ARNs carry paths that ListEntitiesForPolicy does not give, so each role
 * and user is looked up.
 */
async function policyPrincipals(session: AwsSession, policyArn: string): Promise<Principal[]> {
  const roles: string[] = [];
  const users: string[] = [];
  const groups: string[] = [];
  let marker: string | undefined;
  do {
    const page = await listEntities(session, policyArn, marker);
    roles.push(...(page.PolicyRoles ?? []).flatMap((r) => r.RoleName ?? []));
    users.push(...(page.PolicyUsers ?? []).flatMap((u) => u.UserName ?? []));
    groups.push(...(page.PolicyGroups ?? []).flatMap((g) => g.GroupName ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const account = parseArn(policyArn)?.account ?? '';
  const principals: Principal[] = [];
  for (const role of roles) principals.push(await getRole(session, role, account, policyArn));
  for (const user of users) principals.push(await getUser(session, user, account, policyArn));
  for (const group of groups) principals.push(...await groupUsers(session, group, policyArn));
  if (principals.length === 0)
    throw new FetchError(`the policy ${policyArn} is attached to no role or user (nor to a group with users): there is nothing to fetch`);
  return principals;
}

async function listEntities(session: AwsSession, policyArn: string, marker: string | undefined) {
  try {
    return await call(ACTIONS.listEntitiesForPolicy, () =>
      session.iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn, ...(marker ? { Marker: marker } : {}) })));
  } catch (error) {
    if (notFound(error)) throw new FetchError(`principal not found: there is no policy ${policyArn} (check the ARN and the profile)`);
    throw error;
  }
}

async function groupUsers(session: AwsSession, group: string, via: string): Promise<Principal[]> {
  const users: Principal[] = [];
  let marker: string | undefined;
  do {
    const page = await call(ACTIONS.getGroup, () =>
      session.iam.send(new GetGroupCommand({ GroupName: group, ...(marker ? { Marker: marker } : {}) })));
    for (const user of page.Users ?? []) {
      users.push({ arn: required(user.Arn, `the ARN of a user of group ${group}`), kind: 'user', name: user.UserName ?? '', via });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return users;
}
