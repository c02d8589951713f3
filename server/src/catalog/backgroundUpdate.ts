import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../../../shared/src/catalog/catalog';
import { uniteWithCache } from '../catalogFile';
import { DEFAULT_SERVICE_REFERENCE_URL, readCache, SERVICE_REFERENCE_URL_VARIABLE } from './cacheFile';
import { updateCatalog, type UpdateResult } from './update';

/** How often the editor checks the service reference. */
export const UPDATE_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** The last failed attempt, kept beside the cache: a failing update is not retried before a day has passed either. */
const ATTEMPT_FILE = 'service-reference-failed.json';

export type CatalogUpdateSetting = 'daily' | 'never';

export interface BackgroundUpdateParams {
  /** The extension's global storage: the cache and the last attempt live there, shared by every window. */
  readonly dir: string;
  readonly bundled: Catalog;
  /** One quiet line in the log: what happened, never a popup. */
  readonly log: (message: string) => void;
  /** A new catalogue is in use: the caller analyses the documents again. */
  readonly onCatalog: (catalog: Catalog) => void | Promise<void>;
  readonly now?: () => number;
  /** Each request's time-out (the default is update.ts's). */
  readonly requestTimeoutMs?: number;
}

/**
 * Keeps the editor's catalogue current in the background: at most once a day (or when the URL
 * changes) it downloads the service reference into the global storage, then hands the united
 * catalogue over. It never runs twice at once; any failure leaves the last good catalogue in use
 * and says so in one line of the log.
 */
export class BackgroundCatalogUpdate {
  private running: Promise<void> | undefined;

  constructor(private readonly params: BackgroundUpdateParams) {}

  /** The catalogue in use at start: the bundled one united with the cache, when the cache is whole. */
  initial(): Catalog {
    const { catalog, problem } = uniteWithCache(this.params.bundled, this.params.dir);
    if (problem) this.params.log(`Action catalogue: ${problem}; it is downloaded again at the next update.`);
    return catalog;
  }

  /** Starts an update if one is due by the settings; returns at once (the promise is for tests). */
  maybeUpdate(setting: CatalogUpdateSetting, url: string | undefined): Promise<void> {
    if (setting === 'never' || this.running) return this.running ?? Promise.resolve();
    const base = url || process.env[SERVICE_REFERENCE_URL_VARIABLE] || DEFAULT_SERVICE_REFERENCE_URL;
    if (!this.due(base)) return Promise.resolve();
    this.running = this.update(base).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Due when neither the cache of this URL nor a failed attempt at it is less than a day old. */
  private due(url: string): boolean {
    const now = (this.params.now ?? Date.now)();
    const cache = readCache(this.params.dir);
    if (cache.kind === 'read' && cache.data.url === url && now - Date.parse(cache.data.checkedAt) < UPDATE_INTERVAL_MS) return false;
    const attempt = this.lastAttempt();
    return !(attempt && attempt.url === url && now - attempt.at < UPDATE_INTERVAL_MS);
  }

  private async update(url: string): Promise<void> {
    const now = (this.params.now ?? Date.now)();
    let result: UpdateResult;
    try {
      const timeout = this.params.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: this.params.requestTimeoutMs };
      result = await updateCatalog({ url, dir: this.params.dir, bundled: this.params.bundled, now: () => new Date(now), ...timeout });
    } catch (error) {
      this.recordFailure(url, now);
      const kept = uniteWithCache(this.params.bundled, this.params.dir).catalog.date;
      this.params.log(`Action catalogue update failed: ${error instanceof Error ? error.message : String(error)}; `
        + `the catalogue of ${kept} stays in use. Next try in a day.`);
      return;
    }
    const { catalog, problem } = uniteWithCache(this.params.bundled, this.params.dir);
    if (problem) {
      this.params.log(`Action catalogue: ${problem}.`);
      return;
    }
    this.params.log(`Action catalogue updated from ${url}: ${result.services} services, ${result.downloaded} files downloaded, `
      + `${result.notModified} unchanged; in use: ${catalog.date}.`);
    await this.params.onCatalog(catalog);
  }

  private lastAttempt(): { url: string; at: number } | undefined {
    try {
      const value = JSON.parse(readFileSync(join(this.params.dir, ATTEMPT_FILE), 'utf8')) as { url?: unknown; at?: unknown };
      return typeof value.url === 'string' && typeof value.at === 'number' ? { url: value.url, at: value.at } : undefined;
    } catch {
      return undefined;
    }
  }

  private recordFailure(url: string, at: number): void {
    try {
      mkdirSync(this.params.dir, { recursive: true });
      writeFileSync(join(this.params.dir, ATTEMPT_FILE), JSON.stringify({ url, at }));
    } catch (error) {
      // Without the record, the next start tries again: no harm beyond one more request.
      this.params.log(`Action catalogue: cannot record the update attempt in ${this.params.dir}: ${String(error)}`);
    }
  }
}
