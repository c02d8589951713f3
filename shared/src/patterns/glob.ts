/**
 * IAM wildcard matching: `*` matches any run of characters (also none), `?` exactly one, and
 * everything else itself, case-insensitively. Patterns and subjects are compared lower-cased.
 */
export class Glob {
  readonly pattern: string;
  /** The characters before the first wildcard: every match starts with them. */
  readonly literalPrefix: string;
  readonly hasWildcard: boolean;

  constructor(pattern: string) {
    this.pattern = pattern.toLowerCase();
    const first = this.pattern.search(/[*?]/);
    this.hasWildcard = first >= 0;
    this.literalPrefix = first >= 0 ? this.pattern.slice(0, first) : this.pattern;
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
   * `prefix*` allows nothing the pattern does not. Simulates the pattern's automaton on the prefix,
   * then checks that every state set reachable from there accepts. The alphabet that matters is the
   * pattern's own literal characters plus one stand-in for all others.
   */
  coversAllExtensionsOf(prefix: string): boolean {
    let states = this.closure([0]);
    for (let i = 0; i < prefix.length && states.length > 0; i++) states = this.step(states, prefix.charCodeAt(i));
    if (states.length === 0) return false;
    const alphabet = [...new Set([...this.pattern].filter((c) => c !== '*' && c !== '?'))].map((c) => c.charCodeAt(0));
    alphabet.push(-1); // any character the pattern does not name
    const seen = new Set<string>();
    const queue = [states];
    while (queue.length > 0) {
      const current = queue.pop()!;
      const key = current.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      if (!current.includes(this.pattern.length)) return false;
      for (const c of alphabet) queue.push(this.step(current, c));
    }
    return true;
  }

  private step(states: number[], c: number): number[] {
    const next: number[] = [];
    for (const s of states) {
      if (s >= this.pattern.length) continue;
      const p = this.pattern.charCodeAt(s);
      if (p === 42) next.push(s);
      else if (p === 63 || p === c) next.push(s + 1);
    }
    return this.closure(next);
  }

  /** Adds the states reachable by letting a `*` match nothing; sorted and unique. */
  private closure(states: number[]): number[] {
    const out = new Set<number>();
    for (let s of states) {
      out.add(s);
      while (s < this.pattern.length && this.pattern.charCodeAt(s) === 42) out.add(++s);
    }
    return [...out].sort((a, b) => a - b);
  }
}
