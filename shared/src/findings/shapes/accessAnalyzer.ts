import type { Node } from 'jsonc-parser';
import type { FindingsCollector } from './collect';
import { readServiceEntry } from './entry';
import {
  type Ctx,
  type JsonPath,
  expectArray,
  expectObject,
  label,
  member,
  optionalString,
  present,
  stampOf,
  timestamp,
} from './json';
import { readRecommendation } from './recommendation';

/** Finding types that are about something other than unused permissions, as `findingType` names them. */
const OTHER_TYPES = new Map([
  ['UnusedIAMRole', 'an unused IAM role'],
  ['UnusedIAMUserAccessKey', 'an unused IAM user access key'],
  ['UnusedIAMUserPassword', 'an unused IAM user password'],
  ['ExternalAccess', 'external access'],
  ['InternalAccess', 'internal access'],
]);

/** The same, as the keys of a `findingDetails` entry name them. */
const OTHER_DETAILS = new Map([
  ['unusedIamRoleDetails', 'an unused IAM role'],
  ['unusedIamUserAccessKeyDetails', 'an unused IAM user access key'],
  ['unusedIamUserPasswordDetails', 'an unused IAM user password'],
  ['externalAccessDetails', 'external access'],
  ['internalAccessDetails', 'internal access'],
]);

/** Resolved findings describe access that is used again (or gone); archived ones were dismissed on purpose. */
const INACTIVE = new Set(['ARCHIVED', 'RESOLVED']);

export function looksLikeFinding(node: Node): boolean {
  return node.type === 'object' && (!!member(node, 'findingDetails') || !!member(node, 'findingType'));
}

/** A list of `get-finding-v2` responses; several for one resource merge into one principal. */
export function readFindingList(ctx: Ctx, items: readonly Node[], path: JsonPath, out: FindingsCollector): void {
  items.forEach((item, i) => {
    const at = [...path, i];
    if (!expectObject(ctx, item, at)) return;
    if (looksLikeFinding(item)) readFinding(ctx, item, at, out);
    else
      ctx.error(
        'findings-shape',
        `${label(at)} is not an Access Analyzer finding: it has neither "findingDetails" nor "findingType"`,
        item,
        at,
      );
  });
}

/** `{"findings": [...]}`, as saved from several get-finding-v2 calls (or, wrongly, from list-findings-v2). */
export function readFindingsObject(ctx: Ctx, node: Node, path: JsonPath, out: FindingsCollector): void {
  warnPartialPage(ctx, node, path, (key) => `This list is one page of a longer result: ${key} says more findings exist`);
  const list = member(node, 'findings');
  const items = list && expectArray(ctx, list.value, [...path, 'findings']);
  if (items) readFindingList(ctx, items, [...path, 'findings'], out);
}

/** One `aws accessanalyzer get-finding-v2` response. */
export function readFinding(ctx: Ctx, node: Node, path: JsonPath, out: FindingsCollector): void {
  const id = optionalString(ctx, node, 'id', path)?.value;
  const resource = readResource(ctx, node, path);
  const finding = id === undefined ? 'This finding' : `Finding ${id}`;
  const about = resource === undefined ? '' : ` (${resource})`;
  warnPartialPage(
    ctx,
    node,
    path,
    (key) => `${finding}${about} is one page of a longer result: ${key} says more findingDetails exist`,
  );

  const type = optionalString(ctx, node, 'findingType', path);
  const other = type && OTHER_TYPES.get(type.value);
  if (type && other) {
    reportOther(ctx, `${finding} reports ${other}${about}`, type.node, [...path, 'findingType']);
    return;
  }
  const details = present(node, 'findingDetails');
  const entries = details && expectArray(ctx, details.value, [...path, 'findingDetails']);
  const others = entries?.map(otherDetails);
  if (others?.length && others.every((o) => o !== undefined)) {
    const reported = new Set<string>();
    others.forEach((o, i) => {
      // External access findings can carry many entries; one note per kind says it all.
      if (!o || reported.has(o.kind)) return;
      reported.add(o.kind);
      const at = [...path, 'findingDetails', i, o.key.value as string];
      reportOther(ctx, `${finding} reports ${o.kind}${about}`, o.key, at);
    });
    return;
  }

  // From here on the finding is about this principal's permissions. Even when it yields no actions it
  // registers the principal, since callers intersect principals: a role that uses everything must count.
  const principal = out.principal(resource);
  principal.noteAnalyzedAt(stampOf(timestamp(ctx, node, 'analyzedAt', path)));

  const status = optionalString(ctx, node, 'status', path);
  if (status && INACTIVE.has(status.value)) {
    ctx.info(
      'findings-inactive',
      `${finding}${about} is ${status.value}, so the actions it lists are not flagged`,
      status.node,
      [...path, 'status'],
    );
    return;
  }
  if (!details) {
    ctx.warning(
      'findings-no-details',
      `${finding}${about} has no findingDetails, so it names no actions. list-findings-v2 prints only ` +
        'summaries; save the output of get-finding-v2 for each finding instead',
      type?.node ?? node,
      type ? [...path, 'findingType'] : [...path],
    );
    return;
  }
  entries?.forEach((entry, i) => {
    const at = [...path, 'findingDetails', i];
    if (!expectObject(ctx, entry, at)) return;
    const permission = member(entry, 'unusedPermissionDetails');
    if (permission) readServiceEntry(ctx, permission.value, [...at, 'unusedPermissionDetails'], principal);
    // AWS never mixes kinds in one finding; a stray entry of another kind has nothing to add here.
    else if (!otherDetails(entry))
      ctx.error(
        'findings-shape',
        `${label(at)} has none of the known details: unusedPermissionDetails, ${[...OTHER_DETAILS.keys()].join(', ')}`,
        entry,
        at,
      );
  });  const recommendation = present(node, 'recommendation');
  const named = `${id === undefined ? 'this finding' : `finding ${id}`}${about}`;
  if (recommendation) readRecommendation(ctx, recommendation.value, [...path, 'recommendation'], principal, named);
}

/** The first key of a findingDetails entry that names another kind of finding, if any. */
function otherDetails(entry: Node): { key: Node; kind: string } | undefined {
  if (entry.type !== 'object' || member(entry, 'unusedPermissionDetails')) return undefined;
  for (const property of entry.children ?? []) {
    const key = property.children?.[0];
    const kind = key && OTHER_DETAILS.get(key.value as string);
    if (key && kind) return { key, kind };
  }
  return undefined;
}

/** A page that is not the last still holds valid findings, so it is used, but the user should know. */
function warnPartialPage(ctx: Ctx, node: Node, path: JsonPath, what: (key: string) => string): void {
  // The API field is nextToken; the CLI's own paging prints NextToken.
  for (const key of ['nextToken', 'NextToken']) {
    const token = optionalString(ctx, node, key, path);
    if (token && token.value !== '')
      ctx.warning(
        'findings-partial-page',
        `${what(key)}. Only this page is used; fetch the remaining pages and add them to this file`,
        token.node,
        [...path, key],
      );
  }
}

function reportOther(ctx: Ctx, what: string, at: Node, path: JsonPath): void {
  ctx.info('findings-other-type', `${what}, not unused permissions; nothing to refine`, at, path);
}

function readResource(ctx: Ctx, node: Node, path: JsonPath): string | undefined {
  const resource = optionalString(ctx, node, 'resource', path);
  if (resource?.value !== '') return resource?.value;
  ctx.warning(
    'findings-empty',
    `resource is empty; the finding is treated as naming no role or user`,
    resource.node,
    [...path, 'resource'],
  );
  return undefined;
}
