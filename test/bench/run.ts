// `npm run bench`: medians of the engine's hot paths, printed as a Markdown table for the README.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Catalog } from '../../shared/src/catalog/catalog';
import { UnusedAccess } from '../../shared/src/findings/unusedAccess';
import { analyzePolicyText } from '../../shared/src/formats/json/jsonSource';
import { parseActionPattern } from '../../shared/src/patterns/actionPattern';
import { Refiner } from '../../shared/src/refine/refiner';
import { splitTokens } from '../../shared/src/catalog/tokens';
import { readFileSync } from 'node:fs';
import { loadCatalog } from '../../server/src/catalogFile';
import { parseFindings } from '../../shared/src/findings/parseFindings';
import { repoRoot } from '../support/catalog';
import { fetchMeasurement } from './fetch';
import { hostileMeasurements } from './hostile';
import { serverMeasurements } from './server';
import { templateMeasurements } from './templates';
import { compactStarRow, managedPolicySizes } from './compact';
import { completionMeasurements } from './completion';

interface Row {
  what: string;
  median: number;
  budget: number;
  note?: string;
}

const rows: Row[] = [];

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(runs: number, body: () => void): number {
  for (let i = 0; i < Math.min(5, runs); i++) body(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    body();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** A fixed-seed generator, so every run measures the same inputs. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function unusedOf(byService: Map<string, string[]>): UnusedAccess {
  return UnusedAccess.fromPrincipal({
    services: [...byService].map(([service, names]) => ({ service, whole: false, actions: names.map((name) => ({ name })) })),
  });
}

function coldCatalogLoad(dist: string): number {
  // A new process each time: what the server and the CLI pay at start-up.
  const script = `const {performance}=require('perf_hooks');const t=performance.now();`
    + `require(${JSON.stringify(join(repoRoot(), 'out', 'server', 'src', 'catalogFile.js'))}).loadCatalog(${JSON.stringify(dist)});`
    + `process.stdout.write(String(performance.now()-t));`;
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) samples.push(Number(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout));
  return median(samples);
}

async function main(): Promise<void> {
  const root = repoRoot();
  const dist = join(root, 'dist');
  if (process.argv[2] === 'completion') {
    // `node out/tests/bench/run.js completion`: the completion rows alone.
    const completion = await completionMeasurements(loadCatalog(dist));
    for (const row of completion) console.log(`| ${row.what} | ${format(row.median)} | ${row.budget} |`);
    return;
  }
  if (process.argv[2] === 'compact') {
    // `npm run bench:compact`: the compact form's row and size table alone.
    const catalog = loadCatalog(dist);
    const row = compactStarRow(catalog);
    console.log(`| ${row.what} (${row.note}) | ${format(row.median)} | ≤ ${row.budget} ms |\n\n${managedPolicySizes(catalog)}`);
    return;
  }
  rows.push({ what: 'Catalogue load (new process)', median: coldCatalogLoad(dist), budget: 60 });
  const catalog: Catalog = loadCatalog(dist);

  // The article's example: one policy, its findings, refined again and again with warm tries.
  const policy = readFileSync(join(root, 'examples', 'policy.json'), 'utf8');
  const findings = parseFindings(readFileSync(join(root, 'examples', 'unused-access.json'), 'utf8'));
  const articleUnused = UnusedAccess.intersect(findings.principals.map((p) => UnusedAccess.fromPrincipal(p)));
  const warm = new Refiner(catalog, articleUnused);
  rows.push({
    what: "Article's example, per refinement (warm)",
    median: measure(2000, () => analyzePolicyText(policy, warm)),
    budget: 0.2,
  });
  rows.push({
    what: "Article's example, new findings each time",
    median: measure(500, () => analyzePolicyText(policy, new Refiner(catalog, articleUnused))),
    budget: 0.2,
    note: 'includes building the S3 and Lambda tries',
  });

  // s3:* against 500 unused S3 actions: half of S3's catalogue plus names newer than the catalogue.
  const rand = random(42);
  const s3 = catalog.actions('s3').map((a) => a.name);
  const s3Unused = s3.filter(() => rand() < 0.5);
  for (let i = 0; s3Unused.length < 500; i++) s3Unused.push(`${s3[Math.floor(rand() * s3.length)]}Next${i}`);
  const s3Star = parseActionPattern('s3:*');
  if (!s3Star.ok) throw new Error(s3Star.message);
  const s3Access = unusedOf(new Map([['s3', s3Unused]]));
  rows.push({
    what: '`s3:*` against 500 unused S3 actions',
    median: measure(200, () => new Refiner(catalog, s3Access).analyzePattern(s3Star.pattern)),
    budget: 5,
    note: 'new findings each time',
  });

  // * against 3,000 unused actions spread over the 50 largest services.
  const services = [...catalog.services()].sort((a, b) => catalog.actionCount(b) - catalog.actionCount(a)).slice(0, 50);
  const spread = new Map<string, string[]>();
  let total = 0;
  for (let round = 0; total < 3000; round++) {
    for (const service of services) {
      if (total >= 3000) break;
      const actions = catalog.actions(service);
      const name = actions[Math.floor(rand() * actions.length)]!.name;
      const list = spread.get(service) ?? [];
      if (!list.includes(name)) {
        list.push(name);
        total++;
      }
      spread.set(service, list);
    }
  }
  const star = parseActionPattern('*');
  if (!star.ok) throw new Error(star.message);
  const spreadAccess = unusedOf(spread);
  rows.push({
    what: '`*` against 3,000 unused actions in 50 services',
    median: measure(50, () => new Refiner(catalog, spreadAccess).analyzePattern(star.pattern)),
    budget: 30,
    note: 'new findings each time',
  });
  rows.push(compactStarRow(catalog));
  const patternCounts = [
    {
      what: '`s3:*` against 500 unused S3 actions',
      count: new Refiner(catalog, s3Access).analyzePattern(s3Star.pattern).replacement?.length ?? 0,
    },
    {
      what: '`*` against 3,000 unused actions in 50 services',
      count: new Refiner(catalog, spreadAccess).analyzePattern(star.pattern).replacement?.length ?? 0,
    },
    {
      what: '100 seeded `svc:Verb*` wildcards in the 18 largest services, 30% of each unused',
      count: verbWildcardPatterns(catalog, services.slice(0, 18)),
    },
  ];

  globalThis.gc?.();
  const peak = process.resourceUsage().maxRSS / 1024;
  const heap = process.memoryUsage().heapUsed / 2 ** 20;
  const server = [
    ...await serverMeasurements(catalog), ...await completionMeasurements(catalog), ...await templateMeasurements(catalog),
    ...await hostileMeasurements(),
  ];
  rows.push(await fetchMeasurement(catalog));

  console.log(`Node ${process.version}, ${catalog.data.source}@${catalog.data.version} (${catalog.date})\n`);
  console.log('| Measurement | Median | Budget |');
  console.log('|---|---:|---:|');
  for (const row of rows) {
    console.log(`| ${row.what}${row.note ? ` (${row.note})` : ''} | ${format(row.median)} | ≤ ${row.budget} ms |`);
  }
  console.log(`| Peak resident memory of the engine benchmark | ${peak.toFixed(0)} MB | |`);
  console.log(`| Heap in use after the engine runs | ${heap.toFixed(0)} MB | |`);
  console.log('\n| Language server | Median | Budget |');
  console.log('|---|---:|---:|');
  for (const row of server) {
    console.log(`| ${row.what} | ${row.unit ? `${row.median.toFixed(0)} ${row.unit}` : format(row.median)} | ${row.budget} |`);
  }
  console.log('\n| Refinement | Patterns |');
  console.log('|---|---:|');
  for (const row of patternCounts) console.log(`| ${row.what} | ${row.count.toLocaleString('en-US')} |`);
  console.log(`\n${managedPolicySizes(catalog)}`);
}

/**
 * How many patterns the refinements of seeded `svc:Verb*` wildcards use in all: the size of what
 * the refiner writes, which the shortest safe prefixes keep small.
 */
function verbWildcardPatterns(catalog: Catalog, services: readonly string[]): number {
  const rand = random(18);
  let count = 0;
  for (let i = 0; i < 100; i++) {
    const service = services[Math.floor(rand() * services.length)]!;
    const actions = catalog.actions(service);
    const verb = splitTokens(actions[Math.floor(rand() * actions.length)]!.name)[0]!;
    const unused = actions.filter((a) => a.name.startsWith(verb) && rand() < 0.3).map((a) => a.name);
    const pattern = parseActionPattern(`${service}:${verb}*`);
    if (!pattern.ok) throw new Error(pattern.message);
    const analysis = new Refiner(catalog, unusedOf(new Map([[service, unused]]))).analyzePattern(pattern.pattern);
    count += analysis.replacement?.length ?? 1;
  }
  return count;
}

function format(ms: number): string {
  return ms < 1 ? `${ms.toFixed(3)} ms` : `${ms.toFixed(1)} ms`;
}

void main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
