import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, CodeActionContext, CompletionItem, CompletionList, Diagnostic, Hover } from 'vscode-languageserver';
import type { Catalog } from '../../../shared/src/catalog/catalog';
import { type FindingsSelection, selectFindings } from '../../../shared/src/findings/selection';
import type { SourceFormat } from '../../../shared/src/policy/policySource';
import { READERS } from '../../../shared/src/formats/readers';
import { FORMATS, formatOfDocument, formatOfPath } from '../../../shared/src/formats/registry';
import { analyzePolicies, type PolicyReader } from '../../../shared/src/policy/analyzePolicyText';
import { styledAnalysis, wordRefinements } from '../language/refinementStyle';
import { countRefinements } from '../../../shared/src/policy/refinementSummary';
import { fullRefinementScope, verifyRefinement, type VerifyOptions } from '../../../shared/src/policy/verifyRefinement';
import type { DocumentSummary, FileRefinement } from '../../../shared/src/protocol/requests';
import { matchesAnyGlob } from '../../../shared/src/text/pathGlob';
import { LineIndex } from '../../../shared/src/text/problem';
import { applyEdits, type TextEdit } from '../../../shared/src/text/textEdit';
import { type CodeActionOptions, policyCodeActions, resolveCodeAction } from '../language/codeActions';
import { type PolicyDocumentState, syntaxErrorLine, type UnreadableFindings } from '../language/documentState';
import { findingsDiagnostics } from '../language/findingsDiagnostics';
import { describeComparison, policyComparison } from '../language/awsRecommendation';
import { type HoverOptions, policyHover } from '../language/hover';
import { findingsCompletion, policyCompletion, resolveCompletion } from '../language/completion';
import { policyDiagnostics } from '../language/policyDiagnostics';
import { prepareCatalogTrie, type Refiner } from '../../../shared/src/refine/refiner';
import type { PolicyDocument } from '../../../shared/src/policy/policyDocument';
import { StatementMemo } from '../language/statementMemo';
import {
  appliesTo, type LoadedFindings, readFindings, searchRootFor, SKIPPED_FOLDERS, toPosix, walkFiles,
} from '../workspace/findingsFiles';
import { FindingsIndex, unreadableReason } from '../workspace/findingsIndex';
import { TerraformSources } from '../workspace/terraformSources';
import { type FileSystem, nodeFileSystem, readFailure } from './fileSystem';
import { DEFAULT_FINDINGS_MAX_AGE_DAYS, DEFAULT_SETTINGS, type Settings } from './settings';
import { fetchAgainActions } from '../catalog/fetchAgain';

/** At most this many services' tries are built ahead of need. */
const PREPARED_SERVICES = 64;

/** Policy files larger than this are not read by the workspace scan (open documents are always analysed). */
const SCAN_SIZE_LIMIT = 2 * 1024 * 1024;

/** The findings that apply to one policy, and the refiner of what they call unused. */
interface SelectedFindings {
  readonly selection: FindingsSelection<LoadedFindings>;
  readonly refiner: Refiner;
}

export interface PolicyServiceParams {
  readonly catalog: Catalog;
  /** The disk by default. */
  readonly fs?: FileSystem;
  /** The unsaved text of an open document at `path`, if one is open. */
  readonly openText?: (path: string) => string | undefined;
  /** The URI a file goes by: an open document's own, else a `file:` URI. */
  readonly uriOf?: (path: string) => string;
  /** Where a file's findings are searched for when it is in no workspace folder (see searchRootFor). */
  readonly cwd?: string;
  /** A grammar that cannot load, a refinement that does not re-check. */
  readonly log?: (message: string) => void;
  /** A findings file that cannot be read, with the reason in a word (`ENOENT`). */
  readonly onUnreadable?: (path: string, reason: string) => void;
  /** Called once a reader that was loading is there: the documents analysed without it are worth another look. */
  readonly onReadersLoaded?: () => void;
  /** The editor's clock: given, findings older than `findings.maxAgeDays` are said to be stale on each policy they apply to. */
  readonly now?: () => number;
  /** When the file at `path` was last committed, where that is known: findings analysed before it are stale too. */
  readonly lastCommitted?: (path: string) => number | undefined;
}

