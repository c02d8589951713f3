import { basename } from 'node:path';
import type { LoadedFindings } from '../workspace/findingsFiles';

const DAY_MS = 24 * 60 * 60 * 1000;

/** When findings go stale. */
export interface FindingsAgeOptions {
  readonly now: number;
  readonly maxAgeDays: number;
  /** When the policy's file was last committed, if known (see LastCommitTimes). */
  readonly policyCommitted?: number | undefined;
}

/**
 * The date a findings file's analysis speaks for: its oldest principal's `analyzedAt` (an action
 * that one principal's analysis could not see is in use by the file's verdict). Undefined when the
 * file carries no date (the plain list of unused actions): its age cannot be known.
 */
export function analysedOn(findings: LoadedFindings): number | undefined {
  const times = findings.document.principals.flatMap((p) => {
    const time = p.analyzedAt ? Date.parse(p.analyzedAt) : Number.NaN;
    return Number.isNaN(time) ? [] : [time];
  });
  return times.length > 0 ? Math.min(...times) : undefined;
}

/**
 * Why findings that apply to a policy are stale, in a sentence with their date, or undefined when
 * they are not older than the setting allows nor than the policy file's last commit (or carry no
 * date). The last commit, not the time on disk: that is a checkout's as often as an edit's, and a
 * refinement just applied is a change the findings already speak for.
 */
export function staleFindingsMessage(findings: LoadedFindings, options: FindingsAgeOptions): string | undefined {
  const analysed = analysedOn(findings);
  if (analysed === undefined) return undefined;
  const name = basename(findings.path);
  const date = day(analysed);
  const age = Math.floor((options.now - analysed) / DAY_MS);
  if (age <= options.maxAgeDays) {
    const committed = options.policyCommitted;
    if (committed === undefined || committed <= analysed) return undefined;
    return `The findings in ${name} were analysed on ${date}, before this file's last commit on ${day(committed)}: `
      + 'what the policy allows since may be in use. Fetch them again.';
  }
  return `The findings in ${name} were analysed on ${date}, ${age} days ago (more than iamPolicyRefiner.findings.maxAgeDays, `
    + `${options.maxAgeDays}): what was used since, and actions AWS added since, are not in them. Fetch them again.`;
}

function day(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
