#!/usr/bin/env node
// Runs the extension-host suite (test/vscode/suite/*.e2e.ts) inside a real VS Code, offline:
// code-server (VS Code 1.100.3, installed by install.sh into a cache folder) serves the workbench on a
// free loopback port, Debian's chromium opens it headless (driven over CDP by playwright-core), the
// extension under test and a test-runner extension (test/vscode/runner) run in its Node extension host,
// and the runner writes the results to a file that this script reads. Then, in the same window, the UI
// scenario (ui-scenario.mjs) drives the workbench with mouse and keyboard and takes screenshots.
// docs/vscode-e2e.md explains more.
//
// Usage: node scripts/vscode-e2e/run.mjs [--vsix FILE] [--screenshot FILE.png] [--timeout SECONDS] [--grep REGEX]
//                                         [--workspace NAME]... [--ui-screenshots DIR] [--skip-ui] [--keep]
//   --vsix FILE            install the extension from a .vsix with code-server's --install-extension
//                          (default: an unpacked copy of package.json + dist/ of this repo; run `npm run build` first)
//   --screenshot FILE      save a PNG of the workbench when everything ends (or gives up)
//   --timeout SECONDS      deadline for the whole suite from the moment the browser opens (default 300)
//   --grep REGEX           run only the tests whose full title matches (the UI scenario runs whole if one of its titles does)
//   --workspace NAME       a folder of test/fixtures/workspaces to open, copied to a temp folder; repeat it (or
//                          NAME,NAME) for a multi-root workspace, opened through a .code-workspace file in that
//                          order (default: article, multi and templates; suites skip what needs a folder that is not open)
//   --ui-screenshots DIR   where the UI scenario saves its PNGs (default: screenshots/ in the temp folder)
//   --skip-ui              do not run the UI scenario
//   --keep                 keep the temp folder (logs, user data, workspace) even when everything passed
// Exit code: 0 all passed; 1 a test failed or none ran; 2 the harness failed (install missing, timeout, crash).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  bundleTests, CACHE_ROOT, DEFAULT_WORKSPACES, HarnessError, openWorkspace, parseArgsOrExit, printUsage, ROOT,
  workspaceNames, writeUserSettings,
} from './shared.mjs';
import { runUiScenario, UI_STEPS, UI_SUITE } from './ui-scenario.mjs';

