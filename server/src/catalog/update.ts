import {
  dayOf, LIVE_CATALOG_FORMAT, type LiveCatalogData, type LiveService, packedNames, type Validators,
} from '../../../shared/src/catalog/liveCatalog';
import type { Catalog } from '../../../shared/src/catalog/catalog';
import { parseServiceFile, parseServiceIndex, type ServiceIndexEntry } from '../../../shared/src/catalog/serviceReference';
import { readCache, writeCache } from './cacheFile';

export interface UpdateOptions {
  /** The service reference's base URL: its index. */
  readonly url: string;
  /** The cache folder. */
  readonly dir: string;
  /** The bundled catalogue: actions it lacks are dated as added after its date. */
  readonly bundled: Catalog;
  /** Each request's time-out, headers and body together. */
  readonly requestTimeoutMs?: number;
  /** The whole update's time-out. */
  readonly totalTimeoutMs?: number;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  readonly now?: () => Date;
}

export interface UpdateResult {
  readonly path: string;
  readonly data: LiveCatalogData;
  readonly services: number;
  readonly actions: number;
  /** Files downloaded, and files the server said had not changed (304). */
  readonly downloaded: number;
  readonly notModified: number;
}

/** Why an update failed, in a sentence that names the URL. The cache is then left as it was. */
export class UpdateError extends Error {}

export const REQUEST_TIMEOUT_MS = 30_000;
export const TOTAL_TIMEOUT_MS = 10 * 60_000;
const CONCURRENCY = 8;

/**
 * Downloads the service reference into the cache: the index, then every service file, each sent
 * with the validators of its cached copy (If-None-Match, If-Modified-Since) so that an unchanged
 * file costs a 304. Every file is validated before anything is written; any failure (HTTP error,
 * time-out, a file that is not a service reference) leaves the last good cache as it was.
 */
export async function updateCatalog(options: UpdateOptions): Promise<UpdateResult> {
  const now = (options.now ?? (() => new Date()))();
  const previousRead = readCache(options.dir);
  // A cache of another URL is another catalogue: its validators say nothing of this one.
  const previous = previousRead.kind === 'read' && previousRead.data.url === options.url ? previousRead.data : undefined;
  const total = AbortSignal.timeout(options.totalTimeoutMs ?? TOTAL_TIMEOUT_MS);
  const get = (url: string, validators: Validators | undefined): Promise<Download> =>
    download(url, validators, AbortSignal.any([total, AbortSignal.timeout(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS)]));

  let downloaded = 0;
  let notModified = 0;
  const indexDownload = await get(options.url, previous?.index);
  let entries: ServiceIndexEntry[];
  if (indexDownload.kind === 'not-modified' && previous) {
    notModified++;
    entries = previous.index.entries;
  } else if (indexDownload.kind === 'ok') {
    downloaded++;
    entries = wrap(options.url, () => parseServiceIndex(indexDownload.text).map((e) => ({ ...e, url: new URL(e.url, options.url).href })));
  } else {
    throw new UpdateError(`${options.url}: answered 304 Not Modified to a request that sent no validators`);
  }
  if (entries.length === 0) throw new UpdateError(`${options.url}: the service index lists no service`);

  // What the catalogues before this update knew: an action neither knew is new today.
  const lackedOn = [options.bundled.date, previous ? dayOf(previous.checkedAt) : ''].sort().at(-1)!;
  const today = dayOf(now.toISOString());
  const services: Record<string, LiveService> = {};
  const fetchService = async (entry: ServiceIndexEntry): Promise<void> => {
    const cached = previous?.services[entry.service];
    const sameFile = cached && cached.url === entry.url ? cached : undefined;
    const answer = await get(entry.url, sameFile);
    if (answer.kind === 'not-modified') {
      if (!sameFile) throw new UpdateError(`${entry.url}: answered 304 Not Modified to a request that sent no validators`);
      notModified++;
      services[entry.service] = sameFile;
      return;
    }
    downloaded++;
    const reference = wrap(entry.url, () => parseServiceFile(answer.text, entry.service));
    const knownBefore = new Set([
      ...options.bundled.actions(entry.service).map((a) => a.name.toLowerCase()),
      ...packedNames(cached?.actions ?? '').map((n) => n.toLowerCase()),
    ]);
    const added: Record<string, [string, string]> = {};
    for (const [name] of reference.actions) {
      const earlier = cached?.added?.[name];
      if (earlier) added[name] = earlier;
      else if (!knownBefore.has(name.toLowerCase())) added[name] = [lackedOn, today];
    }
    services[entry.service] = {
      url: entry.url,
      ...answer.validators,
      ...(reference.version ? { version: reference.version } : {}),
      actions: reference.actions.map(([name, levels]) => `${name}:${levels}`).join(','),
      ...(Object.keys(added).length > 0 ? { added } : {}),
    };
  };
  await inParallel(entries, options.concurrency ?? CONCURRENCY, fetchService);

  const data: LiveCatalogData = {
    format: LIVE_CATALOG_FORMAT,
    url: options.url,
    checkedAt: now.toISOString(),
    index: { ...(indexDownload.kind === 'ok' ? indexDownload.validators : pick(previous!.index)), entries },
    services,
  };
  const path = writeCache(options.dir, data);
  const actions = Object.values(services).reduce((n, s) => n + packedNames(s.actions).length, 0);
  return { path, data, services: entries.length, actions, downloaded, notModified };
}

type Download =
  | { readonly kind: 'ok'; readonly text: string; readonly validators: Validators }
  | { readonly kind: 'not-modified' };

async function download(url: string, validators: Validators | undefined, signal: AbortSignal): Promise<Download> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { headers, signal, redirect: 'follow' });
    if (response.status === 304) return { kind: 'not-modified' };
    text = await response.text();
  } catch (error) {
    throw new UpdateError(`${url}: ${failure(error, signal)}`);
  }
  if (!response.ok) throw new UpdateError(`${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  const etag = response.headers.get('etag') ?? undefined;
  const lastModified = response.headers.get('last-modified') ?? undefined;
  return { kind: 'ok', text, validators: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) } };
}

/** Why a request failed: a time-out, or the network's own reason (undici hides it in `cause`). */
function failure(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'no answer in time (time-out)';
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

function wrap<T>(url: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UpdateError(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function pick({ etag, lastModified }: Validators): Validators {
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

/** Runs `work` over `items`, `limit` at a time; the first failure is thrown once all have settled. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length && failed === undefined) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
}
