import { policyComparison } from '../language/awsRecommendation';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Catalog } from '../../../shared/src/catalog/catalog';
import { isFindingsFileName } from '../../../shared/src/findings/scope';
import { formatOfPath } from '../../../shared/src/formats/registry';
import type { PolicyTextAnalysis } from '../../../shared/src/policy/analyzePolicyText';
import { countRefinements, describeCounts } from '../../../shared/src/policy/refinementSummary';
import { LineIndex, type Problem } from '../../../shared/src/text/problem';
import { applyEdits } from '../../../shared/src/text/textEdit';
import { unifiedDiff } from '../../../shared/src/text/unifiedDiff';
import { CodeActionKind, type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { loadCatalog, loadCatalogInUse } from '../catalogFile';
import { cliCacheDirectory } from '../catalog/cacheFile';
import { describeCatalog } from '../../../shared/src/catalog/liveCatalog';
import { runCatalogCommand } from './catalogCli';
import { diagnosticData, SOURCE } from '../language/codes';
import { toRange } from '../language/documentState';
import { findingsDiagnostics } from '../language/findingsDiagnostics';
import type { PolicyDocumentState } from '../language/documentState';
import { nodeFileSystem } from '../service/fileSystem';
import { createPolicyService, type PolicyService } from '../service/policyService';
import { runFetchCommand } from '../fetch/load';
import { DEFAULT_SETTINGS } from '../service/settings';
import { toPosix, walkFiles, type LoadedFindings } from '../workspace/findingsFiles';
import { type CliOptions, parseArgs, USAGE, UsageError } from './args';
import { type CodeResult, resultsOf } from './codeResults';
import { githubAnnotations } from './githubReport';
import { fileReport, type FileReport } from './jsonReport';
import { policyIdentity } from './resultIdentity';
import { sarifLog } from './sarifReport';

export interface CliEnvironment {
  cwd: string;
  /** The folder holding the catalogue artefacts and, one level up, package.json. */
  distDir: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const EXIT_CLEAN = 0;
export const EXIT_REFINEMENTS = 1;
export const EXIT_BAD_INPUT = 2;

/** Runs the command line and returns its exit status. */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
  if (argv[0] === 'fetch') return runFetchCommand(argv.slice(1), env);
  if (argv[0] === 'catalog') return runCatalogCommand(argv.slice(1), env);
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    env.stderr(`iam-refine: ${error.message}\nRun "iam-refine --help" for usage.\n`);
    return EXIT_BAD_INPUT;
  }
  if (options.help) {
    env.stdout(USAGE);
    return EXIT_CLEAN;
  }
  const bundled = loadCatalog(env.distDir);
  // The bundled catalogue united with the downloaded one (iam-refine catalog update); a cache that cannot be used is said once.
  const { catalog, problem } = options.version ? { catalog: bundled, problem: undefined }
    : loadCatalogInUse(env.distDir, cliCacheDirectory(), bundled);
  if (problem && !options.quiet) env.stderr(`iam-refine: ${problem}. Run "iam-refine catalog update" to download it again.\n`);
  if (options.version) {
    const catalogue = `${catalog.data.source}@${catalog.data.version}, ${catalog.date}`;
    env.stdout(`iam-refine ${packageManifest(env.distDir).version} (actions catalogue ${catalogue})\n`);
    return EXIT_CLEAN;
  }
  const run = new Run(options, env, catalog);
  return run.execute(await run.terraformReady());
}

/** One invocation: its inputs, what it has found so far, and the policy service that reads them. */
class Run {
  private badInput = false;
  /** Something could not be analysed at all (a file not found or unreadable): SARIF says the run did not succeed. */
  private incomplete = false;
  /** An error was reported: bad input, or a policy that is malformed (see --fail-on errors). */
  private errorReported = false;
  private needsRefining = false;
  private needsPerson = false;
  /** A refinement's summary line was printed. */
  private summarised = false;
  /** Findings files whose problems were printed: each once, and only once it is used. */
  private readonly reported = new Set<string>();
  private readonly reports: FileReport[] = [];
  /** For --format sarif and github: every diagnostic, and the messages about the run itself. */
  private readonly results: CodeResult[] = [];
  private readonly notifications: { level: 'error' | 'warning'; message: string }[] = [];
  private readonly service: PolicyService;
  private readonly files: string[];

  constructor(private readonly options: CliOptions, private readonly env: CliEnvironment, private readonly catalog: Catalog) {
    this.service = createPolicyService({
      catalog,
      fs: nodeFileSystem,
      cwd: env.cwd,
      onUnreadable: (path, reason) => this.fail(`${this.display(path)}: cannot read: ${reason}`),
    });
    const threshold = options.thresholdDays;
    const settings = {
      ...DEFAULT_SETTINGS,
      ...(threshold === undefined ? {} : { thresholdDays: threshold }),
      ...(options.style ? { style: options.style } : {}),
      ...(options.limit ? { sizeLimit: options.limit } : {}),
    };
    // No workspace folders: each policy's findings are those of the repository it sits in.
    const findings = options.findings.length > 0 ? options.findings.map((f) => resolve(env.cwd, f)) : undefined;
    this.service.configure(findings ? { folders: [], settings, findings } : { folders: [], settings });
    this.files = this.policyFiles();
  }

