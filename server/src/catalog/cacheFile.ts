import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type LiveCatalogData, LiveCatalogError, validateLiveCatalog } from '../../../shared/src/catalog/liveCatalog';
import { writeFileWhole } from '../service/fileSystem';

/** The cached service reference, in the cache folder. */
export const CACHE_FILE = 'service-reference.json';

/** The base URL of AWS's service reference: its index lists every service file. */
export const DEFAULT_SERVICE_REFERENCE_URL = 'https://servicereference.us-east-1.amazonaws.com/';

/** The environment variable that sets another base URL (a mirror, a proxy, a test server). */
export const SERVICE_REFERENCE_URL_VARIABLE = 'IAM_REFINE_SERVICE_REFERENCE_URL';

/** The CLI's cache folder: `$XDG_CACHE_HOME/iam-policy-refiner`, by default `~/.cache/iam-policy-refiner`. */
export function cliCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'iam-policy-refiner');
}

/** What reading the cache gave: the catalogue, nothing (no cache yet), or why it cannot be used. */
export type CacheRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'read'; readonly data: LiveCatalogData; readonly path: string }
  | { readonly kind: 'unusable'; readonly path: string; readonly reason: string };

/** Reads and checks the cache in `dir`; a cache that is not whole is unusable, never half used. */
export function readCache(dir: string): CacheRead {
  const path = join(dir, CACHE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'unusable', path, reason: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  try {
    return { kind: 'read', data: validateLiveCatalog(JSON.parse(text)), path };
  } catch (error) {
    const reason = error instanceof LiveCatalogError ? error.message
      : `not JSON (${error instanceof Error ? error.message : String(error)})`;
    return { kind: 'unusable', path, reason };
  }
}

/**
 * Writes the cache whole or not at all: to a temporary file first, renamed over the old one, so
 * that a reader (another window, a CLI run) sees the old cache or the new one, never half of one.
 */
export function writeCache(dir: string, data: LiveCatalogData): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, CACHE_FILE);
  writeFileWhole(path, JSON.stringify(data));
  return path;
}
