import { readFileSync } from 'node:fs';
import { type Diagnostic, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { stdioConnection } from '../../server/src/lsp/stdioConnection';

// A language server that computes nothing: it answers every opened or changed document with the
// diagnostics read from the file named by IAM_REFINE_CANNED_DIAGNOSTICS, over the same stdio
// connection as the real server. The bench runs the heavy keystroke against it to measure what the
// LSP transport of those diagnostics costs by itself.

const diagnostics = JSON.parse(readFileSync(process.env.IAM_REFINE_CANNED_DIAGNOSTICS!, 'utf8')) as Diagnostic[];
const connection = stdioConnection();
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }));
connection.onDidOpenTextDocument(({ textDocument: { uri, version } }) => void connection.sendDiagnostics({ uri, version, diagnostics }));
connection.onDidChangeTextDocument(({ textDocument: { uri, version } }) => void connection.sendDiagnostics({ uri, version, diagnostics }));
connection.listen();
