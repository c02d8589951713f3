import type { Diagnostic } from 'vscode-languageserver';
import type { Refiner } from '../../../shared/src/refine/refiner';
import type { PolicyDocumentState } from './documentState';

/**
 * The diagnostics of each statement at a document's last analysis. A keystroke changes one
 * statement; the others, same text at the same place against the same findings and settings, keep
 * the diagnostics they had instead of building a thousand again.
 */
export class StatementMemo {
  private previous = new Map<string, Diagnostic[]>();
  private next = new Map<string, Diagnostic[]>();
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
   * The key of a statement: where it is (policy and statement index, line and column), what its
   * policy is refined against, whether the policy is judged as a whole, and its text.
   */
  keyOf(
    state: PolicyDocumentState,
    policy: number,
    statement: number,
    span: { offset: number; length: number },
    refiner: Refiner,
    whole: boolean,
  ): string {
    const at = state.lines.position(span.offset);
    const text = state.text.slice(span.offset, span.offset + span.length);
    return `${policy}/${statement}/${at.line}:${at.character}/${refinerId(refiner)}/${whole ? 1 : 0}/${text}`;
  }

  take(key: string): Diagnostic[] | undefined {
    const known = this.previous.get(key);
    if (known) this.next.set(key, known);
    return known;
  }

  put(key: string, diagnostics: Diagnostic[]): void {
    this.next.set(key, diagnostics);
  }

  /** Ends an analysis: only its statements are kept, so only the last text is held. */
  end(): void {
    this.previous = this.next;
    this.next = new Map();
  }
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
