/**
 * "Never allows anything new": whether a replacement pattern allows only strings its original
 * allows. Three independent checks, none of which uses the engine's matcher:
 *  - an exact language-inclusion decision between the two wildcard patterns (a product of their
 *    automata, breadth first, which also yields the shortest witness string);
 *  - probe strings near real action names (suffixes added, characters changed or dropped), tested
 *    with the regular expressions of ./expand;
 *  - random members of the replacement's language (for `P*`: P plus random suffixes), which the
 *    original's regular expression must match.
 */
import { patternRegExp, type Universe } from './expand';

const STAR = '*';
const ANY = '?';

/** The states reachable from `states` by letting stars match nothing. */
function closure(p: string, states: Iterable<number>): number[] {
  const out = new Set<number>();
  for (const s0 of states) {
    let s = s0;
    out.add(s);
    while (s < p.length && p[s] === STAR) out.add(++s);
  }
  return [...out].sort((a, b) => a - b);
}

function step(p: string, states: readonly number[], c: string): number[] {
  const next: number[] = [];
  for (const s of states) {
    if (s >= p.length) continue;
    const t = p[s];
    if (t === STAR) next.push(s);
    else if (t === ANY || t === c) next.push(s + 1);
  }
  return closure(p, next);
}

/**
 * A string `inner` allows and `outer` does not (lower-cased), or undefined when every string
 * `inner` allows `outer` allows too. Case-insensitive, like IAM.
 */
export function inclusionWitness(inner: string, outer: string): string | undefined {
  const p = inner.toLowerCase();
  const q = outer.toLowerCase();
  const letters = new Set([...p, ...q].filter((c) => c !== STAR && c !== ANY));
  // One stand-in for every character neither pattern names: they all behave alike.
  let other = '#';
  for (const candidate of '#~!@$%^&') if (!letters.has(candidate)) { other = candidate; break; }
  const alphabet = [...letters, other];
  const start = { inner: closure(p, [0]), outer: closure(q, [0]), word: '' };
  const seen = new Set<string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const cur = queue[head]!;
    const key = `${cur.inner.join(',')}|${cur.outer.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (cur.inner.includes(p.length) && !cur.outer.includes(q.length)) return cur.word;
    for (const c of alphabet) {
      const inner2 = step(p, cur.inner, c);
      if (inner2.length === 0) continue; // inner allows nothing from here on
      queue.push({ inner: inner2, outer: step(q, cur.outer, c), word: cur.word + c });
    }
  }
  return undefined;
}

/** A small seeded generator, so that probes are reproducible from the case that made them. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUFFIX_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';

/**
 * Random strings the pattern allows: each star becomes a random run (often empty, often made of
 * letters the other pattern uses), each `?` a random character.
 */
export function samplesOf(pattern: string, count: number, random: () => number, hint = ''): string[] {
  const pool = `${SUFFIX_CHARS}${hint.replace(/[*?:]/g, '')}`;
  const pick = (): string => pool[Math.floor(random() * pool.length)]!;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    for (const c of pattern) {
      if (c === STAR) {
        const mode = random();
        if (mode < 0.25) continue;
        if (mode < 0.5 && hint.length > 0) {
          // A slice of the other pattern's literal text: the hard cases for inclusion.
          const start = Math.floor(random() * hint.length);
          s += hint.slice(start, start + 1 + Math.floor(random() * 8)).replace(/[*?]/g, '');
          continue;
        }
        const n = 1 + Math.floor(random() * 6);
        for (let k = 0; k < n; k++) s += pick();
      } else if (c === ANY) {
        s += pick();
      } else {
        s += c;
      }
    }
    out.push(s);
  }
  return out;
}

const probeCache = new WeakMap<Universe, Map<string, string[]>>();

/**
 * Strings near the real actions of a service: each action with `X`, `Zzz`, `2` or `s` appended,
 * its last character dropped or changed. Not real actions, but strings a future action could be.
 */
export function probeStrings(universe: Universe, service: string): string[] {
  let byService = probeCache.get(universe);
  if (!byService) probeCache.set(universe, (byService = new Map()));
  const cached = byService.get(service);
  if (cached) return cached;
  const out: string[] = [];
  for (const a of universe.actionsOf(service)) {
    out.push(`${a.full}X`, `${a.full}Zzz`, `${a.full}2`, `${a.full}s`, a.full.slice(0, -1), `${a.full.slice(0, -1)}Q`);
  }
  byService.set(service, out);
  return out;
}

/**
 * Why `replacement` may allow something `original` does not, or undefined when it cannot.
 * Checks the exact inclusion, then probes and random samples (the latter must agree with it).
 */
export function containmentProblem(replacement: string, original: string, universe: Universe, seed: number): string | undefined {
  const witness = inclusionWitness(replacement, original);
  if (witness !== undefined) return `"${replacement}" allows "${witness}", which "${original}" does not`;
  const inner = patternRegExp(replacement);
  const outer = patternRegExp(original);
  for (const service of universe.servicesOf(replacement)) {
    for (const probe of probeStrings(universe, service)) {
      if (inner.test(probe) && !outer.test(probe)) return `"${replacement}" allows probe "${probe}", which "${original}" does not`;
    }
  }
  const random = rng(seed);
  for (const sample of samplesOf(replacement, 12, random, original)) {
    if (!outer.test(sample)) return `"${replacement}" allows sample "${sample}", which "${original}" does not`;
  }
  return undefined;
}
