import type { Catalog } from '../catalog/catalog';
import type { UnusedAccess, UnusedOrigin } from '../findings/unusedAccess';
import { Glob } from '../patterns/glob';
import type { ActionPattern } from '../patterns/actionPattern';
import { splitTokens } from '../catalog/tokens';
import {
  type ActionRef, type TrieNode, TrieBuilder, actionsUnder, buildServiceTrie, childWithLower, isExclusive, someWithPrefix,
} from './trie';
import { compactCover, patternsSize } from './compact';

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

/** A trie under construction and the actions not added to it yet. */
interface TrieBuild {
  readonly builder: TrieBuilder;
  readonly rest: ActionRef[];
}

/** Actions added to a trie per warm-up step: about 50 ms of work. */
const TRIE_BATCH = 20_000;

/**
 * Refines action patterns against one set of unused actions. Keeps a token trie per service it has
 * been asked about, so repeated questions about the same document cost only the walk.
 */
export class Refiner {
  private readonly tries = new Map<string, TrieNode | undefined>();
  /** Tries being built a batch at a time (see warmUp). */
  private readonly building = new Map<string, TrieBuild>();
  /**
   * Analyses by pattern text. A document is analysed again on every keystroke, and nearly all of
   * its patterns are the ones it had a keystroke ago; the answer depends on nothing else.
   */
  private readonly patterns = new Map<string, PatternAnalysis>();
  private readonly notActions = new Map<string, NotActionAnalysis>();
  private readonly expansions = new Map<string, readonly ActionRef[]>();
  private readonly compacts = new Map<string, readonly string[] | null>();
  /** Per service, what the findings call unused, for the question "does `prefix*` reach any of it?". */
  private readonly unusedNames = new Map<string, UnusedNames>();

  constructor(readonly catalog: Catalog, readonly unused: UnusedAccess) {}

  /** What a pattern allows, what of it is unused, and what should replace it. */
  analyzePattern(pattern: ActionPattern): PatternAnalysis {
    return remember(this.patterns, pattern.text, () => this.computePattern(pattern));
  }

  /**
   * The work analysing `patterns` will do and has not done yet, a piece per step: the names the
   * catalogue does not know, a batch of them into the trie, its names sorted, a batch of its
   * subtrees finished, the rest of it, one service's unused names, one pattern. Each piece is
   * remembered as the analysis itself would remember it, so running them first only splits the same
   * work up: a findings file of 100,000 made-up names makes each piece take up to about 150 ms
   * instead of the whole a second or more, and a caller that runs one step per turn of its event
   * loop keeps answering in between.
   */
  *warmUp(patterns: readonly ActionPattern[]): Generator<void, void, undefined> {
    const services = new Set<string>();
    const pending = new Map<string, ActionPattern>();
    for (const pattern of patterns) {
      if (this.patterns.has(pattern.text) || pending.has(pattern.text)) continue;
      pending.set(pattern.text, pattern);
      for (const service of this.servicesOf(pattern)) if (this.unused.hasService(service)) services.add(service);
    }
    for (const service of services) {
      const build = this.tries.has(service) ? undefined : this.startTrie(service);
      if (build) {
        yield;
        // An analysis between steps may have needed the trie, and finished it at once.
        while (build.rest.length > 0 && !this.tries.has(service)) {
          build.builder.add(build.rest.splice(0, TRIE_BATCH));
          yield;
        }
        if (!this.tries.has(service)) yield* build.builder.freezing(TRIE_BATCH);
        this.trie(service);
        yield;
      }
      const trie = this.trie(service);
      if (trie && !this.unusedNames.has(service)) {
        this.unusedNamesOf(service, trie);
        yield;
      }
    }
    for (const pattern of pending.values()) {
      this.analyzePattern(pattern);
      yield;
    }
  }

  /** Which unused actions a `NotAction` list lets through, and what to add to it. */
  analyzeNotAction(patterns: readonly ActionPattern[]): NotActionAnalysis {
    return remember(this.notActions, patterns.map((p) => p.text).join('\n'), () => this.computeNotAction(patterns));
  }

