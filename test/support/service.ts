import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic, DiagnosticSeverity, Range, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  createPolicyService, type DocumentInput, type PolicyService, type PolicyServiceParams,
} from '../../server/src/service/policyService';
import { DEFAULT_SETTINGS } from '../../server/src/service/settings';
import { testCatalog } from './catalog';
import type { MemoryFileSystem } from './memoryFileSystem';

// Helpers for tests that call the policy service in-process, over a memory file system.

export const NEVER = 'never used in the tracking period';

/** A policy document with one Allow statement, formatted as people write them. */
export const policy = (actions: string[]): string =>
  `${JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }, null, 2)}\n`;

/** An unused-actions list: service → unused action names. */
export const findings = (spec: Record<string, string[]>): string =>
  JSON.stringify(Object.entries(spec).map(([serviceNamespace, actions]) => ({ serviceNamespace, actions })));

/** The `file:` URI of an absolute `/`-separated path. */
export const uri = (path: string): string => `file://${path}`;

/** An open document at `path`, as the editor hands it over. */
export const doc = (path: string, text: string, version = 1, languageId = 'json'): DocumentInput =>
  ({ uri: uri(path), version, text, languageId });

export const range = (line: number, from: number, to: number): Range =>
  ({ start: { line, character: from }, end: { line, character: to } });

/** The range of the `nth` occurrence of `needle` in `text`. */
export function rangeOf(text: string, needle: string, nth = 0): Range {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} not in the text`);
  const lines = TextDocument.create('file:///x', 'json', 0, text);
  return { start: lines.positionAt(offset), end: lines.positionAt(offset + needle.length) };
}

/** The offset of a cursor in `needle` (after its first character by default). */
export function offsetOf(text: string, needle: string, delta = 1): number {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in the text`);
  return offset + delta;
}

export interface Seen {
  range: Range;
  severity: DiagnosticSeverity | undefined;
  code: string | number | undefined;
  source: string | undefined;
  message: Diagnostic['message'];
}

/** What a user sees of a diagnostic: where, what, how severe, which code. */
export const seen = (d: Diagnostic): Seen => ({ range: d.range, severity: d.severity, code: d.code, source: d.source, message: d.message });

/** The diagnostics a user should see for `actions` called never used, found where `text` spells them. */
export function unusedActions(text: string, actions: string[], severity: DiagnosticSeverity = 2): Seen[] {
  return actions.map((action) => ({
    range: rangeOf(text, `"${action}"`), severity, code: 'unused-action', source: 'iam-policy-refiner',
    message: `Unused action ${action}: ${NEVER}.`,
  }));
}

/** A service over `fs` with `folders` of default settings; `cwd` is set so that the test's own folder never counts. */
export function serviceOver(fs: MemoryFileSystem, folders: string[], params: Partial<PolicyServiceParams> = {}): PolicyService {
  const service = createPolicyService({ catalog: testCatalog(), fs, cwd: '/nowhere', ...params });
  service.configure({ folders: folders.map((path) => ({ path, settings: DEFAULT_SETTINGS })) });
  return service;
}

export const diagnosticsOf = (service: PolicyService, document: DocumentInput): Seen[] => service.validate(document).diagnostics.map(seen);

/** The markdown of the hover at `offset`, or undefined when there is none. */
export function hoverText(service: PolicyService, document: DocumentInput, offset: number): string | undefined {
  const state = service.analyze(document);
  const contents = state && service.hover(state, offset)?.contents;
  return contents === undefined ? undefined : (contents as { value: string }).value;
}

/** The LSP edits of a code action's workspace edit, versioned or not. */
export function editsOf(action: CodeAction): TextEdit[] {
  const edit = action.edit;
  assert.ok(edit, `"${action.title}" has no edit`);
  return edit.documentChanges
    ? (edit.documentChanges[0] as TextDocumentEdit).edits as TextEdit[]
    : Object.values(edit.changes ?? {})[0] ?? [];
}

/** The text an editor holds once it has applied a code action's edit. */
export const applied = (text: string, action: CodeAction): string =>
  TextDocument.applyEdits(TextDocument.create('file:///x', 'json', 0, text), editsOf(action));
