import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Catalog } from '../../../shared/src/catalog/catalog';
import { BackgroundCatalogUpdate, UPDATE_INTERVAL_MS } from '../../../server/src/catalog/backgroundUpdate';
import { CACHE_FILE } from '../../../server/src/catalog/cacheFile';
import { testCatalog } from '../../support/catalog';
import { ServiceReferenceServer } from '../../support/serviceReferenceServer';

let server: ServiceReferenceServer;
before(async () => {
  server = await ServiceReferenceServer.start({ catalog: testCatalog(), services: ['s3'], extra: { s3: ['GetBucketQuorumLedger'] } });
});
after(() => server.close());

/** An updater over a fresh storage folder, with a clock the test moves, recording what it logs and hands over. */
function updater(): { update: BackgroundCatalogUpdate; logs: string[]; catalogs: Catalog[]; clock: { now: number }; dir: string } {
  const dir = join(mkdtempSync(join(tmpdir(), 'iam-refine-storage-')), 'globalStorage');
  const logs: string[] = [];
  const catalogs: Catalog[] = [];
  const clock = { now: Date.parse('2026-12-04T09:00:00Z') };
  const update = new BackgroundCatalogUpdate({
    dir, bundled: testCatalog(), log: (m) => logs.push(m), onCatalog: (c) => void catalogs.push(c), now: () => clock.now,
    requestTimeoutMs: 500,
  });
  return { update, logs, catalogs, clock, dir };
}

test('daily: the first update hands the united catalogue over; the next is a day later, and costs 304s', async () => {
  const { update, logs, catalogs, clock } = updater();
  assert.equal(update.initial(), testCatalog());
  await update.maybeUpdate('daily', server.url);
  assert.equal(catalogs.length, 1);
  assert.equal(catalogs[0]!.lookup('s3', 'GetBucketQuorumLedger')?.full, 's3:GetBucketQuorumLedger');
  assert.equal(catalogs[0]!.date, '2026-12-04');
  assert.deepEqual(logs, [`Action catalogue updated from ${server.url}: 1 services, 2 files downloaded, 0 unchanged; in use: 2026-12-04.`]);
  const requests = server.answered.ok + server.answered.notModified;
  clock.now += UPDATE_INTERVAL_MS / 2;
  await update.maybeUpdate('daily', server.url);
  assert.equal(server.answered.ok + server.answered.notModified, requests, 'no request within a day');
  assert.equal(catalogs.length, 1);
  clock.now += UPDATE_INTERVAL_MS;
  const notModified = server.answered.notModified;
  await update.maybeUpdate('daily', server.url);
  assert.equal(server.answered.notModified - notModified, 2);
  assert.equal(catalogs.at(-1)!.date, '2026-12-05');
});

test('a new window starts with the cached catalogue; "never" downloads nothing', async () => {
  const first = updater();
  await first.update.maybeUpdate('daily', server.url);
  const window = new BackgroundCatalogUpdate({ dir: first.dir, bundled: testCatalog(), log: () => undefined, onCatalog: () => undefined });
  assert.equal(window.initial().date, '2026-12-04');
  const { update, catalogs } = updater();
  const requests = server.answered.ok;
  await update.maybeUpdate('never', server.url);
  assert.equal(server.answered.ok, requests);
  assert.deepEqual(catalogs, []);
});

test('a failure is one quiet line, the last good catalogue stays, and it is not retried before a day unless the URL changes', async () => {
  const { update, logs, catalogs, clock } = updater();
  await update.maybeUpdate('daily', server.url);
  clock.now += UPDATE_INTERVAL_MS + 1;
  server.fail('invalid-json', '/v1/s3/s3.json');
  try {
    await update.maybeUpdate('daily', server.url);
    assert.equal(logs.length, 2);
    assert.equal(logs[1], `Action catalogue update failed: ${server.url}v1/s3/s3.json: the service file of "s3" is not JSON `
      + `(${logs[1]!.match(/is not JSON \((.*)\); the catalogue/)?.[1]}); the catalogue of 2026-12-04 stays in use. Next try in a day.`);
    assert.equal(catalogs.length, 1);
    const failed = server.answered.ok;
    await update.maybeUpdate('daily', server.url);
    assert.equal(server.answered.ok, failed, 'a failed attempt counts for the day');
    server.fail('hang');
    await update.maybeUpdate('daily', `${server.url}?mirror`);
    assert.match(logs.at(-1)!, /\?mirror: no answer in time \(time-out\); the catalogue of 2026-12-04 stays in use/);
  } finally {
    server.fail(undefined);
  }
});

test('a half-written cache at start: the bundled catalogue, one line, and the next update replaces it', async () => {
  const { update, logs, catalogs, dir } = updater();
  await update.maybeUpdate('daily', server.url);
  writeFileSync(join(dir, CACHE_FILE), '{"format":1,"url":');
  const window = updater();
  const restarted = new BackgroundCatalogUpdate({
    dir, bundled: testCatalog(), log: (m) => window.logs.push(m), onCatalog: (c) => void window.catalogs.push(c),
    now: () => window.clock.now,
  });
  assert.equal(restarted.initial(), testCatalog());
  assert.match(window.logs[0]!, /^Action catalogue: the cached action catalogue .* cannot be used \(not JSON .*\); /);
  assert.match(window.logs[0]!, /; the bundled catalogue of .* is used; it is downloaded again at the next update\.$/);
  await restarted.maybeUpdate('daily', server.url);
  assert.equal(window.catalogs[0]?.date, '2026-12-04');
  assert.equal(logs.length, 1);
  assert.equal(catalogs.length, 1);
});