  private computePattern(pattern: ActionPattern): PatternAnalysis {
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
      const walk = { glob: pattern.glob, hits, out: emitted, unused: this.unusedNamesOf(service, trie), wider: new Set<string>() };
      const mark = emitted.length;
      allowedCount += this.walkAllowed(trie, pattern.glob.advance(pattern.glob.start(), trie.lower), walk).matched;
      if (walk.wider.size > 0) dropCovered(emitted, mark, walk.wider);
    }
    const wholeServiceUnused = pattern.singleService && this.unused.isWholeServiceUnused(pattern.service);
    const analysis: PatternAnalysis = { allowedCount, unused: sortHits(hits), wholeServiceUnused };
    if (hits.length > 0 || wholeServiceUnused) analysis.replacement = wholeServiceUnused ? [] : sortUnique(emitted);
    return analysis;
  }

  /**
   * The compact exact form of a pattern's replacement: patterns that allow exactly what the word
   * form allows among the known actions, in fewer characters; per service, the word form itself
   * when compacting does not make it smaller. Undefined when the pattern may stay as written.
   */
  compactReplacement(pattern: ActionPattern): readonly string[] | undefined {
    return remember(this.compacts, pattern.text, () => this.computeCompact(pattern)) ?? undefined;
  }

  private computeCompact(pattern: ActionPattern): readonly string[] | null {
    const words = this.analyzePattern(pattern).replacement;
    if (!words) return null;
    if (words.length === 0) return words;
    const byService = new Map<string, string[]>();
    for (const p of words) {
      const service = p.slice(0, p.indexOf(':')).toLowerCase();
      const group = byService.get(service);
      if (group) group.push(p);
      else byService.set(service, [p]);
    }
    const out: string[] = [];
    for (const [service, group] of byService) {
      const trie = group.length > 1 || !group[0]!.endsWith(':*') ? this.trie(service) : undefined;
      // The largest real service has under a thousand actions; tens of thousands come only from
      // made-up findings, whose names no compact form would make deployable anyway.
      if (!trie || trie.size > COMPACT_LIMIT) {
        out.push(...group);
        continue;
      }
      const targets: string[] = [];
      const forbidden: string[] = [];
      // What the word form allows here: what the pattern allows, less what is unused.
      for (const action of actionList(trie)) {
        (pattern.glob.matches(action.lower) && !this.hit(action) ? targets : forbidden).push(action.name);
      }
      const compact = compactCover(trie.prefix.slice(0, -1), targets, forbidden);
      out.push(...(patternsSize(compact) < patternsSize(group) ? compact : group));
    }
    return sortUnique(out);
  }

  private computeNotAction(patterns: readonly ActionPattern[]): NotActionAnalysis {
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
      if (trie) this.walkExcludable(trie, excluded, hits, additions);
    }
    return { unused: sortHits(hits), additions: sortUnique(additions) };
  }

  /**
   * Every known action a pattern allows, in name order: what a hover lists, and what the verifier
   * compares. Plain matching, deliberately apart from the automaton walk that refines.
   */
  expand(pattern: ActionPattern): readonly ActionRef[] {
    // Shared by text: the verifier asks about the same patterns for every statement that lists them.
    return remember(this.expansions, pattern.text, () => this.computeExpansion(pattern));
  }

  private computeExpansion(pattern: ActionPattern): ActionRef[] {
    const out: ActionRef[] = [];
    const literal = pattern.glob.literalPrefix;
    const visit = (node: TrieNode): void => {
      // Subtrees that cannot share the pattern's literal beginning hold no match.
      if (!node.lower.startsWith(literal) && !literal.startsWith(node.lower)) return;
      if (node.action && pattern.glob.matches(node.action.lower)) out.push(node.action);
      for (const child of node.children) visit(child);
    };
    for (const service of this.servicesOf(pattern)) {
      const trie = this.trie(service);
      if (trie) visit(trie);
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
    const build = this.startTrie(service);
    let trie: TrieNode | undefined;
    if (build) {
      build.builder.add(build.rest.splice(0));
      trie = build.builder.finish();
      this.building.delete(service);
    } else {
      trie = catalogTrie(this.catalog, service);
    }
    this.tries.set(service, trie);
    return trie;
  }

  /**
   * The build of a service's trie when the findings name actions the catalogue does not know;
   * undefined when the catalogue's own trie will do. Actions newer than the catalogue are real
   * actions of their service: they join the trie so that no wildcard can let them through.
   */
  private startTrie(service: string): TrieBuild | undefined {
    let build = this.building.get(service);
    if (!build) {
      const unknown = this.unknownActions(service).map((name) => ref(service, name));
      if (unknown.length === 0) return undefined;
      const known = catalogTrie(this.catalog, service);
      build = { builder: new TrieBuilder(service), rest: [...(known ? actionsUnder(known) : []), ...unknown] };
      this.building.set(service, build);
    }
    return build;
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
   * Walk of the allowed side, appending to `walk.out` the highest safe word prefixes: a node is
   * safe when its `prefix*`, as a string, allows nothing unused and nothing the pattern does not.
   * Such a `prefix*` may also match used siblings (`ListKey*` matches ListKeys): they were allowed,
   * and their own patterns are dropped afterwards, so the answer is the fewest word prefixes.
   */
  private walkAllowed(node: TrieNode, states: readonly number[], walk: AllowedWalk, everything = false): Counts {
    const { glob, hits, out } = walk;
    // `states` is the pattern's automaton after reading this node's prefix: empty, nothing below
    // matches; at a trailing star, everything below does and the automaton need not run further.
    if (!everything && states.length === 0) return NONE;
    const all = everything || glob.atTrailingStar(states);
    if (!walk.unused.reachedBy(node) && (all || glob.isUniversal(states))) {
      out.push(node.reach === 1 ? node.first.full : `${node.prefix}*`);
      if (!isExclusive(node)) walk.wider.add(node.lower);
      return { matched: node.size, unused: 0 };
    }
    let matched = 0;
    let unused = 0;
    if (node.action && (all || glob.accepts(states))) {
      matched++;
      const hit = this.hit(node.action);
      if (hit) {
        unused++;
        hits.push(hit);
      } else {
        out.push(node.action.full);
      }
    }
    for (const child of node.children) {
      const childStates = all ? states : glob.advance(states, child.lower.slice(node.lower.length));
      const sub = this.walkAllowed(child, childStates, walk, all);
      matched += sub.matched;
      unused += sub.unused;
    }
    return { matched, unused };
  }

  /** A service's unused names; a wholly unused service reaches every prefix, future actions included. */
  private unusedNamesOf(service: string, trie: TrieNode): UnusedNames {
    let names = this.unusedNames.get(service);
    if (!names) {
      const unused = this.unused.isWholeServiceUnused(service) ? undefined
        : this.unused.namedActions(service).filter((name) => this.unused.verdict(service, name));
      const paths = unused && this.pathsOf(service, unused, trie);
      if (!paths) {
        names = { reachedBy: () => true };
      } else {
        let sorted: string[] | undefined;
        // On an exclusive node the string match is the subtree, which the paths answer at once;
        // only the others (ListKey, beside ListKeys) need the names.
        names = {
          reachedBy: (node) => paths.has(node) || (!isExclusive(node)
            && someWithPrefix(sorted ??= unused!.map((name) => `${service}:${name.toLowerCase()}`).sort(), node.lower)),
        };
      }
      this.unusedNames.set(service, names);
    }
    return names;
  }

  /**
   * The nodes on the word paths of the unused names, found from the names rather than by searching
   * the trie; undefined if a name has no path, which cannot happen (and then no subtree is trusted).
   */
  private pathsOf(service: string, unused: readonly string[], trie: TrieNode): Set<TrieNode> | undefined {
    const nodes = new Set<TrieNode>([trie]);
    for (const name of unused) {
      // The path the trie was built along: the catalogue's words for a known action, else the name's.
      let node = trie;
      for (const token of this.catalog.lookup(service, name)?.tokens ?? splitTokens(name)) {
        const child = childWithLower(node, node.lower + token.toLowerCase());
        if (!child) return undefined;
        node = child;
        nodes.add(node);
      }
    }
    return nodes;
  }

  /**
   * The mirror image for `NotAction`: a node every action of which is unused or already excluded
   * can be excluded whole. `matched` counts here the actions that must stay allowed.
   */
  private walkExcludable(node: TrieNode, excluded: (a: ActionRef) => boolean, hits: UnusedHit[], out: string[]): Counts {
    const mark = out.length;
    let matched = 0;
    let unused = 0;
    if (node.action && !excluded(node.action)) {
      const hit = this.hit(node.action);
      if (hit) {
        unused++;
        hits.push(hit);
        out.push(node.action.full);
      } else {
        matched++;
      }
    }
    for (const child of node.children) {
      const sub = this.walkExcludable(child, excluded, hits, out);
      matched += sub.matched;
      unused += sub.unused;
    }
    if (matched === 0 && unused > 0 && collapsible(node)) {
      out.length = mark;
      out.push(collapse(node));
    }
    return { matched, unused };
  }
}

/** Services with more known actions than this keep the word form: see computeCompact. */
const COMPACT_LIMIT = 5000;

interface AllowedWalk {
  glob: Glob;
  hits: UnusedHit[];
  out: string[];
  unused: UnusedNames;
  /** Lower-case prefixes written as `prefix*` that also match actions beside their own subtree. */
  wider: Set<string>;
}

interface UnusedNames {
  /** Whether `node.prefix*`, as a string, matches an unused action. */
  reachedBy(node: TrieNode): boolean;
}

interface Counts {
  matched: number;
  unused: number;
}

const NONE: Counts = { matched: 0, unused: 0 };

function remember<T>(memo: Map<string, T>, key: string, compute: () => T): T {
  let value = memo.get(key);
  if (value === undefined) {
    // A bound on what a long editing session can accumulate.
    if (memo.size >= 20000) memo.clear();
    value = compute();
    memo.set(key, value);
  }
  return value;
}

/**
 * Removes, from what `out` gained after `mark` in one service's walk, the patterns that a wider
 * `prefix*` already matches: `DescribeIpams*` matches DescribeIpamScopes, written before it.
 */
function dropCovered(out: string[], mark: number, wider: ReadonlySet<string>): void {
  const kept = out.slice(mark).filter((pattern) => {
    const lower = pattern.toLowerCase();
    const star = lower.endsWith('*');
    const stem = star ? lower.slice(0, -1) : lower;
    for (const prefix of wider) if (stem.startsWith(prefix) && (stem !== prefix || !star)) return false;
    return true;
  });
  out.length = mark;
  out.push(...kept);
}

const catalogTries = new WeakMap<Catalog, Map<string, TrieNode | undefined>>();

/**
 * Builds a service's catalogue trie ahead of the first pattern that needs it: a server that is idle
 * can spend the time before a policy is opened, not after.
 */
export function prepareCatalogTrie(catalog: Catalog, service: string): void {
  catalogTrie(catalog, service);
}

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

/** Every action of a trie in prefix order, as an array: cheaper to build than to iterate `actionsUnder`. */
function actionList(node: TrieNode, out: ActionRef[] = []): ActionRef[] {
  if (node.action) out.push(node.action);
  for (const child of node.children) actionList(child, out);
  return out;
}

function ref(service: string, name: string): ActionRef {
  const full = `${service}:${name}`;
  return { service, name, full, lower: full.toLowerCase() };
}

/** A subtree can be written as one pattern: its action's name, or `prefix*` when that means the subtree. */
function collapsible(node: TrieNode): boolean {
  return node.size === 1 || isExclusive(node);
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
