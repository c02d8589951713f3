import { homedir } from 'node:os';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../commands';
import { readProfiles, sharedFiles } from './awsProfiles';
import {
  cliArguments, defaultOutPath, type FetchCommandArgs, type FetchRequest, parseCommandArgs, resolveOut,
} from './fetchArguments';
import { pickOut, pickPrincipal, pickProfile, pickRegion, pickSource } from './fetchPickers';
import { missingBundle, runFetchProcess } from './fetchProcess';
import { readSavedFindings, savedMessage } from './savedFindings';
import { runListRoles } from './accountRoles';
import { rolesInDocument } from './templateRoles';

/**
 * What the command did, also its return value (for tasks, other extensions and the tests): the message it
 * showed and, when it wrote one, the file. `dismissed`: a picker was closed, nothing was asked of AWS.
 */
export interface FetchOutcome {
  readonly status: 'written' | 'failed' | 'cancelled' | 'dismissed';
  readonly message?: string;
  readonly file?: string;
}

/** "IAM Policy Refiner: Fetch Unused Access Findings…": runs `iam-refine fetch` from the extension's dist/. */
export function registerFetchFindings(distDir: string): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.fetchFindings, (args?: unknown) => fetchFindings(distDir, args));
}

async function fetchFindings(distDir: string, rawArgs: unknown): Promise<FetchOutcome> {
  // The command runs with the user's AWS credentials: never on behalf of a folder the user has not trusted.
  if (!vscode.workspace.isTrusted) {
    return fail('Fetching findings from AWS runs with your AWS credentials, so it needs a trusted workspace: '
      + 'trust this workspace first (Workspaces: Manage Workspace Trust).');
  }
  const missing = missingBundle(distDir);
  if (missing) return fail(missing);
  const args = parseCommandArgs(rawArgs);
  if (typeof args === 'string') return fail(`${COMMANDS.fetchFindings}: ${args}`);
  const request = await ask(distDir, args);
  if (!request) return { status: 'dismissed' };
  return run(distDir, request);
}

/** Asks for what the arguments leave out; undefined when the user closes a picker. */
async function ask(distDir: string, args: FetchCommandArgs): Promise<FetchRequest | undefined> {
  const env = process.env;
  const profiles = readProfiles(sharedFiles(env));
  let profile: string | undefined;
  if (args.profile !== undefined) {
    profile = args.profile || undefined;
  } else {
    const picked = await pickProfile(profiles, env);
    if (!picked) return undefined;
    profile = picked.profile;
  }
  const region = args.region ?? await pickRegion(profiles, profile, env);
  if (!region) return undefined;
  const source = args.source ?? await pickSource();
  if (!source) return undefined;
  const folder = defaultFolder();
  // The account's roles are listed as the fetch will run: same profile, region and environment.
  const search = (signal: AbortSignal) => runListRoles({ distDir, profile, region, cwd: folder, env, signal });
  const principals = args.principal ? [...args.principal] : await pickPrincipal(openRoles(), search).then((p) => (p ? [p] : undefined));
  if (!principals) return undefined;
  const out = args.out !== undefined ? resolveOut(args.out, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath)
    : await pickOut(defaultOutPath(folder, principals));
  if (!out) {
    if (args.out !== undefined)
      void vscode.window.showErrorMessage(`"out" is relative (${args.out}) and no folder is open: give an absolute path.`);
    return undefined;
  }
  return { profile, region, source, principals, out };
}

async function run(distDir: string, request: FetchRequest): Promise<FetchOutcome> {
  const who = request.principals.join(', ');
  const end = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification, cancellable: true,
    title: `Fetching the unused access of ${who} from AWS (${request.source})…`,
  }, (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    // The extension host's environment, so the user's AWS variables (AWS_PROFILE, AWS_ENDPOINT_URL, …) apply.
    return runFetchProcess({ distDir, args: cliArguments(request), out: request.out, cwd: dirname(request.out), env: process.env,
      signal: controller.signal });
  });
  if (end.kind === 'cancelled') return { status: 'cancelled', message: 'Fetch cancelled: no file was written.' };
  if (end.kind === 'failed') return fail(`Fetch failed: ${end.message}`);
  const file = vscode.workspace.asRelativePath(request.out);
  let message: string;
  try {
    message = savedMessage(readSavedFindings(request.out), who, file);
  } catch (error) {
    return fail(`Fetch wrote ${file}, but it cannot be read back: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (end.notes.length > 0) message += ` Note: ${end.notes.join(' ')}`;
  // Not awaited: the message stays until dismissed, and the command returns as soon as the file is there.
  void vscode.window.showInformationMessage(message, 'Open').then(async (choice) => {
    if (choice === 'Open') await vscode.window.showTextDocument(vscode.Uri.file(request.out));
  });
  return { status: 'written', message, file: request.out };
}

function fail(message: string): FetchOutcome {
  void vscode.window.showErrorMessage(message);
  return { status: 'failed', message };
}

/** The folder of the active file (the policy the user is looking at), else the first workspace folder, else the home folder. */
function defaultFolder(): string {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') return dirname(active.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
}

/** Roles named in open templates and Terraform files, the active one's first. */
function openRoles(): string[] {
  const active = vscode.window.activeTextEditor?.document;
  const documents = [...(active ? [active] : []), ...vscode.workspace.textDocuments.filter((d) => d !== active)];
  return [...new Set(documents.filter((d) => d.uri.scheme === 'file' || d.uri.scheme === 'untitled')
    .flatMap((d) => rolesInDocument(d.fileName, d.getText())))];
}
