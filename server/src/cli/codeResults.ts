import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { LineIndex, Span } from '../../../shared/src/text/problem';
import type { TextEdit } from '../../../shared/src/text/textEdit';
import { type ResultLevel, ruleIdOf } from './reportRules';
import { fingerprintOf } from './resultIdentity';

/**
 * The results `--format sarif` and `--format github` report: the editor's diagnostics of each file,
 * with the file's text at hand to place them exactly and to name what they point at.
 */

/** A stretch of a file as SARIF counts it: 1-based lines and columns (UTF-16 code units), the end column exclusive. */
export interface Region {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly charOffset: number;
  readonly charLength: number;
}

export interface Replacement {
  readonly deleted: Region;
  readonly inserted: string;
}

export interface Fix {
  /** The quick fix's title, as the editor offers it. */
  readonly description: string;
  readonly replacements: readonly Replacement[];
}

export interface CodeResult {
  readonly ruleId: string;
  /** The diagnostic's own code, which differs from the rule's for a findings file's problems. */
  readonly code: string;
  readonly level: ResultLevel;
  readonly message: string;
  /** As iam-refine prints paths: relative to the working folder when inside it, with `/`. */
  readonly path: string;
  readonly region: Region;
  /** The text the region covers. */
  readonly snippet: string;
  readonly fingerprint: string;
  readonly fix?: Fix;
}

export function regionOf(lines: LineIndex, span: Span): Region {
  const start = lines.position(span.offset);
  const end = lines.position(span.offset + span.length);
  return {
    startLine: start.line + 1,
    startColumn: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    charOffset: span.offset,
    charLength: span.length,
  };
}

const LEVELS: Record<DiagnosticSeverity, ResultLevel> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'note',
  [DiagnosticSeverity.Hint]: 'note',
};

/** What a file adds: its text, and per diagnostic who it is about and how to fix it. */
export interface FileDiagnostics {
  readonly path: string;
  readonly lines: LineIndex;
  readonly diagnostics: readonly Diagnostic[];
  /** The policy and statement a diagnostic is in (see policyIdentity); empty for a findings file. */
  identity(diagnostic: Diagnostic, offset: number): string[];
  /** The diagnostic's quick fix, as text edits of the file. */
  fix?(diagnostic: Diagnostic, offset: number): { title: string; edits: readonly TextEdit[] } | undefined;
}

/** The results of one file, in the order of its diagnostics. */
export function resultsOf(file: FileDiagnostics): CodeResult[] {
  const seen = new Map<string, number>();
  return file.diagnostics.map((d) => {
    const offset = file.lines.offset(d.range.start);
    const span = { offset, length: file.lines.offset(d.range.end) - offset };
    const snippet = file.lines.text.slice(offset, offset + span.length);
    const code = String(d.code ?? 'unknown');
    const ruleId = ruleIdOf(code);
    const parts = [ruleId, file.path, ...file.identity(d, offset), snippet];
    const key = parts.join('\0');
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    const fix = file.fix?.(d, offset);
    const result: CodeResult = {
      ruleId,
      code,
      level: LEVELS[d.severity ?? DiagnosticSeverity.Warning],
      message: typeof d.message === 'string' ? d.message : d.message.value,
      path: file.path,
      region: regionOf(file.lines, span),
      snippet,
      fingerprint: fingerprintOf(parts, ordinal),
    };
    if (!fix || fix.edits.length === 0) return result;
    const replacements = fix.edits.map((e) => ({ deleted: regionOf(file.lines, e), inserted: e.newText }));
    return { ...result, fix: { description: fix.title, replacements } };
  });
}
