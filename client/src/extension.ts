import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { POLICY_LANGUAGE_IDS } from '../../shared/src/formats/registry';
import { type InitializationOptions, SETTINGS_SECTION } from '../../shared/src/protocol/names';
import { COMMANDS } from './commands';
import { registerFetchFindings } from './fetch/fetchCommand';
import { registerPreview } from './preview';
import { registerShowFindings } from './showFindings';
import { StatusItem, type StatusItemState } from './statusItem';
import { registerWorkspaceRefinement } from './workspaceRefinement';

let client: LanguageClient | undefined;

export const CLIENT_NAME = 'IAM Policy Refiner';

/** The commands a hover may link to (a policy without findings, a long list of unused actions); no other command link runs. */
const HOVER_COMMANDS = [COMMANDS.fetchFindings, COMMANDS.showFindings];

/**
 * What `activate` returns (the extension's `exports`): read by the end-to-end tests only, since no API reads a
 * status bar item back.
 */
export interface ExtensionApi {
  statusItem(): StatusItemState;
}

/**
 * Starts the bundled language server over stdio, as every other editor does (the server serialises
 * each diagnostic once there), and wires the commands and the status bar to it.
 */
export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  // Fetching runs the CLI, not the server: it is registered first, so that it works even if the server does not start.
  context.subscriptions.push(registerFetchFindings(context.asAbsolutePath('dist')));
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const log = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(log);
  const clientOptions: LanguageClientOptions = {
    // Terraform files count by name: without a Terraform extension, the editor calls them plain text.
    documentSelector: [
      ...['file', 'untitled'].flatMap((scheme) => POLICY_LANGUAGE_IDS.map((language) => ({ scheme, language }))),
      { scheme: 'file', pattern: '**/*.tf' },
    ],
    synchronize: { configurationSection: SETTINGS_SECTION },
    // Hovers may link to these commands, and the server is told so; no other command link runs.
    markdown: { isTrusted: { enabledCommands: [...HOVER_COMMANDS] } },
    // The server keeps the downloaded action catalogue in the extension's global storage, shared by every window.
    initializationOptions: { commands: [...HOVER_COMMANDS], catalogCache: context.globalStorageUri.fsPath } satisfies InitializationOptions,
    // The extension's own channel: the client would dispose one it made itself on Restart Server, and with it the old
    // server's log, which is what a person who restarts a misbehaving server wants to read.
    outputChannel: log,
  };
  // The client's id names its trace setting, `iamPolicyRefiner.trace.server`, which lives in the same section.
  client = new LanguageClient(SETTINGS_SECTION, CLIENT_NAME, serverOptions, clientOptions);
  await client.start();
  const started = client;
  const status = new StatusItem(started);
  context.subscriptions.push(status, registerPreview(started), registerWorkspaceRefinement(started), registerShowFindings(started),
    // A server that misbehaves (or a findings file it holds on to) is one command away from a fresh start.
    vscode.commands.registerCommand(COMMANDS.restartServer, async () => {
      await started.restart();
      return true;
    }),
    // The server's log and, with trace.server, the traffic between editor and server.
    vscode.commands.registerCommand(COMMANDS.showLog, () => started.outputChannel.show()),
  );
  return { statusItem: () => status.state() };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
