import { readFileSync } from 'node:fs';
import type { FetchSource } from './fetchArguments';

/** What a file written by `iam-refine fetch` holds, as far as the editor tells the user. */
export interface SavedFindings {
  readonly source: FetchSource;
  /** Saved responses: Access Analyzer findings, or last-accessed reports (one per principal). */
  readonly count: number;
  /** The principals' ARNs, as the `fetched` header lists them. */
  readonly principals: readonly string[];
}

/** Reads the header and counts the saved responses of a fetched file; throws when it is not one. */
export function readSavedFindings(path: string): SavedFindings {
  const body = JSON.parse(readFileSync(path, 'utf8')) as {
    fetched?: { source?: unknown; principals?: { arn?: unknown }[] };
    findings?: unknown;
  };
  const source = body.fetched?.source;
  if ((source !== 'access-analyzer' && source !== 'last-accessed') || !Array.isArray(body.findings))
    throw new Error(`${path} is not a file written by iam-refine fetch`);
  const principals = (body.fetched?.principals ?? []).flatMap((p) => (typeof p.arn === 'string' ? [p.arn] : []));
  return { source, count: body.findings.length, principals };
}

/**
 * The line shown once the file is written: "Saved 3 findings for app-role to infra/app-role.unused-access.json".
 * `who` is the principal as the user named it; `file` as the workspace shows it.
 */
export function savedMessage(saved: SavedFindings, who: string, file: string): string {
  const n = saved.count;
  if (saved.source === 'last-accessed')
    return `Saved ${n} last-accessed report${n === 1 ? '' : 's'} for ${who} to ${file}.`;
  if (n === 0)
    return `Saved 0 findings for ${who} to ${file}: Access Analyzer reports no unused access for it (nor for a principal `
      + 'it has not analysed yet), so nothing will be refined.';
  return `Saved ${n} finding${n === 1 ? '' : 's'} for ${who} to ${file}.`;
}