  /** Loads the Terraform grammar if a Terraform file is to be read; false when it cannot be loaded. */
  async terraformReady(): Promise<boolean> {
    if (!this.files.some((f) => formatOfPath(f) === 'terraform')) return true;
    try {
      await this.service.loadReaders();
      return true;
    } catch (error) {
      this.fail(`iam-refine: cannot read Terraform files: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  execute(terraform: boolean): number {
    const explicit = this.options.findings.flatMap((f) => this.service.findingsFile(resolve(this.env.cwd, f)) ?? []);
    for (const findings of explicit) this.use(findings);
    for (const policy of this.files) {
      if (terraform || formatOfPath(policy) !== 'terraform') this.refineFile(policy);
    }
    // With a downloaded catalogue, the summary says which: what a wildcard allows depends on it (--version names the bundled one).
    if (this.summarised && this.catalog.sources().length > 1) {
      this.env.stderr(`Refined against the action catalogue of ${describeCatalog(this.catalog)}\n`);
    }
    if (this.options.mode === 'json') {
      const { source, version } = this.catalog.data;
      const catalog = { source, version, date: this.catalog.date, sources: this.catalog.sources() };
      this.env.stdout(`${JSON.stringify({ catalog, files: this.reports }, null, 2)}\n`);
    }
    if (this.options.mode === 'sarif') {
      const { version, repositoryUrl } = packageManifest(this.env.distDir);
      const log = sarifLog({
        tool: { version, repositoryUrl }, cwd: this.env.cwd, results: this.results, notifications: this.notifications,
        successful: !this.incomplete,
      });
      this.env.stdout(`${JSON.stringify(log, null, 2)}\n`);
    }
    if (this.options.mode === 'github') this.env.stdout(githubAnnotations(this.results));
    return this.exitStatus();
  }

  private exitStatus(): number {
    switch (this.options.failOn) {
      case 'none': return EXIT_CLEAN;
      case 'errors': return this.badInput || this.errorReported ? EXIT_BAD_INPUT : EXIT_CLEAN;
      case 'refinements':
        if (this.badInput) return EXIT_BAD_INPUT;
        if (this.options.mode === 'write') return this.needsPerson ? EXIT_REFINEMENTS : EXIT_CLEAN;
        return this.needsRefining || this.needsPerson ? EXIT_REFINEMENTS : EXIT_CLEAN;
    }
  }

  /** Whether every diagnostic is collected, for a code-scanning format. */
  private get collecting(): boolean {
    return this.options.mode === 'sarif' || this.options.mode === 'github';
  }

  private policyFiles(): string[] {
    const files: string[] = [];
    for (const arg of this.options.policies) {
      const path = resolve(this.env.cwd, arg);
      let isDirectory: boolean;
      try {
        isDirectory = statSync(path).isDirectory();
      } catch {
        this.fail(`${this.display(path)}: no such file or folder`);
        continue;
      }
      if (isDirectory) {
        files.push(...walkFiles(nodeFileSystem, path, (name) => formatOfPath(name) !== undefined && !isFindingsFileName(name)));
      } else {
        files.push(path);
      }
    }
    return [...new Set(files)];
  }

  private refineFile(path: string): void {
    const text = this.read(path);
    if (text === undefined) return;
    // A file named on the command line is read as JSON when its name says nothing of its format.
    const state = this.service.analyzeFile(path, text, formatOfPath(path) ?? 'json');
    if (!state) return;
    const { analysis, findings: applicable } = state;
    for (const findings of applicable) this.use(findings);
    const isPolicy = analysis.file.policies.length > 0;
    // In a folder scan, a file that holds no policy is none of our business; named files are.
    if (!isPolicy && !this.options.policies.some((p) => resolve(this.env.cwd, p) === path)) return;
    const lines = state.lines;
    for (const problem of analysis.problems) this.report(path, lines, problem);
    if (analysis.file.syntaxErrors.length > 0) this.badInput = true;
    if (this.collecting) this.collectPolicyResults(path, state);
    if (!isPolicy && analysis.file.syntaxErrors.length === 0) {
      this.warn(`${this.display(path)}: no IAM policy found (an object with "Statement" entries that have "Effect" and "Action" or `
        + '"NotAction", or a template\'s or module\'s identity policies)');
    } else if (isPolicy && applicable.length === 0) {
      this.warn(`${this.display(path)}: no findings file applies to this policy; nothing to refine`);
    }
    if (analysis.refinements.some((r) => r.fullyUnused)) this.needsPerson = true;
    if (this.options.mode === 'json') {
      const aws = (policy: number) => policyComparison(state, policy);
      const findings = applicable.map((f) => this.display(f.path));
      this.reports.push(fileReport(this.display(path), findings, analysis, lines, aws, this.options.jsonFull));
    }
    if (analysis.edits.length === 0) return;

    const refined = applyEdits(text, analysis.edits);
    const problems = this.service.refinementProblems(state, analysis.edits);
    if (problems.length > 0) {
      this.fail(`${this.display(path)}: internal error: the refined text did not re-check (${problems.join('; ')}); nothing was written`);
      return;
    }
    this.needsRefining = true;
    const name = toPosix(this.display(path));
    if (this.options.mode === 'diff') this.env.stdout(unifiedDiff(text, analysis.edits, `a/${name}`, `b/${name}`));
    if (this.options.mode === 'write') writeFileSync(path, refined);
    if (!this.options.quiet) {
      this.env.stderr(`${this.display(path)}: ${summary(analysis)}${this.options.mode === 'write' ? ' (written)' : ''}\n`);
      this.summarised = true;
    }
  }

  private use(findings: LoadedFindings): void {
    if (this.reported.has(findings.path)) return;
    this.reported.add(findings.path);
    const lines = new LineIndex(findings.text);
    for (const problem of findings.document.problems) this.report(findings.path, lines, problem);
    if (this.collecting) {
      // Only findings that apply to a policy being refined are used, so none is reported as applying to nothing.
      const diagnostics = findingsDiagnostics(findings, lines, this.catalog, true, (code) => DEFAULT_SETTINGS.severity[code]);
      this.results.push(...resultsOf({ path: toPosix(this.display(findings.path)), lines, diagnostics, identity: () => [] }));
    }
    // A findings file with errors still contributes what it could read, but the run is not clean.
    if (findings.document.problems.some((p) => p.severity === 'error')) this.badInput = true;
  }

  /**
   * The editor's diagnostics of a policy file, each with the quick fix the editor offers for it
   * (verified, as there), and the JSON syntax errors the editor leaves to its own JSON support.
   */
  private collectPolicyResults(path: string, state: PolicyDocumentState): void {
    const lines = state.lines;
    const syntax: Diagnostic[] = state.analysis.file.format !== 'json' ? [] : state.analysis.file.syntaxErrors.map((p) => ({
      range: toRange(lines, p.span), severity: DiagnosticSeverity.Error, code: 'syntax-error', source: SOURCE, message: p.message,
    }));
    // Workflow commands carry no fix: each is built, and verified, for SARIF only.
    const withFixes = this.options.mode === 'sarif';
    this.results.push(...resultsOf({
      path: toPosix(this.display(path)),
      lines,
      diagnostics: [...syntax, ...this.service.diagnostics(state)],
      identity: (d, offset) => policyIdentity(state.analysis, offset, diagnosticData(d)?.policy),
      fix: (d, offset) => {
        if (!withFixes) return undefined;
        const context = { diagnostics: [d], only: [CodeActionKind.QuickFix] };
        const action = this.service.codeActions(state, offset, context, { documentChanges: false })[0];
        const edits = action?.edit?.changes?.[state.uri];
        if (!action || !edits) return undefined;
        return {
          title: action.title,
          edits: edits.map((e) => {
            const start = lines.offset(e.range.start);
            return { offset: start, length: lines.offset(e.range.end) - start, newText: e.newText };
          }),
        };
      },
    }));
  }

  private read(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      this.fail(`${this.display(path)}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      return undefined;
    }
  }

  private report(path: string, lines: LineIndex, problem: Problem): void {
    if (problem.severity === 'error') this.errorReported = true;
    if (problem.severity !== 'error' && this.options.quiet) return;
    const at = lines.position(problem.span.offset);
    this.env.stderr(`${this.display(path)}:${at.line + 1}:${at.character + 1}: ${problem.severity}: ${problem.message}\n`);
  }

  private warn(message: string): void {
    this.notifications.push({ level: 'warning', message });
    if (!this.options.quiet) this.env.stderr(`${message}\n`);
  }

  private fail(message: string): void {
    this.badInput = true;
    this.incomplete = true;
    this.notifications.push({ level: 'error', message });
    this.env.stderr(`${message}\n`);
  }

  private display(path: string): string {
    const rel = relative(this.env.cwd, path);
    return rel && !rel.startsWith('..') ? rel : path;
  }
}

/** What the refinements of a file do, for the summary line; policies to detach are reported apart. */
function summary(analysis: PolicyTextAnalysis): string {
  return describeCounts(countRefinements(analysis.refinements.filter((r) => !r.fullyUnused).flatMap((r) => r.statements)));
}

/** The version, and the project's page that SARIF rules link into; `unknown` and none when package.json cannot be read. */
function packageManifest(distDir: string): { version: string; repositoryUrl?: string } {
  try {
    const manifest = JSON.parse(readFileSync(join(distDir, '..', 'package.json'), 'utf8')) as {
      version: string;
      repository?: string | { url?: string };
    };
    const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
    const url = repository?.replace(/^git\+/, '').replace(/\.git$/, '');
    return url && /^https?:\/\//.test(url) ? { version: manifest.version, repositoryUrl: url } : { version: manifest.version };
  } catch {
    return { version: 'unknown' };
  }
}
