import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LspTestClient } from '../../support/lspClient';

// A client that cannot watch files for the server (Neovim without dynamic registration of
// watchers): the server watches its folders itself.

const POLICY = `${JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: '*' }],
}, null, 2)}\n`;
const findings = (actions: string[]): string => JSON.stringify([{ serviceNamespace: 's3', actions }]);

test('without a client that watches, a findings file rewritten on disk updates the open policy; no watcher is registered', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam-refine-watch-'));
  writeFileSync(join(dir, 'policy.json'), POLICY);
  writeFileSync(join(dir, 'unused-access.json'), findings(['PutObject']));
  mkdirSync(join(dir, 'team'));
  writeFileSync(join(dir, 'team', 'policy.json'), POLICY);
  writeFileSync(join(dir, 'team', 'unused-access.json'), findings(['PutObject', 'GetObject']));
  const client = await LspTestClient.start([dir], {}, { watchFiles: false });
  try {
    const uri = await client.open(join(dir, 'policy.json'));
    const messages = (d: { message: unknown }[]): unknown[] => d.map((x) => x.message);
    assert.deepEqual(messages(await client.diagnostics(uri, (d) => d.length === 1)), [
      'Unused action s3:PutObject: never used in the tracking period.',
    ]);
    writeFileSync(join(dir, 'unused-access.json'), findings(['PutObject', 'DeleteObject']));
    // Nothing is sent by the client: the server's own watcher sees the write.
    assert.deepEqual(messages(await client.diagnostics(uri, (d) => d.length === 2, 2000)), [
      'Unused action s3:PutObject: never used in the tracking period.',
      'Unused action s3:DeleteObject: never used in the tracking period.',
    ]);
    // Below the top of the folder: a findings file's own folder is watched too.
    const team = await client.open(join(dir, 'team', 'policy.json'));
    assert.equal((await client.diagnostics(team, (d) => d.length > 0)).length, 1);
    writeFileSync(join(dir, 'team', 'unused-access.json'), findings(['PutObject', 'GetObject', 'DeleteObject']));
    assert.deepEqual(messages(await client.diagnostics(team, (d) => d.length === 2, 2000)), [
      'Unused action s3:PutObject: never used in the tracking period.',
      'Unused action s3:DeleteObject: never used in the tracking period.',
    ]);
    assert.deepEqual(client.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles'), []);
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
