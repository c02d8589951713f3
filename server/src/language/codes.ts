import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';

/** Every diagnostic carries this as `source`. */
export const SOURCE = 'iam-policy-refiner';

/** Codes of the diagnostics on policies; each has its own configurable severity. */
export const POLICY_CODES = [
  'unused-action',
  'overbroad-wildcard',
  'unused-statement',
  'overbroad-notaction',
  'unused-policy',
  'policy-size',
  'findings-unreadable',
  'malformed-action',
  'malformed-statement',
  'dynamic-value',
  'syntax-error',
  // The same code as the findings files' typo check, so one severity setting serves both: a name the catalogue does not know.
  'unknown-action',
  'unknown-service',
  'stale-findings',
  // Access Analyzer's policy validation names: "Invalid version" (policy variables), "Redundant action".
  'invalid-version',
  'redundant-action',
] as const;

export type PolicyCode = (typeof POLICY_CODES)[number];

/** Codes of the diagnostics on findings files, besides the parser's own `findings-…` codes. */
export const FINDINGS_CODES = ['unknown-action', 'unmatched-findings', 'implausible-findings'] as const;

export type FindingsCode = (typeof FINDINGS_CODES)[number];

/** What each code's `iamPolicyRefiner.severity` setting may say; package.json offers the same values (a test checks it). */
export const SEVERITY_SETTINGS = ['error', 'warning', 'information', 'hint', 'off'] as const;

export type SeveritySetting = (typeof SEVERITY_SETTINGS)[number];

/** The severity of each code until the settings say otherwise; package.json's defaults are these (a test checks it). */
export const DEFAULT_SEVERITY: Record<PolicyCode | FindingsCode, SeveritySetting> = {
  'unused-action': 'warning',
  'overbroad-wildcard': 'warning',
  'unused-statement': 'warning',
  'overbroad-notaction': 'warning',
  'unused-policy': 'warning',
  'policy-size': 'error',
  'findings-unreadable': 'warning',
  'malformed-action': 'error',
  'malformed-statement': 'error',
  'dynamic-value': 'information',
  'syntax-error': 'error',
  'unknown-action': 'warning',
  'unknown-service': 'warning',
  'stale-findings': 'warning',
  'invalid-version': 'warning',
  'redundant-action': 'information',
  'unmatched-findings': 'warning',
  'implausible-findings': 'warning',
};

export function toSeverity(setting: SeveritySetting): DiagnosticSeverity | undefined {
  switch (setting) {
    case 'error': return DiagnosticSeverity.Error;
    case 'warning': return DiagnosticSeverity.Warning;
    case 'information': return DiagnosticSeverity.Information;
    case 'hint': return DiagnosticSeverity.Hint;
    case 'off': return undefined;
  }
}

/**
 * Where in the analysis a policy diagnostic points, so that a code action finds it again. Kept on
 * the server's side (see diagnosticData): the client has no use for it, and a keystroke in a large
 * policy publishes a thousand diagnostics.
 */
export interface DiagnosticData {
  /** Index of the policy in the file. */
  policy: number;
  /** Index into the policy's refined statements. */
  statement?: number;
  /** Index into the statement's entry refinements. */
  entry?: number;
}

const dataOf = new WeakMap<Diagnostic, DiagnosticData>();

/** Where a diagnostic the server made points in its analysis. */
export function diagnosticData(diagnostic: Diagnostic): DiagnosticData | undefined {
  return dataOf.get(diagnostic);
}

export function setDiagnosticData(diagnostic: Diagnostic, data: DiagnosticData): void {
  dataOf.set(diagnostic, data);
}
