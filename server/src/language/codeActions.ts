import {
  type CodeAction, CodeActionKind, type CodeActionContext, type Diagnostic, type Range, type TextEdit as LspTextEdit, type WorkspaceEdit,
} from 'vscode-languageserver';
import type { EntryRefinement, PolicyRefinement, StatementRefinement } from '../../../shared/src/policy/refinePolicy';
import { type EditScope, refinementEdits } from '../../../shared/src/policy/refinementEdits';
import { countRefinements, describeCounts } from '../../../shared/src/policy/refinementSummary';
import { fullRefinementScope } from '../../../shared/src/policy/verifyRefinement';
import { FIX_ALL_KIND } from '../../../shared/src/protocol/names';
import type { PolicyStatement } from '../../../shared/src/policy/policyDocument';
import type { TextEdit } from '../../../shared/src/text/textEdit';
import { renameOffers } from './actionValidation';
import { removalOffers } from './structuralChecks';
import { type DiagnosticData, diagnosticData, SOURCE } from './codes';
import { type PolicyDocumentState, toRange } from './documentState';
import { KIND_NAMES, policyBudget } from './policyKind';
import { sizeVerdicts } from './refinementStyle';
import { splitPolicy, splitReadsBack } from './splitPolicy';
import { sizeAfter } from './refinedSize';
import { count, plural } from './verdicts';

export interface CodeActionOptions {
  /** The client applies versioned `documentChanges`, so an edit for an old version is refused. */
  documentChanges: boolean;
  /**
   * The client asks for an action's edit once it is chosen (`codeAction/resolve`): the list carries
   * titles only, not the edits of every candidate (a whole policy's can be hundreds of kilobytes).
   */
  resolveEdits?: boolean;
  /**
   * The diagnostics of this version. A request may carry diagnostics of an older version, whose
   * data points at other entries now: only those that match a current one, by code and range, count.
   */
  current: readonly Diagnostic[];
  /**
   * Re-checks a candidate's edits before it is offered; false drops the candidate. `removed` are
   * the statements the edits remove, `complete` those they refine in full.
   */
  verify(edits: readonly TextEdit[], removed: ReadonlySet<PolicyStatement>, complete: ReadonlySet<PolicyStatement>): boolean;
}

/** The codes whose fixes are offers checked on their own (renames, removals), not refinements. */
const OFFER_CODES: ReadonlySet<string> = new Set(['unknown-action', 'unknown-service', 'redundant-action']);

/** What a lazily sent action carries, to find its candidate again on `codeAction/resolve`. */
interface ResolveData {
  uri: string;
  version: number;
  key: string;
}

interface Candidate {
  title: string;
  kind: string;
  /** Identifies the candidate within one document version, for the verification cache. */
  key: string;
  edits: TextEdit[];
  removed: ReadonlySet<PolicyStatement>;
  complete: ReadonlySet<PolicyStatement>;
  diagnostics?: Diagnostic[];
  preferred?: boolean;
  /** Its own check instead of `options.verify`, for edits that are no refinement (a typo's rename). */
  check?: () => boolean;
}

/**
 * Quick fixes for our diagnostics, "Refine this statement" where the range starts, and "Refine the
 * whole policy" for each policy the range (from `offset` to `end`) touches: a selection over a whole
 * template offers each of its policies. Every candidate is verified before it is offered.
 */
export function policyCodeActions(
  state: PolicyDocumentState,
  offset: number,
  context: CodeActionContext,
  options: CodeActionOptions,
  end = offset,
): CodeAction[] {
  // A text that does not parse is not edited: its analysis is for diagnostics and hovers only.
  if (state.analysis.file.syntaxErrors.length > 0) return [];
  // Kinds are filtered before anything is built: editors ask for code actions at every cursor move.
  const wanted = (kind: string): boolean => context.only
    ? context.only.some((only) => kind === only || kind.startsWith(`${only}.`))
    : !kind.startsWith(CodeActionKind.Source);
  const candidates: Candidate[] = [];
  if (wanted(CodeActionKind.QuickFix)) {
    for (const given of context.diagnostics) {
      if (given.source !== SOURCE) continue;
      const diagnostic = options.current.find((d) => d.code === given.code && sameRange(d.range, given.range));
      if (diagnostic && OFFER_CODES.has(String(diagnostic.code))) {
        candidates.push(...renameCandidates(state, diagnostic).map((c) => ({ ...c, diagnostics: [given] })));
        continue;
      }
      const fix = diagnostic && quickFix(state, diagnostic);
      if (fix) candidates.push({ ...fix, diagnostics: [given] });
    }
  }
  if (wanted(CodeActionKind.RefactorRewrite)) {
    state.analysis.refinements.forEach((refinement, p) => {
      if (refinement.fullyUnused || !overlaps(refinement.policy.node, offset, end)) return;
      const statement = refinement.statements.findIndex((s) => s.changed && contains(s.statement.node, offset));
      if (statement >= 0) {
        candidates.push(remembered(state, CodeActionKind.RefactorRewrite, `${p}/${statement}`,
          (key) => statementCandidate(refinement, refinement.statements[statement]!, key)));
      }
      if (refinement.statements.some((s) => s.changed)) {
        candidates.push(remembered(state, CodeActionKind.RefactorRewrite, `${p}`,
          (key) => policyCandidate(state, [refinement], CodeActionKind.RefactorRewrite, 'Refine the whole policy', key)));
      }
    });
  }
  if (wanted(FIX_ALL_KIND)) {
    const refined = state.analysis.refinements.filter((r) => !r.fullyUnused && r.statements.some((s) => s.changed));
    if (refined.length > 0) {
      candidates.push(remembered(state, FIX_ALL_KIND, 'all',
        (key) => policyCandidate(state, refined, FIX_ALL_KIND, 'Refine every policy in the file', key)));
    }
  }
  return candidates
    .filter((c) => c.edits.length > 0 && verified(state, c, options))
    .map((c) => (options.resolveEdits ? withoutEdit(state, c) : toCodeAction(state, c, options)));
}

