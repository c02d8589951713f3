import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../support/catalog';

/** What only the AWS SDK's code spells: an Access Analyzer operation, SigV4's credential scope, the SSO profile key. */
const SDK_MARKERS = ['GetFindingV2', 'aws4_request', 'sso_session'];

test('the AWS SDK is in dist/fetch.js only: the language server, the extension and the CLI bundle carry none of it', () => {
  const bundle = (name: string) => readFileSync(join(repoRoot(), 'dist', name), 'utf8');
  for (const marker of SDK_MARKERS) assert.ok(bundle('fetch.js').includes(marker), marker);
  for (const name of ['cli.js', 'server.js', 'extension.js']) {
    const text = bundle(name);
    assert.deepEqual(SDK_MARKERS.filter((m) => text.includes(m)), [], name);
  }
});

test('a plain iam-refine run never loads dist/fetch.js; fetch does', () => {
  const dist = join(mkdtempSync(join(tmpdir(), 'iam-no-fetch-')), 'dist');
  mkdirSync(dist);
  for (const file of ['cli.js', 'catalog.json.br', 'catalog-descriptions.json.br']) {
    copyFileSync(join(repoRoot(), 'dist', file), join(dist, file));
  }
  const run = (args: string[]) => spawnSync(process.execPath, [join(dist, 'cli.js'), ...args], { cwd: repoRoot(), encoding: 'utf8' });
  const plain = run(['examples/policy.json']);
  assert.equal(plain.status, 1, plain.stderr);
  assert.match(plain.stdout, /^--- a\/examples\/policy\.json/);
  const fetch = run(['fetch', '--help']);
  assert.notEqual(fetch.status, 0);
  assert.match(fetch.stderr, /Cannot find module '.*fetch\.js'/);
});
