import type { CodeResult } from './codeResults';

/*
 * GitHub Actions workflow commands: a step that prints `::warning file=…,line=…::message` gets an
 * annotation on that line of the pull request. Escaped as GitHub's own toolkit (@actions/core)
 * escapes them: `%`, CR and LF everywhere, and in property values also `:` and `,`, which would
 * otherwise end the value.
 */

const COMMANDS = { error: 'error', warning: 'warning', note: 'notice' } as const;

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One workflow command per result. Lines and columns are 1-based and `endColumn` is the column of
 * the last character the result covers (inclusive, unlike SARIF's), so that line and columns name
 * exactly the text the editor squiggles.
 */
export function githubAnnotations(results: readonly CodeResult[]): string {
  return results.map((r) => {
    const { startLine, startColumn, endLine, endColumn } = r.region;
    // An empty region (a syntax error at a point) covers its one column; otherwise the last character's.
    const lastColumn = r.region.charLength === 0 ? startColumn : endColumn - 1;
    // A region that ends just after a line break ends, inclusively, on the line before; its last column is not known here.
    const properties = lastColumn >= 1
      ? { file: r.path, line: startLine, col: startColumn, endLine, endColumn: lastColumn, title: `iam-refine ${r.ruleId}` }
      : { file: r.path, line: startLine, col: startColumn, endLine: endLine - 1, title: `iam-refine ${r.ruleId}` };
    const list = Object.entries(properties).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
    return `::${COMMANDS[r.level]} ${list}::${escapeData(r.message)}\n`;
  }).join('');
}
