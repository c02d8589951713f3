import { format } from 'node:util';
import { type Connection, createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { MessageEncoder } from './messageEncoder';

/**
 * The connection `--stdio` makes, with the writer's encoder replaced by one that serialises each
 * diagnostic once (see MessageEncoder).
 */
export function stdioConnection(): Connection {
  const reader = new StreamMessageReader(process.stdin);
  const writer = new StreamMessageWriter(process.stdout, { contentTypeEncoder: new MessageEncoder() });
  const connection: Connection = createConnection(ProposedFeatures.all, reader, writer);
  // The client is gone: nothing is left to serve (an orderly end is the exit notification's).
  reader.onClose(() => process.exit(1));
  // Stdout carries the protocol: a stray console.log would break it, so it goes to the client's log.
  console.log = console.info = (...args: unknown[]) => connection.console.info(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
  console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  return connection;
}
