import { join } from 'node:path';
import type { CliEnvironment } from '../cli/main';

/**
 * Runs `iam-refine fetch` from dist/fetch.js, its own bundle: the AWS SDK it needs is loaded only
 * for this command, never by the language server or a plain refinement. The path is computed so
 * that no bundler follows it into the CLI's bundle.
 */
export function runFetchCommand(argv: readonly string[], env: CliEnvironment): Promise<number> {
  const bundle = join(env.distDir, 'fetch.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time, on purpose
  const fetch = require(bundle) as typeof import('./fetchCli');
  return fetch.runFetch(argv, env);
}
