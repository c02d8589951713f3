import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * `iam-refine fetch` run as a child process, from the extension's own dist/: the AWS SDK lives in
 * dist/fetch.js and is loaded by dist/cli.js only for fetch, so it never enters the extension's
 * bundle or its process.
 */

/** How a fetch ended: the file written, an error the CLI explained, or cancelled by the user. */
export type FetchEnd =
  | { readonly kind: 'written'; readonly stdout: string; readonly notes: readonly string[] }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'cancelled' };

export interface FetchProcessOptions {
  /** The extension's dist/ folder, holding cli.js and fetch.js. */
  readonly distDir: string;
  /** The CLI's arguments, from `cliArguments`. */
  readonly args: readonly string[];
  /** The file the CLI writes (its --out), whose temporary sibling a killed fetch may leave. */
  readonly out: string;
  readonly cwd: string;
  /** The child's environment: the extension host's, so the user's AWS variables reach the SDK. */
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

const PREFIX = 'iam-refine fetch: ';
const NOTE = `${PREFIX}note: `;

/** What is missing from `distDir` for a fetch to run, in one line, or undefined when nothing is. */
export function missingBundle(distDir: string): string | undefined {
  const missing = ['cli.js', 'fetch.js'].filter((file) => !existsSync(join(distDir, file)));
  if (missing.length === 0) return undefined;
  return `Cannot fetch findings: ${missing.map((f) => join(distDir, f)).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing `
    + 'from the extension (a broken install). Reinstall the IAM Policy Refiner extension.';
}

/**
 * Runs the fetch. Cancelling (the signal) kills the child: the CLI writes to a temporary file and renames
 * it only when everything is fetched, so the target is untouched; the temporary file a kill may catch
 * between the two is removed here.
 */
export async function runFetchProcess(options: FetchProcessOptions): Promise<FetchEnd> {
  const end = await runCliProcess(options);
  switch (end.kind) {
    case 'cancelled':
      if (end.pid !== undefined) rmSync(temporaryFile(options.out, end.pid), { force: true });
      return { kind: 'cancelled' };
    case 'unstarted': return { kind: 'failed', message: end.message };
    case 'exited':
      return end.status === 0 ? { kind: 'written', stdout: end.stdout, notes: notesOf(end.stderr) }
        : { kind: 'failed', message: failureLine(end.stderr, end.status) };
  }
}

/** What running dist/cli.js needs: fetch's options without the file it writes. */
export type CliProcessOptions = Omit<FetchProcessOptions, 'out'>;

/** How a run of dist/cli.js ended: its exit and output, killed on cancel (with the pid it had), or never started. */
export type CliProcessEnd =
  | { readonly kind: 'exited'; readonly status: number | null; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'cancelled'; readonly pid: number | undefined }
  | { readonly kind: 'unstarted'; readonly message: string };

/**
 * `node dist/cli.js ARGS` with the given environment, killed when the signal aborts. Shared by the
 * fetch and by `fetch --list-roles`, which the principal picker runs.
 */
export function runCliProcess(options: CliProcessOptions): Promise<CliProcessEnd> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ kind: 'cancelled', pid: undefined });
      return;
    }
    // In VS Code's desktop app, process.execPath is Electron, which runs as plain Node with this variable.
    const child = spawn(process.execPath, [join(options.distDir, 'cli.js'), ...options.args], {
      cwd: options.cwd,
      env: { ...options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    let cancelled = false;
    const cancel = (): void => {
      cancelled = true;
      child.kill();
    };
    options.signal?.addEventListener('abort', cancel, { once: true });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', cancel);
      resolve({ kind: 'unstarted', message: `Cannot run ${process.execPath}: ${error.message}` });
    });
    child.on('close', (status) => {
      options.signal?.removeEventListener('abort', cancel);
      // A child that finished before the kill reached it has still done its work.
      resolve(cancelled && status !== 0 ? { kind: 'cancelled', pid: child.pid } : { kind: 'exited', status, stdout, stderr });
    });
  });
}

/** The name server/src/fetch/output.ts writes to before renaming: `.NAME.PID.tmp` beside the target. */
export function temporaryFile(out: string, pid: number): string {
  return join(dirname(out), `.${basename(out)}.${pid}.tmp`);
}

/**
 * The CLI's one-line explanation: the last line of stderr that is not a note (notes may come first),
 * without the program's prefix. A crash's stack is never shown: only its error line.
 */
export function failureLine(stderr: string, status: number | null = 2): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith(NOTE));
  const explained = lines.filter((l) => l.startsWith(PREFIX)).at(-1);
  if (explained) return explained.slice(PREFIX.length);
  const crash = lines.find((l) => /^[A-Za-z]*Error\b/.test(l));
  return crash ?? lines[0] ?? `iam-refine fetch ended with status ${status ?? 'unknown'} and said nothing`;
}

/** The notes the CLI printed on the way (a recommendation AWS refused to compute, …), without the prefix. */
export function notesOf(stderr: string): string[] {
  return stderr.split(/\r?\n/).filter((l) => l.startsWith(NOTE)).map((l) => l.slice(NOTE.length).trim());
}
