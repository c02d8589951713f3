/**
 * The extensionTestsPath module of the test-electron harness (scripts/vscode-e2e/electron.mjs): VS Code loads it
 * in the extension host of the window it opened and calls run(), then exits with 0 when the promise resolves and
 * with 1 when it rejects. run() runs the suites bundled in suite/ beside it with runSuites (suites.ts, which the
 * code-server runner extension runs too) and prints one line per test, which VS Code passes on to the terminal.
 *
 * VSCODE_E2E_GREP, when set, runs only the tests whose full title matches it.
 */
import * as path from 'node:path';
import { runSuites, type SuiteEvent } from './suites';

/** The report's lines as run.mjs prints them: `✔ title`, `- title (pending)`, `✖ title: error`. */
function print(event: SuiteEvent): void {
  if (event.event === 'pass') console.log(`✔ ${event.fullTitle}`);
  else if (event.event === 'pending') console.log(`- ${event.fullTitle} (pending)`);
  else if (event.event === 'fail') console.log(`✖ ${event.fullTitle}: ${String(event.error).replace(/\n/g, '\n    ')}`);
}

export async function run(): Promise<void> {
  const grep = process.env['VSCODE_E2E_GREP'];
  // This module is bundled to CommonJS, with the suite files in suite/ beside it.
  const results = await runSuites({ suiteDir: path.join(__dirname, 'suite'), grep, onEvent: print });
  const failed = results.failures.length;
  const skipped = results.pending.length ? `, ${results.pending.length} skipped` : '';
  console.log(`${results.passes.length} passed, ${failed} failed${skipped}`);
  if (failed > 0) throw new Error(`${failed} test(s) failed`);
  if (results.passes.length === 0) throw new Error('no test ran: check VSCODE_E2E_GREP (--grep) and test/vscode/suite');
}
