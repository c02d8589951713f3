import type { Diagnostic, Range } from 'vscode-languageserver';
import { diagnosticData, setDiagnosticData } from './codes';

/*
 * Published diagnostics in JSON, each serialised once. A keystroke republishes a document's every
 * diagnostic: all but those of the statement it changed are the same objects as before (see
 * StatementMemo), and those a new line moved are copies that differ only in their range.
 */

interface Serialised {
  readonly json: Buffer;
  /** Where what follows the range starts in `json`, when the range comes first; else undefined. */
  readonly afterRange?: number;
}

const serialised = new WeakMap<Diagnostic, Serialised>();
/** Copies that StatementMemo moved and that are not serialised yet, and the diagnostic each was first copied from. */
const movedFrom = new WeakMap<Diagnostic, Diagnostic>();

/** A diagnostic's JSON in UTF-8: made once, then the same bytes every time it is published. */
export function diagnosticJson(diagnostic: Diagnostic): Buffer {
  let known = serialised.get(diagnostic);
  if (!known) {
    known = serialise(diagnostic);
    // What was serialised is what is sent every time after: a change made to it later would fail
    // where it is made, instead of going unsent.
    deepFreeze(diagnostic);
    serialised.set(diagnostic, known);
  }
  return known.json;
}

/** A copy of a diagnostic moved down by `lines` (up when negative), pointing where it did in the analysis. */
export function movedDiagnostic(diagnostic: Diagnostic, lines: number): Diagnostic {
  const { start, end } = diagnostic.range;
  const range: Range = {
    start: { line: start.line + lines, character: start.character },
    end: { line: end.line + lines, character: end.character },
  };
  const moved: Diagnostic = { ...diagnostic, range };
  const data = diagnosticData(diagnostic);
  if (data) setDiagnosticData(moved, data);
  // The first of a line of copies: a copy of a copy that was never serialised holds no chain.
  movedFrom.set(moved, movedFrom.get(diagnostic) ?? diagnostic);
  return moved;
}

const RANGE_KEY = '{"range":';

function serialise(diagnostic: Diagnostic): Serialised {
  // A moved copy is its original with another range: only the range is serialised again.
  const original = movedFrom.get(diagnostic);
  // Serialised, a copy is an original of its own: the one it was copied from may go.
  movedFrom.delete(diagnostic);
  const known = original && serialised.get(original);
  const range = `${RANGE_KEY}${JSON.stringify(diagnostic.range)}`;
  if (known?.afterRange !== undefined) {
    const json = Buffer.concat([Buffer.from(range), known.json.subarray(known.afterRange)]);
    return { json, afterRange: range.length };
  }
  const text = JSON.stringify(diagnostic);
  // A range is numbers and ASCII keys: its characters are its bytes.
  return text.startsWith(range) ? { json: Buffer.from(text), afterRange: range.length } : { json: Buffer.from(text) };
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
}
