import type { Range } from 'vscode-languageserver';
import type { PolicyTextAnalysis } from '../../../shared/src/policy/analyzePolicyText';
import { LineIndex, type Position, type Span } from '../../../shared/src/text/problem';
import type { LoadedFindings } from '../workspace/findingsFiles';

/** Everything the server knows about one version of an open policy document. */
export interface PolicyDocumentState {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly lines: LineIndex;
  readonly analysis: PolicyTextAnalysis;
  /** The findings files that apply to any policy of the document; empty when none does. */
  readonly findings: readonly LoadedFindings[];
  /** Per policy (as in `analysis.refinements`), the findings files that apply to it. */
  readonly policyFindings: readonly (readonly LoadedFindings[])[];
  /** Per policy, the files of AWS's recommendations alone that apply to it: compared with, never counted as findings. */
  readonly policyRecommendations: readonly (readonly LoadedFindings[])[];
  /** URI of each findings file, by path. */
  readonly findingsUri: (path: string) => string;
  /** The findings files that apply and cannot be read, by path: why, and whether an older version stands in. */
  readonly unreadable: ReadonlyMap<string, UnreadableFindings>;
}

export interface UnreadableFindings {
  /** The file's first error, with its line. */
  readonly reason: string;
  /** Where that error is. */
  readonly at: Position;
  /** An open document's last version that could be read stands in for it, until it can be read again. */
  readonly stale: boolean;
}

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.position(span.offset), end: lines.position(span.offset + span.length) };
}

/** Line indexes of findings texts, kept while the text is the same object. */
const findingsLines = new WeakMap<LoadedFindings, LineIndex>();

export function findingsLineIndex(findings: LoadedFindings): LineIndex {
  let lines = findingsLines.get(findings);
  if (!lines) {
    lines = new LineIndex(findings.text);
    findingsLines.set(findings, lines);
  }
  return lines;
}

/**
 * Where the first syntax error of a policy document is ("line 12"), when it has one: a text that
 * does not parse is analysed, but not edited until it is fixed.
 */
export function syntaxErrorLine(state: PolicyDocumentState): string | undefined {
  const error = state.analysis.file.syntaxErrors[0];
  return error && `line ${state.lines.position(error.span.offset).line + 1}`;
}
