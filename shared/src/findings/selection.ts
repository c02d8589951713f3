import type { PolicyContext, PrincipalRef } from './policyContext';
import { pathGlobToRegExp } from '../text/pathGlob';
import type { FindingsDocument } from './model';
import { findingsApplyTo } from './scope';
import { UnusedAccess } from './unusedAccess';

/** A findings file as the selection needs it. Paths are absolute and `/`-separated. */
export interface FindingsSource {
  readonly path: string;
  readonly document: FindingsDocument;
  /** What all of the file's principals leave unused. */
  readonly access: UnusedAccess;
  /** What each principal leaves unused, in the order of `document.principals`. */
  readonly principalAccess: readonly UnusedAccess[];
}

/** The findings that apply to one policy. */
export interface FindingsSelection<F extends FindingsSource> {
  /** The files that contribute, in path order. */
  readonly files: readonly F[];
  /** Identifies the selection, so that one refiner serves every policy with the same findings. */
  readonly key: string;
  /** What the selected findings all leave unused. */
  readonly access: () => UnusedAccess;
  /** Files of AWS's recommendations alone that apply by the same rules, in path order: they never count in `access`. */
  readonly recommendations: readonly F[];
}

/**
 * The findings that apply to a policy at `policyPath`.
 *
 * A standalone policy (no `context`) takes every findings file that covers its path: files in its
 * folder or above, or whose `appliesTo` globs match it.
 *
 * A policy in a template or module belongs to principals, and each principal takes:
 * - the principal findings, from any file in the workspace, whose `resource` ARN names it
 *   (`arn:aws:iam::…:role/Name` for a principal whose name the source spells);
 * - every principal of a file whose `appliesTo` has `<glob>#<id>`, the glob matching the template
 *   and the id the principal's logical id or address, or the policy resource's own;
 * - only when neither of these names it: the principals without a `resource` of files that cover
 *   the template's path (a folder's findings stand in for principals without findings of their own).
 * Only what every principal leaves unused counts: a principal with no findings leaves nothing
 * unused. A policy attached to no principal in the source is treated like a standalone policy,
 * plus the `#id` entries that name its resource.
 *
 * With `coverAll`, every source covers every path (files named on a command line).
 */
export function selectFindings<F extends FindingsSource>(
  sources: readonly F[], policyPath: string, context?: PolicyContext, coverAll = false,
): FindingsSelection<F> {
  // A file of recommendations alone would read as "this principal leaves nothing unused" and empty the intersection.
  const isRecommendation = (f: F): boolean => f.document.format === 'recommendation';
  const findings = select(sources.filter((f) => !isRecommendation(f)), policyPath, context, coverAll);
  const recommendations = sources.some(isRecommendation)
    ? select(sources.filter(isRecommendation), policyPath, context, coverAll).files
    : [];
  return { ...findings, recommendations };
}

function select<F extends FindingsSource>(
  sources: readonly F[], policyPath: string, context: PolicyContext | undefined, coverAll: boolean,
): Omit<FindingsSelection<F>, 'recommendations'> {
  const coversPath = coverAll ? () => true : coversPolicyPath;
  if (!context) return combine(sources.filter((f) => coversPath(f, policyPath)).map((file) => ({ file })));
  const byResource = sources.filter((f) => namesId(f, policyPath, context.resourceId)).map((file) => ({ file }));
  if (context.principals.length === 0) {
    return combine([...byResource, ...sources.filter((f) => coversPath(f, policyPath)).map((file) => ({ file }))]);
  }
  const picks: Pick<F>[] = [...byResource];
  for (const principal of context.principals) {
    const named: Pick<F>[] = [];
    const folder: Pick<F>[] = [];
    for (const file of sources) {
      if (namesId(file, policyPath, principal.id)) {
        named.push({ file });
        continue;
      }
      const covers = coversPath(file, policyPath);
      file.document.principals.forEach((p, index) => {
        if (p.resource ? namesPrincipal(p.resource, principal) : covers) (p.resource ? named : folder).push({ file, index });
      });
    }
    // A principal's own findings say what it uses; findings of the folder that name no one stand in only for principals without.
    const own = named.length > 0 ? named : folder;
    if (own.length === 0 && byResource.length === 0) return combine([]);
    picks.push(...own);
  }
  return combine(picks);
}

interface Pick<F> {
  readonly file: F;
  /** One principal of the file; the whole file when absent. */
  readonly index?: number;
}

function combine<F extends FindingsSource>(picks: readonly Pick<F>[]): Omit<FindingsSelection<F>, 'recommendations'> {
  const unique = new Map<string, Pick<F>>();
  for (const pick of picks) unique.set(`${pick.file.path}\0${pick.index ?? '*'}`, pick);
  const keys = [...unique.keys()].sort();
  const files = [...new Set(keys.map((k) => unique.get(k)!.file))];
  let access: UnusedAccess | undefined;
  return {
    files,
    key: keys.join('\n'),
    access: () => (access ??= UnusedAccess.intersect(keys.map((k) => {
      const pick = unique.get(k)!;
      return pick.index === undefined ? pick.file.access : pick.file.principalAccess[pick.index]!;
    }))),
  };
}

/** The file covers the path: it sits above it, or its path globs match it. */
function coversPolicyPath(file: FindingsSource, policyPath: string): boolean {
  const globs = file.document.appliesTo?.map((a) => a.glob);
  const paths = globs?.filter((g) => !g.includes('#'));
  if (globs && paths?.length === 0) return false;
  return findingsApplyTo(file.path, paths, policyPath);
}

/** The file's `appliesTo` has `<glob>#<id>` for this template and id. */
function namesId(file: FindingsSource, policyPath: string, id: string): boolean {
  return (file.document.appliesTo ?? []).some(({ glob }) => {
    const hash = glob.lastIndexOf('#');
    if (hash < 0) return false;
    return pathGlobToRegExp(glob.slice(hash + 1)).test(id) && findingsApplyTo(file.path, [glob.slice(0, hash)], policyPath);
  });
}

/** `arn:aws:iam::123456789012:role/path/Name` names the role `Name`; IAM names ignore case. */
function namesPrincipal(resource: string, principal: PrincipalRef): boolean {
  if (!principal.name) return false;
  const named = principalOf(resource);
  return named !== undefined && named.kind === principal.kind && named.name === principal.name.toLowerCase();
}

/** What an ARN names, read once per ARN: every policy of a large template asks about every finding. */
const arns = new Map<string, { kind: string; name: string } | undefined>();

function principalOf(resource: string): { kind: string; name: string } | undefined {
  if (arns.has(resource)) return arns.get(resource);
  const match = /^arn:[^:]+:iam::[^:]*:(role|user|group)\/(?:.*\/)?([^/]+)$/.exec(resource);
  const named = match ? { kind: match[1]!, name: match[2]!.toLowerCase() } : undefined;
  if (arns.size > 10_000) arns.clear();
  arns.set(resource, named);
  return named;
}
