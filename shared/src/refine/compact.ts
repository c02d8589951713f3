import { Glob } from '../patterns/glob';
import { lowerBound } from './trie';

/**
 * The compact exact form of a refinement, for one service: the fewest characters of patterns that
 * allow exactly the `targets` among the service's known actions and none of the `forbidden` ones.
 *
 * Word-aligned prefixes (`s3:GetObject*`) read well but grow fast when the unused actions are
 * scattered. Here a prefix may stop inside a word (`s3:GetO*`), a pattern may keep a suffix after
 * an infix star (`s3:Get*Tagging`), and patterns that differ in one character merge with `?`.
 *
 * The search is a walk over the character trie of the service's names (targets and forbidden
 * together), choosing at each node the cheaper of two ways to cover its targets: the children's
 * covers, or one `prefix*suffix` per target with the shortest suffix that no forbidden name under
 * the prefix ends with. Every pattern is built so that it matches no forbidden name, so the result
 * is exact by construction, not by search.
 */

/** What a pattern costs in a JSON policy, besides its own characters: two quotes and a comma. */
export const PATTERN_OVERHEAD = 3;

/** The size IAM counts for a list of patterns: each pattern with its quotes and separator. */
export function patternsSize(patterns: readonly string[]): number {
  let size = 0;
  for (const p of patterns) size += p.length + PATTERN_OVERHEAD;
  return size;
}

interface Name {
  /** Canonical spelling, without the service prefix. */
  readonly text: string;
  readonly lower: string;
  /** `lower` read backwards, for the suffix search. */
  readonly reversed: string;
  readonly target: boolean;
}

interface Cover {
  /** Patterns without the service prefix. */
  readonly patterns: string[];
  readonly size: number;
}

const EMPTY: Cover = { patterns: [], size: 0 };

/**
 * Patterns (with the `service:` prefix) that allow exactly the `targets` and none of the `forbidden`
 * names; names are action names without the service prefix, compared case-insensitively.
 */
export function compactCover(service: string, targets: readonly string[], forbidden: readonly string[]): string[] {
  if (targets.length === 0) return [];
  const head = `${service}:`;
  const names = merge(targets, forbidden);
  // Question marks merge prefixes of one length more often than suffixes: both searches are tried.
  let best: string[] | undefined;
  for (const suffixes of [true, false]) {
    const cover = new CoverSearch(names, head.length, suffixes).cover(0, names.length, 0, 0);
    const merged = mergeWithQuestionMarks(cover.patterns, names);
    if (!best || patternsSize(merged) < patternsSize(best)) best = merged;
  }
  return best!.map((p) => head + p);
}

/** Targets and forbidden names, sorted by lower case, a name that is both counted forbidden. */
function merge(targets: readonly string[], forbidden: readonly string[]): Name[] {
  const byLower = new Map<string, Name>();
  for (const text of targets) {
    const lower = text.toLowerCase();
    if (!byLower.has(lower)) byLower.set(lower, { text, lower, reversed: reverse(lower), target: true });
  }
  for (const text of forbidden) {
    const lower = text.toLowerCase();
    byLower.set(lower, { text, lower, reversed: reverse(lower), target: false });
  }
  return [...byLower.values()].sort((a, b) => (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0));
}

class CoverSearch {
  constructor(private readonly names: readonly Name[], private readonly headLength: number, private readonly suffixes: boolean) {}

  /**
   * The cover of the names in [lo, hi), which all start with the same `depth` characters and are
   * the only names that start with their first `short` characters (the parent's prefix and one
   * more): `short` characters and a star say "all of this node".
   */
  cover(lo: number, hi: number, depth: number, short: number): Cover {
    let targets = 0;
    for (let i = lo; i < hi; i++) if (this.names[i]!.target) targets++;
    if (targets === 0) return EMPTY;
    const first = this.names[lo]!;
    if (targets === hi - lo) return this.whole(first, lo, hi, short);
    const byChildren = this.byChildren(lo, hi, depth);
    // One target beside forbidden names is its exact name or found among the children: no suffix helps.
    if (targets < 2 || !this.suffixes) return byChildren;
    const bySuffix = this.bySuffix(lo, hi, short, byChildren.size);
    return bySuffix && bySuffix.size < byChildren.size ? bySuffix : byChildren;
  }

  /** Every name of the node is a target: its short prefix and a star, or a lone name as it is. */
  private whole(first: Name, lo: number, hi: number, short: number): Cover {
    const star = `${first.text.slice(0, short)}*`;
    const pattern = hi - lo === 1 && first.text.length <= star.length ? first.text : star;
    return { patterns: [pattern], size: this.cost(pattern) };
  }

  private cost(pattern: string): number {
    return this.headLength + pattern.length + PATTERN_OVERHEAD;
  }

  /** The node's own name, when it is a target, and the covers of its children. */
  private byChildren(lo: number, hi: number, depth: number): Cover {
    const patterns: string[] = [];
    let size = 0;
    let i = lo;
    // The node's own name sorts first: it is the prefix every other name extends.
    if (this.names[i]!.lower.length === depth) {
      if (this.names[i]!.target) {
        patterns.push(this.names[i]!.text);
        size += this.cost(this.names[i]!.text);
      }
      i++;
    }
    while (i < hi) {
      const c = this.names[i]!.lower.charCodeAt(depth);
      let j = i + 1;
      while (j < hi && this.names[j]!.lower.charCodeAt(depth) === c) j++;
      const childDepth = commonPrefix(this.names[i]!.lower, this.names[j - 1]!.lower);
      const child = this.cover(i, j, childDepth, depth + 1);
      for (const p of child.patterns) patterns.push(p);
      size += child.size;
      i = j;
    }
    return { patterns, size };
  }

