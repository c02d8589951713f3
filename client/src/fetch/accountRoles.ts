import { failureLine, runCliProcess } from './fetchProcess';

/**
 * The account's roles for the principal picker, from `iam-refine fetch --list-roles` run as a child
 * process like the fetch itself: the AWS SDK stays out of the extension, and the same credentials,
 * region and endpoint variables apply.
 */

/** A role as `fetch --list-roles` prints it (server/src/fetch/listRoles.ts). */
export interface AccountRole {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate?: string;
}

export interface AccountRoles {
  readonly account: string;
  readonly roles: readonly AccountRole[];
}

/** How listing ended: the roles, the CLI's one-line error, or cancelled with the picker. */
export type RolesEnd =
  | ({ readonly kind: 'listed' } & AccountRoles)
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'cancelled' };

export interface ListRolesOptions {
  /** The extension's dist/ folder, holding cli.js and fetch.js. */
  readonly distDir: string;
  /** Undefined: the SDK's default chain, as for the fetch. */
  readonly profile: string | undefined;
  readonly region: string | undefined;
  readonly cwd: string;
  /** The extension host's environment, so AWS_PROFILE, AWS_REGION and AWS_ENDPOINT_URL* apply. */
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/** `fetch --list-roles` with the profile and region the user picked for the fetch. */
export function listRolesArguments(profile: string | undefined, region: string | undefined): string[] {
  return [
    'fetch', '--list-roles',
    ...(profile === undefined ? [] : ['--profile', profile]),
    ...(region === undefined ? [] : ['--region', region]),
  ];
}

export async function runListRoles(options: ListRolesOptions): Promise<RolesEnd> {
  const end = await runCliProcess({ ...options, args: listRolesArguments(options.profile, options.region) });
  if (end.kind === 'cancelled') return { kind: 'cancelled' };
  if (end.kind === 'unstarted') return { kind: 'failed', message: end.message };
  if (end.status !== 0) return { kind: 'failed', message: failureLine(end.stderr, end.status) };
  try {
    return { kind: 'listed', ...parseRoleList(end.stdout) };
  } catch (error) {
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/** Reads the CLI's JSON document; throws, saying so, on anything else (a CLI of another version). */
export function parseRoleList(stdout: string): AccountRoles {
  let body: unknown;
  try {
    body = JSON.parse(stdout);
  } catch {
    throw new Error(`iam-refine fetch --list-roles printed something other than JSON: ${stdout.slice(0, 80)}`);
  }
  const { account, roles } = (body ?? {}) as { account?: unknown; roles?: unknown };
  if (typeof account !== 'string' || !Array.isArray(roles) || !roles.every(isRole))
    throw new Error('iam-refine fetch --list-roles printed JSON without an account and its roles');
  return { account, roles };
}

function isRole(value: unknown): value is AccountRole {
  const role = value as Partial<Record<keyof AccountRole, unknown>> | null;
  return typeof role?.name === 'string' && typeof role.arn === 'string' && typeof role.path === 'string';
}

/** A quick-pick entry for a role (vscode.QuickPickItem's fields, so that this module needs no vscode). */
export interface RoleItem {
  readonly label: string;
  readonly description: string;
  /** The principal handed to fetch: the role's name, which GetRole resolves in the same account. */
  readonly role: string;
}

/**
 * The roles as the picker lists them, in IAM's order: the name, and the ARN beside it, which shows the
 * path (`service-role/`, `aws-reserved/sso.amazonaws.com/`) and is searched too.
 */
export function roleItems(list: AccountRoles): RoleItem[] {
  return list.roles.map((r) => ({ label: r.name, description: r.arn, role: r.name }));
}

/** The picker's placeholder once the roles are in. */
export function rolesPlaceholder(list: AccountRoles): string {
  const n = list.roles.length;
  return n === 0 ? `Account ${list.account} has no IAM roles`
    : `${n} role${n === 1 ? '' : 's'} of account ${list.account}: type to search by name or ARN`;
}