export interface FolderConfig {
  readonly path: string;
  readonly settings: Settings;
}

export interface WorkspaceConfig {
  readonly folders: readonly FolderConfig[];
  /** For documents in no folder. */
  readonly settings?: Settings;
  /** Findings files that apply to every policy instead of those found by name (the CLI's `--findings`). */
  readonly findings?: readonly string[];
  /** Whether diagnostics link to the findings (`relatedInformation`); by default they do. */
  readonly relatedInformation?: boolean;
}

/** A document as the editor (or the CLI) holds it. */
export interface DocumentInput {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly languageId?: string;
}

/** A file change seen on disk. */
export interface FileChange {
  readonly path: string;
  readonly deleted: boolean;
}

/** What a batch of file changes calls for. */
export interface ChangeEffect {
  /** Findings changed: every open document is analysed again. */
  readonly all: boolean;
  /** Only the set of policy files changed: findings files say again which of them apply to nothing. */
  readonly findingsDocuments: boolean;
}

/** What validating a document gives: its diagnostics, and whether it changed the set of open policies. */
export interface Validation {
  readonly diagnostics: Diagnostic[];
  readonly policiesChanged: boolean;
}

export interface CodeActionClient {
  /** The client applies versioned `documentChanges`. */
  readonly documentChanges: boolean;
  /** The client resolves an action's edit when it is chosen (`codeAction/resolve`). */
  readonly resolveEdits?: boolean;
  /** The client runs the fetch command: stale findings offer to fetch them again. */
  readonly fetchCommand?: boolean;
}

export function createPolicyService(params: PolicyServiceParams): PolicyService {
  return new PolicyService(params);
}

/**
 * The workspace as the product sees it, with no editor and no protocol: its folders and settings,
 * its findings, its policy files, and the analysis of each document. The language server wires it
 * to LSP, the CLI to the command line, and tests call it directly.
 */
export class PolicyService {
  /** Replaced when a newer catalogue is downloaded (see useCatalog). */
  catalog: Catalog;
  private readonly fs: FileSystem;
  private findings: FindingsIndex;
  /** Findings files found from a document outside every folder, by the folder searched. */
  private readonly rootFindings = new Map<string, string[]>();
  private discovered: FindingsIndex;
  private explicit: string[] | undefined;
  private folders: FolderConfig[] = [];
  private outside: Settings = DEFAULT_SETTINGS;
  private relatedInformation = true;
  /** Paths of the workspace's policy files, for findings that apply to none. */
  private policyPaths = new Set<string>();
  /** Open documents that are policies, by URI: their paths count for findings that apply to none. */
  private readonly openPolicies = new Map<string, string>();
  private readonly states = new Map<string, PolicyDocumentState>();
  private readonly published = new WeakMap<PolicyDocumentState, Diagnostic[]>();
  /** Per open document, its statements' last diagnostics. */
  private readonly memos = new Map<string, StatementMemo>();
  private readonly terraform: TerraformSources;
  private terraformLoaded: Promise<void> | undefined;

  constructor(private readonly params: PolicyServiceParams) {
    this.catalog = params.catalog;
    this.fs = params.fs ?? nodeFileSystem;
    this.findings = new FindingsIndex(params.catalog, this.fs);
    this.discovered = new FindingsIndex(params.catalog, this.fs);
    this.terraform = new TerraformSources(this.fs, (path) => params.openText?.(path));
  }

  /**
   * Uses another catalogue from now on: the refiners (built per catalogue) go with the old one. The
   * caller configures the service again, which reads the findings anew for it.
   */
  useCatalog(catalog: Catalog): void {
    this.catalog = catalog;
    this.findings = new FindingsIndex(catalog, this.fs);
    this.discovered = new FindingsIndex(catalog, this.fs);
  }

