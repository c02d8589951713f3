import { basename } from 'node:path';
import type { Diagnostic, DiagnosticRelatedInformation, Location } from 'vscode-languageserver';
import type { UnusedHit } from '../../../shared/src/refine/refiner';
import type { StatementRefinement } from '../../../shared/src/policy/refinePolicy';
import type { Problem } from '../../../shared/src/text/problem';
import { unknownNames } from './actionValidation';
import { redundantEntries, redundantMessage, versionProblem } from './structuralChecks';
import { type DiagnosticData, POLICY_CODES, setDiagnosticData, type PolicyCode, type SeveritySetting, SOURCE, toSeverity } from './codes';
import { wordRefinements } from './refinementStyle';
import { type PolicyDocumentState, findingsLineIndex, syntaxErrorLine, toRange, type UnreadableFindings } from './documentState';
import type { StatementMemo } from './statementMemo';
import { type FindingsAgeOptions, staleFindingsMessage } from '../catalog/findingsAge';
import { count, describeVerdict, lastUse, plural } from './verdicts';

/** At most this many actions are named in a wildcard's link to the findings. */
const NAMED_LIMIT = 3;

/**
 * Where each policy diagnostic comes from: an analysis problem passed on as it is, a syntax error,
 * or the refinement, read below. Keyed by every PolicyCode, so that a code added to POLICY_CODES does
 * not compile until it is given a source, rather than never reaching the editor.
 */
const CODE_SOURCES = {
  'unused-action': 'refinement',
  'overbroad-wildcard': 'refinement',
  'unused-statement': 'refinement',
  'overbroad-notaction': 'refinement',
  // Also an analysis problem, but reported only for policies that have findings: read from the refinement.
  'unused-policy': 'refinement',
  'policy-size': 'refinement',
  'findings-unreadable': 'findings',
  // The findings' date against the settings and the policy's last change: see staleFindingsMessage.
  'stale-findings': 'findings',
  'malformed-action': 'problem',
  'malformed-statement': 'problem',
  'dynamic-value': 'problem',
  'syntax-error': 'syntax',
  // Checked against the catalogue in every statement, whether findings apply or not: see actionValidation.
  'unknown-action': 'catalogue',
  'unknown-service': 'catalogue',
  // The policy's own structure, with or without findings: see structuralChecks.
  'invalid-version': 'structure',
  'redundant-action': 'structure',
} as const satisfies Record<PolicyCode, 'problem' | 'syntax' | 'refinement' | 'findings' | 'catalogue' | 'structure'>;

/** The codes whose diagnostics come with a quick fix when the text parses. */
const FIXABLE: ReadonlySet<PolicyCode> = new Set<PolicyCode>([
  'unused-action', 'overbroad-wildcard', 'unused-statement', 'overbroad-notaction',
]);

const PASSED_ON: ReadonlySet<string> = new Set(POLICY_CODES.filter((code) => CODE_SOURCES[code] === 'problem'));

/** The analysis problems that become diagnostics as they are. */
function isPassedOn(code: string): code is PolicyCode {
  return PASSED_ON.has(code);
}

/**
 * The diagnostics of a policy document: unused actions, over-broad wildcards, and what is malformed.
 * Links into the findings go only to clients that support `relatedInformation`.
 */
