import type { Node } from 'jsonc-parser';
import type { FetchedHeader, FetchedPrincipal } from '../model';
import type { FindingsCollector } from './collect';
import { type Ctx, type JsonPath, expectArray, expectObject, found, label, optionalString, present, quote } from './json';

const SOURCES = new Set(['access-analyzer', 'last-accessed']);

/**
 * The `fetched` header of a file written by `iam-refine fetch`. Its principals are registered before
 * the findings are read: one that has no findings still counts, and says it leaves nothing unused,
 * so that a policy shared with a principal that uses everything is not cut.
 */
export function readFetched(ctx: Ctx, node: Node, out: FindingsCollector): FetchedHeader | undefined {
  const path = ['fetched'];
  if (!expectObject(ctx, node, path)) return undefined;
  const header: FetchedHeader = { principals: [], span: { offset: node.offset, length: node.length } };
  for (const key of ['source', 'account', 'region', 'analyzer', 'fetchedAt'] as const) {
    const value = optionalString(ctx, node, key, path);
    if (value) header[key] = value.value;
  }
  const source = optionalString(ctx, node, 'source', path);
  if (source && !SOURCES.has(source.value))
    ctx.warning('findings-fetched', `fetched.source ${quote(source.value)} is neither "access-analyzer" nor "last-accessed"`,
      source.node, [...path, 'source']);
  const threshold = wholeNumber(ctx, node, 'thresholdDays', path);
  if (threshold !== undefined) header.thresholdDays = threshold;
  const principals = present(node, 'principals');
  const items = principals && expectArray(ctx, principals.value, [...path, 'principals']);
  items?.forEach((item, i) => {
    const principal = readPrincipal(ctx, item, [...path, 'principals', i]);
    if (!principal) return;
    header.principals.push(principal);
    out.principal(principal.arn);
    if (principal.findings === 0)
      ctx.info('findings-none', `${principal.arn} has no unused-access findings, so it leaves nothing unused`, item,
        [...path, 'principals', i]);
  });
  return header;
}

function readPrincipal(ctx: Ctx, node: Node, path: JsonPath): FetchedPrincipal | undefined {
  if (!expectObject(ctx, node, path)) return undefined;
  const arn = optionalString(ctx, node, 'arn', path);
  if (!arn || arn.value === '') {
    ctx.error('findings-missing', `${label(path)} has no "arn"; the entry was skipped`, node, path);
    return undefined;
  }
  const principal: FetchedPrincipal = { arn: arn.value, span: { offset: node.offset, length: node.length } };
  const count = wholeNumber(ctx, node, 'findings', path);
  if (count !== undefined) principal.findings = count;
  const via = optionalString(ctx, node, 'via', path);
  if (via) principal.via = via.value;
  return principal;
}

function wholeNumber(ctx: Ctx, object: Node, key: string, path: JsonPath): number | undefined {
  const m = present(object, key);
  if (!m) return undefined;
  const value = m.value.value;
  if (m.value.type === 'number' && Number.isSafeInteger(value) && (value as number) >= 0) return value as number;
  const at = [...path, key];
  const shown = m.value.type === 'number' ? String(value) : found(m.value);
  ctx.error('findings-type', `${label(at)} must be a whole number, found ${shown}`, m.value, at);
  return undefined;
}
