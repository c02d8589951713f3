import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Catalog } from '../../shared/src/catalog/catalog';
import { loadCatalog } from '../../server/src/catalogFile';

let cached: Catalog | undefined;

/** The repository root: the folder whose package.json is this project's, found from wherever tests run. */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'iam-policy-refiner') return dir;
    if (dir === dirname(dir)) return process.cwd();
  }
}

/** The catalogue the build bundles (dist/), loaded once per test process. */
export function testCatalog(): Catalog {
  cached ??= loadCatalog(join(repoRoot(), 'dist'));
  return cached;
}
