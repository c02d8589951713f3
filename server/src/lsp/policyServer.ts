import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CodeAction, type CodeActionParams, CodeActionKind, type Connection, type Diagnostic, DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification, type DidChangeWatchedFilesParams, FileChangeType, type Hover, type HoverParams,
  type InitializeParams, type InitializeResult, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Catalog } from '../../../shared/src/catalog/catalog';
import type { SourceFormat } from '../../../shared/src/formats/policySource';
import { parsePolicyFile } from '../../../shared/src/formats/json/jsonSource';
import { parseYamlPolicyFile } from '../../../shared/src/formats/yaml/yamlSource';
import { selectFindings } from '../../../shared/src/findings/selection';
import { analyzePolicies, type PolicyReader } from '../../../shared/src/policy/analyzePolicyText';
import { fullRefinementScope, verifyRefinement, type VerifyOptions } from '../../../shared/src/policy/verifyRefinement';
import { countRefinements } from '../../../shared/src/policy/refinementSummary';
import {
  DOCUMENT_SUMMARY, type DocumentSummary, type DocumentSummaryParams, type FileRefinement, WORKSPACE_REFINEMENTS,
} from '../../../shared/src/protocol/requests';
import { matchesAnyGlob } from '../../../shared/src/text/pathGlob';
import { LineIndex } from '../../../shared/src/text/problem';
import { applyEdits, type TextEdit } from '../../../shared/src/text/textEdit';
import { FIX_ALL_KIND, policyCodeActions } from '../language/codeActions';
import type { PolicyDocumentState } from '../language/documentState';
import { findingsDiagnostics } from '../language/findingsDiagnostics';
import { policyHover } from '../language/hover';
import { policyDiagnostics } from '../language/policyDiagnostics';
import { FindingsIndex } from '../workspace/findingsIndex';
import { appliesTo, type LoadedFindings, SKIPPED_FOLDERS, toPosix, walkFiles } from '../workspace/findingsFiles';
import { formatOfDocument, formatOfPath, mayHoldPolicyText, POLICY_FILE_GLOBS } from '../workspace/policyFormats';
import { TerraformSources } from '../workspace/terraformSources';
import { DEFAULT_SETTINGS, readSettings, SETTINGS_SECTION, type Settings } from './settings';

/** Policy files larger than this are not read by the workspace scan (open documents are always analysed). */
const SCAN_SIZE_LIMIT = 2 * 1024 * 1024;

/**
 * The language server: keeps the findings of the workspace current, analyses every open document
 * that holds IAM policies (JSON policy files, CloudFormation and SAM templates in JSON or YAML,
 * Terraform), and answers hovers and code actions from that analysis.
 */
