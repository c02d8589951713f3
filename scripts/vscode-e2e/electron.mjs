#!/usr/bin/env node
// Runs the extension-host suites (test/vscode/suite/*.e2e.ts) in desktop VS Code, which @vscode/test-electron
// downloads (so this needs the network; run.mjs runs the same suites offline in code-server). The fixture
// workspaces and the user settings are run.mjs's (shared.mjs); the suites and test/vscode/runner/electron.ts,
// the extensionTestsPath module that runs them, are bundled into a temp folder; the extension under test is
// this repository (extensionDevelopmentPath: package.json + dist/). The UI scenario is run.mjs's alone.
// Linux without a display: run it under `xvfb-run -a`. docs/vscode-e2e.md explains more.
//
// Usage: node scripts/vscode-e2e/electron.mjs [--vscode-version VERSION] [--grep REGEX] [--workspace NAME]... [--keep]
//   --vscode-version V   the VS Code to download: a version number, `stable` or `insiders` (default 1.100.3, the
//                        VS Code of run.mjs's code-server); downloads are kept in the cache folder of install.sh
//   --grep REGEX         run only the tests whose full title matches
//   --workspace NAME     a folder of test/fixtures/workspaces to open, as run.mjs's --workspace (default: article,
//                        multi and templates, as a multi-root workspace)
//   --keep               keep the temp folder (user data, workspace, bundles) even when everything passed
// Exit code: 0 all passed; 1 a test failed or none ran; 2 the harness failed (no build, the download failed, ...).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import {
  bundleTests, CACHE_ROOT, DEFAULT_WORKSPACES, HarnessError, openWorkspace, parseArgsOrExit, printUsage, ROOT,
  workspaceNames, writeUserSettings,
} from './shared.mjs';

// The VS Code inside code-server 4.100.3 (run.mjs, install.sh), so that both harnesses test the same version.
const DEFAULT_VSCODE_VERSION = '1.100.3';

const { values: opts } = parseArgsOrExit({
  options: {
    'vscode-version': { type: 'string', default: DEFAULT_VSCODE_VERSION },
    grep: { type: 'string' },
    workspace: { type: 'string', multiple: true, default: DEFAULT_WORKSPACES },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  printUsage(import.meta.url, 15);
  process.exit(0);
}

const t0 = Date.now();
const secs = (since = t0) => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const log = (message) => console.error(`[vscode-e2e electron ${secs()}] ${message}`);

let tmp = '';

async function main() {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const bundle = path.join(ROOT, manifest.main ?? 'dist/extension.js');
  if (!fs.existsSync(bundle)) throw new HarnessError(`${path.relative(ROOT, bundle)} is missing: run \`npm run build\` first`);
  const workspaces = workspaceNames(opts.workspace);

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-vscode-electron-'));
  const dirs = {
    userData: path.join(tmp, 'user-data'),
    extensions: path.join(tmp, 'extensions'),
    workspace: path.join(tmp, 'workspace'),
    runner: path.join(tmp, 'runner'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  log(`temp folder ${tmp}`);

  writeUserSettings(dirs.userData);
  const target = openWorkspace(workspaces, dirs.workspace, log);
  const started = Date.now();
  const entry = path.join(dirs.runner, 'electron.js');
  const suites = await bundleTests(path.join(ROOT, 'test/vscode/runner/electron.ts'), entry);
  log(`built the entry module and ${suites.length} suite file(s) in ${secs(started)}: ${suites.map((s) => path.basename(s)).join(', ')}`);

  // test-electron creates the cache folder itself, but not its parents.
  const cachePath = path.join(CACHE_ROOT, 'vscode-test');
  fs.mkdirSync(cachePath, { recursive: true });
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    log('no DISPLAY: desktop VS Code needs one once downloaded (run this under `xvfb-run -a`)');
  }
  // Started from VS Code's own terminal or tasks, Electron would run as plain Node with this set.
  delete process.env.ELECTRON_RUN_AS_NODE;
  log(`VS Code ${opts['vscode-version']} from test-electron's cache or download (${cachePath})`);
  try {
    await runTests({
      version: opts['vscode-version'],
      cachePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: entry,
      extensionTestsEnv: {
        // As in run.mjs: VS Code takes this environment as it is instead of reading a login shell's.
        VSCODE_CLI: '1',
        ...(opts.grep ? { VSCODE_E2E_GREP: opts.grep } : {}),
      },
      // A fresh profile for each run (test-electron would otherwise share one in its cache folder), with the
      // settings of run.mjs; no installed extension but the one under development.
      launchArgs: [target.path, '--disable-extensions', `--user-data-dir=${dirs.userData}`, `--extensions-dir=${dirs.extensions}`],
    });
    return 0;
  } catch (error) {
    // VS Code ran and exited non-zero: electron.ts's run() rejected (a test failed or none ran), printed above.
    if (error instanceof TestRunFailedError && error.code === 1) return 1;
    throw error;
  }
}

let exitCode = 2;
try {
  exitCode = await main();
} catch (error) {
  // test-electron rejects with an Error or, for some download failures, a bare string: its message as it is.
  console.error(`[vscode-e2e electron] ${error instanceof HarnessError ? error.message : error?.stack ?? error}`);
}
if (tmp) {
  if (exitCode === 0 && !opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
  else console.error(`[vscode-e2e electron] user data, workspace and bundles kept in ${tmp}`);
}
console.error(`[vscode-e2e electron] done in ${secs()} (exit ${exitCode})`);
process.exit(exitCode);
