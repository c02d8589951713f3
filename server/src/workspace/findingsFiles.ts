import { join, resolve, sep } from 'node:path';
import type { FindingsParseOptions } from '../../../shared/src/findings/model';
import type { FindingsSource } from '../../../shared/src/findings/selection';
import { parseFindings } from '../../../shared/src/findings/parseFindings';
import { findingsApplyTo, isFindingsFileName } from '../../../shared/src/findings/scope';
import { UnusedAccess } from '../../../shared/src/findings/unusedAccess';
import type { FileSystem } from '../service/fileSystem';

/** Folders never searched: dependencies, version control, build output. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist']);

/** A findings file read from disk (or from an open document). */
export interface LoadedFindings extends FindingsSource {
  readonly text: string;
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Parses a findings text; the file name labels where each verdict comes from. */
export function readFindings(path: string, text: string, options: FindingsParseOptions = {}): LoadedFindings {
  const document = parseFindings(text, options);
  const principalAccess = document.principals.map((p) => UnusedAccess.fromPrincipal(p, path));
  return { path, text, document, access: UnusedAccess.intersect(principalAccess), principalAccess };
}

/**
 * Whether a loaded findings file reaches the file at `policyPath` by its location (see
 * findingsApplyTo); a `template.yaml#LogicalId` entry reaches the template it names.
 */
export function appliesTo(findings: LoadedFindings, policyPath: string): boolean {
  const globs = findings.document.appliesTo?.map((a) => a.glob.replace(/#[^#]*$/, ''));
  return findingsApplyTo(toPosix(findings.path), globs, toPosix(policyPath));
}

/**
 * Files under `root` that pass `accept` (given the file's name and its `/`-separated path relative
 * to `root`), skipping SKIPPED_FOLDERS and unreadable entries.
 */
export function walkFiles(fs: FileSystem, root: string, accept: (name: string, relative: string) => boolean): string[] {
  const found: string[] = [];
  const base = resolve(root);
  const stack = [base];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of fs.readDirectory(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) {
        if (!SKIPPED_FOLDERS.has(entry.name)) stack.push(path);
      } else if (entry.isFile && accept(entry.name, toPosix(path.slice(base.length + 1)))) {
        found.push(path);
      }
    }
  }
  return found.sort();
}

export function findFindingsFiles(fs: FileSystem, root: string): string[] {
  return walkFiles(fs, root, isFindingsFileName);
}

/**
 * The folder to search for the findings of a policy: the repository it sits in (the nearest folder
 * with `.git`), else the working folder when the policy is inside it, else the policy's own folder.
 */
export function searchRootFor(fs: FileSystem, policyPath: string, cwd: string): string {
  const policy = resolve(policyPath);
  for (let dir = resolve(policy, '..'); ; dir = resolve(dir, '..')) {
    // `.git` is a folder in a clone and a file in a worktree or submodule.
    if (fs.stat(join(dir, '.git'))) return dir;
    if (dir === resolve(dir, '..')) break;
  }
  const work = resolve(cwd);
  return policy.startsWith(work + sep) ? work : resolve(policy, '..');
}
