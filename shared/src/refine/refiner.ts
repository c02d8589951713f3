import type { Catalog } from '../catalog/catalog';
import type { UnusedAccess, UnusedOrigin } from '../findings/unusedAccess';
import { Glob } from '../patterns/glob';
import type { ActionPattern } from '../patterns/actionPattern';
import { type ActionRef, type TrieNode, actionsUnder, buildServiceTrie } from './trie';

/** An unused action that a pattern allows, with the findings that call it unused. */
export interface UnusedHit {
  action: ActionRef;
  origins: UnusedOrigin[];
}

export interface PatternAnalysis {
  /** Known actions (catalogue and findings) the pattern allows. */
  allowedCount: number;
  /** The unused ones among them, in name order. */
  unused: UnusedHit[];
  /** True when the pattern names one service and the findings call all of it unused. */
  wholeServiceUnused: boolean;
  /**
   * Undefined when the pattern may stay as written; otherwise what replaces it: the shortest safe
   * prefixes, sorted (empty: remove the pattern).
   */
  replacement?: string[];
}

export interface NotActionAnalysis {
  /** Unused actions the statement allows because its `NotAction` does not exclude them. */
  unused: UnusedHit[];
  /** Patterns to add to `NotAction` so that it excludes them: the shortest unused-only prefixes. */
  additions: string[];
}

interface Walk {
  matched: number;
  unused: number;
  emitted: string[];
}

/**
 * Refines action patterns against one set of unused actions. Keeps a token trie per service it has
 * been asked about, so repeated questions about the same document cost only the walk.
 */
export class Refiner {
  private readonly tries = new Map<string, TrieNode | undefined>();

  constructor(readonly catalog: Catalog, readonly unused: UnusedAccess) {}

  /** What a pattern allows, what of it is unused, and what should replace it. */
  analyzePattern(pattern: ActionPattern): PatternAnalysis {
    const hits: UnusedHit[] = [];
    const emitted: string[] = [];
    let allowedCount = 0;
    for (const service of this.servicesOf(pattern)) {
      if (!this.unused.hasService(service) && pattern.glob.coversAllExtensionsOf(`${service}:`)) {
        // A service the pattern allows whole, with nothing unused: no need to look inside it.
        allowedCount += this.catalog.actionCount(service) + this.unknownActions(service).length;
        emitted.push(`${service}:*`);
        continue;
      }
      const trie = this.trie(service);
      if (!trie) continue;
      const walk = this.walkAllowed(trie, pattern.glob, pattern.glob.advance(pattern.glob.start(), trie.lower), hits);
      allowedCount += walk.matched;
      emitted.push(...walk.emitted);
    }
    const wholeServiceUnused = pattern.singleService && this.unused.isWholeServiceUnused(pattern.service);
    const analysis: PatternAnalysis = { allowedCount, unused: sortHits(hits), wholeServiceUnused };
    if (hits.length > 0 || wholeServiceUnused) analysis.replacement = wholeServiceUnused ? [] : sortUnique(emitted);
    return analysis;
  }

  /** Which unused actions a `NotAction` list lets through, and what to add to it. */
  analyzeNotAction(patterns: readonly ActionPattern[]): NotActionAnalysis {
    const hits: UnusedHit[] = [];
    const additions: string[] = [];
    const excluded = (action: ActionRef): boolean => patterns.some((p) => p.glob.matches(action.lower));
    for (const service of this.unused.services()) {
      if (patterns.some((p) => p.glob.coversAllExtensionsOf(`${service}:`))) continue;
      const trie = this.trie(service);
      if (this.unused.isWholeServiceUnused(service)) {
        if (trie) for (const action of actionsUnder(trie)) if (!excluded(action)) hits.push(this.hit(action)!);
        additions.push(`${service}:*`);
        continue;
      }
      if (trie) additions.push(...this.walkExcludable(trie, excluded, hits).emitted);
    }
    return { unused: sortHits(hits), additions: sortUnique(additions) };
  }

  /** Every known action a pattern allows, in name order: what a hover lists. */
  expand(pattern: ActionPattern): ActionRef[] {
    const out: ActionRef[] = [];
    for (const service of this.servicesOf(pattern)) {
      const trie = this.trie(service);
      if (!trie) continue;
      for (const action of actionsUnder(trie)) if (pattern.glob.matches(action.lower)) out.push(action);
    }
    return out;
  }

  /** The unused verdict for one action, if it is unused. */
  hit(action: ActionRef): UnusedHit | undefined {
    const origins = this.unused.verdict(action.service, action.name);
    return origins ? { action, origins } : undefined;
  }

