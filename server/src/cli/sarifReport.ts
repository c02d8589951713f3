import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeResult, Region } from './codeResults';
import { REPORT_RULES, RULES_HELP_ANCHOR } from './reportRules';

/** Where code scanning finds the schema of what it reads; the OASIS standard's own copy. */
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The key of iam-refine's fingerprints; the version changes if their recipe ever does, so that old alerts are not matched wrongly. */
export const FINGERPRINT_KEY = 'iamPolicyRefiner/v1';

/** Relative paths are relative to this base, which the log maps to the working folder. */
const SRCROOT = '%SRCROOT%';

export interface SarifTool {
  version: string;
  /** The project's page (package.json's repository, without `.git`); rules link into its README. */
  repositoryUrl?: string;
}

export interface SarifRun {
  tool: SarifTool;
  /** The working folder, which relative paths are relative to. */
  cwd: string;
  results: readonly CodeResult[];
  /** Messages about the run itself (a file that cannot be read), which are not results about a file. */
  notifications: readonly { level: 'error' | 'warning'; message: string }[];
  /** False when something could not be analysed at all. */
  successful: boolean;
}

/** The SARIF 2.1.0 log of one run of iam-refine: its rules, and one result per diagnostic with its fix. */
export function sarifLog(run: SarifRun): object {
  const ruleIndex = new Map(REPORT_RULES.map((r, i) => [r.id, i]));
  const helpUri = run.tool.repositoryUrl ? `${run.tool.repositoryUrl}#${RULES_HELP_ANCHOR}` : undefined;
  const driver = {
    name: 'iam-refine',
    fullName: 'IAM Policy Refiner',
    version: run.tool.version,
    ...(/^\d+\.\d+\.\d+/.test(run.tool.version) ? { semanticVersion: run.tool.version } : {}),
    ...(run.tool.repositoryUrl ? { informationUri: run.tool.repositoryUrl } : {}),
    rules: REPORT_RULES.map((r) => ({
      id: r.id,
      name: r.name,
      shortDescription: { text: r.short },
      fullDescription: { text: r.full },
      ...(helpUri ? { helpUri } : {}),
      help: { text: r.full },
      defaultConfiguration: { level: r.level },
      properties: { tags: ['security', 'iam', 'least-privilege'] },
    })),
  };
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver },
      invocations: [{
        executionSuccessful: run.successful,
        toolExecutionNotifications: run.notifications.map((n) => ({ level: n.level, message: { text: n.message } })),
      }],
      originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(run.cwd) } },
      // Columns count UTF-16 code units, as JavaScript strings and the language server do.
      columnKind: 'utf16CodeUnits',
      results: run.results.map((r) => {
        const location = artifactLocation(r.path);
        const result = {
          ruleId: r.ruleId,
          ...(ruleIndex.has(r.ruleId) ? { ruleIndex: ruleIndex.get(r.ruleId)! } : {}),
          level: r.level,
          message: { text: r.message },
          locations: [{
            physicalLocation: { artifactLocation: location, region: { ...sarifRegion(r.region), snippet: { text: r.snippet } } },
          }],
          partialFingerprints: { [FINGERPRINT_KEY]: r.fingerprint },
          ...(r.code !== r.ruleId ? { properties: { code: r.code } } : {}),
        };
        if (!r.fix) return result;
        const replacements = r.fix.replacements.map((x) => ({
          deletedRegion: sarifRegion(x.deleted), insertedContent: { text: x.inserted },
        }));
        const fix = { description: { text: r.fix.description }, artifactChanges: [{ artifactLocation: location, replacements }] };
        return { ...result, fixes: [fix] };
      }),
    }],
  };
}

function sarifRegion(r: Region): Region {
  return {
    startLine: r.startLine, startColumn: r.startColumn, endLine: r.endLine, endColumn: r.endColumn,
    charOffset: r.charOffset, charLength: r.charLength,
  };
}

/** A relative path stays relative to the working folder (code scanning wants paths from the repository's root); others are file URIs. */
function artifactLocation(path: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}
