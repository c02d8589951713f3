import {
  type AnalyzerSummary,
  type FindingSummaryV2,
  GenerateFindingRecommendationCommand,
  GetFindingRecommendationCommand,
  type GetFindingRecommendationCommandOutput,
  GetFindingV2Command,
  type GetFindingV2CommandOutput,
  ListAnalyzersCommand,
  ListFindingsV2Command,
  type RecommendedStep,
} from '@aws-sdk/client-accessanalyzer';
import { FetchError, isDenied, required } from './errors';
import { ACTIONS } from './permissions';
import { poll } from './poll';
import type { Principal } from './principals';
import { type AwsSession, AwsCallError, call, errorCode } from './session';

/** A finding as saved: get-finding-v2's answer with every page of findingDetails, and AWS's recommendation. */
export type SavedFinding = Omit<GetFindingV2CommandOutput, '$metadata' | 'nextToken'> & { recommendation?: SavedRecommendation };

/** get-finding-recommendation's answer with every page of recommendedSteps. */
export type SavedRecommendation = Omit<GetFindingRecommendationCommandOutput, '$metadata' | 'nextToken'>;

/** Prefers the account's own analyzer, unless a principal lives in another account: only the organization's sees it. */
export async function findAnalyzer(
  session: AwsSession, account: string, region: string, principals: readonly Principal[],
): Promise<string> {
  const analyzers: AnalyzerSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call(ACTIONS.listAnalyzers, () =>
      session.accessAnalyzer.send(new ListAnalyzersCommand(nextToken ? { nextToken } : {})));
    analyzers.push(...(page.analyzers ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const active = analyzers.filter((a) => a.status === 'ACTIVE');
  const ofType = (type: string) => active.find((a) => a.type === type);
  const elsewhere = principals.some((p) => p.arn.split(':')[4] !== account);
  const organization = ofType('ORGANIZATION_UNUSED_ACCESS');
  const own = ofType('ACCOUNT_UNUSED_ACCESS');
  const found = elsewhere ? organization ?? own : own ?? organization;
  if (found) return required(found.arn, 'the analyzer\'s ARN');
  throw new FetchError(`no unused-access analyzer in account ${account}, region ${region}: create one with ` +
    '"aws accessanalyzer create-analyzer --analyzer-name unused-access --type ACCOUNT_UNUSED_ACCESS" ' +
    '(AWS bills it per role and user analysed, per month), or use --source last-accessed, which needs none');
}

/**
 * Fetches the findings of one principal after another from one analyzer. AWS's recommendations come
 * with them where the identity may ask for them: IAM classes GenerateFindingRecommendation as a write,
 * so a read-only identity gets the findings, which are what refining needs, and a note instead.
 */
export class FindingsFetcher {
  private recommend = true;

  constructor(private readonly session: AwsSession, private readonly analyzer: string, private readonly note: (line: string) => void) {}

  /** Every active finding about the principal, whole, with AWS's recommendation for those about unused permissions. */
  async fetch(principal: Principal): Promise<SavedFinding[]> {
    const findings: SavedFinding[] = [];
    for (const summary of await listFindings(this.session, this.analyzer, principal.arn)) {
      const id = required(summary.id, 'a finding\'s id');
      const finding = await getWholeFinding(this.session, this.analyzer, id);
      if (finding.findingType === 'UnusedPermission' && this.recommend) {
        const recommendation = await this.recommendation(id);
        if (recommendation && recommendation.status !== 'SUCCEEDED')
          this.note(`AWS made no recommendation for finding ${id} (${principal.arn}): ` +
            `${recommendation.error?.message ?? recommendation.status ?? 'no status'}`);
        if (recommendation) finding.recommendation = recommendation;
      }
      findings.push(finding);
    }
    return findings;
  }

  private async recommendation(id: string): Promise<SavedRecommendation | undefined> {
    try {
      return await getRecommendation(this.session, this.analyzer, id);
    } catch (error) {
      if (!(error instanceof AwsCallError) || !isDenied(error.error)) throw error;
      this.recommend = false;
      this.note(`AWS denied ${error.action}, so the findings are saved without AWS's recommended policies (allow it to have them)`);
      return undefined;
    }
  }
}

/** The summaries of the principal's active findings, every page. Archived and resolved ones refine nothing. */
async function listFindings(session: AwsSession, analyzer: string, resource: string): Promise<FindingSummaryV2[]> {
  const summaries: FindingSummaryV2[] = [];
  let nextToken: string | undefined;
  do {
    const filter = { resource: { eq: [resource] }, status: { eq: ['ACTIVE'] } };
    const page = await analyzerCall(analyzer, ACTIONS.listFindings, () =>
      session.accessAnalyzer.send(new ListFindingsV2Command({ analyzerArn: analyzer, filter, ...(nextToken ? { nextToken } : {}) })));
    summaries.push(...(page.findings ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return summaries;
}

/** get-finding-v2 pages a large finding's details; the pages are joined into one answer. */
async function getWholeFinding(session: AwsSession, analyzer: string, id: string): Promise<SavedFinding> {
  let whole: SavedFinding | undefined;
  let nextToken: string | undefined;
  do {
    const { $metadata: _metadata, nextToken: next, ...page } = await call(ACTIONS.getFinding, () =>
      session.accessAnalyzer.send(new GetFindingV2Command({ analyzerArn: analyzer, id, ...(nextToken ? { nextToken } : {}) })));
    if (whole) whole.findingDetails = [...(whole.findingDetails ?? []), ...(page.findingDetails ?? [])];
    else whole = page;
    nextToken = next;
  } while (nextToken);
  return whole!;
}

/** Asks AWS for its recommendation, waits while AWS makes it, and joins its pages. */
async function getRecommendation(session: AwsSession, analyzer: string, id: string): Promise<SavedRecommendation> {
  await call(ACTIONS.generateRecommendation, () =>
    session.accessAnalyzer.send(new GenerateFindingRecommendationCommand({ analyzerArn: analyzer, id })));
  const read = (nextToken?: string) => call(ACTIONS.getRecommendation, () =>
    session.accessAnalyzer.send(new GetFindingRecommendationCommand({ analyzerArn: analyzer, id, ...(nextToken ? { nextToken } : {}) })));
  const first = await poll(() => read(), (r) => r.status !== 'IN_PROGRESS', `the recommendation for finding ${id}`);
  const { $metadata: _metadata, nextToken: firstToken, ...recommendation } = first;
  const steps: RecommendedStep[] = [...(recommendation.recommendedSteps ?? [])];
  for (let nextToken = firstToken; nextToken;) {
    const page = await read(nextToken);
    steps.push(...(page.recommendedSteps ?? []));
    nextToken = page.nextToken;
  }
  return recommendation.recommendedSteps || steps.length > 0 ? { ...recommendation, recommendedSteps: steps } : recommendation;
}

/** A call that names the analyzer: one that does not exist is reported as such, not as a bare ResourceNotFound. */
async function analyzerCall<T>(analyzer: string, action: string, send: () => Promise<T>): Promise<T> {
  try {
    return await call(action, send);
  } catch (error) {
    if (error instanceof AwsCallError && errorCode(error.error) === 'ResourceNotFoundException')
      throw new FetchError(`analyzer not found: ${analyzer} (check the ARN given to --analyzer, and the region)`);
    throw error;
  }
}
