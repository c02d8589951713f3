import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CodeAction, CodeActionRequest, CodeActionResolveRequest, type Diagnostic, DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, type FileEvent,
  type Hover, HoverRequest,
  InitializedNotification, InitializeRequest, type MarkupContent, type Position, type ProtocolConnection,
  PublishDiagnosticsNotification, type PublishDiagnosticsParams, type Range, RegistrationRequest, type TextEdit,
  type WorkspaceEdit, ConfigurationRequest, DidChangeConfigurationNotification, ShutdownRequest, ExitNotification,
  LogMessageNotification,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { repoRoot } from './catalog';

export const uriOf = (path: string): string => pathToFileURL(path).href;

/**
 * The fixtures' findings carry fixed dates, the clock moves on, and the fixtures in this repository
 * were committed after their findings' dates: unless a test says otherwise, findings never grow
 * stale here, so that only the tests about their age see `stale-findings`.
 */
function withTestDefaults(settings: unknown): unknown {
  if (settings === null || typeof settings !== 'object') return settings;
  const given = settings as { findings?: Record<string, unknown>; severity?: Record<string, unknown> };
  return {
    ...given,
    findings: { maxAgeDays: 36500, ...given.findings },
    severity: { 'stale-findings': 'off', ...given.severity },
  };
}

/** What the test client tells the server it supports; by default what VS Code does, except `resolveEdits`. */
export interface ClientCapabilityOptions {
  documentChanges?: boolean;
  relatedInformation?: boolean;
  /** Code actions come without edits, which `codeAction/resolve` gives (VS Code does this). */
  resolveEdits?: boolean;
  /** The client answers `workspace/configuration`; without it, settings come with `didChangeConfiguration`. */
  configuration?: boolean;
  /** The client watches files for the server when asked to (dynamic registration of watchers). */
  watchFiles?: boolean;
}

/**
 * An editor in miniature: runs the built server as a child process over stdio and speaks LSP to it
 * through the protocol library, keeping the documents it opened and the diagnostics it was sent.
 */
