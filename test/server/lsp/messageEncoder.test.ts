import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import type { Message } from 'vscode-languageserver/node';
import { diagnosticData, setDiagnosticData } from '../../../server/src/language/codes';
import { movedDiagnostic } from '../../../server/src/language/diagnosticJson';
import { MessageEncoder } from '../../../server/src/lsp/messageEncoder';

const UTF8 = { charset: 'utf-8' } as const;

function diagnostic(line: number, message: string): Diagnostic {
  return {
    range: { start: { line, character: 8 }, end: { line, character: 29 } },
    severity: 2,
    code: 'unused-action',
    source: 'iam-policy-refiner',
    message,
    relatedInformation: [{
      location: { uri: 'file:///work/unused-access.json', range: { start: { line: 0, character: 3 }, end: { line: 0, character: 9 } } },
      message: 'Reported unused here',
    }],
  };
}

function publish(diagnostics: Diagnostic[], version?: number): Message {
  const params = version === undefined ? { uri: 'file:///work/policy.json', diagnostics } : { uri: 'file:///work/policy.json', version, diagnostics };
  return { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params } as Message;
}

async function decoded(encoder: MessageEncoder, message: Message): Promise<unknown> {
  return JSON.parse(Buffer.from(await encoder.encode(message, UTF8)).toString('utf8'));
}

describe('MessageEncoder', () => {
  test('a diagnostics notification reads back as the message sent, with or without a version', async () => {
    const encoder = new MessageEncoder();
    const diagnostics = [
      diagnostic(1, 'Unused action s3:GetObject: never used.'),
      diagnostic(2, 'Unused action s3:PutObject: never used.'),
    ];
    for (const message of [publish(diagnostics, 7), publish(diagnostics)]) {
      assert.deepEqual(await decoded(encoder, message), JSON.parse(JSON.stringify(message)));
    }
    assert.deepEqual(await decoded(encoder, publish([], 8)), JSON.parse(JSON.stringify(publish([], 8))));
  });

  test('diagnostics sent again beside new ones: the message is the one a fresh serialisation gives', async () => {
    const encoder = new MessageEncoder();
    const kept = [diagnostic(1, 'Unused action s3:GetObject: never used.'), diagnostic(3, 'Unused action s3:PutObject: never used.')];
    await encoder.encode(publish(kept, 1), UTF8);
    const next = [kept[0]!, diagnostic(2, 'Unused action s3:ListBucket: never used.'), kept[1]!];
    const sent = Buffer.from(await encoder.encode(publish(next, 2), UTF8)).toString('utf8');
    assert.deepEqual(JSON.parse(sent), JSON.parse(JSON.stringify(publish(next, 2))));
  });

  test('text beyond ASCII is sent as UTF-8', async () => {
    const encoder = new MessageEncoder();
    const message = publish([diagnostic(0, 'Politique « données » : s3:Get* — 3 actions…')], 1);
    assert.deepEqual(await decoded(encoder, message), JSON.parse(JSON.stringify(message)));
  });

  test('a diagnostic once sent cannot be changed: what is sent again is what was sent', async () => {
    const encoder = new MessageEncoder();
    const sent = diagnostic(1, 'Unused action s3:GetObject: never used.');
    await encoder.encode(publish([sent], 1), UTF8);
    assert.throws(() => { (sent as { message: string }).message = 'changed'; }, TypeError);
    assert.throws(() => { (sent.range.start as { line: number }).line = 5; }, TypeError);
    assert.throws(() => { sent.relatedInformation!.push(sent.relatedInformation![0]!); }, TypeError);
  });

  test('diagnostics moved by a line added above them, and moved again, read back where they moved to', async () => {
    const encoder = new MessageEncoder();
    const original = diagnostic(4, 'Unused action s3:GetObject: never used.');
    setDiagnosticData(original, { policy: 0, statement: 1, entry: 2 });
    await encoder.encode(publish([original], 1), UTF8);
    const down = movedDiagnostic(original, 2);
    assert.deepEqual(await decoded(encoder, publish([down, original], 2)), JSON.parse(JSON.stringify(publish([down, original], 2))));
    assert.equal(down.range.start.line, 6);
    // A copy of a copy sent, and a copy of a copy never sent.
    const up = movedDiagnostic(down, -1);
    const unsent = movedDiagnostic(movedDiagnostic(up, 5), 1);
    assert.deepEqual(await decoded(encoder, publish([up, unsent], 3)), JSON.parse(JSON.stringify(publish([up, unsent], 3))));
    assert.deepEqual([up.range.start.line, unsent.range.end.line], [5, 11]);
    // Each still points where the original did in the analysis, for its quick fix.
    for (const d of [down, up, unsent]) assert.deepEqual(diagnosticData(d), { policy: 0, statement: 1, entry: 2 });
    assert.throws(() => { (up.range.end as { line: number }).line = 0; }, TypeError);
  });

  test('every other message is JSON as vscode-jsonrpc writes it', async () => {
    const encoder = new MessageEncoder();
    const messages = [
      { jsonrpc: '2.0', id: 3, result: { contents: { kind: 'markdown', value: '**s3:Get\\*** allows 63 actions' } } },
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'Données lues' } },
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///x.json' } },
    ] as unknown as Message[];
    for (const message of messages) {
      assert.equal(Buffer.from(await encoder.encode(message, UTF8)).toString('utf8'), JSON.stringify(message));
    }
  });
});
