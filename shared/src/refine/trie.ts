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
  if (actions.length === 0) return undefined;
  const root: MutableNode = { prefix: `${service}:`, children: new Map() };
  for (const action of actions) {
    let node = root;
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
  }
  const names = [...new Set(actions.map((a) => a.lower))].sort();
  return freeze(root, names);
}

function freeze(node: MutableNode, names: readonly string[]): TrieNode {
  const children = [...node.children.values()]
    .map((child) => freeze(child, names))
    .sort((a, b) => (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0));
  let size = node.action ? 1 : 0;
  for (const child of children) size += child.size;
  const first = node.action ?? children[0]!.first;
  const lower = node.prefix.toLowerCase();
  return { prefix: node.prefix, lower, children, action: node.action, size, first, reach: countWithPrefix(names, lower) };
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

/** How many of the sorted `names` start with `prefix`: they form one run, found by two searches. */
function countWithPrefix(names: readonly string[], prefix: string): number {
  return lowerBound(names, `${prefix}\uffff`) - lowerBound(names, prefix);
}

/** Where `key` goes among the sorted `names`: the index of the first that is not smaller. */
export function lowerBound(names: readonly string[], key: string): number {
  let lo = 0;
  let hi = names.length;
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