export function policyDiagnostics(
  state: PolicyDocumentState,
  severity: (code: PolicyCode) => SeveritySetting,
  withRelated = true,
  memo?: StatementMemo,
  findingsAge?: FindingsAgeOptions,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const blocked = syntaxErrorLine(state);
  const push = (
    code: PolicyCode,
    span: { offset: number; length: number },
    message: string,
    data?: DiagnosticData,
    related?: DiagnosticRelatedInformation[],
  ): void => {
    const level = toSeverity(severity(code));
    if (level === undefined) return;
    // Said on each diagnostic that would have a fix: Ctrl+. finds none until the text parses.
    if (blocked && FIXABLE.has(code)) message = `${message}${fixNote(blocked)}`;
    const diagnostic: Diagnostic = { range: toRange(state.lines, span), severity: level, code, source: SOURCE, message };
    if (data) setDiagnosticData(diagnostic, data);
    if (withRelated && related && related.length > 0) diagnostic.relatedInformation = related;
    out.push(diagnostic);
  };

  // The editor checks JSON itself; YAML and Terraform it may not know, and a heredoc's JSON it cannot see.
  if (state.analysis.file.format !== 'json') {
    for (const problem of state.analysis.file.syntaxErrors) push('syntax-error', problem.span, problem.message);
  }
  for (const problem of state.analysis.problems) {
    if (isPassedOn(problem.code)) push(problem.code, problem.span, problem.message);
  }

  wordRefinements(state.analysis).forEach((refinement, policy) => {
    // Without findings only the catalogue checks run: the refinement has nothing to say.
    const findingsApply = state.policyFindings[policy]?.length !== 0;
    // What a findings file that cannot be read would call unused is not known: said on the policy, where it is missed.
    for (const findings of findingsApply ? state.policyFindings[policy] ?? [] : []) {
      const unreadable = state.unreadable.get(findings.path);
      if (!unreadable) continue;
      const where = { uri: state.findingsUri(findings.path), range: { start: unreadable.at, end: unreadable.at } };
      const message = unreadableMessage(basename(findings.path), unreadable);
      const link = [{ location: where, message: 'Cannot be read here' }];
      push('findings-unreadable', refinement.policy.source.anchor, message, { policy }, link);
    }
    for (const findings of findingsApply && findingsAge ? state.policyFindings[policy] ?? [] : []) {
      const stale = staleFindingsMessage(findings, findingsAge!);
      if (!stale) continue;
      const start = { line: 0, character: 0 };
      const link = [{ location: { uri: state.findingsUri(findings.path), range: { start, end: start } }, message: 'The findings' }];
      push('stale-findings', refinement.policy.source.anchor, stale, { policy }, link);
    }
    // One diagnostic says it all: the fix is to detach the policy (or to look at what cannot be read), not to edit its entries.
    const whole = findingsApply ? refinement.problems.find((p: Problem) => p.code === 'unused-policy') : undefined;
    if (whole) push('unused-policy', whole.span, whole.message, { policy });
    const version = versionProblem(refinement.policy, state.text);
    if (version) push('invalid-version', version.span, version.message);
    // Whether the statements get the refinement's diagnostics, or only the catalogue's.
    const refined = findingsApply && !refinement.fullyUnused;
    const statementDiagnostics = (s: StatementRefinement, statement: number): void => {
      if (refined) refinementDiagnostics(s, statement);
      // After the refinement's, so that theirs keep their order; inside the statement's, so that the memo keeps these too.
      for (const { entry, unknown } of unknownNames(refinement.refiner, s.statement)) {
        const note = blocked && unknown.suggestions.length > 0 ? fixNote(blocked) : '';
        push(unknown.code, entry.span, `${unknown.message}${note}`);
      }
      for (const { entry, coveredBy } of redundantEntries(s.statement)) {
        push('redundant-action', entry.span, redundantMessage(s.statement, entry, coveredBy));
      }
    };
    const refinementDiagnostics = (s: StatementRefinement, statement: number): void => {
      if (s.unused) {
        const sid = s.statement.sid ? ` (statement "${s.statement.sid}")` : '';
        push('unused-statement', statementSpan(s), `Every action this statement allows is unused${sid}.`, { policy, statement });
      }
      s.entries.forEach((e, entry) => {
        if (!e.replacement) return;
        const data = { policy, statement, entry };
        const name = e.entry.value;
        if (!e.entry.pattern!.glob.hasWildcard) {
          const hit = e.unused[0];
          const why = hit ? describeVerdict(hit.origins) : 'its whole service is unused';
          push('unused-action', e.entry.span, `Unused action ${name}: ${why}.`, data, related(state, e.unused, true));
        } else if (e.replacement.length === 0) {
          const what = e.wholeServiceUnused
            ? `actions of ${e.entry.pattern!.service}, which is unused as a whole`
            : `unused actions (${e.allowedCount})`;
          push('overbroad-wildcard', e.entry.span, `${name} allows only ${what}.`, data, related(state, e.unused));
        } else if (e.replacement.length > 0) {
          const message = `${name} allows ${plural(e.unused.length, 'unused action')} (of ${count(e.allowedCount)}).`;
          push('overbroad-wildcard', e.entry.span, message, data, related(state, e.unused));
        }
      });
      if (s.notAction && s.notAction.additions.length > 0) {
        const key = s.statement.listNode!.parent!.children![0]!;
        const unused = s.notAction.unused;
        const message = `NotAction allows ${plural(unused.length, 'unused action')}`
          + `${unused.length === 0 ? ' of a service unused as a whole' : ''}.`;
        push('overbroad-notaction', key, message, { policy, statement }, related(state, unused));
      }
    };
    refinement.statements.forEach((s, statement) => {
      // Statements of a policy without findings, or judged as a whole, get only the catalogue's diagnostics.
      const key = memo?.keyOf(state, s.statement.node, refinement.refiner, whole !== undefined || !findingsApply);
      const known = key && memo!.take(policy, statement, key);
      if (known) {
        for (const d of known) out.push(d);
        return;
      }
      const mark = out.length;
      statementDiagnostics(s, statement);
      if (key) memo!.put(policy, statement, key, out.slice(mark));
    });
    if (!refined) return;
    // Sized where the refinement's style is chosen (refinementStyle): said here for policies with findings.
    const at = refinement.policy.statementNode.offset;
    const size = state.analysis.problems.find((p) => p.code === 'policy-size' && p.span.offset === at);
    if (size) push('policy-size', size.span, size.message, { policy });
  });
  return out;
}

