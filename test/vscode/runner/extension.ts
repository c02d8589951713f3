/**
 * The test-only extension of the VS Code end-to-end harness (scripts/vscode-e2e/run.mjs).
 *
 * It activates once the workbench has started, runs the mocha suite bundled next to it (dist/suite/*.js,
 * built from test/vscode/suite/*.e2e.ts) inside this extension host with runSuites (suites.ts, which the
 * test-electron harness runs too), and writes the results to the file that e2e-config.json (written by
 * run.mjs beside package.json) or VSCODE_E2E_RESULTS names. Without either it does nothing, so an
 * accidental install is harmless.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runSuites, type SuiteEvent, type TestResult } from './suites';

export type { TestResult } from './suites';

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
  const progress = (event: SuiteEvent | Record<string, unknown>): void => {
    if (!config.progressFile) return;
    try {
      fs.appendFileSync(config.progressFile, `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
    } catch {
      // Progress is a courtesy; the results file is what counts.
    }
  };
  try {
    progress({ event: 'start', vscodeVersion: vscode.version });
    const suiteDir = config.suiteDir ?? path.join(extensionPath, 'dist', 'suite');
    const outcome = await runSuites({ suiteDir, timeout: config.timeout, grep: config.grep, onEvent: progress });
    results.passes.push(...outcome.passes);
    results.failures.push(...outcome.failures);
    results.pending.push(...outcome.pending);
  } catch (error) {
    results.runnerError = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  results.finishedAt = new Date().toISOString();
  progress({ event: 'end', passes: results.passes.length, failures: results.failures.length, runnerError: results.runnerError });
  const tmp = `${config.resultsFile}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`);
  fs.renameSync(tmp, config.resultsFile);
}
