import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';

// The language server entry: `node dist/server.js --stdio`, or over IPC from the VS Code client.
const connection = createConnection(ProposedFeatures.all);

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'iam-policy-refiner' },
}));

connection.listen();
