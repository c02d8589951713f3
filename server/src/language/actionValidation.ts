import type { Range } from 'vscode-languageserver';
import type { ActionEntry, PolicyFile, PolicyStatement } from '../../../shared/src/policy/policyDocument';
import type { ActionPattern } from '../../../shared/src/patterns/actionPattern';
import type { Refiner } from '../../../shared/src/refine/refiner';
import { actionsUnder } from '../../../shared/src/refine/trie';
import { closestNames, distanceLimit } from '../../../shared/src/text/closest';
import { applyEdits, type TextEdit } from '../../../shared/src/text/textEdit';
import { type PolicyDocumentState, toRange } from './documentState';

// Typos in action lists: an action or a wildcard that names nothing the catalogue (or the findings)
// knows, and a service prefix that is no service, each with "Did you mean …?" renames.

export type ValidationCode = 'unknown-action' | 'unknown-service';

/** What is wrong with an action entry, and what it may have meant. */
export interface UnknownName {
  readonly code: ValidationCode;
  readonly message: string;
  /** Whole action texts to put in its place, nearest first (empty: no good guess). */
  readonly suggestions: readonly string[];
}

/** One "Did you mean …?" fix: a rename of one action string, checked by `check` rather than by the refinement verifier. */
export interface RenameOffer {
  readonly title: string;
  /** Identifies the offer within one document version. */
  readonly key: string;
  readonly edit: TextEdit;
  /** The text with the rename still parses, and only this one action changed. */
  check(): boolean;
}

/**
 * Verdicts by refiner, then by action text. The catalogue does not change during a session and a
 * refiner stands for one set of findings, so an entry's verdict is computed once, not per keystroke;
 * a document's other statements ask about the same texts again and again.
 */
const verdicts = new WeakMap<Refiner, Map<string, UnknownName | null>>();

/** A bound on what a long editing session can accumulate per refiner. */
const CACHE_LIMIT = 20000;

/** Why an entry names nothing known, or undefined when it names something (or cannot be known: an expression). */
export function checkEntry(refiner: Refiner, entry: ActionEntry): UnknownName | undefined {
  const pattern = entry.pattern;
  if (!pattern || entry.dynamic) return undefined;
  let cache = verdicts.get(refiner);
  if (!cache) {
    cache = new Map();
    verdicts.set(refiner, cache);
  }
  let verdict = cache.get(pattern.text);
  if (verdict === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    verdict = judge(refiner, pattern) ?? null;
    cache.set(pattern.text, verdict);
  }
  return verdict ?? undefined;
}

/** The unknown names of a statement's `Action` or `NotAction` list, each with its entry. */
export function unknownNames(refiner: Refiner, statement: PolicyStatement): { entry: ActionEntry; unknown: UnknownName }[] {
  const out: { entry: ActionEntry; unknown: UnknownName }[] = [];
  for (const entry of statement.entries) {
    const unknown = checkEntry(refiner, entry);
    if (unknown) out.push({ entry, unknown });
  }
  return out;
}

function judge(refiner: Refiner, pattern: ActionPattern): UnknownName | undefined {
  if (pattern.text === '*') return undefined;
  const catalog = refiner.catalog;
  const edition = `action catalogue of ${catalog.date}`;
  const written = pattern.text.slice(0, pattern.text.indexOf(':'));
  if (pattern.singleService && !catalog.hasService(pattern.service)) {
    // A service the findings name is real, only newer than the catalogue: its actions cannot be checked.
    if (refiner.unused.hasService(pattern.service) || refiner.unused.namedActions(pattern.service).length > 0) return undefined;
    const suggestions = closestNames(written, catalog.services()).map((service) => `${service}:${pattern.name}`);
    return { code: 'unknown-service', message: `${written} (in ${pattern.text}) is not a known service prefix (${edition}).`, suggestions };
  }
  // The catalogue plus the actions the findings name, as the refiner and the hover see them. The
  // count comes with the pattern's analysis, which refining the statement makes anyway.
  if (refiner.analyzePattern(pattern).allowedCount > 0) return undefined;
  if (!pattern.singleService) {
    return { code: 'unknown-action', message: `${pattern.text} matches no known action (${edition}).`, suggestions: [] };
  }
  const title = catalog.serviceTitle(pattern.service) ?? pattern.service;
  const trie = refiner.trie(pattern.service);
  const names = trie ? [...actionsUnder(trie)].map((a) => a.name) : [];
  if (!pattern.glob.hasWildcard) {
    const suggestions = closestNames(pattern.name, names).map((name) => `${written}:${name}`);
    return { code: 'unknown-action', message: `${pattern.text} is not a known action of ${title} (${edition}).`, suggestions };
  }
  const suggestions = prefixSuggestions(pattern.name, names).map((prefix) => `${written}:${prefix}*`);
  return { code: 'unknown-action', message: `${pattern.text} matches no known action of ${title} (${edition}).`, suggestions };
}

