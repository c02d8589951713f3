import type { Node } from 'jsonc-parser';
import type { FindingsParseOptions } from '../model';
import type { FindingsCollector, PrincipalAccumulator } from './collect';
import { readActionName, readService } from './entry';
import {
  type Ctx,
  type JsonPath,
  type Stamp,
  expectArray,
  expectObject,
  found,
  label,
  member,
  optionalString,
  present,
  stampOf,
  timestamp,
} from './json';

const DAY = 24 * 60 * 60 * 1000;

export function looksLikeLastAccessed(node: Node): boolean {
  return node.type === 'object' && (!!member(node, 'ServicesLastAccessed') || !!member(node, 'JobStatus'));
}

/** Times before this count as unused; undefined when only never-used counts (no usable threshold). */
function cutoff(options: FindingsParseOptions): number | undefined {
  const days = options.thresholdDays;
  if (days === undefined || !Number.isFinite(days) || days < 0) return undefined;
  return (options.now ?? new Date()).getTime() - days * DAY;
}

/**
 * Several reports, one per principal (as `iam-refine fetch --source last-accessed` saves them). Each is
 * a principal of its own, named by its `Arn` where it has one: what they leave unused is intersected,
 * never added up.
 */
export function readLastAccessedList(ctx: Ctx, items: readonly Node[], path: JsonPath, out: FindingsCollector): void {
  items.forEach((item, i) => {
    const at = [...path, i];
    if (!expectObject(ctx, item, at)) return;
    if (looksLikeLastAccessed(item)) readLastAccessed(ctx, item, at, out, true);
    else
      ctx.error(
        'findings-shape',
        `${label(at)} is not an IAM last-accessed report: it has neither "ServicesLastAccessed" nor "JobStatus"`,
        item,
        at,
      );
  });
}

/**
 * `aws iam get-service-last-accessed-details` output: whatever was not used (recently enough) is unused.
 * The API's output does not say whose report it is; an `Arn` beside it (the request's) names the principal.
 * With `separate`, a report without one is still a principal of its own.
 */
export function readLastAccessed(ctx: Ctx, node: Node, path: JsonPath, out: FindingsCollector, separate = false): void {
  const arn = optionalString(ctx, node, 'Arn', path);
  if (arn?.value === '') ctx.warning('findings-empty', 'Arn is empty; the report is treated as naming no role or user', arn.node,
    [...path, 'Arn']);
  const resource = arn?.value || undefined;
  const status = optionalString(ctx, node, 'JobStatus', path);
  if (status && status.value !== 'COMPLETED')
    ctx.warning(
      'findings-job-incomplete',
      `The report job is ${status.value}, not COMPLETED, so the report may be missing services; ` +
        'run get-service-last-accessed-details again once the job has completed',
      status.node,
      [...path, 'JobStatus'],
    );

  const truncated = present(node, 'IsTruncated');
  const truncatedPath = [...path, 'IsTruncated'];
  if (truncated && truncated.value.type !== 'boolean')
    ctx.error(
      'findings-type',
      `IsTruncated must be true or false, found ${found(truncated.value)}`,
      truncated.value,
      truncatedPath,
    );
  // A partial page lists fewer services, so it can only under-report unused access: still worth using.
  else if (truncated?.value.value === true)
    ctx.warning(
      'findings-partial-page',
      'IsTruncated says this report is one page of a longer list: more services exist. Only this page is used; ' +
        'fetch the remaining pages with --marker and add their services to this file',
      truncated.value,
      truncatedPath,
    );

  const type = optionalString(ctx, node, 'JobType', path);
  if (type?.value === 'SERVICE_LEVEL')
    ctx.info(
      'findings-service-level',
      'This report is SERVICE_LEVEL, so only wholly unused services are found; ' +
        'generate it with --granularity ACTION_LEVEL to find unused actions too',
      type.node,
      [...path, 'JobType'],
    );

  const services = member(node, 'ServicesLastAccessed');
  if (!services) {
    ctx.error('findings-missing', 'The report has no "ServicesLastAccessed" list', node, path);
    return;
  }
  const items = expectArray(ctx, services.value, [...path, 'ServicesLastAccessed']);
  if (!items) return;
  const principal = resource === undefined && separate ? out.unnamed() : out.principal(resource);
  principal.noteAnalyzedAt(stampOf(timestamp(ctx, node, 'JobCompletionDate', path)));
  const before = cutoff(ctx.options);
  items.forEach((item, i) => readServiceUse(ctx, item, [...path, 'ServicesLastAccessed', i], principal, before));
}

function unused(stamp: Stamp | 'absent', before: number | undefined): boolean {
  return stamp === 'absent' || (before !== undefined && stamp.time < before);
}

function readServiceUse(
  ctx: Ctx,
  node: Node,
  path: JsonPath,
  principal: PrincipalAccumulator,
  before: number | undefined,
): void {
  if (!expectObject(ctx, node, path)) return;
  const namespace = member(node, 'ServiceNamespace');
  if (!namespace) {
    ctx.error('findings-missing', `${label(path)} has no "ServiceNamespace"; the entry was skipped`, node, path);
    return;
  }
  const service = readService(ctx, namespace.value, [...path, 'ServiceNamespace']);
  if (service === undefined) return;
  // An unreadable time must not pass for "never used": that would flag a service that may be in use.
  const last = timestamp(ctx, node, 'LastAuthenticated', path, 'the service counts as used');
  const wholeUnused = last !== 'invalid' && unused(last, before);
  if (wholeUnused) principal.service(service, namespace.value, stampOf(last)).markWhole();
  const tracked = present(node, 'TrackedActionsLastAccessed');
  if (!tracked) return;
  const actions = expectArray(ctx, tracked.value, [...path, 'TrackedActionsLastAccessed']);
  if (!actions) return;
  const findings = principal.service(service, namespace.value, stampOf(last));
  actions.forEach((action, j) => {
    const at = [...path, 'TrackedActionsLastAccessed', j];
    if (!expectObject(ctx, action, at)) return;
    const name = member(action, 'ActionName');
    if (!name) {
      ctx.error('findings-missing', `${label(at)} has no "ActionName"; the entry was skipped`, action, at);
      return;
    }
    const actionName = readActionName(ctx, name.value, service, [...at, 'ActionName']);
    if (actionName === undefined) return;
    const time = timestamp(ctx, action, 'LastAccessedTime', at, 'the action counts as used');
    // In a service unused as a whole every action is unused; listing them keeps their own dates.
    if (wholeUnused || (time !== 'invalid' && unused(time, before))) findings.addAction(actionName, name.value, stampOf(time));
  });
}
