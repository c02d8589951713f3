import type { PolicyTextAnalysis } from '../../../shared/src/policy/analyzePolicyText';
import type { StatementRefinement } from '../../../shared/src/policy/refinePolicy';
import type { UnusedHit } from '../../../shared/src/refine/refiner';
import type { LineIndex, Problem } from '../../../shared/src/text/problem';
import type { RecommendationComparison } from '../language/awsRecommendation';

/** Where something is, 1-based, as editors and `file:line:column` messages count. */
interface Location {
  line: number;
  column: number;
}

export interface FileReport {
  path: string;
  findings: string[];
  changed: boolean;
  policies: PolicyReport[];
  problems: (Location & { severity: string; code: string; message: string })[];
}

interface PolicyReport extends Location {
  /** Every action is unused: detach the policy instead of editing it. */
  detach: boolean;
  statements: StatementReport[];
  /** Where the findings hold AWS's own recommendation for the policy: how it compares with this refinement. */
  awsRecommendation?: AwsRecommendationReport;
}

interface AwsRecommendationReport {
  policyId: string;
  /** AWS says to detach the policy. */
  detach: boolean;
  /** Whether this refinement allows exactly the actions AWS's recommendation allows (absent when they cannot be compared). */
  same?: boolean;
  /** Why they cannot be compared. */
  unknown?: string;
  onlyOurs: readonly string[];
  onlyAws: readonly string[];
}

interface StatementReport extends Location {
  index: number;
  sid?: string;
  /** The statement allows only unused actions and is removed. */
  remove: boolean;
  changes: {
    action: string; line: number; column: number; allowed: number; unusedCount: number; unused: string[]; replacement: string[];
  }[];
  notActionAdditions?: string[];
  notActionUnusedCount?: number;
  notActionUnused?: string[];
}

/**
 * A change names at most this many of the unused actions it excludes (`--json-full` names them all):
 * a wildcard over a findings file of 100,000 actions would otherwise make a report of hundreds of MB.
 */
export const JSON_UNUSED_LIMIT = 20;

/**
 * The `--json` report of one file: what changes where, and why; `aws` gives the comparison with
 * AWS's own recommendation for a policy, where there is one.
 */
export function fileReport(
  path: string,
  findings: string[],
  analysis: PolicyTextAnalysis,
  lines: LineIndex,
  aws: (policy: number) => RecommendationComparison | undefined = () => undefined,
  full = false,
): FileReport {
  const at = (offset: number): Location => {
    const p = lines.position(offset);
    return { line: p.line + 1, column: p.character + 1 };
  };
  const limit = full ? Infinity : JSON_UNUSED_LIMIT;
  return {
    path,
    findings,
    changed: analysis.edits.length > 0,
    policies: analysis.refinements.map((r, i) => {
      const policy: PolicyReport = {
        ...at(r.policy.node.offset),
        detach: r.fullyUnused,
        statements: r.statements.filter((s) => s.changed || s.unused).map((s) => statementReport(s, at, limit)),
      };
      const comparison = aws(i);
      if (comparison) policy.awsRecommendation = awsReport(comparison);
      return policy;
    }),
    problems: analysis.problems.map((p: Problem) => ({ ...at(p.span.offset), severity: p.severity, code: p.code, message: p.message })),
  };
}

function awsReport(c: RecommendationComparison): AwsRecommendationReport {
  const { policyId, detach, unknown, onlyOurs, onlyAws } = c;
  return unknown ? { policyId, detach, unknown, onlyOurs, onlyAws }
    : { policyId, detach, same: onlyOurs.length === 0 && onlyAws.length === 0, onlyOurs, onlyAws };
}

function statementReport(s: StatementRefinement, at: (offset: number) => Location, limit: number): StatementReport {
  const named = (hits: readonly UnusedHit[]): string[] => hits.slice(0, limit).map((u) => u.action.full);
  const report: StatementReport = {
    ...at(s.statement.node.offset),
    index: s.statement.index,
    remove: s.unused,
    changes: s.entries.filter((e) => e.replacement).map((e) => ({
      action: e.entry.value,
      ...at(e.entry.span.offset),
      allowed: e.allowedCount,
      unusedCount: e.unused.length,
      unused: named(e.unused),
      replacement: e.replacement!,
    })),
  };
  if (s.statement.sid !== undefined) report.sid = s.statement.sid;
  if (s.notAction) {
    report.notActionAdditions = s.notAction.additions;
    report.notActionUnusedCount = s.notAction.unused.length;
    report.notActionUnused = named(s.notAction.unused);
  }
  return report;
}