  /**
   * One `prefix*suffix` per target, the prefix the node's short prefix and the suffix the shortest
   * that no forbidden name of the node ends with; targets no suffix can single out keep their name.
   * Undefined as soon as it costs `bound` or more.
   */
  private bySuffix(lo: number, hi: number, short: number, bound: number): Cover | undefined {
    const reversedForbidden: string[] = [];
    // The remainder after the prefix, backwards: the start of the whole name backwards.
    const back = (name: Name): string => name.reversed.slice(0, name.reversed.length - short);
    for (let i = lo; i < hi; i++) if (!this.names[i]!.target) reversedForbidden.push(back(this.names[i]!));
    reversedForbidden.sort();
    const prefix = this.names[lo]!.text.slice(0, short);
    const chosen = new Map<string, string>();
    let size = 0;
    for (let i = lo; i < hi; i++) {
      const name = this.names[i]!;
      if (!name.target) continue;
      const rest = back(name);
      const length = shortestUnshared(reversedForbidden, rest);
      const pattern = length === undefined
        ? name.text
        : `${prefix}*${name.text.slice(name.text.length - length)}`;
      const key = pattern.toLowerCase();
      if (chosen.has(key)) continue;
      chosen.set(key, pattern);
      size += this.cost(pattern);
      if (size >= bound) return undefined;
    }
    return { patterns: [...chosen.values()], size };
  }
}

/**
 * The length of the shortest prefix of `s` that no string of the sorted `set` starts with, or
 * undefined when `s` itself starts one of them. Only the two neighbours of `s` in sorted order can
 * share the longest prefix with it.
 */
function shortestUnshared(set: readonly string[], s: string): number | undefined {
  const lo = lowerBound(set, s);
  let shared = 0;
  if (lo < set.length) shared = Math.max(shared, commonPrefix(set[lo]!, s));
  if (lo > 0) shared = Math.max(shared, commonPrefix(set[lo - 1]!, s));
  return shared >= s.length ? undefined : shared + 1;
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function reverse(s: string): string {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) out += s[i];
  return out;
}

/**
 * Merges patterns of the same length that differ in one literal character into one with `?` there,
 * when the merged pattern matches no forbidden name: `Get?ucket*` for `GetBucket*` and `GetRucket*`.
 * Each merge saves a pattern; it may also allow targets other patterns allow, which changes nothing.
 */
function mergeWithQuestionMarks(patterns: readonly string[], names: readonly Name[]): string[] {
  let current = [...patterns];
  const forbidden = names.filter((n) => !n.target).map((n) => n.lower);
  for (let round = 0; round < 2; round++) {
    const next = mergeRound(current, forbidden);
    if (next.length === current.length) break;
    current = next;
  }
  return current;
}

function mergeRound(patterns: readonly string[], forbidden: readonly string[]): string[] {
  const gone = new Set<number>();
  const added: string[] = [];
  // Only patterns of one length can differ in one character: each length is merged on its own.
  const byLength = new Map<number, number[]>();
  patterns.forEach((p, i) => {
    const same = byLength.get(p.length);
    if (same) same.push(i);
    else byLength.set(p.length, [i]);
  });
  for (const [length, indexes] of byLength) {
    if (indexes.length < 2) continue;
    const lower = indexes.map((i) => patterns[i]!.toLowerCase());
    // Hashes of every prefix and suffix: "equal but at one position" is then a number to group by,
    // checked on the strings themselves only when a group forms.
    const before = lower.map((p) => prefixHashes(p));
    const after = lower.map((p) => prefixHashes(reverse(p)));
    for (let at = 0; at < length; at++) {
      const groups = new Map<number, number[]>();
      for (let k = 0; k < indexes.length; k++) {
        const c = lower[k]!.charCodeAt(at);
        if (gone.has(indexes[k]!) || c === 42 || c === 63) continue;
        const key = (before[k]![at]! ^ Math.imul(after[k]![length - at - 1]!, 0x9e3779b1)) >>> 0;
        const group = groups.get(key);
        if (group) group.push(k);
        else groups.set(key, [k]);
      }
      for (const group of groups.values()) {
        if (group.length < 2) continue;
        const first = lower[group[0]!]!;
        const same = group.filter((k) => equalBut(lower[k]!, first, at));
        if (same.length < 2) continue;
        const p = patterns[indexes[same[0]!]!]!;
        const merged = `${p.slice(0, at)}?${p.slice(at + 1)}`;
        if (matchesAny(merged, forbidden)) continue;
        for (const k of same) gone.add(indexes[k]!);
        added.push(merged);
      }
    }
  }
  return [...patterns.filter((_, i) => !gone.has(i)), ...added];
}

/** `h[i]`: a hash of the first `i` characters of `s`. */
function prefixHashes(s: string): number[] {
  const hashes = new Array<number>(s.length + 1);
  let h = 0;
  hashes[0] = 0;
  for (let i = 0; i < s.length; i++) {
    h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
    hashes[i + 1] = h;
  }
  return hashes;
}

/** Whether two strings of one length are equal at every position but `at`. */
function equalBut(a: string, b: string, at: number): boolean {
  for (let i = 0; i < a.length; i++) if (i !== at && a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

function matchesAny(pattern: string, names: readonly string[]): boolean {
  const glob = new Glob(pattern);
  const literal = glob.literalPrefix;
  for (const name of names) if (name.startsWith(literal) && glob.matches(name)) return true;
  return false;
}
