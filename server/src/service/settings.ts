import { DEFAULT_FINDINGS_GLOBS } from '../../../shared/src/findings/scope';
import { DEFAULT_SEVERITY, SEVERITY_SETTINGS, type SeveritySetting } from '../language/codes';
import { POLICY_KINDS, type PolicyKind } from '../language/policyKind';
import { STYLE_SETTINGS, type StyleSetting } from '../language/refinementStyle';

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
  /** `refinement.style`: how replacements are written: words, compact, or words unless the policy would not fit its limit. */
  style?: StyleSetting;
  /** `refinement.sizeLimit`: the size limit of a policy whose source does not say where it ends up. */
  sizeLimit?: PolicyKind;
  /** `catalog.update` and `catalog.url`: whether the editor downloads AWS's service reference once a day, and from where ('' for AWS). */
  catalog?: { update: 'daily' | 'never'; url: string };
  /** `findings.maxAgeDays`: findings older than this are stale (the `stale-findings` diagnostic). */
  findingsMaxAgeDays?: number;
}

/** Days after which findings are stale, unless the settings say otherwise. */
export const DEFAULT_FINDINGS_MAX_AGE_DAYS = 90;

export const DEFAULT_SETTINGS: Settings = {
  findingsFiles: [...DEFAULT_FINDINGS_GLOBS],
  include: ['**'],
  exclude: [],
  severity: { ...DEFAULT_SEVERITY },
  catalog: { update: 'daily', url: '' },
  findingsMaxAgeDays: DEFAULT_FINDINGS_MAX_AGE_DAYS,
};

const SEVERITIES: ReadonlySet<string> = new Set(SEVERITY_SETTINGS);

/** Reads what the client sends, keeping defaults for anything missing or of the wrong type. */
export function readSettings(raw: unknown): Settings {
  const section = isObject(raw) ? raw : {};
  const findings = isObject(section.findings) ? section.findings : {};
  const policies = isObject(section.policies) ? section.policies : {};
  const catalog = isObject(section.catalog) ? section.catalog : {};
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
    catalog: {
      update: catalog.update === 'never' ? 'never' : 'daily',
      url: typeof catalog.url === 'string' && /^https?:\/\/[^/]/.test(catalog.url.trim()) ? catalog.url.trim() : '',
    },
    findingsMaxAgeDays: typeof findings.maxAgeDays === 'number' && Number.isInteger(findings.maxAgeDays) && findings.maxAgeDays >= 0
      ? findings.maxAgeDays : DEFAULT_FINDINGS_MAX_AGE_DAYS,
  };
  const refinement = isObject(section.refinement) ? section.refinement : {};
  if (STYLE_SETTINGS.includes(refinement.style as StyleSetting)) settings.style = refinement.style as StyleSetting;
  if (POLICY_KINDS.includes(refinement.sizeLimit as PolicyKind)) settings.sizeLimit = refinement.sizeLimit as PolicyKind;
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
