import { pathGlobToRegExp } from '../text/pathGlob';

/** Findings files are found by name: these apply to the policies in their folder and below. */
export const DEFAULT_FINDINGS_GLOBS: readonly string[] = ['**/unused-access.json', '**/*.unused-access.json'];

const FINDINGS_NAME = /^(?:.+\.)?unused-access\.json$/i;

export function isFindingsFileName(name: string): boolean {
  return FINDINGS_NAME.test(name);
}

/**
 * Whether a findings file applies to a policy. Paths are absolute and `/`-separated. Without
 * `appliesTo`, a findings file covers its own folder and everything below it; with it, exactly the
 * paths its globs match, relative to the findings file's folder.
 */
export function findingsApplyTo(findingsPath: string, appliesTo: readonly string[] | undefined, policyPath: string): boolean {
  const folder = findingsPath.slice(0, findingsPath.lastIndexOf('/') + 1);
  if (!appliesTo) return policyPath.startsWith(folder);
  const relative = relativePath(folder, policyPath);
  return appliesTo.some((glob) => pathGlobToRegExp(stripDotSlash(glob)).test(relative));
}

/** `policy` relative to `folder` (which ends in `/`), with `../` steps where it is outside. */
function relativePath(folder: string, policy: string): string {
  const from = folder.split('/').filter(Boolean);
  const to = policy.split('/').filter(Boolean);
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

function stripDotSlash(glob: string): string {
  return glob.startsWith('./') ? glob.slice(2) : glob;
}
