import * as vscode from 'vscode';
import { type RoleItem, roleItems, type RolesEnd, rolesPlaceholder } from './accountRoles';
import { type AwsProfile, defaultRegion } from './awsProfiles';
import { type FetchSource, principalProblem, regionProblem } from './fetchArguments';

/**
 * The questions "Fetch Unused Access Findings…" asks, one quick pick or input box each. Each returns
 * undefined when the user presses Escape, which ends the command without a fetch.
 */

const TITLE = 'Fetch Unused Access Findings';

interface ProfileItem extends vscode.QuickPickItem {
  readonly profile: string | undefined;
}

/** The profile: the SDK's default chain first, then every profile of the shared config and credentials files. */
export async function pickProfile(profiles: readonly AwsProfile[], env: NodeJS.ProcessEnv):
  Promise<{ profile: string | undefined } | undefined> {
  const chain = env['AWS_ACCESS_KEY_ID'] ? 'environment variables (AWS_ACCESS_KEY_ID)'
    : env['AWS_PROFILE'] ? `AWS_PROFILE=${env['AWS_PROFILE']}` : 'the default profile, SSO, environment variables';
  const items: ProfileItem[] = [
    { label: '$(key) Default credentials', description: chain, detail: 'The AWS SDK\'s standard chain, as the AWS CLI uses it',
      profile: undefined },
    ...profiles.map((p) => ({ label: p.name, ...(p.region ? { description: p.region } : {}), profile: p.name })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `${TITLE} (1/5): AWS profile`, placeHolder: 'The credentials to call AWS with', matchOnDescription: true,
  });
  return picked && { profile: picked.profile };
}

/** The region, prefilled with the profile's or AWS_REGION. */
export async function pickRegion(profiles: readonly AwsProfile[], profile: string | undefined, env: NodeJS.ProcessEnv):
  Promise<string | undefined> {
  const value = defaultRegion(profiles, profile, env) ?? '';
  const text = await vscode.window.showInputBox({
    title: `${TITLE} (2/5): region`, value, prompt: 'The region of the unused-access analyzer (us-east-1, eu-west-1, …)',
    validateInput: (input) => regionProblem(input),
  });
  return text?.trim();
}

interface SourceItem extends vscode.QuickPickItem {
  readonly source: FetchSource;
}

export async function pickSource(): Promise<FetchSource | undefined> {
  const items: SourceItem[] = [
    { label: 'IAM Access Analyzer', description: 'access-analyzer', source: 'access-analyzer',
      detail: 'Unused-access findings and AWS\'s recommended policies; needs an unused-access analyzer (billed per role and user)' },
    { label: 'IAM last-accessed reports', description: 'last-accessed', source: 'last-accessed',
      detail: 'Service and action last-accessed data; free, no analyzer needed' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `${TITLE} (3/5): source`, placeHolder: 'Where the findings come from' });
  return picked?.source;
}

/** Lists the account's roles with the credentials picked for the fetch; the signal aborts it when the picker closes. */
export type RoleSearch = (signal: AbortSignal) => Promise<RolesEnd>;

const OTHER = '$(edit) Another role, user or policy…';
const OTHER_DESCRIPTION = 'a role name, a role or user ARN, or a managed policy ARN';
const SEARCH = '$(search) Search the account\'s roles…';

/**
 * The principal: the roles the open templates and Terraform files name, then a search of the account's
 * roles (IAM ListRoles, asked only when chosen), or one typed in.
 */
export async function pickPrincipal(roles: readonly string[], search: RoleSearch): Promise<string | undefined> {
  const title = `${TITLE} (4/5): principal`;
  const picked = await vscode.window.showQuickPick([
    ...roles.map((label) => ({ label, description: 'role in an open file' })),
    { label: SEARCH, description: 'IAM ListRoles, with the profile and region above' },
    { label: OTHER, description: OTHER_DESCRIPTION },
  ], { title, placeHolder: roles.length > 0 ? 'The role to fetch for' : 'No open file names a role: search the account, or type one' });
  if (!picked) return undefined;
  let typed = '';
  if (picked.label === SEARCH) {
    const found = await pickAccountRole(title, search);
    if (found.kind === 'picked') return found.role;
    if (found.kind === 'dismissed') return undefined;
    typed = found.value;
  } else if (picked.label !== OTHER) {
    return picked.label;
  }
  const text = await vscode.window.showInputBox({
    title, value: typed, placeHolder: 'my-role, arn:aws:iam::123456789012:role/my-role or arn:aws:iam::123456789012:policy/shared',
    prompt: 'A role name (in the account of the credentials), a role or user ARN, or a managed policy ARN (all its roles and users)',
    validateInput: (value) => principalProblem(value),
  });
  return text?.trim();
}

type SearchItem = RoleItem | (vscode.QuickPickItem & { readonly role?: undefined });

/**
 * How the search ended: a role, "type one in" (chosen, or because listing failed; `value` is the filter
 * typed so far, which the input box starts from), or closed.
 */
type SearchEnd =
  | { readonly kind: 'picked'; readonly role: string }
  | { readonly kind: 'typed'; readonly value: string }
  | { readonly kind: 'dismissed' };

/**
 * The account's roles in a quick pick that opens at once, busy while the CLI lists them; the user may
 * type a filter meanwhile. Closing it kills the listing. A failure shows the CLI's one line and falls
 * back to typing the principal in.
 */
function pickAccountRole(title: string, search: RoleSearch): Promise<SearchEnd> {
  const quickPick = vscode.window.createQuickPick<SearchItem>();
  quickPick.title = title;
  quickPick.placeholder = 'Listing the account\'s roles (IAM ListRoles)…';
  quickPick.matchOnDescription = true;
  quickPick.busy = true;
  const other: SearchItem = { label: OTHER, description: OTHER_DESCRIPTION, alwaysShow: true };
  quickPick.items = [other];
  const controller = new AbortController();
  return new Promise((resolve) => {
    let ended = false;
    const end = (value: SearchEnd): void => {
      if (ended) return;
      ended = true;
      resolve(value);
      quickPick.dispose();
    };
    quickPick.onDidHide(() => {
      controller.abort();
      end({ kind: 'dismissed' });
    });
    quickPick.onDidAccept(() => {
      const item = quickPick.selectedItems[0];
      if (item) end(item.role === undefined ? { kind: 'typed', value: quickPick.value } : { kind: 'picked', role: item.role });
    });
    quickPick.show();
    void search(controller.signal).then((listed) => {
      if (ended || listed.kind === 'cancelled') return;
      if (listed.kind === 'failed') {
        void vscode.window.showErrorMessage(`Cannot list the account's roles: ${listed.message}`);
        end({ kind: 'typed', value: quickPick.value });
        return;
      }
      quickPick.items = [...roleItems(listed), other];
      quickPick.placeholder = rolesPlaceholder(listed);
      quickPick.busy = false;
    });
  });
}

/** Where to save, starting from the CLI's default name in the policy's folder. */
export async function pickOut(defaultPath: string): Promise<string | undefined> {
  const uri = await vscode.window.showSaveDialog({
    title: `${TITLE} (5/5): save the findings`, defaultUri: vscode.Uri.file(defaultPath), saveLabel: 'Save Findings',
    filters: { 'Findings (JSON)': ['json'] },
  });
  return uri?.fsPath;
}
