/**
 * The test-only extension of the VS Code end-to-end harness (scripts/vscode-e2e/run.mjs).
 *
 * It activates once the workbench has started, runs the mocha suite bundled next to it (dist/suite/*.js,
 * built from test/vscode/suite/*.e2e.ts) inside this extension host, and writes the results to the
 * file that e2e-config.json (written by run.mjs beside package.json) or VSCODE_E2E_RESULTS names.
 * Without either it does nothing, so an accidental install is harmless.
 *
 * Suites use mocha's TDD interface as globals (suite, test, suiteSetup, ...); `vscode` is theirs to import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import Mocha from 'mocha';

interface RunnerConfig {
  /** Where the results JSON goes; written once, atomically, when the run ends. */
  resultsFile: string;
  /** Where one JSON line per event goes while the suite runs, for a harness that gives up early. */
  progressFile?: string;
  /** The folder of bundled suite files; default dist/suite beside this bundle. */
  suiteDir?: string;
  /** Mocha's per-test timeout in ms (default 60 000). */
  timeout?: number;
  /** Only tests whose full title matches this regular expression. */
  grep?: string;
}

export interface TestResult {
  title: string;
  fullTitle: string;
  file?: string;
  durationMs?: number;
  error?: string;
  stack?: string;
}

export interface RunResults {
  passes: TestResult[];
  failures: TestResult[];
  pending: TestResult[];
  startedAt: string;
  finishedAt: string;
  vscodeVersion: string;
  /** Set when the runner itself failed (no suite found, a suite file threw while loading, ...). */
  runnerError?: string;
}

let started = false;

export function activate(context: vscode.ExtensionContext): void {
  const config = readConfig(context.extensionPath);
  if (!config || started) return;
  started = true;
  // Not awaited: activation returns at once and the suite runs beside the workbench.
  void runAndReport(context.extensionPath, config);
}

export function deactivate(): void {}

function readConfig(extensionPath: string): RunnerConfig | undefined {
  let config: Partial<RunnerConfig> = {};
  const file = path.join(extensionPath, 'e2e-config.json');
  if (fs.existsSync(file)) config = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RunnerConfig>;
  const env = process.env;
  if (env['VSCODE_E2E_RESULTS']) config.resultsFile = env['VSCODE_E2E_RESULTS'];
  if (env['VSCODE_E2E_PROGRESS']) config.progressFile = env['VSCODE_E2E_PROGRESS'];
  if (env['VSCODE_E2E_GREP']) config.grep = env['VSCODE_E2E_GREP'];
  if (!config.resultsFile) return undefined;
  // A window reload activates the extension again: the suite runs once per results file.
  if (fs.existsSync(config.resultsFile)) return undefined;
  return config as RunnerConfig;
}

async function runAndReport(extensionPath: string, config: RunnerConfig): Promise<void> {
  const results: RunResults = {
    passes: [], failures: [], pending: [],
    startedAt: new Date().toISOString(), finishedAt: '', vscodeVersion: vscode.version,
  };
  const progress = (event: Record<string, unknown>): void => {
    if (!config.progressFile) return;
    try {
      fs.appendFileSync(config.progressFile, `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
    } catch {
      // Progress is a courtesy; the results file is what counts.
    }
  };
  try {
    progress({ event: 'start', vscodeVersion: vscode.version });
    await runMocha(extensionPath, config, results, progress);
  } catch (error) {
    results.runnerError = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  results.finishedAt = new Date().toISOString();
  progress({ event: 'end', passes: results.passes.length, failures: results.failures.length, runnerError: results.runnerError });
  const tmp = `${config.resultsFile}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`);
  fs.renameSync(tmp, config.resultsFile);
}

/** "suite › test", which reads better than mocha's space-joined fullTitle(). */
function fullTitle(test: Mocha.Runnable): string {
  return test.titlePath().join(' › ');
}

function runMocha(extensionPath: string, config: RunnerConfig, results: RunResults, progress: (event: Record<string, unknown>) => void): Promise<void> {
  const suiteDir = config.suiteDir ?? path.join(extensionPath, 'dist', 'suite');
  const files = fs.existsSync(suiteDir) ? fs.readdirSync(suiteDir).filter((f) => f.endsWith('.js')).sort() : [];
  if (files.length === 0) throw new Error(`no suite files (*.js) in ${suiteDir}`);

  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: config.timeout ?? 60_000, ...(config.grep ? { grep: config.grep } : {}) });
  // A reporter of our own: the default one writes to a stdout nobody reads here.
  mocha.reporter(class extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      const entry = (test: Mocha.Runnable, error?: unknown): TestResult => {
        const out: TestResult = { title: test.title, fullTitle: fullTitle(test) };
        if (test.file) out.file = path.basename(test.file);
        if (test.duration !== undefined) out.durationMs = test.duration;
        if (error !== undefined) {
          out.error = error instanceof Error ? error.message : String(error);
          if (error instanceof Error && error.stack) out.stack = error.stack;
        }
        return out;
      };
      runner.on('test', (test) => progress({ event: 'test', fullTitle: fullTitle(test) }));
      runner.on('pass', (test) => {
        results.passes.push(entry(test));
        progress({ event: 'pass', fullTitle: fullTitle(test) });
      });
      runner.on('fail', (test, error) => {
        const failure = entry(test, error);
        results.failures.push(failure);
        progress({ event: 'fail', fullTitle: failure.fullTitle, error: failure.error });
      });
      runner.on('pending', (test) => {
        results.pending.push(entry(test));
        progress({ event: 'pending', fullTitle: fullTitle(test) });
      });
    }
  });
  for (const file of files) mocha.addFile(path.join(suiteDir, file));
  return new Promise((resolve, reject) => {
    try {
      // Loads the suite files (mocha's require puts suite/test/... on the global object first), then runs them.
      mocha.run(() => resolve());
    } catch (error) {
      reject(error);
    }
  });
}
