import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { Catalog } from '../../../shared/src/catalog/catalog';
import type { LineIndex, Problem, Span } from '../../../shared/src/text/problem';
import type { LoadedFindings } from '../workspace/findingsFiles';
import type { UnusedService } from '../../../shared/src/findings/model';
import { type FindingsCode, type SeveritySetting, SOURCE, toSeverity } from './codes';
import { toRange } from './documentState';
import { count } from './verdicts';

/** At most this many unknown actions are flagged one by one. */
export const UNKNOWN_LIMIT = 1000;

const PROBLEM_SEVERITY: Record<Problem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/**
 * The diagnostics of a findings file: what the parser could not read, actions and services the
 * catalogue does not know (likely typos), and findings that no policy in the workspace picks up.
 */
export function findingsDiagnostics(
  findings: LoadedFindings,
  lines: LineIndex,
  catalog: Catalog,
  appliesToSomePolicy: boolean,
  severity: (code: FindingsCode) => SeveritySetting,
): Diagnostic[] {
  const out: Diagnostic[] = findings.document.problems.map((p) => ({
    range: toRange(lines, p.span), severity: PROBLEM_SEVERITY[p.severity], code: p.code, source: SOURCE, message: p.message,
  }));
  const push = (code: FindingsCode, span: Span, message: string): void => {
    const level = toSeverity(severity(code));
    if (level !== undefined) out.push({ range: toRange(lines, span), severity: level, code, source: SOURCE, message });
  };
  const date = catalog.date;
  const unknown: { span: Span; message: string }[] = [];
  for (const principal of findings.document.principals) {
    for (const service of principal.services) {
      const implausible = implausibleEntry(service, catalog);
      if (implausible && service.span) push('implausible-findings', service.span, implausible);
      if (!catalog.hasService(service.service)) {
        if (service.span) {
          const message = `Service "${service.service}" is not in the action catalogue (${date}): `
            + 'a typo, or a service newer than the catalogue.';
          unknown.push({ span: service.span, message });
        }
        continue;
      }
      for (const action of service.actions) {
        if (action.span && !catalog.lookup(service.service, action.name)) {
          const message = `${service.service}:${action.name} is not in the action catalogue (${date}): `
            + 'a typo, or an action newer than the catalogue.';
          unknown.push({ span: action.span, message });
        }
      }
    }
  }
  // A file of made-up names would otherwise flood the editor; the first ones say enough.
  for (const u of unknown.slice(0, UNKNOWN_LIMIT)) push('unknown-action', u.span, u.message);
  if (unknown.length > UNKNOWN_LIMIT) {
    const more = count(unknown.length - UNKNOWN_LIMIT);
    push('unknown-action', unknown[UNKNOWN_LIMIT]!.span, `…and ${more} more actions or services the catalogue does not know.`);
  }
  if (!appliesToSomePolicy && findings.document.principals.length > 0) {
    const where = findings.document.appliesTo ? 'matches its "appliesTo" globs' : 'sits in its folder or below';
    const span = findings.document.appliesTo?.[0]?.span ?? firstToken(findings.text);
    push('unmatched-findings', span, `These findings apply to no policy in the workspace: no IAM policy ${where}.`);
  }
  return out;
}

/**
 * Why a service entry cannot be real, if it cannot: it names more actions than the service has
 * (twice the catalogue's count and 100 more, for actions newer than the catalogue). Names that are
 * not action names the parser reports itself, one by one.
 */
function implausibleEntry(service: UnusedService, catalog: Catalog): string | undefined {
  const named = service.actions.length;
  const known = catalog.hasService(service.service) ? catalog.actionCount(service.service) : 0;
  if (named <= known * 2 + 100) return undefined;
  return `These findings cannot be real: this entry names ${count(named)} ${service.service} actions, and the catalogue `
    + `(${catalog.date}) knows ${count(known)}. They are still honoured, so no wildcard lets these names through.`;
}

function firstToken(text: string): Span {
  const offset = Math.max(0, text.search(/\S/));
  return { offset, length: text.length > 0 ? 1 : 0 };
}
