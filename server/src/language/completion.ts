import {
  type CompletionItem, CompletionItemKind, type CompletionList, InsertTextFormat, MarkupKind, type Range,
} from 'vscode-languageserver';
import type { Catalog, CatalogAction } from '../../../shared/src/catalog/catalog';
import { parseActionPattern } from '../../../shared/src/patterns/actionPattern';
import type { SourceFormat } from '../../../shared/src/policy/policySource';
import type { Refiner } from '../../../shared/src/refine/refiner';
import type { ActionRef } from '../../../shared/src/refine/trie';
import type { LineIndex } from '../../../shared/src/text/problem';
import type { LoadedFindings } from '../workspace/findingsFiles';
import type { PolicyFile } from '../../../shared/src/policy/policyDocument';
import { accessLevelCounts } from './hover';
import { plural } from './verdicts';

// Completion of action names where a policy lists them (Action, NotAction, Terraform's actions and
// not_actions) and in findings files: service prefixes first, then the service's actions.

/** What a resolve needs to find the description of an offered action. */
interface ActionData {
  readonly service: string;
  readonly name: string;
}

/** The characters an action token is made of; anything else ends it. */
const TOKEN_CHAR = /[A-Za-z0-9:*?_.-]/;

/** The partial action under the cursor: what is typed before it, and the whole token it replaces. */
interface Token {
  readonly typed: string;
  /** Offsets of the whole token (the text inside the quotes, or the plain scalar). */
  readonly start: number;
  readonly end: number;
  /** Put around the new text: the token had no quotes where the format needs them. */
  readonly quote: string;
}

/**
 * The completions at `offset` of a policy text read as `file`, or null when the cursor is on no
 * action. `refinerOf` gives the refiner of a policy (by its index in the file): a wildcard counts
 * the actions its findings name too.
 */
export function policyCompletion(
  file: PolicyFile, lines: LineIndex, refinerOf: (policy: number) => Refiner, offset: number,
): CompletionList | null {
  const found = tokenAt(file, offset);
  if (!found) return null;
  const { token, policy } = found;
  const refiner = refinerOf(policy);
  const range = { start: lines.position(token.start), end: lines.position(token.end) };
  return { isIncomplete: false, items: candidates(refiner.catalog, token, range, (text) => expandText(refiner, text)) };
}

/** The completions at `offset` of a findings file: action names of the service whose list the cursor is in. */
export function findingsCompletion(findings: LoadedFindings, lines: LineIndex, catalog: Catalog, offset: number): CompletionList | null {
  for (const principal of findings.document.principals) {
    for (const service of principal.services) {
      for (const action of service.actions) {
        const span = action.span;
        if (!span || offset < span.offset || offset > span.offset + span.length) continue;
        const token = innerToken(findings.text, span.offset, span.length, offset);
        if (!token) return null;
        const range = { start: lines.position(token.start), end: lines.position(token.end) };
        // The findings spell an action with or without its prefix; the offers follow the spelling.
        const prefixed = token.typed.includes(':');
        const typed = prefixed ? token.typed : `${service.service}:${token.typed}`;
        const items = actionItems(catalog, service.service, typed.slice(typed.indexOf(':') + 1), range, token.quote, prefixed);
        return { isIncomplete: false, items };
      }
    }
  }
  return null;
}

/** Adds the description of an offered action (read on the first resolve that needs one). */
export function resolveCompletion(item: CompletionItem, catalog: Catalog): CompletionItem {
  const data = item.data as Partial<ActionData> | undefined;
  if (typeof data?.service !== 'string' || typeof data.name !== 'string') return item;
  const action = catalog.lookup(data.service, data.name);
  const description = action && catalog.describe(action);
  if (!description) return item;
  return { ...item, documentation: { kind: MarkupKind.Markdown, value: description } };
}

/** The action entry the cursor is in (or the place in an action list where one is being written). */
function tokenAt(file: PolicyFile, offset: number): { token: Token; policy: number } | undefined {
  const text = file.text;
  for (const [policy, document] of file.policies.entries()) {
    for (const statement of document.statements) {
      for (const entry of statement.entries) {
        const node = entry.node;
        if (entry.dynamic || offset < node.offset || offset > node.offset + node.length) continue;
        const token = innerToken(text, node.offset, node.length, offset);
        if (token) return { token, policy };
      }
    }
  }
  // Not in a string: a list being written (`- ` in YAML, between the brackets elsewhere).
  for (const [policy, document] of file.policies.entries()) {
    for (const statement of document.statements) {
      const list = statement.listNode;
      if (!list || offset < list.offset || offset > list.offset + list.length) continue;
      const token = bareToken(text, offset, file.format);
      if (token) return { token, policy };
    }
  }
  return undefined;
}

/** The text inside a string node's quotes (or a plain scalar), when `offset` is within it. */
function innerToken(text: string, offset: number, length: number, cursor: number): Token | undefined {
  const first = text[offset];
  const quoted = first === '"' || first === '\'';
  const start = quoted ? offset + 1 : offset;
  const closed = quoted && length >= 2 && text[offset + length - 1] === first;
  const end = closed ? offset + length - 1 : offset + length;
  if (cursor < start || cursor > end) return undefined;
  return { typed: text.slice(start, cursor), start, end, quote: '' };
}