export class PolicyServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly findings: FindingsIndex;
  private settings: Settings = DEFAULT_SETTINGS;
  private folders: string[] = [];
  /** Paths of the workspace's policy files, for findings that apply to none. */
  private policyPaths = new Set<string>();
  private readonly states = new Map<string, PolicyDocumentState>();
  private readonly published = new WeakMap<PolicyDocumentState, Diagnostic[]>();
  private readonly pending = new Set<string>();
  private flushScheduled = false;
  /** Settles once settings are read and the workspace scanned: requests wait for it. */
  private readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;
  /** Open documents that are policies, by URI: their paths count for findings that apply to none. */
  private readonly openPolicies = new Map<string, string>();
  private watchers: Promise<{ dispose(): void }> | undefined;
  private canConfigure = false;
  private canWatch = false;
  private documentChanges = false;
  private relatedInformation = false;
  private initialized = false;
  private readonly terraform = new TerraformSources((path) => this.openText(path));
  private terraformLoaded: Promise<void> | undefined;

  constructor(private readonly connection: Connection, private readonly catalog: Catalog) {
    this.findings = new FindingsIndex(catalog);
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.guard('initialized', () => this.start()));
    connection.onDidChangeConfiguration(() => this.guard('configuration', () => this.reloadSettings()));
    connection.onDidChangeWatchedFiles((params) => this.guard('watched files', () => this.watchedFilesChanged(params)));
    // Requests wait for the first workspace scan: an answer without the findings would be wrong.
    connection.onHover((params) => this.request('hover', () => this.hover(params), null));
    connection.onCodeAction((params) => this.request('code actions', () => this.codeActions(params), []));
    connection.onRequest(DOCUMENT_SUMMARY, (params: DocumentSummaryParams) => this.request('document summary', () => this.documentSummary(params), null));
    connection.onRequest(WORKSPACE_REFINEMENTS, () => this.request('workspace refinements', () => this.workspaceRefinements(), []));
    this.documents.onDidChangeContent((e) => this.guard('change', () => this.documentChanged(e.document)));
    this.documents.onDidClose((e) => this.guard('close', () => this.documentClosed(e.document)));
    this.documents.listen(connection);
  }

  private initialize(params: InitializeParams): InitializeResult {
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.folders = folders.flatMap((uri) => pathOf(uri) ?? []);
    const capabilities = params.capabilities;
    this.canConfigure = capabilities.workspace?.configuration === true;
    this.canWatch = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.documentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
    this.relatedInformation = capabilities.textDocument?.publishDiagnostics?.relatedInformation === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND] },
      },
      serverInfo: { name: 'iam-policy-refiner' },
    };
  }

  private async start(): Promise<void> {
    if (this.canConfigure) void this.connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    await this.reloadSettings();
    this.initialized = true;
    this.markReady();
    this.flush();
  }

  private async reloadSettings(): Promise<void> {
    if (this.canConfigure) this.settings = readSettings(await this.connection.workspace.getConfiguration(SETTINGS_SECTION));
    if (this.canWatch) {
      // Findings globs wherever they are (the server sorts out which folder they belong to), and
      // files that may become or stop being policies that findings apply to.
      const globs = [...this.settings.findingsFiles.map((g) => (g.startsWith('**/') ? g : `**/${g}`)), ...POLICY_FILE_GLOBS];
      const previous = this.watchers;
      this.watchers = this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: globs.map((globPattern) => ({ globPattern })) });
      void previous?.then((registration) => registration.dispose());
    }
    this.scanWorkspace();
  }

  /** Reads every findings file, then every policy, of the workspace folders. */
  private scanWorkspace(): void {
    const findings = this.folders.flatMap((folder) => walkFiles(folder, (_, relative) => matchesAnyGlob(relative, this.settings.findingsFiles)));
    const threshold = this.settings.thresholdDays;
    this.findings.reset(findings, threshold === undefined ? {} : { thresholdDays: threshold });
    for (const document of this.documents.all()) this.syncFindingsDocument(document);
    this.policyPaths = new Set(this.folders.flatMap((folder) => walkFiles(folder, (name, relative) =>
      formatOfPath(name) !== undefined && this.mayHoldPolicy(join(folder, relative)))).filter(isPolicyFile));
    this.terraform.clear();
    this.revalidateAll();
  }

  private watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    let findingsChanged = false;
    let policiesChanged = false;
    for (const change of params.changes) {
      const path = pathOf(change.uri);
      if (!path) continue;
      if (this.isFindings(path)) {
        if (change.type === FileChangeType.Deleted) this.findings.delete(path);
        else this.findings.readDisk(path);
        findingsChanged = true;
      } else if (formatOfPath(path) && this.mayHoldPolicy(path) && !toPosix(path).split('/').some((part) => SKIPPED_FOLDERS.has(part))) {
        // A module's other files tell a Terraform policy whom it is attached to.
        if (formatOfPath(path) === 'terraform') findingsChanged = true;
        const policy = change.type !== FileChangeType.Deleted && isPolicyFile(path);
        if (policy !== this.policyPaths.has(path)) {
          if (policy) this.policyPaths.add(path);
          else this.policyPaths.delete(path);
          policiesChanged = true;
        }
      }
    }
    if (findingsChanged) this.revalidateAll();
    else if (policiesChanged) this.revalidateFindingsDocuments();
  }

  private documentChanged(document: TextDocument): void {
    if (this.syncFindingsDocument(document)) this.revalidateAll();
    else {
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
      this.states.delete(document.uri);
      this.schedule(document.uri);
    }
  }

  private documentClosed(document: TextDocument): void {
    this.states.delete(document.uri);
    this.pending.delete(document.uri);
    if (this.openPolicies.delete(document.uri)) this.revalidateFindingsDocuments();
    void this.connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    const path = pathOf(document.uri);
    if (path && formatOfPath(path) === 'terraform') {
      this.terraform.forget(path);
      // Its neighbours read it from disk again, without the edits that were not saved.
      this.revalidateModule(document);
    }
    if (path && this.isFindings(path)) {
      this.findings.close(path);
      this.findings.readDisk(path);
      this.revalidateAll();
    }
  }

  /** An open findings document's unsaved text is what counts; true when `document` is one. */
  private syncFindingsDocument(document: TextDocument): boolean {
    const path = pathOf(document.uri);
    if (!path || !this.isFindings(path)) return false;
    this.findings.setOpen(path, document.getText());
    return true;
  }

  private revalidateAll(): void {
    this.states.clear();
    for (const document of this.documents.all()) this.schedule(document.uri);
  }

  private revalidateFindingsDocuments(): void {
    for (const document of this.documents.all()) {
      const path = pathOf(document.uri);
      if (path && this.isFindings(path)) this.schedule(document.uri);
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

  private flush(): void {
    this.flushScheduled = false;
    const uris = [...this.pending];
    this.pending.clear();
    for (const uri of uris) this.guard('validate', () => this.validate(uri));
  }

  private validate(uri: string): void {
    const document = this.documents.get(uri);
    if (!document) return;
    const diagnostics = this.diagnosticsFor(document);
    void this.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
    // A document that became, or stopped being, a policy changes which findings apply to nothing.
    const path = this.states.has(uri) ? pathOf(uri) ?? this.untitledPath() : undefined;
    if (path !== this.openPolicies.get(uri)) {
      if (path) this.openPolicies.set(uri, path);
      else this.openPolicies.delete(uri);
      this.revalidateFindingsDocuments();
    }
  }

  private diagnosticsFor(document: TextDocument): Diagnostic[] {
    const path = pathOf(document.uri);
    if (path && this.isFindings(path)) {
      const findings = this.findings.latest(path);
      if (!findings) return [];
      const used = [...this.policyPaths, ...this.openPolicies.values()].some((p) => appliesTo(findings, p));
      return findingsDiagnostics(findings, new LineIndex(findings.text), this.catalog, used, (code) => this.settings.severity[code]);
    }
    const state = this.state(document);
    return state ? this.currentDiagnostics(state) : [];
  }

  /** The analysis of a document's current version, computed once per version and findings change. */
  private state(document: TextDocument): PolicyDocumentState | undefined {
    const file = pathOf(document.uri);
    const format = formatOfDocument(file, document.languageId);
    if (!format) return undefined;
    const cached = this.states.get(document.uri);
    if (cached?.version === document.version) return cached;
    const path = file ?? this.untitledPath();
    if (path && !this.mayHoldPolicy(path)) return undefined;
    const state = this.analyze(document.uri, document.version, document.getText(), path, format);
    if (state) this.states.set(document.uri, state);
    else this.states.delete(document.uri);
    return state;
  }

  /**
   * Analyses a text, each policy against the findings that apply to it (by its path, and in a
   * template by the principals it is attached to); undefined when it holds no policy.
   */
  private analyze(uri: string, version: number, text: string, path: string | undefined, format: SourceFormat): PolicyDocumentState | undefined {
    const read = this.reader(format, path && pathOf(uri) ? path : undefined);
    if (!read) return undefined;
    const policyFindings: (readonly LoadedFindings[])[] = [];
    const sources = this.findings.all();
    const at = toPosix(path ?? '');
    const analysis = analyzePolicies(text, read, (policy) => {
      // Without a path (an untitled document outside any folder), only findings that name its principals apply.
      const selection = selectFindings(sources, at, policy.source.context);
      policyFindings.push(selection.files);
      return this.findings.refiner(selection);
    });
    if (analysis.file.policies.length === 0) return undefined;
    const findings = [...new Set(policyFindings.flat())].sort((a, b) => a.path.localeCompare(b.path));
    const uris = new Map<string, string>();
    const findingsUri = (p: string): string => {
      let found = uris.get(p);
      if (found === undefined) {
        found = this.uriOf(p);
        uris.set(p, found);
      }
      return found;
    };
    return { uri, version, text, lines: new LineIndex(text), analysis, findings, policyFindings, findingsUri };
  }

  /**
   * How to read a document of a format. Terraform's grammar loads on first use: until it has, there
   * is no reader, and the documents waiting for it are validated once it is there.
   */
  private reader(format: SourceFormat, path: string | undefined): PolicyReader | undefined {
    if (format === 'json') return parsePolicyFile;
    if (format === 'yaml') return parseYamlPolicyFile;
    const read = this.terraform.reader(path);
    // Waited for once: every document asks while the grammar loads, and a failure is said once.
    if (!read) {
      this.terraformLoaded ??= this.terraform.load().then(() => this.revalidateAll(), (error: unknown) => {
        this.connection.console.error(`Terraform files cannot be read: ${describe(error)}`);
      });
    }
    return read;
  }

  /** The text of an open document at `path`, unsaved changes included. */
  private openText(path: string): string | undefined {
    return this.documents.all().find((d) => pathOf(d.uri) === path)?.getText();
  }

  private documentSummary(params: DocumentSummaryParams): DocumentSummary {
    const document = this.documents.get(params.uri);
    const state = document && this.state(document);
    const empty = { statements: 0, actions: 0, wildcards: 0, notActions: 0, excluded: 0 };
    if (!state) return { isPolicy: false, unusedActions: 0, findings: [], summary: empty };
    const unused = new Set<string>();
    const refinements = state.analysis.refinements;
    for (const s of refinements.flatMap((r) => r.statements)) {
      for (const hit of [...s.entries.flatMap((e) => e.unused), ...(s.notAction?.unused ?? [])]) unused.add(hit.action.lower);
    }
    return {
      isPolicy: true,
      unusedActions: unused.size,
      findings: state.findings.map((f) => {
        const principals = f.document.principals.flatMap((p) => (p.resource ? [p.resource] : []));
        const analyzedAt = f.document.principals.find((p) => p.analyzedAt)?.analyzedAt;
        return analyzedAt ? { uri: this.uriOf(f.path), principals, analyzedAt } : { uri: this.uriOf(f.path), principals };
      }),
      summary: countRefinements(refinements.filter((r) => !r.fullyUnused).flatMap((r) => r.statements)),
    };
  }

  /** Every policy file of the workspace, open or not, with its verified refinement. */
  private async workspaceRefinements(): Promise<FileRefinement[]> {
    const open = new Map(this.documents.all().flatMap((d) => {
      const path = pathOf(d.uri);
      return path ? [[path, d] as const] : [];
    }));
    const out: FileRefinement[] = [];
    const paths = [...new Set([...this.policyPaths, ...open.keys()])].sort();
    if (paths.some((p) => formatOfPath(p) === 'terraform')) await this.terraform.load();
    for (const path of paths) {
      const document = open.get(path);
      let text: string;
      try {
        text = document?.getText() ?? readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      const format = document ? formatOfDocument(path, document.languageId) : formatOfPath(path);
      if (!format || !this.mayHoldPolicy(path)) continue;
      const state = this.analyze(document?.uri ?? pathToFileURL(path).href, document?.version ?? 0, text, path, format);
      if (!state || state.findings.length === 0) continue;
      const { refinements, edits } = state.analysis;
      const detach = refinements.filter((r) => r.fullyUnused).length;
      if (edits.length === 0 && detach === 0) continue;
      if (edits.length > 0 && !this.verified(state, edits, fullRefinementScope(refinements))) continue;
      const file: FileRefinement = {
        uri: state.uri,
        edits: edits.map((e) => ({ range: { start: state.lines.position(e.offset), end: state.lines.position(e.offset + e.length) }, newText: e.newText })),
        summary: countRefinements(refinements.filter((r) => !r.fullyUnused).flatMap((r) => r.statements)),
        detach,
      };
      if (document) file.version = document.version;
      out.push(file);
    }
    return out;
  }

  private hover(params: HoverParams): Hover | null {
    const document = this.documents.get(params.textDocument.uri);
    const state = document && this.state(document);
    return state ? policyHover(state, state.lines.offset(params.position)) : null;
  }

  private codeActions(params: CodeActionParams): CodeAction[] {
    const document = this.documents.get(params.textDocument.uri);
    const state = document && this.state(document);
    if (!state) return [];
    return policyCodeActions(state, state.lines.offset(params.range.start), params.context, {
      documentChanges: this.documentChanges,
      current: this.currentDiagnostics(state),
      verify: (edits, removed, complete) => this.verified(state, edits, { removed, complete }),
    });
  }

  /** The diagnostics of a state, as validation publishes them; code actions match what they are given against these. */
  private currentDiagnostics(state: PolicyDocumentState): Diagnostic[] {
    let diagnostics = this.published.get(state);
    if (!diagnostics) {
      diagnostics = policyDiagnostics(state, (code) => this.settings.severity[code], this.relatedInformation);
      this.published.set(state, diagnostics);
    }
    return diagnostics;
  }

  /** Re-checks edits before anyone sees them; a refinement that fails is logged and refused. */
  private verified(state: PolicyDocumentState, edits: readonly TextEdit[], scope: VerifyOptions): boolean {
    const problems = verifyRefinement(state.analysis, applyEdits(state.text, edits), scope);
    if (problems.length > 0) this.connection.console.error(`Refusing a refinement of ${state.uri} that does not re-check: ${problems.join('; ')}`);
    return problems.length === 0;
  }

  /** A document at `path` is analysed for policies: it is no findings file, and the settings include it. */
  private mayHoldPolicy(path: string): boolean {
    return !this.isFindings(path) && this.isIncluded(path);
  }

  private isFindings(path: string): boolean {
    const relative = this.relative(path);
    return relative !== undefined && matchesAnyGlob(relative, this.settings.findingsFiles);
  }

  private isIncluded(path: string): boolean {
    const relative = this.relative(path) ?? toPosix(path);
    return matchesAnyGlob(relative, this.settings.include) && !matchesAnyGlob(relative, this.settings.exclude);
  }

  /** `path` relative to the workspace folder that holds it, `/`-separated; a lone file counts from its own folder. */
  private relative(path: string): string | undefined {
    const posix = toPosix(path);
    const folder = this.folders.map(toPosix).filter((f) => posix.startsWith(`${f}/`)).sort((a, b) => b.length - a.length)[0];
    return folder ? posix.slice(folder.length + 1) : posix.slice(posix.lastIndexOf('/') + 1);
  }

  /** An untitled document sits, for findings, at the top of the first workspace folder. */
  private untitledPath(): string | undefined {
    return this.folders[0] ? join(this.folders[0], 'untitled') : undefined;
  }

  private uriOf(path: string): string {
    const open = this.documents.all().find((d) => pathOf(d.uri) === path);
    return open?.uri ?? pathToFileURL(path).href;
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

  /** A request handler: answered once the server is ready, errors logged and answered with `fallback`. */
  private async request<T>(what: string, run: () => T | Promise<T>, fallback: T): Promise<T> {
    await this.ready;
    return this.guard(what, run, fallback);
  }
}

/**
 * Whether a file holds a policy, for findings that apply to none. A Terraform file counts by its
 * resource types: reading it needs the grammar, which is not loaded for a scan.
 */
function isPolicyFile(path: string): boolean {
  const format = formatOfPath(path);
  if (!format) return false;
  try {
    if (statSync(path).size > SCAN_SIZE_LIMIT) return false;
    const text = readFileSync(path, 'utf8');
    if (!mayHoldPolicyText(format, text)) return false;
    if (format === 'terraform') return true;
    return (format === 'json' ? parsePolicyFile(text) : parseYamlPolicyFile(text)).policies.length > 0;
  } catch {
    return false;
  }
}

function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.stack ?? error.message : String(error);
}
