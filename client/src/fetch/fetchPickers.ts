import * as vscode from 'vscode';
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

/** The principal: the roles the open templates and Terraform files name, or one typed in. */
export async function pickPrincipal(roles: readonly string[]): Promise<string | undefined> {
  const title = `${TITLE} (4/5): principal`;
  if (roles.length > 0) {
    const other = '$(edit) Another role, user or policy…';
    const picked = await vscode.window.showQuickPick([...roles.map((label) => ({ label, description: 'role in an open file' })),
      { label: other, description: 'a role name, a role or user ARN, or a managed policy ARN' }],
    { title, placeHolder: 'The role to fetch for' });
    if (!picked) return undefined;
    if (picked.label !== other) return picked.label;
  }
  const text = await vscode.window.showInputBox({
    title, placeHolder: 'my-role, arn:aws:iam::123456789012:role/my-role or arn:aws:iam::123456789012:policy/shared',
    prompt: 'A role name (in the account of the credentials), a role or user ARN, or a managed policy ARN (all its roles and users)',
    validateInput: (value) => principalProblem(value),
  });
  return text?.trim();
}

/** Where to save, starting from the CLI's default name in the policy's folder. */
export async function pickOut(defaultPath: string): Promise<string | undefined> {
  const uri = await vscode.window.showSaveDialog({
    title: `${TITLE} (5/5): save the findings`, defaultUri: vscode.Uri.file(defaultPath), saveLabel: 'Save Findings',
    filters: { 'Findings (JSON)': ['json'] },
  });
  return uri?.fsPath;
}
