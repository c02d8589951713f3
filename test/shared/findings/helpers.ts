import * as fs from 'node:fs';
import * as path from 'node:path';

function isRepoRoot(dir: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return manifest.name === 'iam-policy-refiner';
  } catch {
    return false;
  }
}

function findUp(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (isRepoRoot(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Compiled tests run from out/test/… inside the repository or from a build directory elsewhere
 * (then the runner's working directory is the repository).
 */
const root = findUp(__dirname) ?? findUp(process.cwd());
if (!root) throw new Error(`Cannot find the iam-policy-refiner repository above ${__dirname} or ${process.cwd()}`);

export const fixturesDir = path.join(root, 'test', 'fixtures', 'findings');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(fixturesDir, name), 'utf8');
}

/** The span of the `nth` (0-based) occurrence of `token` in `text`; fails loudly when it is not there. */
export function spanOf(text: string, token: string, nth = 0): { offset: number; length: number } {
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(token, offset + 1);
    if (offset < 0) throw new Error(`${JSON.stringify(token)} occurs fewer than ${nth + 1} times`);
  }
  return { offset, length: token.length };
}