  /** Sets the folders and settings, and reads every findings file and policy file of the folders. */
  configure(config: WorkspaceConfig): void {
    this.folders = [...config.folders];
    this.outside = config.settings ?? DEFAULT_SETTINGS;
    this.explicit = config.findings ? [...config.findings] : undefined;
    this.relatedInformation = config.relatedInformation ?? true;
    const findings = this.explicit ?? this.folders.flatMap((folder) =>
      walkFiles(this.fs, folder.path, (_, relative) => matchesAnyGlob(relative, folder.settings.findingsFiles)));
    this.findings.reset(findings, (path) => parseOptions(this.settingsFor(path)));
    this.rootFindings.clear();
    this.discovered.reset([], (path) => parseOptions(this.settingsFor(path)));
    for (const path of findings) if (!this.findings.latest(path)) this.params.onUnreadable?.(path, this.readError(path));
    this.policyPaths = new Set(this.folders.flatMap((folder) => walkFiles(this.fs, folder.path, (name, relative) =>
      formatOfPath(name) !== undefined && this.mayHoldPolicy(join(folder.path, relative)))).filter((p) => this.isPolicyFile(p)));
    this.terraform.clear();
    this.states.clear();
    this.memos.clear();
  }

  /** The settings that apply to a file: its folder's, else those for documents in no folder. */
  settingsFor(path: string | undefined): Settings {
    return (path && this.folderOf(path)?.settings) || this.outside;
  }

  /** Whether the file at `path` is a findings file by the settings of its folder. */
  isFindings(path: string): boolean {
    if (this.explicit) return this.explicit.includes(path);
    const relative = this.relative(path);
    return relative !== undefined && matchesAnyGlob(relative, this.settingsFor(path).findingsFiles);
  }

  /** A document at `path` is analysed for policies: it is no findings file, and the settings include it. */
  mayHoldPolicy(path: string): boolean {
    if (this.isFindings(path)) return false;
    const settings = this.settingsFor(path);
    const relative = this.relative(path) ?? toPosix(path);
    return matchesAnyGlob(relative, settings.include) && !matchesAnyGlob(relative, settings.exclude);
  }

  /** The loaded findings file at `path`, read on first use; undefined when it cannot be read. */
  findingsFile(path: string): LoadedFindings | undefined {
    const index = this.indexOf(path);
    const known = index.effective(path);
    // Named and workspace findings files were read, and their failures said, when configured.
    if (known || index === this.findings) return known;
    // Gone since its folder was searched: nothing to read, nothing to say.
    if (!this.fs.stat(path)) return undefined;
    index.readDisk(path);
    const read = index.effective(path);
    if (!read) this.params.onUnreadable?.(path, this.readError(path));
    return read;
  }

  /** The index a findings file belongs to: the workspace's (named files too), or that of files found outside every folder. */
  private indexOf(path: string): FindingsIndex {
    return this.explicit || this.folderOf(path) ? this.findings : this.discovered;
  }

  /** Changes on disk: findings files are read again, policy files counted again. */
  filesChanged(changes: readonly FileChange[]): ChangeEffect {
    let all = false;
    let findingsDocuments = false;
    for (const { path, deleted } of changes) {
      const format = formatOfPath(path);
      if (this.isFindings(path)) {
        const index = this.indexOf(path);
        // Outside every folder a file came or went: the folders searched are searched again.
        if (index === this.discovered) this.rootFindings.clear();
        if (deleted) index.delete(path);
        else index.readDisk(path);
        all = true;
      } else if (format && this.mayHoldPolicy(path) && !toPosix(path).split('/').some((part) => SKIPPED_FOLDERS.has(part))) {
        // A module's other files tell a Terraform policy whom it is attached to.
        if (format === 'terraform') all = true;
        const policy = !deleted && this.isPolicyFile(path);
        if (policy !== this.policyPaths.has(path)) {
          if (policy) this.policyPaths.add(path);
          else this.policyPaths.delete(path);
          findingsDocuments = true;
        }
      }
    }
    if (all) this.states.clear();
    return { all, findingsDocuments };
  }

