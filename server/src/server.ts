import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { loadCatalog } from './catalogFile';
import { PolicyServer } from './lsp/policyServer';

// The language server entry: `node dist/server.js --stdio`, or over IPC from the VS Code client.
// The bundle sits in dist/ beside the catalogue it loads.
const connection = createConnection(ProposedFeatures.all);
new PolicyServer(connection, loadCatalog(__dirname));
connection.listen();