const CODE_SERVER_VERSION = '4.100.3'; // keep in step with install.sh
const CODE_SERVER_DIR = path.join(CACHE_ROOT, `code-server-${CODE_SERVER_VERSION}`);
const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const { values: opts } = parseArgsOrExit({
  options: {
    vsix: { type: 'string' },
    screenshot: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    grep: { type: 'string' },
    workspace: { type: 'string', multiple: true, default: DEFAULT_WORKSPACES },
    'ui-screenshots': { type: 'string' },
    'skip-ui': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  printUsage(import.meta.url, 23);
  process.exit(0);
}

const t0 = Date.now();
const secs = (since = t0) => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const log = (message) => console.error(`[vscode-e2e ${secs()}] ${message}`);

/** Everything a run owns, so that cleanup can end it whatever happened. */
const state = { tmp: '', codeServer: undefined, chromium: undefined, browser: undefined, page: undefined };

async function main() {
  const suiteTimeoutMs = Number(opts.timeout) * 1000;
  if (!Number.isFinite(suiteTimeoutMs) || suiteTimeoutMs <= 0) throw new HarnessError(
    `--timeout must be a number of seconds, not ${opts.timeout}`);
  if (!fs.existsSync(path.join(CODE_SERVER_DIR, '.installed')) || !fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new HarnessError(
      `code-server ${CODE_SERVER_VERSION} is not installed in ${CODE_SERVER_DIR}: run \`bash scripts/vscode-e2e/install.sh\` first`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new HarnessError(
    `no chromium at ${CHROMIUM}: run \`bash scripts/vscode-e2e/install.sh\` first (or set CHROMIUM_PATH)`);
  const workspaces = workspaceNames(opts.workspace);

  state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-vscode-e2e-'));
  const dirs = {
    userData: path.join(state.tmp, 'user-data'),
    extensions: path.join(state.tmp, 'extensions'),
    workspace: path.join(state.tmp, 'workspace'),
    chromiumProfile: path.join(state.tmp, 'chromium-profile'),
    xdgConfig: path.join(state.tmp, 'xdg-config'),
    xdgData: path.join(state.tmp, 'xdg-data'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const files = {
    results: path.join(state.tmp, 'results.json'),
    progress: path.join(state.tmp, 'progress.jsonl'),
    codeServerLog: path.join(state.tmp, 'code-server.log'),
    chromiumLog: path.join(state.tmp, 'chromium.log'),
    browserLog: path.join(state.tmp, 'browser-console.log'),
  };
  log(`temp folder ${state.tmp}`);

  writeUserSettings(dirs.userData);
  const target = openWorkspace(workspaces, dirs.workspace, log);
  // The runner goes in first: installing a .vsix writes extensions/extensions.json, and VS Code then
  // knows only the extensions listed there (the scan that lists unpacked folders happens once).
  await buildRunner(dirs.extensions, files);
  if (opts.vsix) await installVsix(path.resolve(opts.vsix), dirs);
  else installUnpacked(dirs.extensions);

  const port = await freePort();
  await startCodeServer(port, dirs, target, files.codeServerLog);
  const page = await openWorkbench(port, dirs, target, files);

  const results = await waitForResults(page, files, suiteTimeoutMs);
  if (runsUi(workspaces)) {
    const screenshotsDir = path.resolve(opts['ui-screenshots'] ?? path.join(state.tmp, 'screenshots'));
    const started = Date.now();
    log(`UI scenario: ${UI_STEPS.length} steps on article/policy.json, screenshots to ${screenshotsDir}`);
    const ui = await runUiScenario(page, { screenshotsDir, log });
    log(`UI scenario done in ${secs(started)}`);
    for (const key of ['passes', 'failures', 'pending']) results[key].push(...ui[key]);
  }
  return report(results);
}

/** The UI scenario works on the article policy; with --grep, it runs when one of its titles matches. */
function runsUi(workspaces) {
  if (opts['skip-ui']) return false;
  if (!workspaces.includes('article')) {
    log('UI scenario skipped: it needs the article workspace folder');
    return false;
  }
  if (opts.grep) {
    const re = new RegExp(opts.grep);
    if (!UI_STEPS.some((t) => re.test(`${UI_SUITE} › ${t}`))) return false;
  }
  return true;
}

/** Bundles test/vscode/runner (with mocha) and each test/vscode/suite/*.e2e.ts into an unpacked extension folder. */
async function buildRunner(extensionsDir, files) {
  const started = Date.now();
  const source = path.join(ROOT, 'test/vscode/runner');
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  const out = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(path.join(source, 'package.json'), path.join(out, 'package.json'));
  // The suites go to dist/suite, where the runner extension looks for them.
  const suites = await bundleTests(path.join(source, 'extension.ts'), path.join(out, 'dist/extension.js'));
  const config = { resultsFile: files.results, progressFile: files.progress, ...(opts.grep ? { grep: opts.grep } : {}) };
  fs.writeFileSync(path.join(out, 'e2e-config.json'), `${JSON.stringify(config, null, 2)}\n`);
  log(`built the runner and ${suites.length} suite file(s) in ${secs(started)}: ${suites.map((s) => path.basename(s)).join(', ')}`);
}

/** The extension under test as an unpacked folder: this repo's package.json and dist/. */
function installUnpacked(extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const main = path.join(ROOT, manifest.main ?? 'dist/extension.js');
  if (!fs.existsSync(main)) throw new HarnessError(`${path.relative(ROOT, main)} is missing: run \`npm run build\` first`);
  const out = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(out, 'package.json'));
  fs.cpSync(path.join(ROOT, 'dist'), path.join(out, 'dist'), { recursive: true });
  for (const extra of ['README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (fs.existsSync(path.join(ROOT, extra))) fs.copyFileSync(path.join(ROOT, extra), path.join(out, extra));
  }
  log(`extension under test: unpacked copy of package.json + dist/ as ${path.basename(out)}`);
}

/** The extension under test from a .vsix, installed by code-server itself. */
async function installVsix(vsix, dirs) {
  if (!fs.existsSync(vsix)) throw new HarnessError(`no such .vsix: ${vsix}`);
  const started = Date.now();
  const child = spawn(process.execPath, [CODE_SERVER_ENTRY,
    '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix, '--force',
  ], { env: codeServerEnv(dirs), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 120_000);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  if (code !== 0) throw new HarnessError(`code-server --install-extension ${vsix} exited with ${code}:\n${output.trim()}`);
  log(`extension under test: installed ${path.basename(vsix)} in ${secs(started)}`);
}

function codeServerEnv(dirs) {
  const env = { ...process.env };
  // Run from a VS Code terminal, code-server would hand the folder to that VS Code instead of starting.
  for (const name of Object.keys(env)) if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') delete env[name];
  Object.assign(env, {
    // VS Code would otherwise run a login shell to read "the user's environment" for the extension host
    // (seconds, and whatever ~/.bashrc does); with VSCODE_CLI=1 it takes this environment as it is.
    VSCODE_CLI: '1',
    // code-server's own config.yaml and session data go to the temp folder, not ~/.config and ~/.local.
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    // No extension gallery (Open VSX by default): a loopback address where nothing listens.
    EXTENSIONS_GALLERY: JSON.stringify({
      serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item',
      resourceUrlTemplate: 'http://127.0.0.1:9/{publisher}/{name}/{version}/{path}',
    }),
  });
  return env;
}

async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

async function startCodeServer(port, dirs, target, logFile) {
  const started = Date.now();
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [CODE_SERVER_ENTRY,
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened', '--session-socket', path.join(state.tmp, 'session.sock'),
    '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
    target.path,
  ], { env: codeServerEnv(dirs), stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  state.codeServer = child;
  child.on('exit', (code, signal) => { child.exitedWith = signal ?? code; });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitedWith !== undefined) throw new HarnessError(`code-server exited (${child.exitedWith}) before it answered`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new HarnessError('code-server did not answer /healthz within 60s');
    await sleep(200);
  }
  log(`code-server ${CODE_SERVER_VERSION} (pid ${child.pid}) listening on 127.0.0.1:${port} after ${secs(started)}`);
}

async function openWorkbench(port, dirs, target, files) {
  const started = Date.now();
  const { chromium } = await import('playwright-core');
  const chromiumLog = fs.createWriteStream(files.chromiumLog);
  const child = spawn(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps',
    '--disable-extensions', '--disable-domain-reliability', '--disable-client-side-phishing-detection',
    '--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions',
    '--no-first-run', '--no-default-browser-check', '--no-pings', '--password-store=basic', '--use-mock-keychain',
    '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--user-data-dir=${dirs.chromiumProfile}`,
    // Names resolve to nothing but loopback: the browser reaches code-server and no other host.
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
    '--window-size=1280,800', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  state.chromium = child;
  child.on('exit', (code, signal) => { child.exitedWith = signal ?? code; });
  const endpoint = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new HarnessError(`chromium printed no DevTools address within 30s:\n${seen.slice(-2000)}`)),
      30_000);
    child.stderr.on('data', (chunk) => {
      chromiumLog.write(chunk);
      seen += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.on('exit',
      () => { clearTimeout(timer); reject(new HarnessError(`chromium exited (${child.exitedWith}):\n${seen.slice(-2000)}`)); });
  });
  state.browser = await chromium.connectOverCDP(endpoint, { timeout: 30_000 });
  const context = state.browser.contexts()[0] ?? await state.browser.newContext();
  const page = context.pages()[0] ?? await context.newPage();
  state.page = page;
  // The size of the UI scenario's screenshots (images/).
  await page.setViewportSize({ width: 1280, height: 800 });
  const browserLog = fs.createWriteStream(files.browserLog);
  page.on('console', (m) => browserLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => browserLog.write(`[pageerror] ${e.stack ?? e.message}\n`));
  const url = `http://127.0.0.1:${port}/?${target.kind}=${encodeURIComponent(target.path)}`;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
  log(`workbench open in headless chromium (pid ${child.pid}) after ${secs(started)}`);
  return page;
}

/** Waits for the runner's results file, clicking away what could block the workbench meanwhile. */
async function waitForResults(page, files, timeoutMs) {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let lastCheck = 0;
  let announced = false;
  for (;;) {
    if (fs.existsSync(files.results)) {
      log(`suite finished after ${secs(started)}`);
      return JSON.parse(fs.readFileSync(files.results, 'utf8'));
    }
    if (!announced && fs.existsSync(files.progress)) {
      log('the runner extension started the suite');
      announced = true;
    }
    if (state.codeServer.exitedWith !== undefined) throw new HarnessError(
      `code-server exited (${state.codeServer.exitedWith}) before the suite finished${progressSummary(files)}`);
    if (state.chromium.exitedWith !== undefined) throw new HarnessError(
      `chromium exited (${state.chromium.exitedWith}) before the suite finished${progressSummary(files)}`);
    if (Date.now() > deadline) {
      const why = announced ? '' : ' (the runner extension never started: see the extension host log)';
      throw new HarnessError(`no results after ${timeoutMs / 1000}s${why}${progressSummary(files)}`);
    }
    if (Date.now() - lastCheck > 2_000) {
      lastCheck = Date.now();
      await dismissBlockers(page);
    }
    await sleep(250);
  }
}

/** Workspace trust is off in the settings; should its dialog show all the same, trust the temp folder. */
async function dismissBlockers(page) {
  try {
    const trust = page.getByRole('button', { name: /Yes, I trust the authors/i });
    if (await trust.isVisible({ timeout: 500 })) {
      log('clicking "Yes, I trust the authors"');
      await trust.click({ timeout: 5_000 });
    }
  } catch {
    // the page may be navigating; try again on the next round
  }
}

function progressSummary(files) {
  if (!fs.existsSync(files.progress)) return '';
  const events = fs.readFileSync(files.progress, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const lines = events.filter((e) => ['pass', 'fail'].includes(e.event))
    .map((e) => (e.event === 'pass' ? `  ✔ ${e.fullTitle}` : `  ✖ ${e.fullTitle}: ${e.error}`));
  const last = events.at(-1);
  if (last?.event === 'test') lines.push(`  … still running: ${last.fullTitle}`);
  return lines.length ? `\nprogress so far:\n${lines.join('\n')}` : '';
}

async function screenshot(page, file) {
  try {
    await page.screenshot({ path: path.resolve(file), timeout: 15_000 });
    log(`screenshot saved to ${path.resolve(file)}`);
  } catch (error) {
    log(`screenshot failed: ${error.message}`);
  }
}

function report(results) {
  const indent = (text) => String(text).replace(/\n/g, '\n    ');
  for (const t of results.passes) console.log(`✔ ${t.fullTitle}`);
  for (const t of results.pending) console.log(`- ${t.fullTitle} (${t.error ?? 'pending'})`);
  for (const t of results.failures) console.log(`✖ ${t.fullTitle}: ${indent(t.error)}`);
  let failed = results.failures.length;
  if (results.runnerError) {
    // The message and the top of the stack; the rest is VS Code's extension host.
    console.log(`✖ test runner: ${indent(results.runnerError.split('\n').slice(0, 8).join('\n'))}`);
    failed += 1;
  }
  const skipped = results.pending.length ? `, ${results.pending.length} skipped` : '';
  console.log(`${results.passes.length} passed, ${failed} failed${skipped}`);
  if (results.passes.length + failed === 0) {
    console.error('[vscode-e2e] no test ran: check --grep and test/vscode/suite');
    return 1;
  }
  return failed > 0 ? 1 : 0;
}

function killGroup(child, signal) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try { child.kill(signal); } catch { /* gone */ }
  }
}

async function stop(child, name) {
  if (!child) return;
  // Even when the main process is gone, its group (extension host, language server, renderers) may live on.
  for (const signal of ['SIGTERM', 'SIGKILL']) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      return; // no process left in the group
    }
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      try {
        process.kill(-child.pid, 0);
      } catch {
        return;
      }
      await sleep(100);
    }
    if (signal === 'SIGTERM') log(`${name} did not stop within 5s of SIGTERM: SIGKILL`);
  }
}

function tail(file, lines = 60) {
  if (!file || !fs.existsSync(file)) return '';
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

function extensionHostLogs() {
  const logs = path.join(state.tmp, 'user-data/logs');
  if (!fs.existsSync(logs)) return [];
  return fs.readdirSync(logs, { recursive: true }).map(String)
    .filter((f) => /remoteexthost\.log$|exthost\.log$|IAM Policy Refiner\.log$/.test(f)).map((f) => path.join(logs, f));
}

async function cleanup() {
  try {
    await Promise.race([state.browser?.close(), sleep(5_000)]);
  } catch {
    // the connection may already be gone
  }
  await stop(state.chromium, 'chromium');
  await stop(state.codeServer, 'code-server');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    log(`${signal}: stopping code-server and chromium`);
    await cleanup();
    process.exit(130);
  });
}

let exitCode;
try {
  exitCode = await main();
} catch (error) {
  console.error(`[vscode-e2e] ${error instanceof HarnessError ? error.message : error.stack ?? error}`);
  exitCode = 2;
} finally {
  if (opts.screenshot && state.page) await screenshot(state.page, opts.screenshot);
  await cleanup();
}
if (state.tmp) {
  if (exitCode === 2) {
    const codeServerLog = tail(path.join(state.tmp, 'code-server.log'));
    if (codeServerLog) console.error(`--- code-server log (tail) ---\n${codeServerLog}`);
    for (const file of extensionHostLogs()) console.error(`--- ${path.relative(state.tmp, file)} (tail) ---\n${tail(file, 40)}`);
    const browserLog = tail(path.join(state.tmp, 'browser-console.log'), 20);
    if (browserLog) console.error(`--- browser console (tail) ---\n${browserLog}`);
  }
  if (exitCode === 0 && !opts.keep) fs.rmSync(state.tmp, { recursive: true, force: true });
  else console.error(`[vscode-e2e] logs, user data and workspace kept in ${state.tmp}`);
}
console.error(`[vscode-e2e] done in ${secs()} (exit ${exitCode})`);
process.exit(exitCode);
