/**
 * The fewest word-aligned patterns that allow exactly a set of actions, by brute force: every
 * `service:` + leading words of an action name, as `prefix*`, and every exact name is a candidate;
 * a candidate is safe when, expanded over the universe, it allows only target actions; the answer
 * is a breadth-first search over the subsets of the target that safe candidates can cover. It
 * assumes nothing about how candidates nest, so it also checks the engine's reasoning about that.
 */
import { splitTokens } from '../../shared/src/catalog/tokens';
import type { Universe } from './expand';

/** Targets larger than this make the search too slow for a property test. */
export const MAX_TARGET = 14;

/**
 * The size of the smallest set of word-aligned patterns whose union, over the universe, is exactly
 * `target` (lower-case `service:name` keys).
 */
export function minimalWordCover(universe: Universe, target: ReadonlySet<string>): number {
  const keys = [...target];
  if (keys.length > MAX_TARGET) throw new Error(`target of ${keys.length} actions is over ${MAX_TARGET}`);
  const bit = new Map(keys.map((key, i) => [key, 1 << i]));
  const masks = new Set<number>();
  for (const candidate of wordCandidates(universe, keys)) {
    let mask = 0;
    let safe = true;
    for (const key of universe.matches(candidate)) {
      const b = bit.get(key);
      if (b === undefined) {
        safe = false;
        break;
      }
      mask |= b;
    }
    if (safe && mask !== 0) masks.add(mask);
  }
  const full = (1 << keys.length) - 1;
  const distance = new Map<number, number>([[0, 0]]);
  let frontier = [0];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const covered of frontier) {
      for (const mask of masks) {
        const reached = covered | mask;
        if (distance.has(reached)) continue;
        distance.set(reached, distance.get(covered)! + 1);
        if (reached === full) return distance.get(reached)!;
        next.push(reached);
      }
    }
    frontier = next;
  }
  if (full === 0) return 0;
  throw new Error(`no word-aligned cover of ${keys.join(', ')}`);
}

/**
 * `service:*`, and every exact name and `service:` + leading words + `*` of the target's actions. A
 * candidate made from any other action allows that action, which is outside the target: unsafe.
 */
function wordCandidates(universe: Universe, keys: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const action of keys.map((key) => universe.get(key)!)) {
    out.add(`${action.service}:*`);
    out.add(action.full);
    let prefix = `${action.service}:`;
    for (const token of splitTokens(action.name)) {
      prefix += token;
      out.add(`${prefix}*`);
    }
  }
  return out;
}