/** The edit of an action sent without one, once the user chose it; as it was when the edit is for another version. */
export function resolveCodeAction(state: PolicyDocumentState, action: CodeAction, options: CodeActionOptions): CodeAction {
  const data = action.data as ResolveData | undefined;
  if (!data || data.uri !== state.uri || data.version !== state.version) return action;
  const candidate = candidatesOf(state).get(data.key);
  // Only a candidate that was offered, so verified, has an edit to give.
  if (!candidate || !verified(state, candidate, options)) return action;
  return { ...action, edit: workspaceEdit(state, candidate, options) };
}

interface Memo {
  candidates: Map<string, Candidate>;
  verified: Map<string, boolean>;
}

/** Per document version: the candidates built and their verdicts, however often the editor asks. */
const memos = new WeakMap<PolicyDocumentState, Memo>();

function memoOf(state: PolicyDocumentState): Memo {
  let memo = memos.get(state);
  if (!memo) {
    memo = { candidates: new Map(), verified: new Map() };
    memos.set(state, memo);
  }
  return memo;
}

function candidatesOf(state: PolicyDocumentState): Map<string, Candidate> {
  return memoOf(state).candidates;
}

/** A candidate built once per version: a whole policy's edits and size take milliseconds to make. */
function remembered(state: PolicyDocumentState, kind: string, key: string, build: (key: string) => Candidate): Candidate {
  const candidates = candidatesOf(state);
  let candidate = candidates.get(`${kind} ${key}`);
  if (!candidate) {
    candidate = build(key);
    candidates.set(`${kind} ${key}`, candidate);
  }
  return candidate;
}

/** Each candidate is verified once per document version. */
function verified(state: PolicyDocumentState, c: Candidate, options: CodeActionOptions): boolean {
  const cache = memoOf(state).verified;
  const key = `${c.kind} ${c.key}`;
  let ok = cache.get(key);
  if (ok === undefined) {
    ok = c.check ? c.check() : options.verify(c.edits, c.removed, c.complete);
    cache.set(key, ok);
  }
  return ok;
}

/** The fix for a current diagnostic, built once per version. */
function quickFix(state: PolicyDocumentState, diagnostic: Diagnostic): Candidate | undefined {
  const data = diagnosticData(diagnostic);
  if (!data) return undefined;
  const key = `${data.policy}/${data.statement}/${data.entry ?? String(diagnostic.code)}`;
  const known = candidatesOf(state).get(`${CodeActionKind.QuickFix} ${key}`);
  if (known) return known;
  const fix = buildQuickFix(state, diagnostic, data, key);
  if (fix) candidatesOf(state).set(`${CodeActionKind.QuickFix} ${key}`, fix);
  return fix;
}

/** "Did you mean …?" for a name the catalogue does not know; the only one is preferred, several are a choice. */
function renameCandidates(state: PolicyDocumentState, diagnostic: Diagnostic): Candidate[] {
  const offers = diagnostic.code === 'redundant-action' ? removalOffers(state, diagnostic.range) : renameOffers(state, diagnostic.range);
  return offers.map((offer) => remembered(state, CodeActionKind.QuickFix, offer.key, (key) => ({
    kind: CodeActionKind.QuickFix, key, title: offer.title, edits: [offer.edit], removed: new Set(), complete: new Set(),
    check: offer.check, ...(offers.length === 1 ? { preferred: true } : {}),
  })));
}

function buildQuickFix(state: PolicyDocumentState, diagnostic: Diagnostic, data: DiagnosticData, key: string): Candidate | undefined {
  if (diagnostic.code === 'policy-size') return splitCandidate(state, data.policy, key);
  const refinement = state.analysis.refinements[data.policy];
  const s = data.statement === undefined ? undefined : refinement?.statements[data.statement];
  if (!refinement || !s) return undefined;
  const base = { kind: CodeActionKind.QuickFix, preferred: true, key };
  if (data.entry !== undefined) {
    const e = s.entries[data.entry];
    if (!e?.replacement) return undefined;
    const removesStatement = e.replacement.length === 0 && s.statement.entries.length === 1;
    return { ...base, title: entryTitle(e), ...scoped(refinement, { statement: s, entry: e }, removesStatement ? [s] : [], []) };
  }
  if (diagnostic.code === 'unused-statement') {
    return { ...base, title: 'Remove unused statement', ...scoped(refinement, { statement: s }, [s], [s]) };
  }
  if (diagnostic.code === 'overbroad-notaction' && s.notAction) {
    const title = `Exclude ${plural(s.notAction.unused.length, 'unused action')} from NotAction`;
    return { ...base, title, ...scoped(refinement, { statement: s }, [], [s]) };
  }
  return undefined;
}

