import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/catalog';

/**
 * The engine is shared by the CLI, the server and the client: it may not reach for any of their
 * worlds. Parsers are its own: the HCL grammar comes in already loaded, so only its types are named.
 */
const ALLOWED_PACKAGES = new Set(['jsonc-parser', 'yaml', 'web-tree-sitter']);

/**
 * What a folder may import besides: the protocol types its requests with vscode-jsonrpc, on which
 * both the language client and the language server are built. The engine proper speaks no protocol.
 */
const FOLDER_PACKAGES: Readonly<Record<string, readonly string[]>> = { protocol: ['vscode-jsonrpc'] };

/**
 * The engine's layers, earliest first: a module imports from its own layer or earlier ones. The
 * policy model reads every format through source-neutral types, so the formats depend on it, not the
 * other way round; findings are selected per principal without knowing how a policy is written.
 */
const LAYERS: readonly (readonly string[])[] = [['catalog', 'text', 'patterns'], ['findings'], ['refine'], ['policy'], ['formats']];

/** What the server and its clients say to each other: it may name anything in the engine, and the engine never names it. */
const PROTOCOL = 'protocol';

interface Import {
  readonly specifier: string;
  /** The statement up to the specifier, to tell `import type` apart. */
  readonly statement: string;
  /** Where the match starts in the source. */
  readonly index: number;
}

function importsOf(source: string): Import[] {
  return [...source.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)]
    .map((m) => ({ specifier: m[1]!, statement: m[0], index: m.index }));
}

/** The top folder of a path under shared/src; empty for a module directly in it. */
function folderOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.indexOf('/')) : '';
}

function layerOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

/** What is wrong with the imports of one engine module, `file` being its path under shared/src with `/` separators. */
function offences(file: string, source: string): string[] {
  const out: string[] = [];
  const folder = folderOf(file);
  if (folder !== PROTOCOL && layerOf(folder) < 0) out.push(`${file}: ${folder || 'shared/src'} is in no layer; add it to LAYERS`);
  for (const { specifier, statement, index } of importsOf(source)) {
    if (!specifier.startsWith('.')) {
      if (!ALLOWED_PACKAGES.has(specifier) && !FOLDER_PACKAGES[folder]?.includes(specifier)) out.push(`${file}: imports ${specifier}`);
      // The grammar is WebAssembly loaded from files: only the server may load it.
      const typeOnly = /^import type /.test(statement) || /import type [^;]*$/.test(source.slice(0, index));
      if (specifier === 'web-tree-sitter' && !typeOnly) {
        out.push(`${file}: web-tree-sitter imported for its values, not its types`);
      }
      continue;
    }
    const target = posix.normalize(posix.join(posix.dirname(file), specifier));
    if (target.startsWith('../')) {
      out.push(`${file}: imports '${specifier}', outside the engine`);
      continue;
    }
    const targetFolder = folderOf(target);
    if (folder === PROTOCOL || targetFolder === folder) continue;
    if (targetFolder === PROTOCOL) {
      out.push(`${file}: imports '${specifier}': the engine never imports the protocol`);
    } else if (layerOf(targetFolder) > layerOf(folder)) {
      out.push(`${file}: imports '${specifier}': ${targetFolder} is a later layer than ${folder}`);
    }
  }
  return out;
}

function engineModules(): { file: string; source: string }[] {
  const root = join(repoRoot(), 'shared', 'src');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.push(path);
    }
  };
  walk(root);
  return files.map((path) => ({ file: relative(root, path).split(sep).join('/'), source: readFileSync(path, 'utf8') }));
}

test('shared/ imports its own modules, its parsers and, in protocol/ only, vscode-jsonrpc; each from its layer or an earlier one', () => {
  const modules = engineModules();
  assert.ok(modules.length > 10, `found ${modules.length} engine modules`);
  assert.deepEqual(modules.flatMap((m) => offences(m.file, m.source)), []);
});

test('the import check names the file and the import that break the rules', () => {
  assert.deepEqual(offences('policy/model.ts', "import type { SourceFormat } from '../formats/policySource';"), [
    "policy/model.ts: imports '../formats/policySource': formats is a later layer than policy",
  ]);
  assert.deepEqual(offences('text/problem.ts', "import { x } from '../protocol/requests';\nimport 'vscode';"), [
    "text/problem.ts: imports '../protocol/requests': the engine never imports the protocol",
    'text/problem.ts: imports vscode',
  ]);
  assert.deepEqual(offences('fetch/client.ts', "export { a } from '../../server/src/a';"), [
    'fetch/client.ts: fetch is in no layer; add it to LAYERS',
    "fetch/client.ts: imports '../../server/src/a', outside the engine",
  ]);
  assert.deepEqual(offences('formats/yaml/yamlSource.ts', "import { a } from '../../policy/p';\nimport { b } from '../json/j';"), []);
  assert.deepEqual(offences('refine/trie.ts', "import { RequestType } from 'vscode-jsonrpc';"), ['refine/trie.ts: imports vscode-jsonrpc']);
  const protocol = "import { RequestType } from 'vscode-jsonrpc';\nimport type { RefinementCounts } from '../policy/refinementSummary';";
  assert.deepEqual(offences('protocol/requests.ts', protocol), []);
});