  /** An open findings document's unsaved text is what counts; false when `path` is no findings file. */
  findingsOpened(path: string, text: string): boolean {
    if (!this.isFindings(path)) return false;
    this.indexOf(path).setOpen(path, text);
    this.states.clear();
    return true;
  }

  /** A document closed: its unsaved text no longer counts. */
  documentClosed(uri: string): ChangeEffect {
    this.states.delete(uri);
    this.memos.delete(uri);
    const path = pathOf(uri);
    if (path && formatOfPath(path) === 'terraform') this.terraform.forget(path);
    const findingsDocuments = this.openPolicies.delete(uri);
    if (!path || !this.isFindings(path)) return { all: false, findingsDocuments };
    const index = this.indexOf(path);
    index.close(path);
    index.readDisk(path);
    this.states.clear();
    return { all: true, findingsDocuments };
  }

  /** Forgets the analysis of a document: something it reads from elsewhere changed. */
  forget(uri: string): void {
    this.states.delete(uri);
  }

  /**
   * Something only the diagnostics weigh changed (a policy file's last commit): they are computed
   * again from the same analysis, so that code actions offered meanwhile still resolve.
   */
  forgetDiagnostics(uri: string): void {
    const state = this.states.get(uri);
    if (state) this.published.delete(state);
  }

  /**
   * The analysis of a document's version: each policy against the findings that apply to it (by its
   * path, and in a template by the principals it is attached to). Undefined when it holds no policy,
   * or while the reader of its format loads.
   */
  analyze(document: DocumentInput): PolicyDocumentState | undefined {
    const file = pathOf(document.uri);
    const format = formatOfDocument(file, document.languageId ?? '');
    if (!format) return undefined;
    const cached = this.states.get(document.uri);
    if (cached?.version === document.version) return cached;
    const path = file ?? this.untitledPath();
    const analysed = path && !this.mayHoldPolicy(path) ? undefined : this.analyzeText(document, format, file, path);
    const state = analysed && analysed.analysis.file.policies.length > 0 ? analysed : undefined;
    if (state) this.states.set(document.uri, state);
    else this.states.delete(document.uri);
    return state;
  }

  /**
   * Analyses a file that may not be open (the CLI, and workspace refinements), also when it holds no
   * policy; undefined only while the reader of its format loads.
   */
  analyzeFile(path: string, text: string, format: SourceFormat): PolicyDocumentState | undefined {
    return this.analyzeText({ uri: this.uriOf(path), version: 0, text }, format, path, path);
  }

  /**
   * The first analysis of a document against its findings, a piece per step, for a caller that
   * answers others in between (see Refiner.warmUp); the analysis then finds the pieces done.
   * Nothing to do when the document is analysed already or holds no policy.
   */
  *warmUp(document: DocumentInput): Generator<void, void, undefined> {
    if (this.states.has(document.uri)) return;
    const file = pathOf(document.uri);
    const format = formatOfDocument(file, document.languageId ?? '');
    const path = file ?? this.untitledPath();
    if (!format || (path && (this.isFindings(path) || !this.mayHoldPolicy(path)))) return;
    const read = this.reader(format, file);
    if (!read) return;
    const select = this.selector(path);
    for (const policy of read(document.text).policies) {
      yield* select(policy).refiner.warmUp(policy.statements
        .filter((s) => s.effect === 'Allow')
        .flatMap((s) => s.entries.flatMap((e) => (e.pattern ? [e.pattern] : []))));
    }
  }

  /** Per policy of a document at `path`, the findings that apply to it and the refiner of what they call unused. */
  private selector(path: string | undefined): (policy: PolicyDocument) => SelectedFindings {
    const { files, index } = this.candidates(path);
    const at = toPosix(path ?? '');
    const everywhere = this.explicit !== undefined;
    return (policy) => {
      // Without a path (an untitled document outside any folder), only findings that name its principals apply.
      const selection = selectFindings(files, at, policy.source.context, everywhere);
      return { selection, refiner: index.refiner(selection) };
    };
  }