  /** The trie of a service's catalogue actions plus the unknown ones the findings name. */
  trie(service: string): TrieNode | undefined {
    if (this.tries.has(service)) return this.tries.get(service);
    const known = catalogTrie(this.catalog, service);
    // Actions newer than the catalogue are real actions of their service: they join the trie so
    // that no wildcard can let them through.
    const unknown = this.unknownActions(service).map((name) => ref(service, name));
    const trie = unknown.length === 0 ? known : buildServiceTrie(service, [...(known ? actionsUnder(known) : []), ...unknown]);
    this.tries.set(service, trie);
    return trie;
  }

  /** Actions the findings name that the catalogue does not know (yet). */
  private unknownActions(service: string): string[] {
    return this.unused.namedActions(service).filter((name) => !this.catalog.lookup(service, name));
  }

  private servicesOf(pattern: ActionPattern): string[] {
    if (pattern.singleService) return [pattern.service];
    const serviceGlob = new Glob(pattern.service);
    const all = new Set([...this.catalog.services(), ...this.unused.services(), ...this.unused.namedServices()]);
    return [...all].filter((s) => serviceGlob.matches(s)).sort();
  }

  /**
   * Post-order walk of the allowed side: a node whose matched actions are all used, and whose
   * `prefix*` allows nothing the pattern does not, replaces everything below it.
   */
  private walkAllowed(node: TrieNode, glob: Glob, states: readonly number[], hits: UnusedHit[], everything = false): Walk {
    const walk: Walk = { matched: 0, unused: 0, emitted: [] };
    // `states` is the pattern's automaton after reading this node's prefix: empty, nothing below
    // matches; universal, everything below does, and the automaton need not run any further.
    if (!everything && states.length === 0) return walk;
    const universal = everything || glob.isUniversal(states);
    if (node.action && (universal || glob.accepts(states))) {
      walk.matched++;
      const hit = this.hit(node.action);
      if (hit) {
        walk.unused++;
        hits.push(hit);
      } else {
        walk.emitted.push(node.action.full);
      }
    }
    for (const child of node.children) {
      const childStates = universal ? states : glob.advance(states, child.lower.slice(node.lower.length));
      const sub = this.walkAllowed(child, glob, childStates, hits, universal);
      walk.matched += sub.matched;
      walk.unused += sub.unused;
      walk.emitted.push(...sub.emitted);
    }
    if (walk.unused === 0 && walk.matched === node.size && collapsible(node) && universal) {
      walk.emitted = [collapse(node)];
    }
    return walk;
  }

  /**
   * The mirror image for `NotAction`: a node every action of which is unused or already excluded
   * can be excluded whole.
   */
  private walkExcludable(node: TrieNode, excluded: (a: ActionRef) => boolean, hits: UnusedHit[]): Walk {
    // Here `matched` counts the actions that must stay allowed; `unused` the ones still to exclude.
    const walk: Walk = { matched: 0, unused: 0, emitted: [] };
    if (node.action && !excluded(node.action)) {
      const hit = this.hit(node.action);
      if (hit) {
        walk.unused++;
        hits.push(hit);
        walk.emitted.push(node.action.full);
      } else {
        walk.matched++;
      }
    }
    for (const child of node.children) {
      const sub = this.walkExcludable(child, excluded, hits);
      walk.matched += sub.matched;
      walk.unused += sub.unused;
      walk.emitted.push(...sub.emitted);
    }
    if (walk.matched === 0 && walk.unused > 0 && collapsible(node)) walk.emitted = [collapse(node)];
    return walk;
  }
}

const catalogTries = new WeakMap<Catalog, Map<string, TrieNode | undefined>>();

/** The trie of a service's catalogue actions: the same for every findings set, so built once. */
function catalogTrie(catalog: Catalog, service: string): TrieNode | undefined {
  let tries = catalogTries.get(catalog);
  if (!tries) {
    tries = new Map();
    catalogTries.set(catalog, tries);
  }
  if (!tries.has(service)) {
    const refs = catalog.actions(service).map((a): ActionRef => ({ ...ref(service, a.name), catalog: a }));
    tries.set(service, buildServiceTrie(service, refs));
  }
  return tries.get(service);
}

function ref(service: string, name: string): ActionRef {
  const full = `${service}:${name}`;
  return { service, name, full, lower: full.toLowerCase() };
}

/** A subtree can be written as one pattern: its action's name, or `prefix*` when that means the subtree. */
function collapsible(node: TrieNode): boolean {
  return node.size === 1 || node.exclusive;
}

/** A subtree as one pattern: the action's own name when it holds one action, else `prefix*`. */
function collapse(node: TrieNode): string {
  return node.size === 1 ? node.first.full : `${node.prefix}*`;
}

function sortHits(hits: UnusedHit[]): UnusedHit[] {
  return hits.sort((a, b) => compare(a.action.lower, b.action.lower));
}

/** Sorted, without case-insensitive duplicates. */
export function sortUnique(patterns: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const p of patterns) {
    const key = p.toLowerCase();
    if (!byKey.has(key)) byKey.set(key, p);
  }
  return [...byKey.keys()].sort(compare).map((key) => byKey.get(key)!);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
