import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/catalog';

/** The names in a zip archive, read from its central directory. */
function zipEntries(archive: Buffer): string[] {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'not a zip archive');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(archive.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const nameLength = archive.readUInt16LE(at + 28);
    const extra = archive.readUInt16LE(at + 30);
    const comment = archive.readUInt16LE(at + 32);
    names.push(archive.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
  }
  return names.sort();
}

test('the .vsix holds the bundles, the catalogue, the manifest and the README\'s pictures, and no node_modules, within 2 MB', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'iam-vsix-')), 'extension.vsix');
  const vsce = join(repoRoot(), 'node_modules', '@vscode', 'vsce', 'vsce');
  // As `npm run package` does: relative links stay relative, so the shipped pictures show offline.
  const args = [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out];
  const result = spawnSync(process.execPath, args, { cwd: repoRoot(), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr + result.stdout);
  assert.deepEqual(zipEntries(readFileSync(out)), [
    '[Content_Types].xml',
    'extension.vsixmanifest',
    'extension/LICENSE.txt',
    'extension/changelog.md',
    'extension/dist/catalog-descriptions.json.br',
    'extension/dist/catalog-details.json.br',
    'extension/dist/catalog.json.br',
    'extension/dist/cli.js',
    'extension/dist/extension.js',
    'extension/dist/fetch.js',
    'extension/dist/server.js',
    'extension/dist/tree-sitter-terraform.wasm',
    'extension/dist/web-tree-sitter.wasm',
    'extension/images/hover.png',
    'extension/images/icon.png',
    'extension/images/preview.png',
    'extension/images/quick-fix.png',
    'extension/images/squiggle.png',
    'extension/package.json',
    'extension/readme.md',
  ]);
  assert.ok(statSync(out).size <= 2 * 1024 * 1024, `${statSync(out).size} bytes`);
});