  /** Diagnostics of a document, as they are published; the second part says whether open policies changed. */
  validate(document: DocumentInput): Validation {
    const path = pathOf(document.uri);
    if (path && this.isFindings(path)) return { diagnostics: this.findingsDiagnostics(path), policiesChanged: false };
    const state = this.analyze(document);
    const diagnostics = state ? this.diagnostics(state) : [];
    // A document that became, or stopped being, a policy changes which findings apply to nothing.
    const policyPath = state ? path ?? this.untitledPath() : undefined;
    const policiesChanged = policyPath !== this.openPolicies.get(document.uri);
    if (policyPath) this.openPolicies.set(document.uri, policyPath);
    else this.openPolicies.delete(document.uri);
    return { diagnostics, policiesChanged };
  }

  /** The diagnostics of a policy document's state, computed once per state. */
  diagnostics(state: PolicyDocumentState): Diagnostic[] {
    let diagnostics = this.published.get(state);
    if (!diagnostics) {
      const severity = this.settingsFor(pathOf(state.uri) ?? this.untitledPath()).severity;
      let memo = this.memos.get(state.uri);
      if (!memo) {
        memo = new StatementMemo();
        this.memos.set(state.uri, memo);
      }
      // A syntax error anywhere changes every statement's messages (see policyDiagnostics).
      memo.begin([severity, this.relatedInformation, syntaxErrorLine(state)]);
      const settings = this.settingsFor(pathOf(state.uri) ?? this.untitledPath());
      const path = pathOf(state.uri);
      const age = this.params.now ? {
        now: this.params.now(), maxAgeDays: settings.findingsMaxAgeDays ?? DEFAULT_FINDINGS_MAX_AGE_DAYS,
        // Git is asked only where the answer can be shown.
        policyCommitted: path === undefined || severity['stale-findings'] === 'off' ? undefined : this.params.lastCommitted?.(path),
      } : undefined;
      diagnostics = policyDiagnostics(state, (code) => severity[code], this.relatedInformation, memo, age);
      memo.end();
      this.published.set(state, diagnostics);
    }
    return diagnostics;
  }

  /** The diagnostics of a findings file: what does not parse, likely typos, findings that apply to no policy. */
  findingsDiagnostics(path: string): Diagnostic[] {
    const findings = this.indexOf(path).latest(path);
    if (!findings) return [];
    const policies = [...this.policyPaths, ...this.openPolicies.values()];
    // Named findings apply to every policy, wherever it is.
    const used = this.explicit ? policies.length > 0 : policies.some((p) => appliesTo(findings, p));
    const severity = this.settingsFor(path).severity;
    return findingsDiagnostics(findings, new LineIndex(findings.text), this.catalog, used, (code) => severity[code]);
  }

  /**
   * Action names to complete at `offset` of a policy document. A version not analysed yet (the
   * keystroke that asks for completion) is only read, not refined: the refiners of the version
   * before stand for its findings, which a keystroke does not change.
   */
  completion(document: DocumentInput, offset: number): CompletionList | null {
    const known = this.states.get(document.uri) ?? this.analyze(document);
    if (!known) return null;
    const file = known.version === document.version ? known.analysis.file : known.analysis.read(document.text, known.analysis.file);
    const lines = known.version === document.version ? known.lines : new LineIndex(document.text);
    const refiners = wordRefinements(known.analysis);
    if (refiners.length === 0) return null;
    return policyCompletion(file, lines, (policy) => refiners[Math.min(policy, refiners.length - 1)]!.refiner, offset);
  }

  /** Action names to complete at `offset` of an open findings document's text; null when `path` is no findings file. */
  findingsCompletion(path: string, text: string, offset: number): CompletionList | null {
    if (!this.isFindings(path)) return null;
    // The text as it is now, even while it does not read whole: the spans must be this text's.
    const findings = readFindings(path, text, parseOptions(this.settingsFor(path)));
    return findingsCompletion(findings, new LineIndex(text), this.catalog, offset);
  }

