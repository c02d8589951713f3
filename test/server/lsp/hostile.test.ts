import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CancellationTokenSource, HoverRequest, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { hostileFindings, hostilePolicy } from '../../support/hostile';
import { LspTestClient } from '../../support/lspClient';

// A findings file is text in a repository: anyone who opens a pull request can write one. One of
// 100,000 made-up S3 actions beside a 50-statement policy of broad S3 wildcards, and an ordinary
// policy with ordinary findings in another folder: the server answers, honours cancellation, and
// keeps the ordinary policy's diagnostics coming.

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iam-refine-hostile-'));
  mkdirSync(join(dir, 'hostile'));
  mkdirSync(join(dir, 'ordinary'));
  writeFileSync(join(dir, 'hostile', 'unused-access.json'), hostileFindings(1));
  writeFileSync(join(dir, 'hostile', 'policy.json'), hostilePolicy());
  writeFileSync(join(dir, 'ordinary', 'unused-access.json'), JSON.stringify([{ serviceNamespace: 's3', actions: ['PutObject'] }]));
  const ordinary = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }] };
  writeFileSync(join(dir, 'ordinary', 'policy.json'), `${JSON.stringify(ordinary, null, 2)}\n`);
  return dir;
}

test('hostile findings: answers with every count, a cancelled request is not computed, other documents go first', async () => {
  const dir = workspace();
  const client = await LspTestClient.start([dir]);
  try {
    const hostile = await client.open(join(dir, 'hostile', 'policy.json'));
    const wildcards = await client.diagnostics(hostile, (d) => d.length > 0, 60_000);
    assert.equal(wildcards.filter((d) => d.code === 'overbroad-wildcard').length, 200);
    const ordinary = await client.open(join(dir, 'ordinary', 'policy.json'));
    assert.deepEqual((await client.diagnostics(ordinary, (d) => d.length > 0)).map((d) => d.message),
      ['Unused action s3:PutObject: never used in the tracking period.']);

    // The hover on a wildcard counts every unused action it allows, and lists a readable few.
    const hover = (await client.hover(hostile, client.positionOf(hostile, 's3:Get*')))!;
    assert.equal(hover.split('\n')[0], '**`s3:Get*`** allows 100,062 known actions, 100,000 of them unused.');
    assert.ok(hover.length < 20_000, `a hover of ${hover.length} characters`);

    // The findings file opened and edited: the server is busy reading it when a hover comes and is
    // cancelled at once; the hover is answered as cancelled rather than computed.
    const findings = join(dir, 'hostile', 'unused-access.json');
    const findingsUri = await client.open(findings);
    client.publishOrder.length = 0;
    client.forget(hostile);
    await client.change(findingsUri, client.text(findingsUri).replace('"GetFake0"', '"GetFake0x"'));
    const cancel = new CancellationTokenSource();
    const cancelled = client.request(client.connection.sendRequest(HoverRequest.type,
      { textDocument: { uri: hostile }, position: client.positionOf(hostile, 's3:Get*') }, cancel.token));
    cancel.cancel();
    await assert.rejects(cancelled, (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled);

    // Both policies are validated again; the one that took less time last round is published first.
    await client.diagnostics(hostile, (d) => d.length > 0, 60_000);
    const order = client.publishOrder.filter((uri) => uri === hostile || uri === ordinary);
    // (Opening the findings may have started a round of its own: what counts is who comes first.)
    assert.deepEqual([...new Set(order)].slice(0, 2), [ordinary, hostile], order.join('\n'));
    assert.ok((await client.hover(hostile, client.positionOf(hostile, 's3:Get*')))!.includes('100,000 of them unused'),
      'requests are answered after the cancelled one');
  } finally {
    await client.stop();
  }
});

test('hostile findings: a first analysis that takes a second is done in steps, and requests are answered between them', async () => {
  const dir = workspace();
  const client = await LspTestClient.start([dir]);
  try {
    const ordinary = await client.open(join(dir, 'ordinary', 'policy.json'));
    await client.diagnostics(ordinary, (d) => d.length > 0);
    const at = client.positionOf(ordinary, 's3:PutObject');
    const hostile = await client.open(join(dir, 'hostile', 'policy.json'));
    // Each hover is sent once the one before is answered: one analysis in a single turn would answer
    // the first and hold the next until the hostile policy's diagnostics are out.
    const answeredBefore: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      assert.match((await client.hover(ordinary, at))!, /s3:PutObject/);
      answeredBefore.push(!client.publishOrder.includes(hostile));
    }
    assert.deepEqual(answeredBefore, [true, true, true]);
    const published = await client.diagnostics(hostile, (d) => d.length > 0, 60_000);
    assert.equal(published.filter((d) => d.code === 'overbroad-wildcard').length, 200);
  } finally {
    await client.stop();
  }
});
