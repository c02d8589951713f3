// Bundles the entry points into dist/: the extension (client), the language server, the CLI, and the CLI's
// `fetch` command, apart because it carries the AWS SDK.
// The Terraform grammar is WebAssembly that cannot be bundled: it is copied beside the bundles.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

// web-tree-sitter's ES module finds its files through `import.meta.url`, which a CommonJS bundle
// does not have; its CommonJS build uses `__dirname` instead.
const commonJsTreeSitter = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

// shared/src/protocol builds its requests with the server's vscode-jsonrpc; the language client brings
// its own, newer one. In the extension the client's copy serves, instead of a second copy in the bundle:
// the client sends a request by its method name, which both versions spell alike.
const clientJsonRpc = {
  name: 'client-vscode-jsonrpc',
  setup(build) {
    const path = createRequire(require.resolve('vscode-languageclient/node')).resolve('vscode-jsonrpc');
    build.onResolve({ filter: /^vscode-jsonrpc$/ }, () => ({ path }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // jsonc-parser's UMD build hides its modules from bundlers; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  sourcemap: false,
  minify: true,
  logLevel: 'warning',
  plugins: [commonJsTreeSitter],
  // The grammar loader looks in node_modules only when the WebAssembly is not beside the bundle,
  // which in dist/ it always is.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

await Promise.all([
  build({
    ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'],
    plugins: [...common.plugins, clientJsonRpc],
  }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // `iam-refine fetch` and the AWS SDK it needs: cli.js loads it only for that command.
  build({ ...common, entryPoints: ['server/src/fetch/fetchCli.ts'], outfile: 'dist/fetch.js' }),
]);

mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), 'dist/web-tree-sitter.wasm');
copyFileSync(join(dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), 'tree-sitter-terraform.wasm'),
  'dist/tree-sitter-terraform.wasm');
