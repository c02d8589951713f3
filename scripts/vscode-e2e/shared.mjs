// What both harnesses of the real-VS-Code suites do alike: run.mjs (code-server in headless chromium,
// offline) and electron.mjs (a VS Code that @vscode/test-electron downloads). Both open the same copies of
// the fixture workspaces with the same user settings, and bundle the same suite files beside an entry
// module that runs them (test/vscode/runner/suites.ts), so a suite behaves the same under either.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where install.sh puts code-server and electron.mjs keeps the VS Code it downloads (VSCODE_E2E_CACHE moves it). */
export const CACHE_ROOT = process.env.VSCODE_E2E_CACHE
  || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'iam-policy-refiner-vscode-e2e');
const FIXTURES = path.join(ROOT, 'test/fixtures/workspaces');
const SUITE_DIR = path.join(ROOT, 'test/vscode/suite');
/** The folders opened when --workspace is not given; suites skip what needs a folder that is not open. */
export const DEFAULT_WORKSPACES = ['article', 'multi', 'templates'];

/** A failure of the harness itself (exit code 2), printed without a stack. */
export class HarnessError extends Error {}

export function parseArgsOrExit(config) {
  try {
    return parseArgs(config);
  } catch (error) {
    console.error(`[vscode-e2e] ${error.message} (see --help)`);
    process.exit(2);
  }
}

/** Prints the usage comment at the top of a harness script: its first `lines` lines starting with `//`. */
export function printUsage(scriptUrl, lines) {
  const text = fs.readFileSync(fileURLToPath(scriptUrl), 'utf8').split('\n').filter((l) => l.startsWith('//')).slice(0, lines);
  console.log(text.map((l) => l.slice(3)).join('\n'));
}

/** The fixture names of --workspace (repeatable, or NAME,NAME), in order, once each; each a folder of test/fixtures/workspaces. */
export function workspaceNames(values) {
  const names = [...new Set(values.flatMap((w) => w.split(',')).map((w) => w.trim()).filter(Boolean))];
  if (names.length === 0) throw new HarnessError('--workspace names no folder');
  for (const name of names) {
    const fixture = path.join(FIXTURES, name);
    if (!/^[\w.-]+$/.test(name) || !fs.existsSync(fixture)) throw new HarnessError(`no workspace fixture ${fixture}`);
  }
  return names;
}

/**
 * Copies the fixtures into `root` and returns what to open: the folder itself when there is one, else a
 * .code-workspace file listing them (a multi-root workspace; the first is what suites call "the" folder).
 */
export function openWorkspace(names, root, log) {
  for (const name of names) fs.cpSync(path.join(FIXTURES, name), path.join(root, name), { recursive: true });
  if (names.length === 1) return { kind: 'folder', path: path.join(root, names[0]) };
  const file = path.join(root, 'iam-policy-refiner.code-workspace');
  fs.writeFileSync(file, `${JSON.stringify({ folders: names.map((name) => ({ name, path: name })), settings: {} }, null, 2)}\n`);
  log(`multi-root workspace ${names.join(' + ')}`);
  return { kind: 'workspace', path: file };
}

export function writeUserSettings(userData) {
  const settings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    // VS Code for the web saves after a delay by default; the desktop app does not. Suites edit documents
    // and expect them unsaved (and the fixture copies unchanged on disk) until they say otherwise.
    'files.autoSave': 'off',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'json.schemaDownload.enable': false,
    'git.enabled': false,
    'npm.autoDetect': 'off',
    'typescript.disableAutomaticTypeAcquisition': true,
    'window.restoreWindows': 'none',
    // Offline: the action catalogue is never downloaded from AWS; the suite that tests it points it at a local stand-in.
    'iamPolicyRefiner.catalog.update': 'never',
    // The fixtures' findings carry fixed dates while the calendar moves on: stale-findings is tested in the node suite.
    'iamPolicyRefiner.findings.maxAgeDays': 36500,
  };
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User/settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/**
 * Bundles `entry` (a module of test/vscode/runner, mocha inside) into `outfile` and each test/vscode/suite/*.e2e.ts
 * into suite/ beside it, where the entry looks for them. Returns the suite files bundled.
 */
export async function bundleTests(entry, outfile) {
  const { build } = await import('esbuild');
  const suites = fs.readdirSync(SUITE_DIR).filter((f) => f.endsWith('.e2e.ts')).sort().map((f) => path.join(SUITE_DIR, f));
  if (suites.length === 0) throw new HarnessError(`no *.e2e.ts suite in ${SUITE_DIR}`);
  const common = {
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'],
    // As scripts/bundle.mjs: jsonc-parser's ESM build bundles cleanly, its UMD build does not.
    mainFields: ['module', 'main'], sourcemap: 'inline', keepNames: true, logLevel: 'error', absWorkingDir: ROOT,
  };
  await build({ ...common, entryPoints: [entry], outfile });
  await build({ ...common, entryPoints: suites, outdir: path.join(path.dirname(outfile), 'suite') });
  return suites;
}
