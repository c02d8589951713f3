/**
 * Runs the bundled end-to-end suites (test/vscode/suite/*.e2e.ts, bundled to suite/*.js by scripts/vscode-e2e/shared.mjs)
 * with mocha inside the extension host, and collects the results. Both harnesses call it: the runner extension
 * (extension.ts, under code-server) and the entry module that @vscode/test-electron loads (electron.ts).
 *
 * Suites use mocha's TDD interface as globals (suite, test, suiteSetup, ...); `vscode` is theirs to import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  fullTitle: string;
  file?: string;
  durationMs?: number;
  error?: string;
  stack?: string;
}

export interface SuiteResults {
  passes: TestResult[];
  failures: TestResult[];
  pending: TestResult[];
}

/** One step of the run, as it happens: what a harness that may give up early shows of a run in progress. */
export type SuiteEvent =
  | { event: 'test' | 'pass' | 'pending'; fullTitle: string }
  | { event: 'fail'; fullTitle: string; error: string | undefined };

export interface SuiteOptions {
  /** The folder of bundled suite files (*.js), run in name order. */
  suiteDir: string;
  /** Mocha's per-test timeout in ms (default 60 000). */
  timeout?: number;
  /** Only tests whose full title matches this regular expression. */
  grep?: string;
  /** Called on each test's start and outcome. */
  onEvent?: (event: SuiteEvent) => void;
}

/** "suite › test", which reads better than mocha's space-joined fullTitle(). */
function fullTitle(test: Mocha.Runnable): string {
  return test.titlePath().join(' › ');
}

/**
 * Runs every suite file of `suiteDir` and resolves with the results once mocha is done, whatever failed. Rejects
 * when the run cannot start: no suite file, or a suite file that throws while loading.
 */
export async function runSuites(options: SuiteOptions): Promise<SuiteResults> {
  const { suiteDir } = options;
  const files = fs.existsSync(suiteDir) ? fs.readdirSync(suiteDir).filter((f) => f.endsWith('.js')).sort() : [];
  if (files.length === 0) throw new Error(`no suite files (*.js) in ${suiteDir}`);

  const results: SuiteResults = { passes: [], failures: [], pending: [] };
  const emit = options.onEvent ?? ((): void => {});
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: options.timeout ?? 60_000, ...(options.grep ? { grep: options.grep } : {}) });
  // A reporter of our own: mocha's default one writes to a stdout that, under code-server, nobody reads.
  mocha.reporter(class extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, mochaOptions?: Mocha.MochaOptions) {
      super(runner, mochaOptions);
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
      runner.on('test', (test) => emit({ event: 'test', fullTitle: fullTitle(test) }));
      runner.on('pass', (test) => {
        results.passes.push(entry(test));
        emit({ event: 'pass', fullTitle: fullTitle(test) });
      });
      runner.on('fail', (test, error) => {
        const failure = entry(test, error);
        results.failures.push(failure);
        emit({ event: 'fail', fullTitle: failure.fullTitle, error: failure.error });
      });
      runner.on('pending', (test) => {
        results.pending.push(entry(test));
        emit({ event: 'pending', fullTitle: fullTitle(test) });
      });
    }
  });
  for (const file of files) mocha.addFile(path.join(suiteDir, file));
  await new Promise<void>((resolve, reject) => {
    try {
      // Loads the suite files (mocha's require puts suite/test/... on the global object first), then runs them.
      mocha.run(() => resolve());
    } catch (error) {
      reject(error);
    }
  });
  return results;
}
