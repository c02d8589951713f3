import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { loadCatalog } from './catalogFile';
import { PolicyServer } from './lsp/policyServer';
import { stdioConnection } from './lsp/stdioConnection';

// The language server entry: `node dist/server.js --stdio`, as the VS Code client starts it too, or
// `--node-ipc`, `--socket=N`, `--pipe=NAME`. The bundle sits in dist/ beside the catalogue it loads.
const connection = process.argv.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all);
new PolicyServer(connection, loadCatalog(__dirname));
connection.listen();
