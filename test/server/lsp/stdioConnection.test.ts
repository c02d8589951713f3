import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  InitializeRequest, LogMessageNotification, type LogMessageParams, ShutdownRequest,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { repoRoot } from '../../support/catalog';

// The server's stdio connection, as a client sees it: the protocol on stdout and nothing else, and
// an end when the client goes.

/** A server on `stdioConnection` that logs with console.log and console.error while it initialises. */
const CHATTY_SERVER = `
const { stdioConnection } = require(${JSON.stringify(join(__dirname, '..', '..', '..', 'server', 'src', 'lsp', 'stdioConnection.js'))});
const connection = stdioConnection();
connection.onInitialize(() => {
  console.log('reading', { folders: 2 });
  console.error('cannot watch', '/tmp');
  return { capabilities: {} };
});
connection.listen();
`;

function connect(child: ChildProcess) {
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.listen();
  return connection;
}

describe('stdio connection', () => {
  test('console output reaches the client as log messages, and the protocol stream stays whole', async () => {
    const child = spawn(process.execPath, ['-e', CHATTY_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = connect(child);
    const logs: LogMessageParams[] = [];
    connection.onNotification(LogMessageNotification.type, (params) => {
      logs.push(params);
    });
    try {
      await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
      // Answered after the log messages: they were read as messages, not as garbage in the stream.
      await connection.sendRequest(ShutdownRequest.type);
      assert.deepEqual(logs, [{ type: 3, message: 'reading { folders: 2 }' }, { type: 1, message: 'cannot watch /tmp' }]);
    } finally {
      connection.dispose();
      child.kill();
    }
  });

  test('the language server ends when its client closes the pipe', async () => {
    const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = connect(child);
    try {
      await connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
      const exited = once(child, 'exit');
      child.stdin!.end();
      const [code] = await exited;
      assert.equal(code, 1, 'an end without shutdown is exit code 1, as the LSP specification says of exit without shutdown');
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
