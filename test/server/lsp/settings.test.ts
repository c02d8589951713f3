import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../support/catalog';
import { LspTestClient, uriOf } from '../../support/lspClient';

// Settings as each kind of client gives them: per workspace folder (`scopeUri`), and pushed with
// `didChangeConfiguration` by clients that cannot be asked.

const MULTI = join(repoRoot(), 'test', 'fixtures', 'workspaces', 'multi');
const TEAM_A = join(MULTI, 'team-a');
const TEAM_B = join(MULTI, 'team-b');
const OFF = { severity: { 'unused-action': 'off' } };
const codes = (diagnostics: { code?: string | number }[]): (string | number | undefined)[] => diagnostics.map((d) => d.code);

test('each workspace folder follows its own settings, asked for with its scopeUri', async () => {
  const asked: (string | undefined)[] = [];
  const perFolder = (scopeUri?: string): unknown => {
    asked.push(scopeUri);
    return scopeUri === uriOf(TEAM_A) ? OFF : {};
  };
  const client = await LspTestClient.start([TEAM_A, TEAM_B], perFolder);
  try {
    const a = await client.open(join(TEAM_A, 'policy.json'));
    const b = await client.open(join(TEAM_B, 'role.json'));
    assert.deepEqual(codes(await client.diagnostics(a, (d) => d.length > 0)), ['overbroad-wildcard']);
    assert.deepEqual(codes(await client.diagnostics(b, (d) => d.length > 0)), ['unused-action', 'unused-statement', 'unused-action']);
    assert.ok(asked.includes(uriOf(TEAM_A)) && asked.includes(uriOf(TEAM_B)), JSON.stringify(asked));
  } finally {
    await client.stop();
  }
});

test('a client without workspace/configuration: the settings it pushes apply, and it is sent no registration for them', async () => {
  const client = await LspTestClient.start([TEAM_A], {}, { configuration: false });
  try {
    const uri = await client.open(join(TEAM_A, 'policy.json'));
    assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.length > 0)), ['unused-action', 'overbroad-wildcard']);
    await client.configurationChanged(OFF, true);
    assert.deepEqual(codes(await client.diagnostics(uri, (d) => d.length === 1)), ['overbroad-wildcard']);
    assert.deepEqual(client.registrations.filter((r) => r.method === 'workspace/didChangeConfiguration'), []);
  } finally {
    await client.stop();
  }
});
