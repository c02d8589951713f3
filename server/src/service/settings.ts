import { DEFAULT_FINDINGS_GLOBS } from '../../../shared/src/findings/scope';
import { DEFAULT_SEVERITY, SEVERITY_SETTINGS, type SeveritySetting } from '../language/codes';

export type DiagnosticCode = keyof typeof DEFAULT_SEVERITY;

export interface Settings {
  /** Globs, relative to a workspace folder, that name findings files. */
  findingsFiles: string[];
  /** For IAM last-accessed reports: actions last used more than this many days ago count as unused. */
  thresholdDays?: number;
  /** Globs, relative to a workspace folder, of the documents checked for policies. */
  include: string[];
  /** Globs of documents never checked, even when they look like policies. */
  exclude: string[];
  severity: Record<DiagnosticCode, SeveritySetting>;
}

export const DEFAULT_SETTINGS: Settings = {
  findingsFiles: [...DEFAULT_FINDINGS_GLOBS],
  include: ['**'],
  exclude: [],
  severity: { ...DEFAULT_SEVERITY },
};

const SEVERITIES: ReadonlySet<string> = new Set(SEVERITY_SETTINGS);

/** Reads what the client sends, keeping defaults for anything missing or of the wrong type. */
export function readSettings(raw: unknown): Settings {
  const section = isObject(raw) ? raw : {};
  const findings = isObject(section.findings) ? section.findings : {};
  const policies = isObject(section.policies) ? section.policies : {};
  const severity = { ...DEFAULT_SETTINGS.severity };
  if (isObject(section.severity)) {
    for (const [code, value] of Object.entries(section.severity)) {
      if (code in severity && typeof value === 'string' && SEVERITIES.has(value)) {
        severity[code as DiagnosticCode] = value as SeveritySetting;
      }
    }
  }
  const settings: Settings = {
    findingsFiles: strings(findings.files) ?? DEFAULT_SETTINGS.findingsFiles,
    include: strings(policies.include) ?? DEFAULT_SETTINGS.include,
    exclude: strings(policies.exclude) ?? DEFAULT_SETTINGS.exclude,
    severity,
  };
  if (typeof findings.thresholdDays === 'number' && Number.isInteger(findings.thresholdDays) && findings.thresholdDays >= 0) {
    settings.thresholdDays = findings.thresholdDays;
  }
  return settings;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0) ? (value as string[]) : undefined;
}
