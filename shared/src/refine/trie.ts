import type { CatalogAction } from '../catalog/catalog';
import { splitTokens } from '../catalog/tokens';

/** An action the refinement reasons about: from the catalogue, or named only by the findings. */
export interface ActionRef {
  readonly service: string;
  readonly name: string;
  /** `service:Name`, canonical spelling. */
  readonly full: string;
  /** `full`, lower-cased, for matching. */
  readonly lower: string;
  /** Undefined for actions the catalogue does not know yet. */
  readonly catalog?: CatalogAction;
}

/**
 * A node of one service's token trie: the actions whose names start with the same words.
 * The service node itself has the prefix `service:`.
 */
export interface TrieNode {
  /** `s3:GetObject`, canonical spelling. */
  readonly prefix: string;
  readonly lower: string;
  /** Children in alphabetical order of their prefixes. */
  readonly children: readonly TrieNode[];
  /** The action named exactly by this prefix, if there is one. */
  readonly action?: ActionRef;
  /** Number of actions in this subtree, this node's own included. */
  readonly size: number;
  /** The subtree's actions in prefix order, for nodes of size one and for expansion. */
  readonly first: ActionRef;
  /**
   * How many actions start with this prefix as a string: what `prefix*` matches. Words are not
   * prefix-closed: under `List`, the node `ListKey` holds ListKeyPolicies but not its sibling
   * ListKeys, which the string pattern `ListKey*` matches all the same, so `reach` may exceed `size`.
   */
  readonly reach: number;
}

interface MutableNode {
  prefix: string;
  children: Map<string, MutableNode>;
  action?: ActionRef;
}

/** Builds the trie of one service's actions; duplicates (by case-insensitive name) count once. */
export function buildServiceTrie(service: string, actions: readonly ActionRef[]): TrieNode | undefined {
  const builder = new TrieBuilder(service);
  builder.add(actions);
  return builder.finish();
}

/**
 * A service's trie built in parts: actions added a batch at a time, then finished. A caller with
 * 100,000 names to add can spread the work over several turns of its event loop.
 */
export class TrieBuilder {
  private readonly root: MutableNode;
  private names: string[] = [];
  private sorted = false;
  /** Subtrees finished ahead of the whole (see freezing). */
  private readonly frozen = new Map<MutableNode, TrieNode>();

  constructor(service: string) {
    this.root = { prefix: `${service}:`, children: new Map() };
  }

  add(actions: readonly ActionRef[]): void {
    if (actions.length === 0) return;
    for (const action of actions) {
      let node = this.root;
      const tokens = action.catalog?.tokens ?? splitTokens(action.name);
      for (const token of tokens) {
        const key = token.toLowerCase();
        let child = node.children.get(key);
        if (!child) {
          child = { prefix: node.prefix + token, children: new Map() };
          node.children.set(key, child);
        }
        node = child;
      }
      node.action ??= action;
      this.names.push(action.lower);
    }
    this.sorted = false;
  }

  /** The names in order, each once, which finishing needs. */
  private sortNames(): void {
    if (this.sorted) return;
    this.names = [...new Set(this.names)].sort();
    this.sorted = true;
  }

  /**
   * Finishes the subtrees two words down (`s3:GetObject…`), a step each time about `batch` names'
   * worth is done, so that `finish` has only the top left to do. Adding actions afterwards is not
   * allowed: a finished subtree would not see them.
   */
  *freezing(batch: number): Generator<void, void, undefined> {
    this.sortNames();
    yield;
    let done = 0;
    for (const child of this.root.children.values()) {
      for (const grandchild of child.children.values()) {
        const frozen = freeze(grandchild, this.names, 0, this.names.length, this.frozen);
        this.frozen.set(grandchild, frozen);
        done += frozen.size;
        if (done >= batch) {
          done = 0;
          yield;
        }
      }
    }
  }

  /** The trie of every action added; undefined when there is none. */
  finish(): TrieNode | undefined {
    if (this.names.length === 0) return undefined;
    this.sortNames();
    return freeze(this.root, this.names, 0, this.names.length, this.frozen);
  }
}

/**
 * The node's names among the sorted `names` are a run inside its parent's run, `from` to `to`: a
 * child prefix extends its parent's, so each search is over the parent's run alone.
 */
function freeze(
  node: MutableNode, names: readonly string[], from: number, to: number, frozen?: ReadonlyMap<MutableNode, TrieNode>,
): TrieNode {
  const known = frozen?.get(node);
  if (known) return known;
  const lower = node.prefix.toLowerCase();
  const start = lowerBound(names, lower, from, to);
  const end = lowerBound(names, `${lower}\uffff`, start, to);
  const children = [...node.children.values()]
    .map((child) => freeze(child, names, start, end, frozen))
    .sort((a, b) => (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0));
  let size = node.action ? 1 : 0;
  for (const child of children) size += child.size;
  const first = node.action ?? children[0]!.first;
  return { prefix: node.prefix, lower, children, action: node.action, size, first, reach: end - start };
}

/** The child of `node` whose lower-case prefix is `lower`, found by bisection: children are sorted. */
export function childWithLower(node: TrieNode, lower: string): TrieNode | undefined {
  const children = node.children;
  let lo = 0;
  let hi = children.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (children[mid]!.lower < lower) lo = mid + 1;
    else hi = mid;
  }
  return children[lo]?.lower === lower ? children[lo] : undefined;
}

/** Whether `prefix*` matches exactly the node's subtree, nothing beside it. */
export function isExclusive(node: TrieNode): boolean {
  return node.reach === node.size;
}

/** Whether any of the sorted `names` starts with `prefix`. */
export function someWithPrefix(names: readonly string[], prefix: string): boolean {
  const at = lowerBound(names, prefix);
  return at < names.length && names[at]!.startsWith(prefix);
}

/** Where `key` goes among the sorted `names` (from `lo` to `hi`): the index of the first that is not smaller. */
export function lowerBound(names: readonly string[], key: string, lo = 0, hi = names.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (names[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every action in a subtree, in prefix order. */
export function* actionsUnder(node: TrieNode): Generator<ActionRef> {
  if (node.action) yield node.action;
  for (const child of node.children) yield* actionsUnder(child);
}
