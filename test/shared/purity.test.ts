import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/catalog';

/**
 * The engine is shared by the CLI, the server and the client: it may not reach for any of their
 * worlds. Parsers are its own: the HCL grammar comes in already loaded, so only its types are named.
 */
const ALLOWED_PACKAGES = new Set(['jsonc-parser', 'yaml', 'web-tree-sitter']);

test('shared/ imports only its own modules and its parsers: no vscode, no LSP, no Node built-ins', () => {
  const root = join(repoRoot(), 'shared', 'src');
  const offenders: string[] = [];
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.push(path);
    }
  };
  walk(root);
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)) {
      const specifier = match[1]!;
      if (!specifier.startsWith('.') && !ALLOWED_PACKAGES.has(specifier)) offenders.push(`${relative(root, file)}: ${specifier}`);
      // The grammar is WebAssembly loaded from files: only the server may load it.
      if (specifier === 'web-tree-sitter' && !/^import type /.test(match[0]) && !/import type [^;]*$/.test(source.slice(0, match.index))) {
        offenders.push(`${relative(root, file)}: web-tree-sitter imported for its values, not its types`);
      }
    }
  }
  assert.ok(files.length > 10, `found ${files.length} engine modules`);
  assert.deepEqual(offenders, []);
});