/** Said on each diagnostic that would have a fix while the text does not parse. */
function fixNote(blocked: string): string {
  return ` No fix is offered until the syntax error on ${blocked} is fixed.`;
}

/** A findings file that cannot be read, as its policies say it. */
export function unreadableMessage(name: string, { reason, stale }: UnreadableFindings): string {
  const consequence = stale ? 'its last version that could be read is used until it is fixed' : 'nothing from it is treated as unused';
  return `Findings file ${name} cannot be read (${reason}): ${consequence}.`;
}

/** Where a statement diagnostic goes: the statement's `Action` key, short and easy to see. */
function statementSpan(s: StatementRefinement): { offset: number; length: number } {
  const key = s.statement.listNode?.parent?.children?.[0];
  return key ?? { offset: s.statement.node.offset, length: 1 };
}

/**
 * Where the findings call the actions unused. It does not repeat the diagnostic: a lone action's
 * links say only where, one per findings file that calls it unused (several apply to a policy only
 * when each calls it so); a wildcard's one link names the first few actions, when each was last
 * used, and how many more there are (the hover lists them all). One link, not one per action: a
 * keystroke in a large policy publishes a thousand diagnostics, and links are most of them.
 */
function related(state: PolicyDocumentState, hits: readonly UnusedHit[], lone = false): DiagnosticRelatedInformation[] {
  if (lone) return hits[0] ? locationsOf(state, hits[0]).map((location) => ({ location, message: 'Reported unused here' })) : [];
  // The first hit that has a location: a wildcard may allow 100,000 unused actions, and only one is linked.
  let location: Location | undefined;
  for (const hit of hits) if ((location = locationsOf(state, hit)[0])) break;
  if (!location) return [];
  const named = hits.slice(0, NAMED_LIMIT).map((hit) => `${hit.action.full} (${lastUse(hit.origins)})`);
  const more = hits.length - named.length;
  return [{ location, message: `${named.join(', ')}${more > 0 ? `, and ${count(more)} more` : ''}` }];
}

/**
 * Hits are shared by every analysis made with the same findings (the refiner memoises them), so
 * where each is reported is found once, not at every keystroke.
 */
const locations = new WeakMap<UnusedHit, readonly Location[]>();

/** Where each findings file that calls `hit` unused does so, in the order of its origins. */
function locationsOf(state: PolicyDocumentState, hit: UnusedHit): readonly Location[] {
  let found = locations.get(hit);
  if (found === undefined) {
    const list: Location[] = [];
    for (const origin of hit.origins) {
      const findings = origin.file && origin.span ? state.findings.find((f) => f.path === origin.file) : undefined;
      if (!findings || list.some((l) => l.uri === state.findingsUri(findings.path))) continue;
      list.push({ uri: state.findingsUri(findings.path), range: toRange(findingsLineIndex(findings), origin.span!) });
    }
    found = list;
    locations.set(hit, found);
  }
  return found;
}
