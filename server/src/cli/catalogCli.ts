import type { Catalog, CatalogSource } from '../../../shared/src/catalog/catalog';
import { SERVICE_REFERENCE_SOURCE } from '../../../shared/src/catalog/liveCatalog';
import { loadCatalog, loadCatalogInUse } from '../catalogFile';
import { CACHE_FILE, cliCacheDirectory, DEFAULT_SERVICE_REFERENCE_URL, SERVICE_REFERENCE_URL_VARIABLE } from '../catalog/cacheFile';
import { REQUEST_TIMEOUT_MS, updateCatalog, UpdateError } from '../catalog/update';
import { count, plural } from '../language/verdicts';
import { argumentsOf, UsageError } from './args';
import type { CliEnvironment } from './main';
import { join } from 'node:path';

const EXIT_OK = 0;
const EXIT_ERROR = 2;

export const CATALOG_USAGE = `Usage: iam-refine catalog
       iam-refine catalog update [--url URL] [--timeout SECONDS]

The action catalogue says which actions each service has: what a wildcard allows. The one in use
is the catalogue bundled with iam-refine united with AWS's service reference as last downloaded
(an action either knows is known), so that a wildcard is never refined against a list that
lacks the actions AWS added since the bundled one was made.

  iam-refine catalog          Print the catalogues in use: their sources, dates, services and actions.
  iam-refine catalog update   Download AWS's service reference (the Service Authorization Reference
                              as JSON), check every file, and cache it. Files that have not changed
                              are not downloaded again (ETag, Last-Modified). On any failure the
                              cached catalogue stays as it was.

Options:
  --url URL    The service reference's index, for a mirror or a proxy (default
               ${DEFAULT_SERVICE_REFERENCE_URL}, or the environment variable
               ${SERVICE_REFERENCE_URL_VARIABLE}).
  --timeout SECONDS
               How long each request may take (default ${REQUEST_TIMEOUT_MS / 1000}).
  -h, --help   Show this help.

The cache is $XDG_CACHE_HOME/iam-policy-refiner/${CACHE_FILE} (by default under ~/.cache).
`;

interface CatalogOptions {
  update: boolean;
  url?: string;
  timeoutSeconds?: number;
  help: boolean;
}

/** `iam-refine catalog ...` (the arguments after "catalog"); returns the exit status. */
export async function runCatalogCommand(argv: readonly string[], env: CliEnvironment): Promise<number> {
  let options: CatalogOptions;
  try {
    options = parseCatalogArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    env.stderr(`iam-refine catalog: ${error.message} (see "iam-refine catalog --help")\n`);
    return EXIT_ERROR;
  }
  if (options.help) {
    env.stdout(CATALOG_USAGE);
    return EXIT_OK;
  }
  const dir = cliCacheDirectory();
  const bundled = loadCatalog(env.distDir);
  if (!options.update) {
    env.stdout(describeCatalogInUse(bundled, dir, env.distDir));
    return EXIT_OK;
  }
  const url = options.url ?? (process.env[SERVICE_REFERENCE_URL_VARIABLE] || DEFAULT_SERVICE_REFERENCE_URL);
  try {
    const timeout = options.timeoutSeconds === undefined ? {} : { requestTimeoutMs: options.timeoutSeconds * 1000 };
    const result = await updateCatalog({ url, dir, bundled, ...timeout });
    const { catalog } = loadCatalogInUse(env.distDir, dir, bundled);
    const more = totalActions(catalog) - totalActions(bundled);
    env.stdout(`Updated the action catalogue from ${url}: ${plural(result.services, 'service')} `
      + `(${plural(result.downloaded, 'file')} downloaded, ${count(result.notModified)} unchanged), ${plural(result.actions, 'action')}; `
      + `${plural(more, 'action')} the bundled catalogue of ${bundled.date} lacks. Written to ${result.path}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof UpdateError) && !isFileError(error)) throw error;
    const { catalog } = loadCatalogInUse(env.distDir, dir, bundled);
    env.stderr(`iam-refine catalog update: ${error.message}. The action catalogue in use is unchanged (${catalog.date}).\n`);
    return EXIT_ERROR;
  }
}

function parseCatalogArgs(argv: readonly string[]): CatalogOptions {
  const options: CatalogOptions = { update: false, help: false };
  for (const { arg, flag, value } of argumentsOf(argv)) {
    switch (flag) {
      case '--url': {
        const url = value();
        if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--url takes an http or https URL, not "${url}"`);
        options.url = url;
        break;
      }
      case '--timeout': {
        const given = value();
        const seconds = Number(given);
        if (!/^\d+$/.test(given) || seconds < 1 || seconds > 3600) {
          throw new UsageError(`--timeout takes a whole number of seconds from 1 to 3600, not "${given}"`);
        }
        options.timeoutSeconds = seconds;
        break;
      }
      case '-h': case '--help': options.help = true; break;
      default:
        if (arg === 'update' && !options.update) options.update = true;
        else throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unknown command "${arg}"`);
    }
  }
  if ((options.url || options.timeoutSeconds) && !options.update) throw new UsageError('--url and --timeout go with "catalog update"');
  return options;
}

/** What `iam-refine catalog` prints: the catalogue in use, then each source. */
function describeCatalogInUse(bundled: Catalog, dir: string, distDir: string): string {
  const { catalog, problem } = loadCatalogInUse(distDir, dir, bundled);
  const services = [...catalog.services()].length;
  const lines = [`Action catalogue in use: ${catalog.date}, ${plural(services, 'service')}, ${plural(totalActions(catalog), 'action')}`];
  for (const source of catalog.sources()) lines.push(`  ${sourceLine(source)}`);
  const path = join(dir, CACHE_FILE);
  if (problem) lines.push(`  ${SERVICE_REFERENCE_SOURCE}: not used: ${problem}. Run "iam-refine catalog update" to download it again.`);
  else if (catalog.sources().length < 2) {
    lines.push(`  ${SERVICE_REFERENCE_SOURCE}: not downloaded yet (run "iam-refine catalog update" to cache it in ${path})`);
  } else lines.push(`  Cache: ${path}`);
  return `${lines.join('\n')}\n`;
}

function sourceLine(source: CatalogSource): string {
  const name = source.version ? `${source.name}@${source.version}` : source.name;
  const from = source.url ? `, from ${source.url}` : ' (bundled)';
  const when = source.name === SERVICE_REFERENCE_SOURCE ? 'checked' : 'of';
  return `${name} ${when} ${source.date}: ${plural(source.services, 'service')}, ${plural(source.actions, 'action')}${from}`;
}

/** Every action of every service. */
export function totalActions(catalog: Catalog): number {
  let total = 0;
  for (const service of catalog.services()) total += catalog.actionCount(service);
  return total;
}

function isFileError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