/**
 * For a wildcard `Literal*` that matches nothing: the known name prefixes closest to `Literal`,
 * so that `GetObjekt*` becomes `GetObject*`. Other wildcards (`Get?bjekt`, `*Objekt`) get no guess.
 * A prefix that would match the same actions as a nearer one, or a part or a superset of them, is not offered.
 */
function prefixSuggestions(name: string, names: readonly string[]): string[] {
  const literal = name.slice(0, -1);
  if (!name.endsWith('*') || literal.length === 0 || /[*?]/.test(literal)) return [];
  const limit = distanceLimit(literal);
  const prefixes = new Set<string>();
  for (const known of names) {
    for (let length = Math.max(1, literal.length - limit); length <= literal.length + limit && length <= known.length; length++) {
      prefixes.add(known.slice(0, length));
    }
  }
  const lowerNames = names.map((n) => n.toLowerCase());
  const matched = (prefix: string): string => {
    const lower = prefix.toLowerCase();
    return lowerNames.filter((n) => n.startsWith(lower)).sort().join(',');
  };
  const out: string[] = [];
  const seen = new Set<string>();
  for (const prefix of closestNames(literal, prefixes, Number.POSITIVE_INFINITY)) {
    const set = matched(prefix);
    // `GetObjectA*` is only a narrower `GetObject*`, `GetObjec*` the same: neither is another guess.
    const lower = prefix.toLowerCase();
    if (seen.has(set) || out.some((o) => lower.startsWith(o.toLowerCase()) || o.toLowerCase().startsWith(lower))) continue;
    seen.add(set);
    out.push(prefix);
    if (out.length === 3) break;
  }
  return out;
}

/**
 * The "Did you mean …?" fixes for the unknown name whose diagnostic has `range`: each replaces the
 * action text inside its quotes (or the plain YAML scalar), so that the quoting of every format is kept.
 */
export function renameOffers(state: PolicyDocumentState, range: Range): RenameOffer[] {
  const found = entryAt(state, range);
  if (!found) return [];
  const { entry, refiner, index } = found;
  const unknown = checkEntry(refiner, entry);
  if (!unknown || unknown.suggestions.length === 0) return [];
  const raw = state.text.slice(entry.node.offset, entry.node.offset + entry.node.length);
  // An action spelled with escapes (`\u0047et…`) is not found as written: it is not renamed.
  const at = raw.indexOf(entry.value);
  if (at < 0 || raw.indexOf(entry.value, at + 1) >= 0) return [];
  const offset = entry.node.offset + at;
  return unknown.suggestions.map((suggestion) => {
    const edit: TextEdit = { offset, length: entry.value.length, newText: suggestion };
    return {
      title: `Did you mean ${suggestion}?`,
      key: `rename ${offset} ${suggestion}`,
      edit,
      check: () => renamesOnly(state, index, edit, suggestion),
    };
  });
}

/** The entry whose string has `range`, the refiner of its policy, and its place among the file's entries. */
function entryAt(state: PolicyDocumentState, range: Range): { entry: ActionEntry; refiner: Refiner; index: number } | undefined {
  let index = 0;
  for (const refinement of state.analysis.refinements) {
    for (const statement of refinement.policy.statements) {
      for (const entry of statement.entries) {
        const r = toRange(state.lines, entry.span);
        if (r.start.line === range.start.line && r.start.character === range.start.character
          && r.end.line === range.end.line && r.end.character === range.end.character) {
          return { entry, refiner: refinement.refiner, index };
        }
        index++;
      }
    }
  }
  return undefined;
}

/**
 * The check a rename gets instead of the refinement verifier (it is no refinement: it changes what
 * is allowed, on purpose): the renamed text still reads without syntax errors, with the same
 * policies, statements and entries, and only the one entry now reads as the suggestion.
 */
function renamesOnly(state: PolicyDocumentState, index: number, edit: TextEdit, suggestion: string): boolean {
  const file = state.analysis.read(applyEdits(state.text, [edit]));
  if (file.syntaxErrors.length > 0) return false;
  const before = entryValues(state.analysis.file);
  const after = entryValues(file);
  if (before.length !== after.length) return false;
  return after.every((value, i) => (i === index ? value === entryKey(before[i]!, suggestion) : value === before[i]));
}

/** Every entry of a file, with the policy and statement it is in: `policy/statement/value`. */
function entryValues(file: PolicyFile): string[] {
  return file.policies.flatMap((policy, p) => policy.statements.flatMap((statement, s) =>
    statement.entries.map((entry) => `${p}/${s}/${entry.value}`)));
}

function entryKey(before: string, value: string): string {
  return `${before.slice(0, before.indexOf('/', before.indexOf('/') + 1) + 1)}${value}`;
}