/** A token outside quotes: the action characters around the cursor; JSON and HCL need quotes around it. */
function bareToken(text: string, cursor: number, format: SourceFormat): Token | undefined {
  let start = cursor;
  while (start > 0 && TOKEN_CHAR.test(text[start - 1]!)) start--;
  let end = cursor;
  while (end < text.length && TOKEN_CHAR.test(text[end]!)) end++;
  const before = text[start - 1];
  // Right after a quote the cursor is in a string the reader did not take as an action.
  if (before === '"' || before === '\'') return undefined;
  if (format === 'yaml') {
    // Only where a YAML value or list item starts: after `- `, `Action: ` or `[`.
    const line = text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
    if (!/(^\s*-\s+|:\s+|[[,]\s*)$/.test(line)) return undefined;
  } else {
    // Where a value starts in a JSON or HCL list: after `[`, `,` or `=`, only spaces between.
    const head = text.slice(0, start).trimEnd();
    if (!/[[,=:]$/.test(head)) return undefined;
  }
  return { typed: text.slice(start, cursor), start, end, quote: format === 'yaml' ? '' : '"' };
}

/** The actions a typed text stands for, with those the findings name, as the refiner sees them. */
function expandText(refiner: Refiner, text: string): readonly ActionRef[] | undefined {
  const parsed = parseActionPattern(text);
  return parsed.ok ? refiner.expand(parsed.pattern) : undefined;
}

function candidates(
  catalog: Catalog, token: Token, range: Range, expand: (text: string) => readonly ActionRef[] | undefined,
): CompletionItem[] {
  const typed = token.typed;
  const colon = typed.indexOf(':');
  if (colon < 0) return serviceItems(catalog, typed, range, token.quote);
  const service = typed.slice(0, colon);
  const name = typed.slice(colon + 1);
  if (!catalog.hasService(service)) return [];
  if (/[*?]/.test(name)) {
    const item = wildcardItem(typed, expand(typed), range, token.quote);
    return item ? [item] : [];
  }
  return actionItems(catalog, service, name, range, token.quote, true, typed.slice(0, colon));
}

/** Service prefixes that start with what is typed, each with its service's name. */
function serviceItems(catalog: Catalog, typed: string, range: Range, quote: string): CompletionItem[] {
  const lower = typed.toLowerCase();
  const items: CompletionItem[] = [];
  for (const prefix of catalog.services()) {
    if (!prefix.startsWith(lower)) continue;
    const title = catalog.serviceTitle(prefix) ?? prefix;
    items.push({
      label: prefix,
      kind: CompletionItemKind.Module,
      detail: title,
      labelDetails: { description: title },
      filterText: `${quote}${prefix}`,
      sortText: prefix,
      // Outside quotes the prefix goes in a new string, with the cursor left inside it.
      ...(quote ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
      textEdit: { range, newText: quote ? `${quote}${prefix}:$0${quote}` : `${prefix}:` },
      // Once the prefix is in, the service's actions are what comes next.
      command: { title: 'Suggest actions', command: 'editor.action.triggerSuggest' },
    });
  }
  return items;
}

/**
 * A service's actions that match the typed name: those it starts (case-insensitively) first, then
 * those whose words it abbreviates (`gol` → Get Object Legal…, `GetObjLeg` → GetObjectLegalHold).
 */
function actionItems(
  catalog: Catalog, service: string, name: string, range: Range, quote: string, prefixed: boolean, written = service,
): CompletionItem[] {
  const lower = name.toLowerCase();
  const items: CompletionItem[] = [];
  for (const action of catalog.actions(service)) {
    const rank = action.name.toLowerCase().startsWith(lower) ? 0 : abbreviates(lower, action.tokens) ? 1 : -1;
    if (rank < 0) continue;
    items.push(actionItem(action, range, quote, prefixed ? `${written}:` : '', rank));
  }
  return items;
}

function actionItem(action: CatalogAction, range: Range, quote: string, prefix: string, rank: number): CompletionItem {
  const text = `${prefix}${action.name}`;
  const data: ActionData = { service: action.service, name: action.name };
  return {
    label: text,
    kind: CompletionItemKind.Function,
    detail: action.levels.join(', '),
    filterText: `${quote}${text}`,
    sortText: `${rank}${action.name}`,
    textEdit: { range, newText: `${quote}${text}${quote}` },
    data,
  };
}

/** Whether `query` (lower-case) is made of a start of each of the first words, in order. */
export function abbreviates(query: string, tokens: readonly string[], from = 0): boolean {
  if (query === '') return true;
  const token = tokens[from]?.toLowerCase();
  if (token === undefined) return false;
  for (let length = Math.min(query.length, token.length); length >= 1; length--) {
    if (token.startsWith(query.slice(0, length)) && abbreviates(query.slice(length), tokens, from + 1)) return true;
  }
  return false;
}

/** A typed wildcard, offered as it is with how many actions it matches, per access level. */
function wildcardItem(typed: string, actions: readonly ActionRef[] | undefined, range: Range, quote: string): CompletionItem | undefined {
  if (!actions) return undefined;
  const levels = accessLevelCounts(actions);
  return {
    label: typed,
    kind: CompletionItemKind.Constant,
    detail: `matches ${plural(actions.length, 'known action')}`,
    documentation: levels ? { kind: MarkupKind.Markdown, value: levels } : undefined,
    filterText: `${quote}${typed}`,
    sortText: '0',
    textEdit: { range, newText: `${quote}${typed}${quote}` },
  };
}
