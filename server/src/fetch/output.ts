import { writeFileWhole } from '../service/fileSystem';
import { FetchError } from './errors';
import type { Principal } from './principals';

/** The `fetched` header: where and when the findings were fetched, and for whom. */
export interface FetchedHeader {
  source: 'access-analyzer' | 'last-accessed';
  account: string;
  region: string;
  analyzer?: string;
  thresholdDays?: number;
  principals: { arn: string; findings?: number; via?: string }[];
  fetchedAt: string;
}

/** `app` → `app.unused-access.json`: a name the findings search finds. */
export function defaultFileName(name: string): string {
  return `${name}.unused-access.json`;
}

/** The header entry of one principal; `findings` is given for Access Analyzer, where 0 means "nothing unused". */
export function headerPrincipal(principal: Principal, findings?: number): FetchedHeader['principals'][number] {
  return { arn: principal.arn, ...(findings === undefined ? {} : { findings }), ...(principal.via ? { via: principal.via } : {}) };
}

/**
 * The file: the header, then the saved responses in a shape the findings reader already knows, inside
 * the `appliesTo` wrapper when globs are given.
 */
export function fileText(header: FetchedHeader, findings: readonly unknown[], appliesTo: readonly string[]): string {
  const body = appliesTo.length > 0 ? { fetched: header, appliesTo, findings } : { fetched: header, findings };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** Writes the findings file whole (see writeFileWhole); a failure says what to do. */
export function writeAtomically(path: string, text: string): void {
  try {
    writeFileWhole(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new FetchError(`cannot write ${path} (${code}): choose a writable file with --out FILE`);
  }
}
