// The language server's figures for `npm run bench`: what an editor waits for.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Catalog, CatalogAction } from '../../shared/src/catalog/catalog';
import { repoRoot } from '../support/catalog';
import { LspTestClient, uriOf } from '../support/lspClient';

export interface Measurement {
  what: string;
  median: number;
  budget: string;
  unit?: string;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(runs: number, body: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await body();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await body();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

type Statement = { Sid: string; Effect: string; Action: string[]; Resource: string };

/**
 * A folder with a 300-statement policy over the 50 largest services, each statement made by
 * `statement` from its index, its service and that service's actions, and findings of 3,000 unused
 * actions there (every other action of each service, 60 at most).
 */
type StatementOf = (i: number, service: string, actions: readonly CatalogAction[]) => Statement;

function policyWorkspace(catalog: Catalog, statement: StatementOf): string {
  const services = [...catalog.services()].sort((a, b) => catalog.actionCount(b) - catalog.actionCount(a)).slice(0, 50);
  const unused = services.map((service) => {
    const actions = catalog.actions(service);
    return { serviceNamespace: service, actions: actions.filter((_, i) => i % 2 === 0).slice(0, 60).map((a) => a.name) };
  });
  const statements = Array.from({ length: 300 }, (_, i) => {
    const service = services[i % services.length]!;
    return statement(i, service, catalog.actions(service));
  });
  const dir = mkdtempSync(join(tmpdir(), 'iam-refine-bench-'));
  writeFileSync(join(dir, 'unused-access.json'), JSON.stringify(unused));
  writeFileSync(join(dir, 'policy.json'), `${JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2)}\n`);
  return dir;
}

/** The lighter workload: four actions per statement, one of them a four-letter `svc:Xxxx*` wildcard. */
function largeWorkspace(catalog: Catalog): { dir: string } {
  return {
    dir: policyWorkspace(catalog, (i, service, actions) => {
      const pick = (k: number): string => actions[(i * 7 + k) % actions.length]!.full;
      const wildcard = `${service}:${actions[i % actions.length]!.name.slice(0, 4)}*`;
      return { Sid: `S${i}`, Effect: 'Allow', Action: [pick(1), pick(2), wildcard, pick(3)], Resource: '*' };
    }),
  };
}

/**
 * The heavy workload: 300 statements of about ten actions, each with one `svc:Verb*` and one
 * `svc:Describe*` (or `svc:List*`) wildcard, against 3,000 unused actions in 50 services.
 */
export function heavyWorkspace(catalog: Catalog): { dir: string } {
  return {
    dir: policyWorkspace(catalog, (i, service, actions) => {
      const pick = (k: number): string => actions[(i * 11 + k * 5) % actions.length]!.full;
      const verb = /^[A-Z][a-z]+/.exec(actions[(i * 3) % actions.length]!.name)?.[0] ?? 'Get';
      const describe = actions.some((a) => a.name.startsWith('Describe')) ? 'Describe' : 'List';
      const wildcards = [`${service}:${verb}*`, `${service}:${describe}*`];
      return { Sid: `S${i}`, Effect: 'Allow', Action: [...[1, 2, 3, 4, 5, 6, 7, 8].map(pick), ...wildcards], Resource: '*' };
    }),
  };
}

export async function serverMeasurements(catalog: Catalog): Promise<Measurement[]> {
  const article = join(repoRoot(), 'test', 'fixtures', 'workspaces', 'article');
  const rows: Measurement[] = [];

  const startup: number[] = [];
  let rss = 0;
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const client = await LspTestClient.start([article]);
    const uri = await client.open(join(article, 'policy.json'));
    await client.diagnostics(uri, (d) => d.length > 0);
    startup.push(performance.now() - start);
    rss = Math.max(rss, residentMegabytes(client.pid));
    await client.stop();
  }
  rows.push({ what: 'Server spawn → first diagnostics of the article\'s example', median: median(startup), budget: '≤ 400 ms' });
  rows.push({ what: 'Server resident memory after start (article open)', median: rss, budget: '≤ 120 MB', unit: 'MB' });

  const { dir } = largeWorkspace(catalog);
  const client = await LspTestClient.start([dir]);
  const uri = await client.open(join(dir, 'policy.json'));
  await client.diagnostics(uri, (d) => d.length > 0);
  rows.push({
    what: '`didChange` (a keystroke) → `publishDiagnostics`, 300 statements, 3,000 unused actions',
    median: await keystrokes(client, uri),
    budget: '≤ 25 ms',
  });
  const wildcard = client.positionOf(uri, '*"', -2);
  const hover = await timed(50, () => client.hover(uri, wildcard));
  rows.push({ what: 'Hover on a wildcard (300-statement policy)', median: hover, budget: '≤ 10 ms' });
  const diagnostics = await client.diagnostics(uri);
  const first = diagnostics[0]!;
  const actions = await timed(50, () => client.codeActions(uri, first.range, [first]));
  rows.push({ what: 'Code actions at a diagnostic (300-statement policy)', median: actions, budget: '≤ 10 ms' });
  await client.stop();
  rows.push(...await heavyMeasurements(catalog));
  return rows;
}

export async function heavyMeasurements(catalog: Catalog): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const { dir } = heavyWorkspace(catalog);
  const path = join(dir, 'policy.json');
  // Each open in a server of its own: once it has just answered its first request (the workspace
  // scanned), and once it has been idle for a second, as when a policy is opened after the window.
  let count = 0;
  const opened = async (idle: number): Promise<number> => {
    const fresh = await LspTestClient.start([dir]);
    // Answered once the workspace scan is done.
    await fresh.hover(uriOf(path), { line: 0, character: 0 });
    await new Promise((resolve) => setTimeout(resolve, idle));
    const start = performance.now();
    const uri = await fresh.open(path);
    count = (await fresh.diagnostics(uri, (d) => d.length > 0)).length;
    const elapsed = performance.now() - start;
    await fresh.stop();
    return elapsed;
  };
  const first: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < 5; i++) {
    first.push(await opened(0));
    idle.push(await opened(1000));
  }
  const label = `300 statements of 10 actions and 2 wildcards, 3,000 unused actions (${count.toLocaleString('en-US')} diagnostics)`;
  rows.push({ what: `Open in a server idle for 1 s → first diagnostics, ${label}`, median: median(idle), budget: '≤ 400 ms' });
  const what = 'Open in a server that has just scanned the workspace → first diagnostics (heavy policy)';
  rows.push({ what, median: median(first), budget: '' });
  // As VS Code does, the client resolves the edit of the action the user picks.
  const client = await LspTestClient.start([dir], {}, { resolveEdits: true });
  const uri = await client.open(path);
  await client.diagnostics(uri, (d) => d.length > 0);
  rows.push({ what: `A keystroke → new diagnostics, ${label}`, median: await keystrokes(client, uri), budget: '≤ 25 ms' });
  rows.push({
    what: 'Enter in the first statement, which moves the 299 below by a line → new diagnostics (heavy policy)',
    median: await newLines(client, uri),
    budget: '',
  });
  rows.push({
    what: 'The same keystroke answered by a server that computes nothing and publishes the same diagnostics (the LSP transport alone)',
    median: await transportAlone(dir, path, await client.diagnostics(uri)),
    budget: '',
  });
  const wildcard = client.positionOf(uri, 'Describe*"', 2);
  rows.push({ what: 'Hover on a wildcard (heavy policy)', median: await timed(50, () => client.hover(uri, wildcard)), budget: '≤ 10 ms' });
  const diagnostics = await client.diagnostics(uri);
  const atWildcard = diagnostics.find((d) => d.code === 'overbroad-wildcard') ?? diagnostics[0]!;
  rows.push({
    what: 'Code actions at a wildcard (heavy policy)',
    median: await timed(50, () => client.codeActions(uri, atWildcard.range, [atWildcard])),
    budget: '≤ 10 ms',
  });
  await client.stop();
  return rows;
}

