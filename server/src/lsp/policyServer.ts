import { existsSync, type FSWatcher, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CancellationToken, type CodeAction, type CodeActionParams, CodeActionKind, type Connection, DidChangeConfigurationNotification,
  type DidChangeConfigurationParams, DidChangeWatchedFilesNotification, type DidChangeWatchedFilesParams, FileChangeType,
  type CompletionList, type CompletionParams,
  type Hover, type HoverParams, type InitializeParams, type InitializeResult, LSPErrorCodes, ResponseError, TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Catalog } from '../../../shared/src/catalog/catalog';
import { formatOfPath, POLICY_FILE_GLOBS } from '../../../shared/src/formats/registry';
import {
  CATALOG_INFO_METHOD, FETCH_FINDINGS_COMMAND, FIX_ALL_KIND, type InitializationOptions, SETTINGS_SECTION, SHOW_FINDINGS_COMMAND,
} from '../../../shared/src/protocol/names';
import {
  type DocumentSummary, type DocumentSummaryParams, DocumentSummaryRequest, type FileRefinement, WorkspaceRefinementsRequest,
} from '../../../shared/src/protocol/requests';
import type { PolicyDocumentState } from '../language/documentState';
import type { HoverOptions } from '../language/hover';
import { plural } from '../language/verdicts';
import { SKIPPED_FOLDERS, toPosix } from '../workspace/findingsFiles';
import { LastCommitTimes } from '../workspace/lastCommit';
import { type ChangeEffect, createPolicyService, type DocumentInput, pathOf, type PolicyService } from '../service/policyService';
import { DEFAULT_SETTINGS, readSettings, type Settings } from '../service/settings';
import { BackgroundCatalogUpdate } from '../catalog/backgroundUpdate';
import { detailsBeside } from '../catalog/detailsFile';
import type { CatalogInfo } from '../../../shared/src/catalog/catalogRequest';

/** How long a turn may go on running steps of a first analysis before it lets others in. */
const WARM_UP_SLICE_MS = 20;

/**
 * The language server: LSP wiring around the policy service. It keeps the service told of open
 * documents, file changes and settings, validates once per burst of changes, and answers hovers,
 * code actions and the product's own requests from the service.
 */
