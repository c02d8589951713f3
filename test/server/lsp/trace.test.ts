import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileChangeType, type LogTraceParams, SetTraceNotification } from 'vscode-languageserver-protocol';
import { workspace } from '../../support/cli';
import { LspTestClient, uriOf } from '../../support/lspClient';

// What the server does, in the client's trace (VS Code's output channel at iamPolicyRefiner.trace.server):
// nothing while the trace is off, the findings it reads and what changed while it is on.

const policy = `${JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] })}\n`;

test('the trace says which findings files the server reads, which cannot be read, and what changed on disk', async () => {
  const unused = JSON.stringify([{ serviceNamespace: 's3', actions: ['GetObject'] }]);
  const root = workspace({ 'policy.json': policy, 'unused-access.json': unused });
  const client = await LspTestClient.start([root]);
  const traced: { message: string; verbose?: string }[] = [];
  client.connection.onNotification('$/logTrace', (params: LogTraceParams) => {
    traced.push(params);
  });
  try {
    const uri = await client.open(join(root, 'policy.json'));
    await client.diagnostics(uri, (d) => d.length === 1);
    const findings = join(root, 'unused-access.json');
    writeFileSync(findings, '{ not json');
    await client.filesChanged([{ uri: uriOf(findings), type: FileChangeType.Changed }]);
    await client.diagnostics(uri, (d) => d[0]?.code === 'findings-unreadable');
    assert.equal(traced.length, 0, 'nothing is traced while the trace is off');

    await client.connection.sendNotification(SetTraceNotification.type, { value: 'verbose' });
    writeFileSync(findings, JSON.stringify([{ serviceNamespace: 's3', actions: ['PutObject'] }]));
    await client.filesChanged([{ uri: uriOf(findings), type: FileChangeType.Changed }]);
    await client.diagnostics(uri, (d) => d.length === 0);
    assert.deepEqual(traced.map((t) => t.message), ['1 file changed on disk', 'findings changed: 1 findings file, 1 policy file']);
    assert.deepEqual(traced.map((t) => t.verbose), [`changed: ${findings}`, findings]);

    writeFileSync(findings, '');
    await client.filesChanged([{ uri: uriOf(findings), type: FileChangeType.Changed }]);
    await client.diagnostics(uri, (d) => d[0]?.code === 'findings-unreadable');
    assert.equal(traced.at(-1)!.message, 'findings changed: 1 findings file, 1 of them unreadable, 1 policy file');
    assert.ok(traced.at(-1)!.verbose?.startsWith(`${findings} (cannot be read: line 1: `), traced.at(-1)!.verbose);
  } finally {
    await client.stop();
  }
});
