/**
 * IAM wildcard matching: `*` matches any run of characters (also none), `?` exactly one, and
 * everything else itself, case-insensitively. Patterns and subjects are compared lower-cased.
 *
 * Besides plain matching, a Glob runs as an automaton over pattern positions, so that a walk down a
 * trie of action names can carry its state from parent to child instead of starting over.
 */
export class Glob {
  readonly pattern: string;
  /** The characters before the first wildcard: every match starts with them. */
  readonly literalPrefix: string;
  readonly hasWildcard: boolean;
  /** Whether a state set is universal (accepts every continuation), by state set. */
  private readonly universal = new Map<string, boolean>();
  private readonly mark: Uint8Array;
  /** Where the pattern's final run of stars begins; its length when it does not end in a star. */
  private readonly trailingStars: number;

  constructor(pattern: string) {
    this.pattern = pattern.toLowerCase();
    const first = this.pattern.search(/[*?]/);
    this.hasWildcard = first >= 0;
    this.literalPrefix = first >= 0 ? this.pattern.slice(0, first) : this.pattern;
    this.mark = new Uint8Array(this.pattern.length + 1);
    let tail = this.pattern.length;
    while (tail > 0 && this.pattern.charCodeAt(tail - 1) === 42) tail--;
    this.trailingStars = tail;
  }

  /** Whether the pattern matches `subject` (already lower-cased). */
  matches(subject: string): boolean {
    const p = this.pattern;
    if (!this.hasWildcard) return p === subject;
    // Greedy match with backtracking to the last star: linear for one star, and never worse than
    // O(n·m) for several, which keeps hostile patterns harmless.
    let pi = 0;
    let si = 0;
    let star = -1;
    let mark = 0;
    while (si < subject.length) {
      const c = p.charCodeAt(pi);
      if (pi < p.length && (c === 63 /* ? */ || c === subject.charCodeAt(si))) {
        pi++;
        si++;
      } else if (pi < p.length && c === 42 /* * */) {
        star = pi++;
        mark = si;
      } else if (star >= 0) {
        pi = star + 1;
        si = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.length && p.charCodeAt(pi) === 42) pi++;
    return pi === p.length;
  }

  /**
   * Whether the pattern matches every string that starts with `prefix` (lower-cased): the test that
   * `prefix*` allows nothing the pattern does not.
   */
  coversAllExtensionsOf(prefix: string): boolean {
    return this.isUniversal(this.advance(this.start(), prefix));
  }

  /** The automaton's state before any input: pattern positions, ascending. */
  start(): readonly number[] {
    return this.closure([0]);
  }

  /** The state after reading `text` (lower-cased); empty when no continuation can match. */
  advance(states: readonly number[], text: string): readonly number[] {
    let current = states;
    for (let i = 0; i < text.length && current.length > 0; i++) current = this.step(current, text.charCodeAt(i));
    return current;
  }

  /** The input read so far is a match. */
  accepts(states: readonly number[]): boolean {
    return states.at(-1) === this.pattern.length;
  }

  /**
   * Every continuation of the input read so far is a match. A state at a trailing run of stars
   * settles it at once; otherwise every state set reachable from here must accept, over the
   * pattern's own characters plus one stand-in for all others.
   */
  isUniversal(states: readonly number[]): boolean {
    if (states.length === 0) return false;
    if (this.atTrailingStar(states)) return true;
    const key = states.join(',');
    const known = this.universal.get(key);
    if (known !== undefined) return known;
    const alphabet = [...new Set(this.pattern.replace(/[*?]/g, ''))].map((c) => c.charCodeAt(0));
    alphabet.push(-1); // any character the pattern does not name
    const seen = new Set<string>();
    const queue: (readonly number[])[] = [states];
    let result = true;
    while (queue.length > 0 && result) {
      const current = queue.pop()!;
      const currentKey = current.join(',');
      if (seen.has(currentKey)) continue;
      seen.add(currentKey);
      if (!this.accepts(current)) result = false;
      for (const c of alphabet) queue.push(this.step(current, c));
    }
    this.universal.set(key, result);
    return result;
  }

  /**
   * The cheap, common case of universality: a state sits on the pattern's trailing run of stars.
   * (The accept state, past the end, does not count: it accepts only the input read so far.)
   */
  atTrailingStar(states: readonly number[]): boolean {
    for (let i = states.length - 1; i >= 0; i--) {
      const s = states[i]!;
      if (s < this.trailingStars) return false;
      if (s < this.pattern.length) return true;
    }
    return false;
  }

  private step(states: readonly number[], c: number): number[] {
    const next: number[] = [];
    for (const s of states) {
      if (s >= this.pattern.length) continue;
      const p = this.pattern.charCodeAt(s);
      if (p === 42) next.push(s);
      else if (p === 63 || p === c) next.push(s + 1);
    }
    return this.closure(next);
  }

  /** Adds the states reachable by letting a `*` match nothing; ascending, without repeats. */
  private closure(states: number[]): number[] {
    const mark = this.mark;
    const n = this.pattern.length;
    let low = n;
    let high = 0;
    for (let s of states) {
      mark[s] = 1;
      low = Math.min(low, s);
      while (s < n && this.pattern.charCodeAt(s) === 42) mark[++s] = 1;
      high = Math.max(high, s);
    }
    const out: number[] = [];
    for (let i = low; i <= high; i++) {
      if (mark[i]) {
        out.push(i);
        mark[i] = 0;
      }
    }
    return out;
  }
}
