import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadCatalogInUse } from '../../../server/src/catalogFile';
import { CACHE_FILE, cliCacheDirectory } from '../../../server/src/catalog/cacheFile';
import { updateCatalog, UpdateError } from '../../../server/src/catalog/update';
import { repoRoot, testCatalog } from '../../support/catalog';
import { ServiceReferenceServer } from '../../support/serviceReferenceServer';

const dist = join(repoRoot(), 'dist');
let server: ServiceReferenceServer;

before(async () => {
  server = await ServiceReferenceServer.start({
    catalog: testCatalog(), services: ['s3', 'iam', 'ec2'], extra: { s3: ['GetBucketQuorumLedger'], quorumledger: ['ListLedgers'] },
  });
});
after(() => server.close());

/** A local URL nothing listens on: a port just freed. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

function cacheDir(): string {
  return mkdtempSync(join(tmpdir(), 'iam-refine-catalog-'));
}

const update = (dir: string, extra: { requestTimeoutMs?: number; now?: () => Date } = {}) =>
  updateCatalog({ url: server.url, dir, bundled: testCatalog(), ...extra });

test('an update caches every service; the catalogue in use then knows the actions the bundled one lacks', async () => {
  const dir = cacheDir();
  const result = await update(dir, { now: () => new Date('2026-12-04T08:00:00Z') });
  assert.equal(result.services, 4);
  assert.equal(result.downloaded, 5);
  assert.equal(result.path, join(dir, CACHE_FILE));
  const { catalog, problem } = loadCatalogInUse(dist, dir);
  assert.equal(problem, undefined);
  assert.equal(catalog.lookup('s3', 'getbucketquorumledger')?.full, 's3:GetBucketQuorumLedger');
  assert.equal(catalog.lookup('quorumledger', 'ListLedgers')?.levels[0], 'List');
  assert.equal(catalog.lookup('s3', 'GetObject')?.levels[0], 'Read');
  // Services the service reference did not list stay known: the union, not a replacement.
  assert.ok(catalog.lookup('lambda', 'InvokeFunction'));
  assert.equal(catalog.date, '2026-12-04');
  assert.deepEqual(catalog.addedBetween(catalog.lookup('s3', 'GetBucketQuorumLedger')!), [testCatalog().date, '2026-12-04']);
});

test('a second update sends the validators and downloads nothing that has not changed (304)', async () => {
  const dir = cacheDir();
  await update(dir, { now: () => new Date('2026-12-04T08:00:00Z') });
  const before304 = server.answered.notModified;
  const second = await update(dir, { now: () => new Date('2026-12-05T08:00:00Z') });
  assert.equal(second.downloaded, 0);
  assert.equal(second.notModified, 5);
  assert.equal(server.answered.notModified - before304, 5);
  assert.equal(loadCatalogInUse(dist, dir).catalog.date, '2026-12-05');
  // AWS adds an action: only that service is downloaded again, and the new action is dated between the two checks.
  server.addActions('iam', ['GetRoleQuorum']);
  const third = await update(dir, { now: () => new Date('2026-12-06T08:00:00Z') });
  assert.equal(third.downloaded, 1);
  assert.equal(third.notModified, 4);
  const { catalog } = loadCatalogInUse(dist, dir);
  assert.deepEqual(catalog.addedBetween(catalog.lookup('iam', 'GetRoleQuorum')!), ['2026-12-05', '2026-12-06']);
  assert.deepEqual(catalog.addedBetween(catalog.lookup('s3', 'GetBucketQuorumLedger')!), [testCatalog().date, '2026-12-04']);
});

/** Each way an update fails leaves the last good cache, byte for byte. */
for (const [mode, path, message] of [
  ['http-500', '/v1/iam/iam.json', /\/v1\/iam\/iam\.json: HTTP 500/],
  ['http-500', undefined, /127\.0\.0\.1:\d+\/: HTTP 500/],
  ['hang', '/v1/s3/s3.json', /\/v1\/s3\/s3\.json: no answer in time \(time-out\)/],
  ['invalid-json', '/v1/ec2/ec2.json', /the service file of "ec2" is not JSON/],
  ['invalid-json', '/', /the service index is not JSON/],
  ['wrong-name', '/v1/ec2/ec2.json', /names itself "someotherservice", not "ec2"/],
] as const) {
  test(`${mode} on ${path ?? 'every request'}: the update fails with the URL and the reason, and the cache stays`, async () => {
    const dir = cacheDir();
    await update(dir, { now: () => new Date('2026-12-04T08:00:00Z') });
    const cached = readFileSync(join(dir, CACHE_FILE), 'utf8');
    server.fail(mode, path);
    try {
      await assert.rejects(update(dir, { requestTimeoutMs: 300 }), (e: unknown) => e instanceof UpdateError && message.test(e.message));
    } finally {
      server.fail(undefined);
    }
    assert.equal(readFileSync(join(dir, CACHE_FILE), 'utf8'), cached);
    assert.equal(loadCatalogInUse(dist, dir).catalog.date, '2026-12-04');
  });
}

test('a server that is not there fails the update with the network\'s reason', async () => {
  const url = await closedPortUrl();
  await assert.rejects(updateCatalog({ url, dir: cacheDir(), bundled: testCatalog(), requestTimeoutMs: 2000 }),
    (e: unknown) => e instanceof UpdateError && e.message.startsWith(`${url}: `) && /ECONNREFUSED/.test(e.message));
});

test('a half-written or foreign cache is never read as whole: the bundled catalogue is used, and why is said', async () => {
  const dir = cacheDir();
  await update(dir);
  const path = join(dir, CACHE_FILE);
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
  const half = loadCatalogInUse(dist, dir);
  assert.equal(half.catalog.date, testCatalog().date);
  assert.equal(half.catalog.lookup('s3', 'GetBucketQuorumLedger'), undefined);
  assert.ok(half.problem?.startsWith(`the cached action catalogue ${path} cannot be used (not JSON `), half.problem);
  assert.ok(half.problem?.endsWith(`); the bundled catalogue of ${testCatalog().date} is used`), half.problem);
  writeFileSync(path, '{"format":1,"url":"x"}');
  assert.match(loadCatalogInUse(dist, dir).problem ?? '', /cannot be used \(the cache has no URL or no date\)/);
  // The next update replaces it whole.
  await update(dir);
  assert.equal(loadCatalogInUse(dist, dir).problem, undefined);
  assert.ok(statSync(path).size > text.length / 2);
});

test('the CLI caches under $XDG_CACHE_HOME/iam-policy-refiner, by default ~/.cache/iam-policy-refiner', () => {
  assert.equal(cliCacheDirectory({ XDG_CACHE_HOME: '/var/cache/me' }), '/var/cache/me/iam-policy-refiner');
  assert.match(cliCacheDirectory({ HOME: '/home/me' }), /\/\.cache\/iam-policy-refiner$/);
  // A relative XDG_CACHE_HOME is invalid by the specification: the default is used.
  assert.match(cliCacheDirectory({ XDG_CACHE_HOME: 'relative' }), /\/\.cache\/iam-policy-refiner$/);
});
