/** Runs the built `iam-refine fetch` as a child process against the fake AWS, in a home of its own. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../catalog';
import { type CliResult, workspace } from '../cli';
import { type FakeAws, startFakeAws } from './server';
import type { World } from './world';

export const FAKE_KEY = 'AKIAFAKEFETCHTEST';

/**
 * An environment with nothing of the machine's own AWS settings: a fresh HOME (so no ~/.aws), the
 * endpoint variables pointing at the fake (the SSO portal's too), and, unless `keys` is false, fake static keys.
 */
export function fetchEnv(aws: FakeAws | undefined, home: string, keys = true, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: home,
    AWS_REGION: 'eu-west-1',
    // Without credentials the chain would last ask the EC2 instance metadata service, which is not here.
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(aws ? { AWS_ENDPOINT_URL_ACCESSANALYZER: aws.url, AWS_ENDPOINT_URL_IAM: aws.url, AWS_ENDPOINT_URL_STS: aws.url,
      AWS_ENDPOINT_URL_SSO: aws.url } : {}),
    ...(keys ? { AWS_ACCESS_KEY_ID: FAKE_KEY, AWS_SECRET_ACCESS_KEY: 'fake-secret-key-for-tests' } : {}),
    ...extra,
  };
}

/** A throw-away home folder holding `files` (path → content), such as `.aws/config`. */
export function home(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'iam-fetch-home-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Runs `node dist/cli.js ARGS` without blocking this process, which serves the fake AWS meanwhile. */
export function runCliAsync(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'cli.js'), ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export interface FetchRun {
  readonly result: CliResult;
  readonly aws: FakeAws;
  /** The folder fetch ran in: a repository root (it has .git), with `files` in it. */
  readonly dir: string;
}

export interface FetchRunOptions {
  /** Files to put in the folder first (path → content). */
  readonly files?: Record<string, string>;
  /** Files of the home folder, such as `.aws/config`. */
  readonly home?: Record<string, string>;
  /** Whether the environment carries fake static keys (default true). */
  readonly keys?: boolean;
  readonly env?: Record<string, string>;
}

/** `iam-refine fetch ARGS` in a new folder against a new fake AWS serving `world`; the fake is closed after. */
export async function fetchIn(world: World, args: readonly string[], options: FetchRunOptions = {}): Promise<FetchRun> {
  const aws = await startFakeAws(world);
  try {
    const dir = workspace({ '.git/': '', ...options.files });
    const env = fetchEnv(aws, home(options.home), options.keys ?? true, options.env);
    return { result: await runCliAsync(['fetch', ...args], dir, env), aws, dir };
  } finally {
    await aws.close();
  }
}
