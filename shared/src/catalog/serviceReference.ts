/**
 * AWS's Service Authorization Reference in its JSON form ("Simplified AWS service information for
 * programmatic access"): an index, a list of `{ "service", "url" }`, and one file per service prefix
 * with `Name` (the prefix), `Actions` (each with `Name` and `Annotations.Properties`), `Resources`,
 * `ConditionKeys` and `Version`. Only what the catalogue needs is kept: the action names and their
 * access levels. Everything is validated, since a file that is not what AWS publishes must never
 * stand in for a service's actions.
 */

/** One entry of the index. */
export interface ServiceIndexEntry {
  readonly service: string;
  readonly url: string;
}

/** One service file, reduced to what the catalogue keeps. */
export interface ServiceReference {
  /** The service prefix, lower-case. */
  readonly prefix: string;
  /** The file's `Version`, when it has one. */
  readonly version?: string;
  /** Action names with their access-level letters (L, R, W, P, T), in the file's order. */
  readonly actions: readonly (readonly [name: string, levels: string])[];
}

/** A document that is not a service reference: the message says where and what. */
export class ServiceReferenceError extends Error {}

/** The characters AWS uses in service prefixes and action names. */
const PREFIX = /^[a-z0-9][a-z0-9-]*$/i;
const ACTION = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Parses the index. URLs are as written: the caller resolves relative ones (a mirror may serve them so). */
export function parseServiceIndex(text: string): ServiceIndexEntry[] {
  const value = parseJson(text, 'the service index');
  if (!Array.isArray(value)) throw new ServiceReferenceError('the service index is not a JSON list of { "service", "url" }');
  const seen = new Set<string>();
  return value.map((item: unknown, i) => {
    if (!isObject(item) || typeof item.service !== 'string' || typeof item.url !== 'string') {
      throw new ServiceReferenceError(`the service index's entry ${i + 1} has no "service" and "url" strings`);
    }
    if (!PREFIX.test(item.service)) {
      throw new ServiceReferenceError(`the service index names "${item.service}", which is no service prefix`);
    }
    const service = item.service.toLowerCase();
    if (seen.has(service)) throw new ServiceReferenceError(`the service index names "${service}" twice`);
    seen.add(service);
    if (item.url.trim() === '') throw new ServiceReferenceError(`the service index gives "${service}" an empty URL`);
    return { service, url: item.url };
  });
}

/** Parses one service file; its `Name` must be the prefix the index gave it. */
export function parseServiceFile(text: string, service: string): ServiceReference {
  const where = `the service file of "${service}"`;
  const value = parseJson(text, where);
  if (!isObject(value)) throw new ServiceReferenceError(`${where} is not a JSON object`);
  if (typeof value.Name !== 'string' || value.Name.toLowerCase() !== service.toLowerCase()) {
    throw new ServiceReferenceError(`${where} names itself ${JSON.stringify(value.Name ?? null)}, not "${service}"`);
  }
  if (!Array.isArray(value.Actions)) throw new ServiceReferenceError(`${where} has no "Actions" list`);
  for (const key of ['Resources', 'ConditionKeys'] as const) {
    if (value[key] !== undefined && !Array.isArray(value[key])) throw new ServiceReferenceError(`${where}: "${key}" is not a list`);
  }
  const names = new Set<string>();
  const actions = value.Actions.map((action: unknown, i): [string, string] => {
    if (!isObject(action) || typeof action.Name !== 'string' || !ACTION.test(action.Name)) {
      throw new ServiceReferenceError(`${where}: action ${i + 1} has no valid "Name"`);
    }
    const lower = action.Name.toLowerCase();
    if (names.has(lower)) throw new ServiceReferenceError(`${where} lists the action "${action.Name}" twice`);
    names.add(lower);
    return [action.Name, levelsOf(action.Annotations, `${where}: action "${action.Name}"`)];
  });
  const version = typeof value.Version === 'string' ? value.Version : undefined;
  return { prefix: service.toLowerCase(), actions, ...(version ? { version } : {}) };
}

/**
 * The access level from the four flags AWS publishes: an action that is none of list, write,
 * permissions management or tagging is a read. Permissions management and tagging actions also
 * write, as the Service Authorization Reference's tables say of them, so both letters are kept
 * where both flags are set.
 */
function levelsOf(annotations: unknown, where: string): string {
  if (annotations === undefined) return 'R';
  const properties = isObject(annotations) ? annotations.Properties : undefined;
  if (properties === undefined) return 'R';
  if (!isObject(properties)) throw new ServiceReferenceError(`${where}: "Annotations.Properties" is not an object`);
  const flag = (key: string): boolean => {
    const v = properties[key];
    if (v !== undefined && typeof v !== 'boolean') throw new ServiceReferenceError(`${where}: "${key}" is not true or false`);
    return v === true;
  };
  const letters = [
    flag('IsList') ? 'L' : '', flag('IsPermissionManagement') ? 'P' : '', flag('IsTaggingOnly') ? 'T' : '', flag('IsWrite') ? 'W' : '',
  ].join('');
  return letters === '' ? 'R' : letters;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ServiceReferenceError(`${where} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