  /** The description of an offered action. */
  resolveCompletion(item: CompletionItem): CompletionItem {
    return resolveCompletion(item, this.catalog);
  }

  hover(state: PolicyDocumentState, offset: number, options?: HoverOptions): Hover | null {
    return policyHover(state, offset, options);
  }

  /** Code actions for the range from `offset` to `end` (by default, the position at `offset`). */
  codeActions(
    state: PolicyDocumentState, offset: number, context: CodeActionContext, client: CodeActionClient, end = offset,
  ): CodeAction[] {
    const actions = policyCodeActions(state, offset, context, this.codeActionOptions(state, client), end);
    return client.fetchCommand ? [...actions, ...fetchAgainActions(context)] : actions;
  }

  /** The edit of an action sent without one (see CodeActionClient.resolveEdits). */
  resolveCodeAction(state: PolicyDocumentState, action: CodeAction, client: CodeActionClient): CodeAction {
    return resolveCodeAction(state, action, this.codeActionOptions(state, client));
  }

  private codeActionOptions(state: PolicyDocumentState, client: CodeActionClient): CodeActionOptions {
    return {
      documentChanges: client.documentChanges,
      resolveEdits: client.resolveEdits === true,
      current: this.diagnostics(state),
      verify: (edits, removed, complete) => this.verifiedEdits(state, edits, { removed, complete }),
    };
  }

  /**
   * Re-checks edits before anyone sees them: the refined text is read back and must allow exactly
   * what it should (by default: every policy refined in full). Empty when it does.
   */
  refinementProblems(state: PolicyDocumentState, edits: readonly TextEdit[], scope?: VerifyOptions): string[] {
    return verifyRefinement(state.analysis, applyEdits(state.text, edits), scope ?? fullRefinementScope(state.analysis.refinements));
  }

  /** Whether edits re-check; a refinement that does not is logged and refused. */
  verifiedEdits(state: PolicyDocumentState, edits: readonly TextEdit[], scope?: VerifyOptions): boolean {
    const problems = this.refinementProblems(state, edits, scope);
    if (problems.length > 0) this.params.log?.(`Refusing a refinement of ${state.uri} that does not re-check: ${problems.join('; ')}`);
    return problems.length === 0;
  }

  /** What the editor's status item and commands need of a document. */
  documentSummary(state: PolicyDocumentState | undefined): DocumentSummary {
    const empty = { statements: 0, actions: 0, wildcards: 0, notActions: 0, excluded: 0 };
    if (!state) return { isPolicy: false, unusedActions: 0, findings: [], summary: empty };
    const unused = new Set<string>();
    const refinements = state.analysis.refinements;
    const blocked = syntaxErrorLine(state);
    const aws = refinements.flatMap((_, p) => {
      const comparison = policyComparison(state, p);
      return comparison ? [describeComparison(comparison)] : [];
    });
    for (const s of refinements.flatMap((r) => r.statements)) {
      for (const hit of [...s.entries.flatMap((e) => e.unused), ...(s.notAction?.unused ?? [])]) unused.add(hit.action.lower);
    }
    return {
      isPolicy: true,
      unusedActions: unused.size,
      findings: state.findings.map((f) => {
        const principals = f.document.principals.flatMap((p) => (p.resource ? [p.resource] : []));
        const analyzedAt = f.document.principals.find((p) => p.analyzedAt)?.analyzedAt;
        const unreadable = state.unreadable.get(f.path)?.reason;
        return { uri: this.uriOf(f.path), principals, ...(analyzedAt ? { analyzedAt } : {}), ...(unreadable ? { unreadable } : {}) };
      }),
      summary: countRefinements(refinements.filter((r) => !r.fullyUnused).flatMap((r) => r.statements)),
      ...(aws.length > 0 ? { awsRecommendations: aws } : {}),
      ...(blocked ? { syntaxError: blocked } : {}),
    };
  }