export class LspTestClient {
  private readonly published = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: (() => void)[] = [];
  private readonly documents = new Map<string, TextDocument>();
  readonly logs: string[] = [];
  /** The URI of every diagnostics notification, in the order they came. */
  readonly publishOrder: string[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** Rejects once the server process has ended: every wait and request fails then instead of hanging. */
  private readonly ended: Promise<never>;
  private endedWith: string | undefined;

  private constructor(private readonly process: ChildProcess, readonly connection: ProtocolConnection, public settings: unknown) {
    this.ended = new Promise<never>((_, reject) => {
      process.once('exit', (code, signal) => {
        this.endedWith = `the server exited (${signal ?? `code ${code}`})`;
        reject(new Error(this.endedWith));
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    this.ended.catch(() => undefined);
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, params);
      this.publishOrder.push(params.uri);
      for (const wake of this.waiters.splice(0)) wake();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
    });
    // Settings may differ per folder: a function of the item answers each scope on its own.
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => withTestDefaults(
      typeof this.settings === 'function' ? (this.settings as (scopeUri?: string) => unknown)(item.scopeUri) : this.settings)));
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
    });
  }

  /** Starts the built server, or with `server` another script that speaks LSP over stdio (the bench's baseline). */
  static async start(
    folders: string[], settings: unknown = {}, capabilities: ClientCapabilityOptions = {}, server = join(repoRoot(), 'dist', 'server.js'),
  ): Promise<LspTestClient> {
    const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(child, connection, settings);
    connection.listen();
    await client.request(connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0] ? uriOf(folders[0]) : null,
      workspaceFolders: folders.map((f, i) => ({ uri: uriOf(f), name: `folder${i}` })),
      capabilities: {
        workspace: {
          configuration: capabilities.configuration ?? true,
          didChangeWatchedFiles: { dynamicRegistration: capabilities.watchFiles ?? true },
          workspaceEdit: { documentChanges: capabilities.documentChanges ?? true },
        },
        textDocument: {
          publishDiagnostics: { relatedInformation: capabilities.relatedInformation ?? true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source'] } },
            ...(capabilities.resolveEdits ? { resolveSupport: { properties: ['edit'] }, dataSupport: true } : {}),
          },
        },
      },
    }));
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Opens a file (its content from disk unless given) as the editor would. */
  async open(path: string, text = readFileSync(path, 'utf8'), languageId = 'json'): Promise<string> {
    const uri = uriOf(path);
    return this.openUri(uri, text, languageId);
  }

  async openUri(uri: string, text: string, languageId = 'json'): Promise<string> {
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Replaces a document's whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const document = this.document(uri);
    const version = document.version + 1;
    this.documents.set(uri, TextDocument.create(uri, document.languageId, version, text));
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version }, contentChanges: [{ text }],
    });
    return version;
  }

  /** One incremental change, as an editor sends a keystroke; returns the new version. */
  async edit(uri: string, range: Range, text: string): Promise<number> {
    const document = this.document(uri);
    const version = document.version + 1;
    const edited = TextDocument.applyEdits(document, [{ range, newText: text }]);
    this.documents.set(uri, TextDocument.create(uri, document.languageId, version, edited));
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version }, contentChanges: [{ range, text }],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    // What the server sends on close (no diagnostics, no version) must not answer a later wait.
    this.forget(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  /** New settings: announced, for the server to ask for them; or, with `push`, sent along as older clients do. */
  async configurationChanged(settings: unknown, push = false): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: push ? { iamPolicyRefiner: withTestDefaults(settings) } : null,
    });
  }

  text(uri: string): string {
    return this.document(uri).getText();
  }

  /**
   * The diagnostics the server publishes for the document's current version, waiting for them
   * (never a fixed sleep: the wait ends with the notification, or fails after `timeoutMs`).
   */
  async diagnostics(uri: string, accept: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 10000): Promise<Diagnostic[]> {
    const version = this.documents.get(uri)?.version;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const params = this.published.get(uri);
      if (params && (version === undefined || params.version === undefined || params.version === version) && accept(params.diagnostics)) {
        return params.diagnostics;
      }
      if (this.endedWith) throw new Error(`no diagnostics for ${uri}: ${this.endedWith}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`no matching diagnostics for ${uri} (version ${version}); last: ${JSON.stringify(params)}${this.lastLogs()}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Forgets what was published for `uri`, so that the next wait sees only newer notifications. */
  forget(uri: string): void {
    this.published.delete(uri);
  }

  async hover(uri: string, position: Position): Promise<string | undefined> {
    const hover: Hover | null = await this.request(this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }));
    return hover ? (hover.contents as MarkupContent).value : undefined;
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[] = [], only?: string[]): Promise<CodeAction[]> {
    const result = await this.request(this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range, context: only ? { diagnostics, only } : { diagnostics },
    }));
    return (result ?? []) as CodeAction[];
  }

  /** Asks for the edit of an action that came without one, as an editor does once the user picks it. */
  async resolve(action: CodeAction): Promise<CodeAction> {
    return this.request(this.connection.sendRequest(CodeActionResolveRequest.type, action));
  }

  /**
   * A request's answer, or a failure that says why there is none: the server ended, or it did not
   * answer within `timeoutMs` (a test never waits forever on a server that is stuck or gone).
   */
  async request<T>(answer: Promise<T>, timeoutMs = 60_000): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the server within ${timeoutMs / 1000} s${this.lastLogs()}`)), timeoutMs);
    });
    try {
      return await Promise.race([answer, this.ended, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Applies a code action's edit to the client's copy of the document, as the editor would, and tells the server. */
  async apply(action: CodeAction): Promise<string> {
    const edit = action.edit as WorkspaceEdit;
    const [uri, edits, version] = edit.documentChanges
      ? (() => {
        const change = edit.documentChanges[0] as { textDocument: { uri: string; version: number }; edits: TextEdit[] };
        return [change.textDocument.uri, change.edits, change.textDocument.version] as const;
      })()
      : (() => {
        const [entry] = Object.entries(edit.changes!);
        return [entry![0], entry![1], undefined] as const;
      })();
    const document = this.document(uri);
    if (version !== undefined && version !== document.version) {
      throw new Error(`edit for version ${version}, document is at ${document.version}`);
    }
    const text = TextDocument.applyEdits(document, edits);
    await this.change(uri, text);
    return text;
  }

  /** Position of the `nth` occurrence of `needle` in a document (plus `delta` characters). */
  positionOf(uri: string, needle: string, delta = 1, nth = 0): Position {
    const text = this.text(uri);
    let offset = -1;
    for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${needle} not in ${uri}`);
    return this.document(uri).positionAt(offset + delta);
  }

  /** Shuts the server down as an editor does; a server that does not answer within 5 s is killed all the same. */
  async stop(): Promise<void> {
    try {
      if (this.endedWith) return;
      await this.request(this.connection.sendRequest(ShutdownRequest.type), 5_000);
      await this.connection.sendNotification(ExitNotification.type);
    } finally {
      this.connection.dispose();
      this.process.kill();
    }
  }

  /** The server's last log lines, for a failure to show what the server was doing. */
  private lastLogs(): string {
    return this.logs.length === 0 ? '' : `; the server's last log lines:\n${this.logs.slice(-5).join('\n')}`;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get exitCode(): number | null {
    return this.process.exitCode;
  }

  private document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document;
  }
}
