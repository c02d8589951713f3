import type { Diagnostic } from 'vscode-languageserver';
import type { Refiner } from '../../../shared/src/refine/refiner';
import { movedDiagnostic } from './diagnosticJson';
import type { PolicyDocumentState } from './documentState';

/** What a statement's diagnostics were computed from: where it is, its text, and what it was refined against. */
interface StatementKey {
  readonly line: number;
  readonly character: number;
  /** A slice of the document: V8 keeps it as a view of the text, so a key costs no copy. */
  readonly text: string;
  readonly refiner: number;
  readonly whole: boolean;
}

interface Memoised {
  readonly key: StatementKey;
  readonly diagnostics: Diagnostic[];
}

/**
 * The diagnostics of each statement at a document's last analysis. A keystroke changes one
 * statement; the others, same text at the same place against the same findings and settings, keep
 * the diagnostics they had instead of building a thousand again, and those a new line moved get
 * theirs moved alike.
 */
export class StatementMemo {
  private previous = new Map<string, Memoised>();
  private next = new Map<string, Memoised>();
  private context: readonly unknown[] = [];

  /**
   * Starts an analysis; `context` is what every statement's diagnostics depend on besides the
   * statement itself (the settings, the client's capabilities): when any of it changed, nothing is kept.
   */
  begin(context: readonly unknown[]): void {
    if (context.length !== this.context.length || context.some((c, i) => c !== this.context[i])) this.previous.clear();
    this.context = context;
    this.next = new Map();
  }

  /**
   * The key of a statement: where it is (line and column), what its policy is refined against,
   * whether the policy is judged as a whole, and its text.
   */
  keyOf(state: PolicyDocumentState, span: { offset: number; length: number }, refiner: Refiner, whole: boolean): StatementKey {
    const at = state.lines.position(span.offset);
    const text = state.text.slice(span.offset, span.offset + span.length);
    return { line: at.line, character: at.character, text, refiner: refinerId(refiner), whole };
  }

  /**
   * The diagnostics of statement `statement` of policy `policy` last time, if its key is the same;
   * moved by as many lines as the statement moved, if only its line differs (a line added or
   * removed above it: the same text at the same column reads the same, some lines lower or higher).
   */
  take(policy: number, statement: number, key: StatementKey): Diagnostic[] | undefined {
    const slot = `${policy}/${statement}`;
    const known = this.previous.get(slot);
    if (!known || !sameKey({ ...known.key, line: key.line }, key)) return undefined;
    const lines = key.line - known.key.line;
    const kept = lines === 0 ? known : { key, diagnostics: known.diagnostics.map((d) => movedDiagnostic(d, lines)) };
    this.next.set(slot, kept);
    return kept.diagnostics;
  }

  put(policy: number, statement: number, key: StatementKey, diagnostics: Diagnostic[]): void {
    this.next.set(`${policy}/${statement}`, { key, diagnostics });
  }

  /** Ends an analysis: only its statements are kept, so only the last text is held. */
  end(): void {
    this.previous = this.next;
    this.next = new Map();
  }
}

function sameKey(a: StatementKey, b: StatementKey): boolean {
  return a.line === b.line && a.character === b.character && a.refiner === b.refiner && a.whole === b.whole && a.text === b.text;
}

/** A number per refiner: a refiner stands for one selection of findings, replaced when they change. */
const ids = new WeakMap<Refiner, number>();
let lastId = 0;

function refinerId(refiner: Refiner): number {
  let id = ids.get(refiner);
  if (id === undefined) {
    id = ++lastId;
    ids.set(refiner, id);
  }
  return id;
}
