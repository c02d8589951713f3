import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
  type ServiceLastAccessed,
} from '@aws-sdk/client-iam';
import { FetchError, required } from './errors';
import { ACTIONS } from './permissions';
import { poll } from './poll';
import type { Principal } from './principals';
import { type AwsSession, call } from './session';

type Report = Omit<GetServiceLastAccessedDetailsCommandOutput, '$metadata' | 'Marker' | 'IsTruncated'>;

/**
 * A report as saved: get-service-last-accessed-details' answer with every page of services, and the
 * principal's ARN, which the answer itself does not carry.
 */
export type SavedReport = { Arn: string } & Report & { IsTruncated: false };

/**
 * One ACTION_LEVEL report per principal. Every job is started before any is awaited: IAM builds them
 * side by side, so several principals take little longer than one.
 */
export async function fetchReports(session: AwsSession, principals: readonly Principal[]): Promise<SavedReport[]> {
  const jobs: { principal: Principal; jobId: string }[] = [];
  for (const principal of principals) {
    const { JobId } = await call(ACTIONS.generateLastAccessed, () =>
      session.iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: principal.arn, Granularity: 'ACTION_LEVEL' })));
    jobs.push({ principal, jobId: required(JobId, 'the report job\'s id') });
  }
  const reports: SavedReport[] = [];
  for (const { principal, jobId } of jobs) reports.push(await readReport(session, principal, jobId));
  return reports;
}

async function readReport(session: AwsSession, principal: Principal, jobId: string): Promise<SavedReport> {
  const read = (marker?: string) => call(ACTIONS.getLastAccessed, () =>
    session.iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId, ...(marker ? { Marker: marker } : {}) })));
  const first = await poll(() => read(), (r) => r.JobStatus !== 'IN_PROGRESS', `the last-accessed report of ${principal.arn}`);
  if (first.JobStatus !== 'COMPLETED')
    throw new FetchError(`IAM could not build the last-accessed report of ${principal.arn} (${first.JobStatus}): ` +
      `${first.Error?.Message ?? 'no reason given'}; run fetch again later`);
  const { $metadata: _metadata, Marker: firstMarker, IsTruncated: truncated, ...report } = first;
  const services: ServiceLastAccessed[] = [...(report.ServicesLastAccessed ?? [])];
  for (let marker = truncated ? firstMarker : undefined; marker;) {
    const page = await read(marker);
    services.push(...(page.ServicesLastAccessed ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  }
  return { Arn: principal.arn, ...report, ServicesLastAccessed: services, IsTruncated: false };
}
