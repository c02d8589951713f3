import { ListRolesCommand } from '@aws-sdk/client-iam';
import { required } from './errors';
import { ACTIONS } from './permissions';
import { type AwsSession, call } from './session';

/**
 * One role as `fetch --list-roles` prints it. ListRoles gives no RoleLastUsed (nor tags or boundary):
 * only GetRole does, one call per role, which a picker of hundreds of roles cannot afford.
 */
export interface ListedRole {
  readonly name: string;
  readonly arn: string;
  /** The IAM path, `/` for most roles; `/service-role/`, `/aws-reserved/…` tell AWS's own roles apart. */
  readonly path: string;
  /** ISO 8601. */
  readonly createDate?: string;
}

/** What `fetch --list-roles` prints on stdout: the account of the credentials, and its roles in IAM's order. */
export interface RoleList {
  readonly account: string;
  readonly roles: readonly ListedRole[];
}

/** Every role of the account, following Marker while IAM says the list is truncated. */
export async function listRoles(session: AwsSession): Promise<ListedRole[]> {
  const roles: ListedRole[] = [];
  let marker: string | undefined;
  do {
    const page = await call(ACTIONS.listRoles, () => session.iam.send(new ListRolesCommand(marker ? { Marker: marker } : {})));
    for (const role of page.Roles ?? []) {
      const name = required(role.RoleName, 'a role\'s name');
      roles.push({
        name, arn: required(role.Arn, `the ARN of role ${name}`), path: role.Path ?? '/',
        ...(role.CreateDate ? { createDate: role.CreateDate.toISOString() } : {}),
      });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return roles;
}

/** The JSON document, on one line so that a reader may take stdout whole. */
export function roleListText(list: RoleList): string {
  return `${JSON.stringify(list)}\n`;
}
