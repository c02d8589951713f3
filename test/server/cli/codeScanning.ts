import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/catalog';
import { type CliResult, runCli, workspace } from '../../support/cli';

// What the code-scanning tests share: the template repository, the parts of a SARIF log they read,
// and an independent reading of lines and columns (not the product's LineIndex).

export const TEMPLATES = join(repoRoot(), 'test', 'fixtures', 'workspaces', 'templates');

/** A throw-away copy of the template repository (a `.git` marks its root), with `extra` files added. */
export function templatesRepo(extra: Record<string, string> = {}): string {
  const root = workspace({ '.git/': '', ...extra });
  cpSync(TEMPLATES, root, { recursive: true });
  return root;
}

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  charOffset?: number;
  charLength?: number;
  snippet?: { text: string };
}

export interface SarifReplacement {
  deletedRegion: SarifRegion;
  insertedContent: { text: string };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: SarifRegion } }[];
  partialFingerprints: Record<string, string>;
  properties?: { code?: string };
  fixes?: {
    description: { text: string };
    artifactChanges: { artifactLocation: { uri: string }; replacements: SarifReplacement[] }[];
  }[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  defaultConfiguration: { level: string };
}

export interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri?: string; rules: SarifRule[] } };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[];
    originalUriBaseIds: Record<string, { uri: string }>;
    columnKind: string;
    results: SarifResult[];
  }[];
}

export function runSarif(args: string[], cwd: string): CliResult & { log: SarifLog } {
  const result = runCli(['--format', 'sarif', ...args], cwd);
  return { ...result, log: JSON.parse(result.stdout) as SarifLog };
}

export const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');

/** Where each line starts, lines ending at CRLF, LF or CR, as SARIF counts them. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  return starts;
}

/** The offset of a 1-based line and column; columns count UTF-16 code units, as the log's columnKind says. */
export function offsetAt(text: string, line: number, column: number): number {
  const start = lineStarts(text)[line - 1];
  if (start === undefined) throw new Error(`no line ${line}`);
  return start + column - 1;
}

/** The text of a SARIF region (end column exclusive), read from lines and columns alone. */
export function sarifText(text: string, r: SarifRegion): string {
  return text.slice(offsetAt(text, r.startLine, r.startColumn), offsetAt(text, r.endLine, r.endColumn));
}

/** A text with a fix's replacements applied, each placed by its lines and columns. */
export function applyReplacements(text: string, replacements: readonly SarifReplacement[]): string {
  const edits = replacements
    .map((r) => ({
      start: offsetAt(text, r.deletedRegion.startLine, r.deletedRegion.startColumn),
      end: offsetAt(text, r.deletedRegion.endLine, r.deletedRegion.endColumn),
      text: r.insertedContent.text,
    }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  let limit = Infinity;
  for (const e of edits) {
    if (e.end > limit) throw new Error('overlapping replacements');
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}