  /** Every policy file of the workspace, open (`open`, by path) or not, with its verified refinement. */
  async workspaceRefinements(open: ReadonlyMap<string, DocumentInput>): Promise<FileRefinement[]> {
    const out: FileRefinement[] = [];
    const paths = [...new Set([...this.policyPaths, ...open.keys()])].sort();
    if (paths.some((p) => formatOfPath(p) === 'terraform')) await this.loadReaders();
    for (const path of paths) {
      const document = open.get(path);
      let text: string;
      try {
        text = document?.text ?? this.fs.readFile(path);
      } catch {
        continue;
      }
      const format = document ? formatOfDocument(path, document.languageId ?? '') : formatOfPath(path);
      if (!format || !this.mayHoldPolicy(path)) continue;
      const state = this.analyzeText(document ?? { uri: this.uriOf(path), version: 0, text }, format, path, path);
      if (!state || state.findings.length === 0) continue;
      const { refinements, edits } = state.analysis;
      const detach = refinements.filter((r) => r.fullyUnused).length;
      if (edits.length === 0 && detach === 0) continue;
      if (edits.length > 0 && !this.verifiedEdits(state, edits)) continue;
      const file: FileRefinement = {
        uri: state.uri,
        edits: edits.map((e) => ({
          range: { start: state.lines.position(e.offset), end: state.lines.position(e.offset + e.length) },
          newText: e.newText,
        })),
        summary: countRefinements(refinements.filter((r) => !r.fullyUnused).flatMap((r) => r.statements)),
        detach,
      };
      if (document) file.version = document.version;
      out.push(file);
    }
    return out;
  }

  /**
   * The services the workspace's findings call anything unused in, largest first: the tries a
   * first policy will need, worth building while the server is idle (see prepareService).
   */
  findingsServices(): string[] {
    const services = new Set(this.findings.all().flatMap((f) => [...f.access.services()]));
    // The largest take longest to build on demand; a bound keeps an account-wide findings file
    // from holding every service's trie (the 64 largest are about 16 MB, all 456 about 33 MB).
    return [...services].sort((a, b) => this.catalog.actionCount(b) - this.catalog.actionCount(a)).slice(0, PREPARED_SERVICES);
  }

  /** The paths of the workspace's findings files. */
  /** How many files of the folders hold a policy that findings may apply to, as last scanned. */
  policyFileCount(): number {
    return this.policyPaths.size;
  }

  findingsPaths(): string[] {
    return this.findings.all().map((f) => f.path);
  }

  /** Builds one service's action trie now rather than when a policy first asks for it. */
  prepareService(service: string): void {
    prepareCatalogTrie(this.catalog, service);
  }

  /** Loads the readers that load lazily (Terraform's grammar); rejects when one cannot load. */
  async loadReaders(): Promise<void> {
    await this.terraform.load();
  }

  private analyzeText(
    document: DocumentInput,
    format: SourceFormat,
    file: string | undefined,
    path: string | undefined,
  ): PolicyDocumentState | undefined {
    const read = this.reader(format, file);
    if (!read) return undefined;
    const policyFindings: (readonly LoadedFindings[])[] = [];
    const policyRecommendations: (readonly LoadedFindings[])[] = [];
    const select = this.selector(path);
    const settings = this.settingsFor(path);
    // The document's last analysis, if any, is of the text this one was edited from.
    const previous = this.states.get(document.uri)?.analysis.file;
    const analysis = styledAnalysis(analyzePolicies(document.text, read, (policy) => {
      const { selection, refiner } = select(policy);
      policyFindings.push(selection.files);
      policyRecommendations.push(selection.recommendations);
      return refiner;
    }, previous), { style: settings.style ?? 'auto', fallback: settings.sizeLimit ?? 'managed' });
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
    const unreadable = new Map<string, UnreadableFindings>();
    for (const f of findings) {
      const problem = this.unreadable(f.path);
      if (problem) unreadable.set(f.path, problem);
    }
    const { uri, version, text } = document;
    return {
      uri, version, text, lines: new LineIndex(text), analysis, findings, policyFindings, policyRecommendations, findingsUri, unreadable,
    };
  }

