/**
 * "Did you mean …?": the known names closest to a misspelt one. IAM names are case-insensitive, so
 * distances are too; transposed neighbours (`GetObjcet`) count as one edit, as people make them.
 */

/** How many suggestions are offered at most: a longer list is read as noise. */
export const MAX_SUGGESTIONS = 3;

/** The farthest a suggestion may be, in edits, however long the name. */
export const MAX_DISTANCE = 3;

/**
 * The optimal-string-alignment distance (Levenshtein plus adjacent transpositions) between two
 * strings, as given (lower-case them first for a case-insensitive distance). Past `limit` the
 * exact value does not matter: `limit + 1` is returned as soon as every path is over it.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        d = Math.min(d, before[j - 2]! + 1);
      }
      current[j] = d;
      if (d < best) best = d;
    }
    // Every alignment already costs more than the limit: the rows below can only cost more.
    if (best > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * The farthest a suggestion for `name` may be: at most MAX_DISTANCE edits, and fewer than half its
 * length, so that a short name is not "corrected" into an unrelated one (`sq` is not `ec2`); but one
 * edit always, from two characters on, since short service prefixes are the easiest to mistype (`s4`).
 */
export function distanceLimit(name: string): number {
  if (name.length < 2) return 0;
  return Math.min(MAX_DISTANCE, Math.max(1, Math.ceil(name.length / 2) - 1));
}

/**
 * The candidates closest to `name`, case-insensitively: nearest first, then in alphabetical order,
 * at most `max`, none farther than distanceLimit(name) and none equal to it. Among equally near ones, those that
 * begin as the name does come first: people mistype the end of a word more often than its first letter (`sq` is `sqs`). Candidates are
 * returned as spelled (the catalogue's canonical spelling); duplicates are returned once.
 */
export function closestNames(name: string, candidates: Iterable<string>, max = MAX_SUGGESTIONS): string[] {
  const target = name.toLowerCase();
  const limit = distanceLimit(name);
  if (limit < 1 || max < 1) return [];
  const found = new Map<string, { spelled: string; distance: number }>();
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (found.has(lower)) continue;
    const distance = editDistance(target, lower, limit);
    if (distance >= 1 && distance <= limit) found.set(lower, { spelled: candidate, distance });
  }
  return [...found.entries()]
    .sort(([a, x], [b, y]) => x.distance - y.distance || sameStart(b, target) - sameStart(a, target) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, max)
    .map(([, { spelled }]) => spelled);
}

function sameStart(candidate: string, target: string): number {
  return candidate.charCodeAt(0) === target.charCodeAt(0) ? 1 : 0;
}