/** The keystroke's median against the canned server (cannedServer.ts), which publishes `diagnostics` and does nothing else. */
async function transportAlone(dir: string, path: string, diagnostics: unknown[]): Promise<number> {
  const canned = join(dir, 'canned-diagnostics.json');
  writeFileSync(canned, JSON.stringify(diagnostics));
  process.env.IAM_REFINE_CANNED_DIAGNOSTICS = canned;
  const client = await LspTestClient.start([dir], {}, {}, join(__dirname, 'cannedServer.js'));
  try {
    const uri = await client.open(path);
    await client.diagnostics(uri, (d) => d.length > 0);
    return await keystrokes(client, uri);
  } finally {
    await client.stop();
  }
}

/** The median time from a new line to its diagnostics: one added after the first statement's `"Effect": "Allow",`, then removed. */
async function newLines(client: LspTestClient, uri: string): Promise<number> {
  const at = client.positionOf(uri, '"Allow",', '"Allow",'.length);
  const next = { line: at.line + 1, character: 0 };
  let typed = false;
  return timed(30, async () => {
    typed = !typed;
    await client.edit(uri, typed ? { start: at, end: at } : { start: at, end: next }, typed ? '\n' : '');
    await client.diagnostics(uri);
  });
}

/** The median time from a keystroke to its diagnostics: one character typed into, then deleted from, the first Sid. */
async function keystrokes(client: LspTestClient, uri: string): Promise<number> {
  const at = client.positionOf(uri, '"S0"', 3);
  const after = { line: at.line, character: at.character + 1 };
  let typed = false;
  return timed(30, async () => {
    typed = !typed;
    await client.edit(uri, typed ? { start: at, end: at } : { start: at, end: after }, typed ? 'x' : '');
    await client.diagnostics(uri);
  });
}

function residentMegabytes(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