  /** Why a findings file cannot be read, and whether its last readable version stands in; undefined when it can be read. */
  unreadable(path: string): UnreadableFindings | undefined {
    const index = this.indexOf(path);
    const latest = index.latest(path);
    const problem = latest && unreadableReason(latest);
    return problem && { ...problem, stale: index.isStale(path) };
  }

  /**
   * The findings files that may apply to a document at `path`: the named ones, else the
   * workspace's, else (outside every folder) those of the repository it sits in, as the CLI finds them.
   */
  private candidates(path: string | undefined): { files: LoadedFindings[]; index: FindingsIndex } {
    if (!path || this.explicit || this.folderOf(path)) return { files: this.findings.all(), index: this.findings };
    const root = searchRootFor(this.fs, path, this.params.cwd ?? process.cwd());
    let paths = this.rootFindings.get(root);
    if (!paths) {
      const settings = this.outside;
      paths = walkFiles(this.fs, root, (_, relative) => matchesAnyGlob(relative, settings.findingsFiles));
      this.rootFindings.set(root, paths);
    }
    return { files: paths.flatMap((p) => this.findingsFile(p) ?? []), index: this.discovered };
  }

  /**
   * How to read a document of a format. A reader that loads on first use (Terraform's grammar) is
   * not there until it has: the documents waiting for it are looked at again once it is.
   */
  private reader(format: SourceFormat, path: string | undefined): PolicyReader | undefined {
    const read = READERS[format]({ terraform: this.terraform.reader(path) });
    // Waited for once: every document asks while the grammar loads, and a failure is said once.
    if (!read) {
      this.terraformLoaded ??= this.terraform.load().then(() => {
        this.states.clear();
        this.params.onReadersLoaded?.();
      }, (error: unknown) => {
        this.params.log?.(`Terraform files cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    return read;
  }

  /**
   * Whether a file holds a policy, for findings that apply to none. A Terraform file counts by its
   * resource types: reading it needs the grammar, which is not loaded for a scan.
   */
  private isPolicyFile(path: string): boolean {
    const format = formatOfPath(path);
    if (!format) return false;
    try {
      if ((this.fs.stat(path)?.size ?? Infinity) > SCAN_SIZE_LIMIT) return false;
      const text = this.fs.readFile(path);
      if (!FORMATS[format].mayHoldPolicy(text)) return false;
      if (format === 'terraform') return true;
      return READERS[format]({ terraform: undefined })!(text).policies.length > 0;
    } catch {
      return false;
    }
  }

  private folderOf(path: string): FolderConfig | undefined {
    const posix = toPosix(path);
    return this.folders.filter((f) => posix.startsWith(`${toPosix(f.path)}/`)).sort((a, b) => b.path.length - a.path.length)[0];
  }

  /** `path` relative to the workspace folder that holds it, `/`-separated; a lone file counts from its own folder. */
  private relative(path: string): string | undefined {
    const posix = toPosix(path);
    const folder = this.folderOf(path);
    return folder ? posix.slice(toPosix(folder.path).length + 1) : posix.slice(posix.lastIndexOf('/') + 1);
  }

  /** An untitled document sits, for findings, at the top of the first workspace folder. */
  private untitledPath(): string | undefined {
    return this.folders[0] ? join(this.folders[0].path, 'untitled') : undefined;
  }

  private uriOf(path: string): string {
    return this.params.uriOf?.(path) ?? pathToFileURL(path).href;
  }

  private readError(path: string): string {
    try {
      this.fs.readFile(path);
      return 'unknown error';
    } catch (error) {
      return readFailure(error);
    }
  }
}

function parseOptions(settings: Settings): { thresholdDays?: number } {
  return settings.thresholdDays === undefined ? {} : { thresholdDays: settings.thresholdDays };
}

/** The path of a `file:` URI; undefined for other schemes (untitled documents). */
export function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