/** Refines a policy that does not fit its limit and moves statements to new managed policies (see splitPolicy). */
function splitCandidate(state: PolicyDocumentState, policy: number, key: string): Candidate | undefined {
  const split = splitPolicy(state, policy);
  if (!split) return undefined;
  const parts = plural(split.parts, 'new managed policy', 'new managed policies');
  const title = `Refine, and move ${plural(split.moved, 'statement')} to ${parts} attached to the same principals`;
  return {
    kind: CodeActionKind.QuickFix, key, title, edits: split.edits, removed: new Set(), complete: new Set(),
    check: () => splitReadsBack(state, split),
  };
}

function entryTitle(e: EntryRefinement): string {
  const name = e.entry.value;
  if (e.replacement!.length > 0) {
    const exclude = e.replacement!.length === 1 ? 'excludes' : 'exclude';
    return `Replace ${name} with ${plural(e.replacement!.length, 'pattern')} that ${exclude} ${plural(e.unused.length, 'unused action')}`;
  }
  return e.entry.pattern!.glob.hasWildcard ? `Remove ${name}, which allows only unused actions` : `Remove unused action ${name}`;
}

function statementCandidate(refinement: PolicyRefinement, s: StatementRefinement, key: string): Candidate {
  const what = describeCounts(countRefinements([s]));
  return {
    kind: CodeActionKind.RefactorRewrite,
    key,
    title: `Refine this statement: ${what}`,
    ...scoped(refinement, { statement: s }, s.unused ? [s] : [], [s]),
  };
}

function policyCandidate(
  state: PolicyDocumentState,
  refinements: readonly PolicyRefinement[],
  kind: string,
  label: string,
  key: string,
): Candidate {
  const edits = refinements.flatMap((r) => refinementEdits(r));
  const what = describeCounts(countRefinements(refinements.flatMap((r) => r.statements)));
  return { kind, key, title: `${label}: ${what}${sizeNote(state, edits)}`, edits, ...fullRefinementScope(refinements) };
}

function scoped(refinement: PolicyRefinement, scope: EditScope, removed: StatementRefinement[], complete: StatementRefinement[]) {
  const statements = (list: StatementRefinement[]): Set<PolicyStatement> => new Set(list.map((s) => s.statement));
  return { edits: refinementEdits(refinement, scope), removed: statements(removed), complete: statements(complete) };
}

/** The size IAM will count once the edits are applied, and a warning when that is over the limit. */
function sizeNote(state: PolicyDocumentState, edits: readonly TextEdit[]): string {
  const size = sizeAfter(state, edits);
  if (size === undefined) return '';
  // A standalone document is one policy: its budget is the only one.
  const budget = sizeVerdicts(state.analysis)[0]?.budget ?? policyBudget(state.analysis.refinements[0]!.policy, 'managed');
  const limit = budget.limit;
  return size > limit
    ? ` (${count(size)} characters: over the ${count(limit)} allowed for ${KIND_NAMES[budget.kind]})`
    : ` (${count(size)} of ${count(limit)} characters)`;
}

function toCodeAction(state: PolicyDocumentState, c: Candidate, options: Pick<CodeActionOptions, 'documentChanges'>): CodeAction {
  const action: CodeAction = { title: c.title, kind: c.kind, edit: workspaceEdit(state, c, options) };
  if (c.diagnostics) action.diagnostics = c.diagnostics;
  if (c.preferred) action.isPreferred = true;
  return action;
}

function withoutEdit(state: PolicyDocumentState, c: Candidate): CodeAction {
  const { edit: _, ...action } = toCodeAction(state, { ...c, edits: [] }, { documentChanges: false });
  const data: ResolveData = { uri: state.uri, version: state.version, key: `${c.kind} ${c.key}` };
  return { ...action, data };
}

function workspaceEdit(state: PolicyDocumentState, c: Candidate, options: Pick<CodeActionOptions, 'documentChanges'>): WorkspaceEdit {
  const edits: LspTextEdit[] = c.edits.map((e) => ({ range: toRange(state.lines, e), newText: e.newText }));
  return options.documentChanges
    ? { documentChanges: [{ textDocument: { uri: state.uri, version: state.version }, edits }] }
    : { changes: { [state.uri]: edits } };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}

function overlaps(node: { offset: number; length: number }, start: number, end: number): boolean {
  return start <= node.offset + node.length && end >= node.offset;
}

function contains(node: { offset: number; length: number }, offset: number): boolean {
  return offset >= node.offset && offset <= node.offset + node.length;
}
