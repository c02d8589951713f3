import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTICLE_DIR } from '../support/article';
import { repoRoot } from '../support/catalog';
import { runCli, workspace } from '../support/cli';

// Neovim as a second real LSP client (README, "Other editors"): headless Neovim with only
// test/neovim/config.lua (the documented configuration) drives the built server through
// test/neovim/drive.lua, which records what a user would see; the assertions are here.

interface SeenDiagnostic { line: number; col: number; severity: number; code: string; message: string }

interface Observed {
  version: string;
  filetype?: string;
  rootDir?: string;
  clientWatchesFiles?: boolean;
  registrations: string[];
  diagnostics?: SeenDiagnostic[];
  hover?: string;
  diagnosticsAfterRewrite?: SeenDiagnostic[];
  modifiedAfterWrite?: boolean;
  diagnosticsClearedAfterSave?: boolean;
  timings: { diagnostics?: number; findingsPickedUpMs?: number; written?: number };
  messages: string;
  lspLog: string[];
  error?: string;
}

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const skip = nvim.status !== 0 ? 'nvim is not installed (Debian: apt-get install neovim; .ci/run installs it)' : false;

const WARNING = 2;
const INFORMATION = 3;
const NEVER = 'never used in the tracking period';

type Findings = { serviceNamespace: string; actions: string[] }[];

/** The article's workspace, a repository of its own so that both Neovim and the CLI take it as the root. */
function articleWorkspace(findings: string): string {
  return workspace({ '.git/': '', 'policy.json': readFileSync(join(ARTICLE_DIR, 'policy.json'), 'utf8'), 'unused-access.json': findings });
}

test('Neovim: diagnostics, hover, a findings file rewritten on disk, and refine on save as iam-refine --write', { skip }, (t) => {
  const original = readFileSync(join(ARTICLE_DIR, 'unused-access.json'), 'utf8');
  // The rewrite: lambda:AddPermission turns out to be used after all.
  const next = JSON.parse(original) as Findings;
  const lambda = next.find((e) => e.serviceNamespace === 'lambda')!;
  lambda.actions = lambda.actions.filter((a) => a !== 'AddPermission');
  const nextText = `${JSON.stringify(next, null, 2)}\n`;
  const unusedS3 = (JSON.parse(original) as Findings).find((e) => e.serviceNamespace === 's3')!.actions;

  const root = articleWorkspace(original);
  const scratch = mkdtempSync(join(tmpdir(), 'iam-nvim-'));
  const nextFile = join(scratch, 'next-unused-access.json');
  writeFileSync(nextFile, nextText);
  const resultFile = join(scratch, 'result.json');
  const here = join(repoRoot(), 'test', 'neovim');
  // No user configuration, data, state or plugins: only what config.lua sets up.
  const args = ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', join(here, 'config.lua'), '-S', join(here, 'drive.lua')];
  const run = spawnSync('nvim', args, {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(scratch, 'config'),
      XDG_DATA_HOME: join(scratch, 'data'),
      XDG_STATE_HOME: join(scratch, 'state'),
      XDG_CACHE_HOME: join(scratch, 'cache'),
      IAM_POLICY_REFINER_SERVER: join(repoRoot(), 'dist', 'server.js'),
      IAM_WORKSPACE: root,
      IAM_RESULT: resultFile,
      IAM_NEXT_FINDINGS: nextFile,
    },
  });
  const context = `nvim exited with ${run.status ?? run.signal}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
  assert.equal(run.error, undefined, context);
  const seen = JSON.parse(readFileSync(resultFile, 'utf8')) as Observed;
  assert.equal(seen.error, undefined, `${seen.error}\n${context}\nmessages: ${seen.messages}\nlog: ${seen.lspLog.join('\n')}`);
  t.diagnostic(`Neovim ${seen.version}; findings change seen by ${seen.clientWatchesFiles
    ? 'the watchers Neovim registered for the server' : 'the server\'s own watchers (Neovim cannot watch files for it)'}`
    + ` after ${seen.timings.findingsPickedUpMs} ms; registered dynamically: ${seen.registrations.join(', ') || 'nothing'}`);

  assert.equal(seen.filetype, 'json');
  assert.equal(seen.rootDir, root);

  // Diagnostics: the 8 unused Lambda actions and s3:Get*, whose severity the settings lower to Information.
  const diagnostics = seen.diagnostics!;
  assert.deepEqual(diagnostics.map((d) => d.code), [...Array<string>(8).fill('unused-action'), 'overbroad-wildcard']);
  assert.equal(diagnostics[0]!.message, `Unused action lambda:AddPermission: ${NEVER}.`);
  assert.deepEqual(diagnostics.at(-1), {
    line: 21, col: 6, severity: INFORMATION, code: 'overbroad-wildcard', message: 's3:Get* allows 22 unused actions (of 63).',
  });
  assert.ok(diagnostics.slice(0, 8).every((d) => d.severity === WARNING));

  // The hover window on s3:Get*: the verdict, the replacement, and every unused action.
  const hover = seen.hover!;
  // The wording may change; the count of unused actions, near the word, may not.
  assert.match(hover, /\b22\b[^\n]*unused|unused[^\n]*\b22\b/);
  assert.match(hover, /Recommended replacement/);
  for (const action of unusedS3) assert.ok(hover.includes(`s3:${action}`), `the hover lists s3:${action}`);

  // The findings file rewritten on disk: lambda:AddPermission is no longer called unused, within 2 s.
  const after = seen.diagnosticsAfterRewrite!;
  assert.equal(after.length, 8);
  assert.equal(after[0]!.message, `Unused action lambda:GetFunctionConfiguration: ${NEVER}.`);
  assert.ok(!after.some((d) => d.message.includes('AddPermission')));
  assert.ok(seen.timings.findingsPickedUpMs! < 2000, `picked up after ${seen.timings.findingsPickedUpMs} ms`);

  // Refine on save gives the bytes of iam-refine --write over the same workspace (the rewritten findings).
  const cliRoot = articleWorkspace(nextText);
  const cli = runCli(['--write', 'policy.json'], cliRoot);
  assert.equal(cli.status, 0, cli.stderr);
  const refined = readFileSync(join(cliRoot, 'policy.json'));
  assert.ok(!refined.equals(readFileSync(join(ARTICLE_DIR, 'policy.json'))), 'the CLI refined the policy');
  assert.deepEqual(readFileSync(join(root, 'policy.json')), refined);
  assert.equal(seen.modifiedAfterWrite, false);
  assert.equal(seen.diagnosticsClearedAfterSave, true, 'the refined policy has no warnings left');

  // Neither Neovim nor its LSP client complained (e.g. a capability registered against dynamicRegistration = false).
  assert.deepEqual(seen.lspLog, []);
});
