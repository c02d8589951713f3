// iam-refine fetch as the editor runs it: the built dist/cli.js in a child process, against the local AWS fake.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliArguments, type FetchRequest } from '../../../client/src/fetch/fetchArguments';
import { failureLine, missingBundle, runFetchProcess } from '../../../client/src/fetch/fetchProcess';
import { readSavedFindings, savedMessage } from '../../../client/src/fetch/savedFindings';
import { parseFindings } from '../../../shared/src/findings/parseFindings';
import { repoRoot } from '../../support/catalog';
import { fetchEnv, home } from '../../support/fakeAws/run';
import { type FakeAws, startFakeAws } from '../../support/fakeAws/server';
import { type World, roleArn, unusedPermissions } from '../../support/fakeAws/world';

const ACCOUNT = '111122223333';
const DIST = join(repoRoot(), 'dist');

function world(extra: Partial<World> = {}): World {
  const w: World = { account: ACCOUNT, roles: [{ name: 'app' }], analyzers: [{ name: 'unused-access', type: 'ACCOUNT_UNUSED_ACCESS' }],
    ...extra };
  return { findings: [
    { id: 'f-s3', resource: roleArn(w, 'app'), details: unusedPermissions({ s3: ['PutObject'] }) },
    { id: 'f-sqs', resource: roleArn(w, 'app'), details: unusedPermissions({ sqs: [] }) },
  ], ...w };
}

async function withFake<T>(w: World, body: (aws: FakeAws, dir: string, env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const aws = await startFakeAws(w);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'iam-client-fetch-'));
    return await body(aws, dir, fetchEnv(aws, home()));
  } finally {
    await aws.close();
  }
}

function request(dir: string, principal = 'app'): FetchRequest {
  return { profile: undefined, region: 'eu-west-1', source: 'access-analyzer', principals: [principal],
    out: join(dir, 'app.unused-access.json') };
}

test('a fetch writes the file; it reads back as findings with the fetched header, and the message counts them', async () => {
  await withFake(world(), async (_aws, dir, env) => {
    const r = request(dir);
    const end = await runFetchProcess({ distDir: DIST, args: cliArguments(r), out: r.out, cwd: dir, env });
    assert.deepEqual(end, { kind: 'written', stdout: `wrote app.unused-access.json: 2 findings for ${roleArn(world(), 'app')}\n`,
      notes: [] });
    const document = parseFindings(readFileSync(r.out, 'utf8'));
    assert.deepEqual(document.problems, []);
    assert.equal(document.fetched?.account, ACCOUNT);
    const saved = readSavedFindings(r.out);
    assert.deepEqual(saved, { source: 'access-analyzer', count: 2, principals: [roleArn(world(), 'app')] });
    assert.equal(savedMessage(saved, 'app', 'infra/app.unused-access.json'), 'Saved 2 findings for app to infra/app.unused-access.json.');
  });
});

test('an AWS error: no file, and the CLI\'s one line without its prefix or a stack', async () => {
  await withFake(world({ analyzers: [] }), async (_aws, dir, env) => {
    const r = request(dir);
    const end = await runFetchProcess({ distDir: DIST, args: cliArguments(r), out: r.out, cwd: dir, env });
    assert.equal(end.kind, 'failed');
    const message = end.kind === 'failed' ? end.message : '';
    assert.match(message, /^no unused-access analyzer in account 111122223333, region eu-west-1: create one with "aws accessanalyzer/);
    assert.ok(!message.includes('\n'));
    assert.deepEqual(readdirSync(dir), []);
  });
});

test('cancelling kills the fetch: no file is written, an older one stays as it was, no temporary file is left', async () => {
  // AWS keeps computing the recommendation: the fetch polls until it is killed.
  const slow = world({ recommendations: { 'f-s3': { inProgress: 1_000_000, steps: [] } } });
  await withFake(slow, async (aws, dir, env) => {
    const r = request(dir);
    writeFileSync(r.out, '{"findings": []}\n');
    const controller = new AbortController();
    const running = runFetchProcess({ distDir: DIST, args: cliArguments(r), out: r.out, cwd: dir, env, signal: controller.signal });
    for (let i = 0; !aws.operations().includes('access-analyzer:GetFindingRecommendation'); i++) {
      assert.ok(i < 400, `the fetch never polled the recommendation: ${aws.operations().join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    controller.abort();
    assert.deepEqual(await running, { kind: 'cancelled' });
    assert.deepEqual(readdirSync(dir), ['app.unused-access.json']);
    assert.equal(readFileSync(r.out, 'utf8'), '{"findings": []}\n');
  });
});

test('a principal with no findings: the file is written and the message says nothing will be refined', async () => {
  await withFake(world({ roles: [{ name: 'app' }, { name: 'idle' }] }), async (_aws, dir, env) => {
    const r = { ...request(dir, 'idle'), out: join(dir, 'idle.unused-access.json') };
    const end = await runFetchProcess({ distDir: DIST, args: cliArguments(r), out: r.out, cwd: dir, env });
    assert.equal(end.kind, 'written');
    assert.equal(savedMessage(readSavedFindings(r.out), 'idle', 'idle.unused-access.json'),
      'Saved 0 findings for idle to idle.unused-access.json: Access Analyzer reports no unused access for it (nor for a principal '
      + 'it has not analysed yet), so nothing will be refined.');
  });
});

test('a broken install without dist/fetch.js: one line that says what is missing and to reinstall', () => {
  const dist = join(mkdtempSync(join(tmpdir(), 'iam-broken-')), 'dist');
  mkdirSync(dist);
  writeFileSync(join(dist, 'cli.js'), '');
  assert.equal(missingBundle(dist), `Cannot fetch findings: ${join(dist, 'fetch.js')} is missing from the extension (a broken install). `
    + 'Reinstall the IAM Policy Refiner extension.');
  assert.equal(missingBundle(DIST), undefined);
  assert.ok(existsSync(join(DIST, 'fetch.js')));
});

test('the failure line: the CLI\'s explanation after its notes, else a crash\'s error line, never its stack', () => {
  assert.equal(failureLine('iam-refine fetch: note: AWS denied x\niam-refine fetch: role app not found: check the name\n'),
    'role app not found: check the name');
  assert.equal(failureLine('node:internal/modules/cjs/loader:1228\n  throw err;\n  ^\n\nError: Cannot find module \'/x/dist/fetch.js\'\n'
    + '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)\n'), 'Error: Cannot find module \'/x/dist/fetch.js\'');
  assert.equal(failureLine('', 9), 'iam-refine fetch ended with status 9 and said nothing');
});
