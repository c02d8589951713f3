// The language server on hostile findings (test/support/hostile.ts) for `npm run bench`: what an
// editor waits for, typical and worst, and how much memory the server takes.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { hostileFindings, hostilePolicy } from '../support/hostile';
import { LspTestClient } from '../support/lspClient';
import type { Measurement } from './server';

const LABEL = '100,000 made-up unused S3 actions, 50 statements of 4 S3 wildcards';

export async function hostileMeasurements(): Promise<Measurement[]> {
  const dir = mkdtempSync(join(tmpdir(), 'iam-refine-bench-hostile-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'unused-access.json'), hostileFindings());
  writeFileSync(join(dir, 'policy.json'), hostilePolicy());
  const path = join(dir, 'policy.json');
  const firsts: number[] = [];
  const peaks: number[] = [];
  let rows: Measurement[] = [];
  for (let i = 0; i < 3; i++) {
    const client = await LspTestClient.start([dir]);
    try {
      const start = performance.now();
      const uri = await client.open(path);
      const diagnostics = await client.diagnostics(uri, (d) => d.length > 0, 120_000);
      firsts.push(performance.now() - start);
      if (i === 0) rows = await requests(client, uri, diagnostics);
      peaks.push(peakResidentMB(client.pid!));
    } finally {
      await client.stop();
    }
  }
  return [
    { what: `Open → first diagnostics, ${LABEL}`, median: median(firsts), budget: '' },
    ...await meanwhile(dir, path),
    ...rows,
    { what: 'Peak resident memory of the server, the same input', median: median(peaks), budget: '≤ 250 MB', unit: 'MB' },
  ];
}

/**
 * Hovers on another policy, one after the other, while the hostile one is analysed for the first
 * time: how long each waits for the steps of that analysis (see PolicyServer.warmUpStep).
 */
async function meanwhile(dir: string, path: string): Promise<Measurement[]> {
  const other = join(dir, 'other.json');
  const statement = { Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' };
  writeFileSync(other, `${JSON.stringify({ Version: '2012-10-17', Statement: [statement] })}\n`);
  const waits: number[] = [];
  for (let i = 0; i < 3; i++) {
    const client = await LspTestClient.start([dir]);
    try {
      const uri = await client.open(other);
      await client.diagnostics(uri);
      const at = client.positionOf(uri, 'ec2:DescribeInstances');
      const hostile = await client.open(path);
      let done = false;
      const published = client.diagnostics(hostile, (d) => d.length > 0, 120_000).finally(() => {
        done = true;
      });
      while (!done) waits.push(...await samples([at], (position) => client.hover(uri, position)));
      await published;
    } finally {
      await client.stop();
    }
  }
  return [
    { what: 'Hover on another policy meanwhile, one after another: median', median: median(waits), budget: '≤ 200 ms' },
    { what: 'Hover on another policy meanwhile, one after another: worst', median: Math.max(...waits), budget: '≤ 1,000 ms' },
  ];
}

/** Every wildcard hovered and asked for its code actions (edits computed at once), then keystrokes: median and worst. */
async function requests(client: LspTestClient, uri: string, diagnostics: Diagnostic[]): Promise<Measurement[]> {
  const wildcards = diagnostics.filter((d) => d.code === 'overbroad-wildcard');
  const hovers = await samples(wildcards, (d) => client.hover(uri, d.range.start));
  const actions = await samples(wildcards, (d) => client.codeActions(uri, d.range, [d]));
  const at = client.positionOf(uri, '"S0"', 3);
  const after = { line: at.line, character: at.character + 1 };
  const keystrokes = await samples(Array.from({ length: 20 }, (_, i) => i % 2 === 0), async (typed) => {
    await client.edit(uri, typed ? { start: at, end: at } : { start: at, end: after }, typed ? 'x' : '');
    await client.diagnostics(uri);
  });
  const row = (what: string, times: number[]): Measurement[] => [
    { what: `${what}: median`, median: median(times), budget: '≤ 200 ms' },
    { what: `${what}: worst`, median: Math.max(...times), budget: '≤ 1,000 ms' },
  ];
  return [
    ...row(`Hover on each of the ${wildcards.length} wildcards`, hovers),
    ...row(`Code actions at each of the ${wildcards.length} wildcards`, actions),
    ...row('A keystroke → new diagnostics', keystrokes),
  ];
}

async function samples<T>(items: readonly T[], body: (item: T) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (const item of items) {
    const start = performance.now();
    await body(item);
    times.push(performance.now() - start);
  }
  return times;
}

/** The most memory the process has held (VmHWM), in MB; Linux only, as the bench machine is. */
function peakResidentMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return kB ? Number(kB[1]) / 1024 : Number.NaN;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