export class PolicyServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly service: PolicyService;
  private folders: { uri: string; path: string }[] = [];
  /** Settings the client pushed with `didChangeConfiguration`, for clients that cannot be asked. */
  private pushed: Settings = DEFAULT_SETTINGS;
  private readonly pending = new Set<string>();
  /** How long each open document's last validation took, in ms: the order of the next round. */
  private readonly costs = new Map<string, number>();
  /** Open documents not analysed since they opened or their findings changed: their first analysis is split up (see warmUpStep). */
  private readonly cold = new Set<string>();
  /** The steps of a cold document's first analysis not run yet. */
  private readonly warming = new Map<string, Iterator<void, void, undefined>>();
  /** What the current round of a document has cost so far, its warm-up steps included. */
  private readonly spent = new Map<string, number>();
  /** Requests waiting their turn (see request): validation lets them go first. */
  private requestsWaiting = 0;
  private flushScheduled = false;
  /** Settles once settings are read and the workspace scanned: requests wait for it. */
  private readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;
  private watchers: Promise<{ dispose(): void }> | undefined;
  /** The server's own watchers of the folders, for clients that cannot watch files for it. */
  private folderWatchers: FSWatcher[] = [];
  /** Paths changed on disk, seen by the server's own watchers, not yet handed to the service. */
  private readonly changedOnDisk = new Set<string>();
  private canConfigure = false;
  private canWatch = false;
  private canRegisterConfiguration = false;
  private documentChanges = false;
  private resolveEdits = false;
  private relatedInformation = false;
  private hoverOptions: HoverOptions = { fetchCommand: false };
  private initialized = false;
  /** The latest round of building tries ahead of need (see prepare). */
  private preparing = 0;
  /** Findings files, not open, whose problems are published because they cannot be read. */
  private readonly unreadablePublished = new Set<string>();
  /** With a client that gives a folder for it, the catalogue kept current in the background. */
  private catalogUpdate: BackgroundCatalogUpdate | undefined;
  private catalogSetting: Settings['catalog'];
  /** When each open policy's file was last committed: findings analysed before are stale. */
  private readonly commits = new LastCommitTimes((path) => this.committedKnown(path));

  constructor(private readonly connection: Connection, private readonly bundled: Catalog) {
    this.service = createPolicyService({
      catalog: bundled,
      openText: (path) => this.openDocument(path)?.getText(),
      uriOf: (path) => this.openDocument(path)?.uri ?? pathToFileURL(path).href,
      log: (message) => connection.console.error(message),
      onUnreadable: (path, reason) => connection.console.error(`${path}: cannot read: ${reason}`),
      onReadersLoaded: () => this.revalidateAll(),
      now: () => Date.now(),
      lastCommitted: (path) => this.commits.get(path),
    });
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.guard('initialized', () => this.start()));
    connection.onDidChangeConfiguration((params) => this.guard('configuration', () => this.configurationChanged(params)));
    connection.onDidChangeWatchedFiles((params) => this.guard('watched files', () => this.watchedFilesChanged(params)));
    // Requests wait for the first workspace scan: an answer without the findings would be wrong.
    connection.onHover((params, token) => this.request('hover', token, () => this.hover(params), null));
    connection.onCompletion((params, token) => this.request('completion', token, () => this.completion(params), null));
    connection.onCompletionResolve((item, token) =>
      this.request('completion item', token, () => this.service.resolveCompletion(item), item));
    connection.onCodeAction((params, token) => this.request('code actions', token, () => this.codeActions(params), []));
    connection.onCodeActionResolve((action, token) => this.request('code action', token, () => this.resolveCodeAction(action), action));
    connection.onRequest(DocumentSummaryRequest, (params, token) =>
      this.request('document summary', token, () => this.documentSummary(params), null));
    connection.onRequest(WorkspaceRefinementsRequest, (token) =>
      this.request('workspace refinements', token, () => this.workspaceRefinements(), []));
    // Answered at once: which catalogue is in use does not wait for the workspace scan.
    connection.onRequest(CATALOG_INFO_METHOD, (): CatalogInfo => ({
      date: this.service.catalog.date, sources: this.service.catalog.sources(),
    }));
    this.documents.onDidChangeContent((e) => this.guard('change', () => this.documentChanged(e.document)));
    this.documents.onDidClose((e) => this.guard('close', () => this.documentClosed(e.document)));
    connection.onShutdown(() => this.closeFolderWatchers());
    this.documents.listen(connection);
  }

  private initialize(params: InitializeParams): InitializeResult {
    const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.folders = uris.flatMap((uri) => {
      const path = pathOf(uri);
      return path ? [{ uri, path }] : [];
    });
    const capabilities = params.capabilities;
    this.canConfigure = capabilities.workspace?.configuration === true;
    this.canRegisterConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    this.canWatch = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.documentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
    this.resolveEdits = capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    this.relatedInformation = capabilities.textDocument?.publishDiagnostics?.relatedInformation === true;
    const commands = (params.initializationOptions as InitializationOptions | undefined)?.commands;
    const runs = (command: string): boolean => Array.isArray(commands) && commands.includes(command);
    this.hoverOptions = {
      fetchCommand: runs(FETCH_FINDINGS_COMMAND), showFindingsCommand: runs(SHOW_FINDINGS_COMMAND), details: detailsBeside(__dirname),
    };
    this.startCatalog((params.initializationOptions as InitializationOptions | undefined)?.catalogCache);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', ':'], resolveProvider: true },
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND],
          resolveProvider: true,
        },
      },
      serverInfo: { name: 'iam-policy-refiner' },
    };
  }

  private async start(): Promise<void> {
    if (this.canConfigure && this.canRegisterConfiguration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    await this.reloadSettings();
    this.initialized = true;
    this.markReady();
    this.flush();
    this.updateCatalogIfDue();
  }

  /** The catalogue cached in `dir` (the client's storage) is used from the start, and kept current from then on. */
  private startCatalog(dir: unknown): void {
    if (typeof dir !== 'string' || dir === '') return;
    this.catalogUpdate = new BackgroundCatalogUpdate({
      dir,
      bundled: this.bundled,
      // One quiet line in the log, whatever happens: an update is nothing the user has to act on.
      log: (message) => this.connection.console.info(message),
      onCatalog: (catalog) => this.catalogChanged(catalog),
    });
    this.service.useCatalog(this.catalogUpdate.initial());
  }

  /** After the first diagnostics, and on each settings change: an update runs in the background if one is due. */
  private updateCatalogIfDue(): void {
    const updater = this.catalogUpdate;
    const setting = this.catalogSetting;
    if (!updater || !setting) return;
    setTimeout(() => this.guard('catalogue update', () => updater.maybeUpdate(setting.update, setting.url)), 0);
  }

  /** A newer catalogue: everything is analysed again with it, and the diagnostics published again. */
  private async catalogChanged(catalog: Catalog): Promise<void> {
    this.service.useCatalog(catalog);
    await this.reloadSettings();
  }

  private async configurationChanged(params: DidChangeConfigurationParams): Promise<void> {
    // A client that cannot be asked sends the settings along (or nothing, for the defaults).
    if (!this.canConfigure) this.pushed = readSettings((params.settings as Record<string, unknown> | null)?.[SETTINGS_SECTION]);
    await this.reloadSettings();
    this.updateCatalogIfDue();
  }

  /** Reads the settings of each folder (and of documents in none), then has the service scan the folders. */
  private async reloadSettings(): Promise<void> {
    const settingsOf = async (scopeUri?: string): Promise<Settings> => this.canConfigure
      ? readSettings(await this.connection.workspace.getConfiguration({ ...(scopeUri ? { scopeUri } : {}), section: SETTINGS_SECTION }))
      : this.pushed;
    const folders = await Promise.all(this.folders.map(async (f) => ({ path: f.path, settings: await settingsOf(f.uri) })));
    const settings = await settingsOf();
    this.catalogSetting = settings.catalog;
    if (this.canWatch) {
      // Findings globs wherever they are (the service sorts out which folder they belong to), and
      // files that may become or stop being policies that findings apply to.
      const findingsGlobs = [...folders.map((f) => f.settings), settings].flatMap((s) => s.findingsFiles);
      const globs = [...new Set([...findingsGlobs.map((g) => (g.startsWith('**/') ? g : `**/${g}`)), ...POLICY_FILE_GLOBS])];
      const previous = this.watchers;
      this.watchers = this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: globs.map((globPattern) => ({ globPattern })),
      });
      void previous?.then((registration) => registration.dispose());
    }
    this.service.configure({ folders, settings, relatedInformation: this.relatedInformation });
    this.traceFindings(`scanned ${plural(folders.length, 'folder')}`);
    if (!this.canWatch) this.watchFolders();
    for (const document of this.documents.all()) this.syncFindingsDocument(document);
    this.revalidateAll();
    this.publishUnreadableFindings();
    this.prepare();
  }

  /**
   * A findings file that cannot be read shows its problems whether or not it is open: unseen, it
   * would silently stand for "nothing unused". Open ones are validated as documents.
   */
  private publishUnreadableFindings(): void {
    const paths = new Set(this.service.findingsPaths());
    for (const path of this.unreadablePublished) {
      if (paths.has(path) && !this.openDocument(path) && this.service.unreadable(path)) continue;
      this.unreadablePublished.delete(path);
      if (!this.openDocument(path)) void this.connection.sendDiagnostics({ uri: pathToFileURL(path).href, diagnostics: [] });
    }
    for (const path of paths) {
      if (this.unreadablePublished.has(path) || this.openDocument(path) || !this.service.unreadable(path)) continue;
      this.unreadablePublished.add(path);
      void this.connection.sendDiagnostics({ uri: pathToFileURL(path).href, diagnostics: this.service.findingsDiagnostics(path) });
    }
  }

  /**
   * While the server is idle, builds the action tries of the services the findings name, one
   * service per turn of the event loop so that nothing waits behind it: the first policy opened
   * then finds them built (about half of its analysis in a large workspace). A newer call, after
   * the findings changed, takes over from an older one.
   */
  private prepare(): void {
    const services = this.service.findingsServices();
    const round = ++this.preparing;
    const next = (): void => {
      const service = round === this.preparing ? services.shift() : undefined;
      if (service === undefined) return;
      this.guard('prepare', () => this.service.prepareService(service));
      setImmediate(next);
    };
    setImmediate(next);
  }

  /**
   * For a client that cannot watch files for the server (no dynamic registration of watchers):
   * the server watches, itself, the top of each folder and every folder that holds a findings
   * file, so that a findings file written there counts. Not whole trees: a recursive watch of a
   * repository with its dependencies would take thousands of the system's watches.
   */
  private watchFolders(): void {
    this.closeFolderWatchers();
    const dirs = new Set([...this.folders.map((f) => f.path), ...this.service.findingsPaths().map((p) => dirname(p))]);
    this.folderWatchers = [...dirs].flatMap((dir) => {
      try {
        const watcher = watch(dir, (_, name) => {
          if (name) this.fileChangedOnDisk(join(dir, name.toString()));
        });
        watcher.on('error', (error) => this.connection.console.error(`watching ${dir}: ${describe(error)}`));
        return [watcher];
      } catch (error) {
        this.connection.console.error(`${dir} cannot be watched: ${describe(error)}`);
        return [];
      }
    });
  }

  private closeFolderWatchers(): void {
    for (const watcher of this.folderWatchers) watcher.close();
    this.folderWatchers = [];
  }

  /** A burst of writes (an editor saving, a tool rewriting a file) is handed over once, a moment after it ends. */
  private fileChangedOnDisk(path: string): void {
    if (!formatOfPath(path) && !this.service.isFindings(path)) return;
    if (toPosix(path).split('/').some((part) => SKIPPED_FOLDERS.has(part))) return;
    const first = this.changedOnDisk.size === 0;
    this.changedOnDisk.add(path);
    if (!first) return;
    setTimeout(() => this.guard('files changed on disk', () => {
      const changes = [...this.changedOnDisk].map((p) => ({ path: p, deleted: !existsSync(p) }));
      this.changedOnDisk.clear();
      for (const change of changes) this.commits.forget(change.path);
      this.traceChanges(changes);
      this.apply(this.service.filesChanged(changes));
    }), 100);
  }

  /** A policy's last commit, now known, may make its findings stale. */
  private committedKnown(path: string): void {
    const document = this.openDocument(path);
    if (!document) return;
    this.service.forgetDiagnostics(document.uri);
    this.schedule(document.uri);
  }

  private watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    const changes = params.changes.flatMap((change) => {
      const path = pathOf(change.uri);
      return path ? [{ path, deleted: change.type === FileChangeType.Deleted }] : [];
    });
    this.traceChanges(changes);
    for (const change of changes) this.commits.forget(change.path);
    this.apply(this.service.filesChanged(changes));
  }

  /**
   * What the server did, in the client's trace (`$/logTrace`, sent only while the client's trace
   * setting is on): which findings it reads and which of them cannot be read, with the paths when verbose.
   */
  private traceFindings(what: string): void {
    const paths = this.service.findingsPaths();
    const unreadable = paths.filter((p) => this.service.unreadable(p));
    const broken = unreadable.length > 0 ? `, ${unreadable.length} of them unreadable` : '';
    this.connection.tracer.log(`${what}: ${plural(paths.length, 'findings file')}${broken}, `
      + `${plural(this.service.policyFileCount(), 'policy file')}`, paths.map((p) => {
      const problem = this.service.unreadable(p);
      return problem ? `${p} (cannot be read: ${problem.reason})` : p;
    }).join('\n'));
  }

  private traceChanges(changes: readonly { path: string; deleted: boolean }[]): void {
    if (changes.length === 0) return;
    this.connection.tracer.log(`${plural(changes.length, 'file')} changed on disk`,
      changes.map((c) => `${c.deleted ? 'deleted' : 'changed'}: ${c.path}`).join('\n'));
  }

  private documentChanged(document: TextDocument): void {
    if (this.syncFindingsDocument(document)) this.revalidateAll();
    else {
      if (!this.costs.has(document.uri)) this.cold.add(document.uri);
      this.schedule(document.uri);
      this.revalidateModule(document);
    }
  }

  /**
   * The other open files of a Terraform module read this one for names and attachments: a change
   * here may change whom their policies belong to.
   */
  private revalidateModule(changed: TextDocument): void {
    const path = pathOf(changed.uri);
    if (!path || formatOfPath(path) !== 'terraform') return;
    for (const document of this.documents.all()) {
      const other = pathOf(document.uri);
      if (document === changed || !other || formatOfPath(other) !== 'terraform' || dirname(other) !== dirname(path)) continue;
      this.service.forget(document.uri);
      this.schedule(document.uri);
    }
  }

  private documentClosed(document: TextDocument): void {
    this.pending.delete(document.uri);
    this.costs.delete(document.uri);
    this.cold.delete(document.uri);
    this.warming.delete(document.uri);
    this.spent.delete(document.uri);
    void this.connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    this.apply(this.service.documentClosed(document.uri));
    // Closed, a findings file that cannot be read on disk keeps showing why.
    this.publishUnreadableFindings();
    // Its Terraform neighbours read it from disk again, without the edits that were not saved.
    this.revalidateModule(document);
  }

  /** An open findings document's unsaved text is what counts; true when `document` is one. */
  private syncFindingsDocument(document: TextDocument): boolean {
    const path = pathOf(document.uri);
    return path !== undefined && this.service.findingsOpened(path, document.getText());
  }

  private apply(effect: ChangeEffect): void {
    if (effect.all) {
      this.traceFindings('findings changed');
      this.revalidateAll();
      this.publishUnreadableFindings();
      this.prepare();
      // A findings file may have come or gone in a folder the server watches for itself.
      if (!this.canWatch) this.watchFolders();
    } else if (effect.findingsDocuments) {
      this.revalidateFindingsDocuments();
    }
  }

  private revalidateAll(): void {
    this.warming.clear();
    for (const document of this.documents.all()) {
      this.service.forget(document.uri);
      this.cold.add(document.uri);
      this.schedule(document.uri);
    }
  }

  private revalidateFindingsDocuments(): void {
    for (const document of this.documents.all()) {
      const path = pathOf(document.uri);
      if (path && this.service.isFindings(path)) this.schedule(document.uri);
    }
  }

  /**
   * Validation runs once per burst of changes, after the messages already queued are handled, and
   * not before the first workspace scan: a client never sees diagnostics computed without findings.
   */
  private schedule(uri: string): void {
    this.pending.add(uri);
    if (this.flushScheduled || !this.initialized) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Validates one document per turn of the event loop, so that requests, cancellations and edits
   * are handled in between; the cheapest first, by what each took last time, so that one document
   * with a hostile findings file holds up no other's diagnostics.
   */
  private flush(): void {
    if (this.requestsWaiting > 0) {
      // Requests first: a step of a long first analysis would otherwise run before each one.
      setImmediate(() => this.flush());
      return;
    }
    this.flushScheduled = false;
    let next: string | undefined;
    for (const uri of this.pending) if (next === undefined || this.cost(uri) < this.cost(next)) next = uri;
    if (next === undefined) return;
    const uri = next;
    const start = performance.now();
    const warming = this.warmUpStep(uri);
    if (!warming) {
      this.pending.delete(uri);
      this.guard('validate', () => this.validate(uri));
    }
    // A document whose first analysis is long grows costlier with each step, and the others go first.
    const spent = (this.spent.get(uri) ?? 0) + performance.now() - start;
    if (warming) this.spent.set(uri, spent);
    else this.spent.delete(uri);
    this.costs.set(uri, warming ? Math.max(spent, this.cost(uri)) : spent);
    if (this.pending.size > 0) {
      this.flushScheduled = true;
      // After a step of a first analysis, two turns: messages that came during the step are read in
      // the next, and the connection hands them over in an immediate queued after ours; their
      // requests then wait in the turn after, and go first (see requestsWaiting).
      if (warming) setImmediate(() => setImmediate(() => this.flush()));
      else setImmediate(() => this.flush());
    }
  }

  /**
   * Runs the next step of a cold document's first analysis, one per turn, so that a findings file
   * of 100,000 made-up actions, which makes that analysis take a second or more, holds up no request
   * for that long; false once the analysis itself is what is left.
   */
  private warmUpStep(uri: string): boolean {
    if (this.cold.delete(uri)) {
      const document = this.documents.get(uri);
      if (document) this.warming.set(uri, this.service.warmUp(input(document)));
    }
    const steps = this.warming.get(uri);
    if (!steps) return false;
    // Cheap steps (an ordinary policy's patterns) are run many to a turn.
    const until = performance.now() + WARM_UP_SLICE_MS;
    const done = this.guard('warm-up', () => {
      let result = steps.next();
      while (!result.done && performance.now() < until) result = steps.next();
      return result.done === true;
    }, true);
    if (done) this.warming.delete(uri);
    return !done;
  }

  private cost(uri: string): number {
    return this.costs.get(uri) ?? 0;
  }

  private validate(uri: string): void {
    const document = this.documents.get(uri);
    if (!document) return;
    const { diagnostics, policiesChanged } = this.service.validate(input(document));
    void this.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
    if (policiesChanged) this.revalidateFindingsDocuments();
  }

  private state(uri: string): PolicyDocumentState | undefined {
    const document = this.documents.get(uri);
    return document && this.service.analyze(input(document));
  }

  private documentSummary(params: DocumentSummaryParams): DocumentSummary {
    return this.service.documentSummary(this.state(params.uri));
  }

  /** Every policy file of the workspace, open or not, with its verified refinement. */
  private workspaceRefinements(): Promise<FileRefinement[]> {
    const open = new Map(this.documents.all().flatMap((d) => {
      const path = pathOf(d.uri);
      return path ? [[path, input(d)] as const] : [];
    }));
    return this.service.workspaceRefinements(open);
  }

  private hover(params: HoverParams): Hover | null {
    const state = this.state(params.textDocument.uri);
    return state ? this.service.hover(state, state.lines.offset(params.position), this.hoverOptions) : null;
  }

  private completion(params: CompletionParams): CompletionList | null {
    const uri = params.textDocument.uri;
    const document = this.documents.get(uri);
    if (!document) return null;
    const offset = document.offsetAt(params.position);
    const path = pathOf(uri);
    if (path && this.service.isFindings(path)) return this.service.findingsCompletion(path, document.getText(), offset);
    return this.service.completion(input(document), offset);
  }

  private codeActions(params: CodeActionParams): CodeAction[] {
    const state = this.state(params.textDocument.uri);
    if (!state) return [];
    const { start, end } = params.range;
    return this.service.codeActions(state, state.lines.offset(start), params.context, this.codeActionClient(), state.lines.offset(end));
  }

  private resolveCodeAction(action: CodeAction): CodeAction {
    const uri = (action.data as { uri?: unknown } | undefined)?.uri;
    const state = typeof uri === 'string' ? this.state(uri) : undefined;
    return state ? this.service.resolveCodeAction(state, action, this.codeActionClient()) : action;
  }

  private codeActionClient(): { documentChanges: boolean; resolveEdits: boolean; fetchCommand: boolean } {
    const fetchCommand = this.hoverOptions.fetchCommand === true;
    return { documentChanges: this.documentChanges, resolveEdits: this.resolveEdits, fetchCommand };
  }

  /** The open document at `path`, unsaved changes included. */
  private openDocument(path: string): TextDocument | undefined {
    return this.documents.all().find((d) => pathOf(d.uri) === path);
  }

  /** Runs a handler; an unexpected error is logged, never thrown at the client. */
  private guard<T>(what: string, run: () => T, fallback?: T): T {
    try {
      const result = run();
      if (result instanceof Promise) {
        return result.catch((error: unknown) => {
          this.connection.console.error(`${what}: ${describe(error)}`);
          return fallback;
        }) as T;
      }
      return result;
    } catch (error) {
      this.connection.console.error(`${what}: ${describe(error)}`);
      return fallback as T;
    }
  }

  /**
   * A request handler: answered once the server is ready, errors logged and answered with `fallback`.
   * It waits its turn behind the work already queued (a validation may take a while on a hostile
   * findings file), and a request cancelled meanwhile is answered as cancelled, not computed.
   */
  private async request<T>(what: string, token: CancellationToken, run: () => T | Promise<T>, fallback: T): Promise<T> {
    await this.ready;
    // One turn, for a cancellation sent right after the request to arrive; validation waits for it.
    this.requestsWaiting++;
    try {
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      this.requestsWaiting--;
    }
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, `${what}: cancelled`);
    return this.guard(what, run, fallback);
  }
}

function input(document: TextDocument): DocumentInput {
  return { uri: document.uri, version: document.version, text: document.getText(), languageId: document.languageId };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.stack ?? error.message : String(error);
}
