// `iam-refine fetch`'s figure for `npm run bench`: a whole fetch, in a new process, from the local AWS fake.
import { performance } from 'node:perf_hooks';
import type { Catalog } from '../../shared/src/catalog/catalog';
import { workspace } from '../support/cli';
import { fetchEnv, home, runCliAsync } from '../support/fakeAws/run';
import { startFakeAws } from '../support/fakeAws/server';
import { type World, roleArn, unusedPermissions } from '../support/fakeAws/world';

const RUNS = 7;

/**
 * The median time of `iam-refine fetch` of one role whose finding names 300 services, read in three
 * pages of details, with its recommendation: node's start, the SDK's load, every call, the write.
 */
export async function fetchMeasurement(catalog: Catalog): Promise<{ what: string; median: number; budget: number }> {
  const services = [...catalog.services()].sort().slice(0, 300);
  const world: World = { account: '111122223333', roles: [{ name: 'wide' }], pageSize: 100,
    analyzers: [{ name: 'unused-access', type: 'ACCOUNT_UNUSED_ACCESS' }] };
  const spec = Object.fromEntries(services.map((s) => [s, [catalog.actions(s)[0]!.name]]));
  Object.assign(world, { findings: [{ id: 'f-wide', resource: roleArn(world, 'wide'), details: unusedPermissions(spec) }] });
  const aws = await startFakeAws(world);
  const dir = workspace({ '.git/': '' });
  const env = fetchEnv(aws, home());
  const samples: number[] = [];
  try {
    for (let i = 0; i <= RUNS; i++) {
      const start = performance.now();
      const result = await runCliAsync(['fetch', 'wide'], dir, env);
      if (result.status !== 0) throw new Error(`fetch failed: ${result.stderr}`);
      if (i > 0) samples.push(performance.now() - start); // the first run warms the file system's caches
    }
  } finally {
    await aws.close();
  }
  samples.sort((a, b) => a - b);
  const what = '`iam-refine fetch` of a 300-service finding from a local server (new process)';
  return { what, median: samples[RUNS >> 1]!, budget: 2000 };
}
