import type { Node } from 'jsonc-parser';
import type { PrincipalAccumulator } from './collect';
import {
  type Ctx,
  type JsonPath,
  type Stamp,
  expectArray,
  expectObject,
  expectString,
  found,
  label,
  member,
  quote,
  stampOf,
  timestamp,
} from './json';

const SERVICE = /^[a-z0-9-]+$/;
const ACTION = /^[A-Za-z0-9_-]+$/;

/** A service prefix, lower-cased; undefined (with a problem) when it cannot be one. */
export function readService(ctx: Ctx, node: Node, path: JsonPath): string | undefined {
  const raw = expectString(ctx, node, path);
  if (raw === undefined) return undefined;
  const service = raw.toLowerCase();
  if (service === '') {
    ctx.error('findings-service', `${label(path)} is empty; it must name a service prefix such as "s3"`, node, path);
    return undefined;
  }
  if (!SERVICE.test(service)) {
    ctx.error(
      'findings-service',
      `${label(path)} ${quote(raw)} is not a service prefix: only letters, digits and - may appear (like "s3" or "ec2")`,
      node,
      path,
    );
    return undefined;
  }
  return service;
}

/** An action name without its prefix; a prefix must name `service`, since the entry files the action under it. */
export function readActionName(ctx: Ctx, node: Node, service: string, path: JsonPath): string | undefined {
  const raw = expectString(ctx, node, path);
  if (raw === undefined) return undefined;
  const colon = raw.indexOf(':');
  const name = colon < 0 ? raw : raw.slice(colon + 1);
  let problem: string | undefined;
  if (raw === '') problem = `${label(path)} is empty; it must name an action such as "GetObject"`;
  else if (colon >= 0 && raw.slice(0, colon).toLowerCase() !== service)
    problem = `${quote(raw)} names an action of ${quote(raw.slice(0, colon))}, but this entry is for "${service}"`;
  else if (name === '') problem = `${quote(raw)} has no action name after the prefix`;
  else if (/[*?]/.test(name)) problem = `${quote(raw)} contains a wildcard; findings must name single actions`;
  else if (!ACTION.test(name))
    problem = `${quote(raw)} is not an action name: only letters, digits, - and _ may appear`;
  if (problem === undefined) return name;
  ctx.error('findings-action', problem, node, path);
  return undefined;
}

/** One element of an `actions` list: `"GetObject"`, `"s3:GetObject"` or `{"action": "GetObject", "lastAccessed": …}`. */
function readAction(
  ctx: Ctx,
  node: Node,
  service: string,
  path: JsonPath,
): { name: string; node: Node; lastAccessed: Stamp | undefined } | undefined {
  if (node.type === 'string') {
    const name = readActionName(ctx, node, service, path);
    return name === undefined ? undefined : { name, node, lastAccessed: undefined };
  }
  if (node.type !== 'object') {
    ctx.error(
      'findings-type',
      `${label(path)} must be an action name or an object with an "action" field, found ${found(node)}`,
      node,
      path,
    );
    return undefined;
  }
  const action = member(node, 'action');
  if (!action) {
    ctx.error('findings-missing', `${label(path)} has no "action" field; it was skipped`, node, path);
    return undefined;
  }
  const name = readActionName(ctx, action.value, service, [...path, 'action']);
  if (name === undefined) return undefined;
  return { name, node: action.value, lastAccessed: stampOf(timestamp(ctx, node, 'lastAccessed', path)) };
}

/**
 * `{"serviceNamespace": "s3", "actions": [...], "lastAccessed": …}`: an entry of the article's list and
 * an Access Analyzer `unusedPermissionDetails` alike. No action list means the whole service is unused.
 */
export function readServiceEntry(ctx: Ctx, node: Node, path: JsonPath, principal: PrincipalAccumulator): void {
  if (!expectObject(ctx, node, path)) return;
  const namespace = member(node, 'serviceNamespace');
  if (!namespace) {
    ctx.error('findings-missing', `${label(path)} has no "serviceNamespace"; the entry was skipped`, node, path);
    return;
  }
  const service = readService(ctx, namespace.value, [...path, 'serviceNamespace']);
  if (service === undefined) return;
  const lastAccessed = stampOf(timestamp(ctx, node, 'lastAccessed', path));
  const actions = member(node, 'actions');
  const findings = principal.service(service, namespace.value, lastAccessed);
  if (!actions || actions.value.type === 'null' || (actions.value.type === 'array' && !actions.value.children?.length)) {
    findings.markWhole();
    return;
  }
  // A broken list is skipped, never read as "no list": that would call the whole service unused.
  const items = expectArray(ctx, actions.value, [...path, 'actions']);
  items?.forEach((item, i) => {
    const action = readAction(ctx, item, service, [...path, 'actions', i]);
    if (action) findings.addAction(action.name, action.node, action.lastAccessed);
  });
}
