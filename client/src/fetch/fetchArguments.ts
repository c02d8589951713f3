import { isAbsolute, join, resolve } from 'node:path';

/** Where the findings come from, as `iam-refine fetch --source` names it. */
export type FetchSource = 'access-analyzer' | 'last-accessed';

export const FETCH_SOURCES: readonly FetchSource[] = ['access-analyzer', 'last-accessed'];

/** Everything one fetch needs, once the pickers (or the command's arguments) have answered. */
export interface FetchRequest {
  /** Undefined: the SDK's default chain (environment keys, AWS_PROFILE, the default profile). */
  readonly profile: string | undefined;
  /** Undefined: the profile's region or AWS_REGION, as the SDK finds it. */
  readonly region: string | undefined;
  readonly source: FetchSource;
  readonly principals: readonly string[];
  /** An absolute path. */
  readonly out: string;
}

/**
 * The command's optional argument, for keybindings and tasks: each field given skips its picker. An
 * empty (or null) `profile` is the default credential chain, as the picker's first entry is.
 */
export interface FetchCommandArgs {
  readonly profile?: string | null;
  readonly region?: string;
  readonly source?: FetchSource;
  readonly principal?: string | readonly string[];
  /** Relative paths are relative to the first workspace folder. */
  readonly out?: string;
}

/** What IAM allows in a role or user name. */
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
/** A role, user or managed policy ARN, with an optional path; `aws` is the account of AWS managed policies. */
const IAM_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):(role|user|policy)\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/;

/** Why `text` cannot be a principal for fetch, or undefined when it can (the CLI and AWS judge the rest). */
export function principalProblem(text: string): string | undefined {
  const value = text.trim();
  if (value === '') return 'Enter a role name, a role or user ARN, or a managed policy ARN.';
  if (value.startsWith('arn:')) {
    return IAM_ARN.test(value) ? undefined
      : 'Not an IAM role, user or policy ARN: arn:aws:iam::123456789012:role/NAME (or :user/NAME, :policy/NAME).';
  }
  return IAM_NAME.test(value) ? undefined
    : 'A role name has 1 to 64 letters, digits and + = , . @ _ -; anything else needs a full ARN.';
}

/** Why `text` is not a region name, or undefined when it looks like one (us-east-1, eu-central-2, us-gov-west-1). */
export function regionProblem(text: string): string | undefined {
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(text.trim()) ? undefined : 'A region looks like us-east-1 or eu-west-2.';
}

/**
 * The file the CLI would name for this principal: `NAME.unused-access.json`, NAME being the role
 * name, or the last part of the ARN (the role's, user's or policy's name), as `iam-refine fetch` does.
 */
export function defaultFileName(principal: string): string {
  const value = principal.trim();
  const name = value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value;
  return `${name}.unused-access.json`;
}

/** The default output: the first principal's file in `folder`, where the findings search finds it. */
export function defaultOutPath(folder: string, principals: readonly string[]): string {
  return join(folder, defaultFileName(principals[0] ?? 'principal'));
}

/** `out` made absolute: relative paths are relative to `base` (the first workspace folder). */
export function resolveOut(out: string, base: string | undefined): string | undefined {
  if (isAbsolute(out)) return out;
  return base === undefined ? undefined : resolve(base, out);
}

/**
 * The arguments of `iam-refine fetch` for a request. `--out` is always given, so the editor knows the
 * file; the principals come after `--`, so that none is taken for an option.
 */
export function cliArguments(request: FetchRequest): string[] {
  return [
    'fetch',
    ...(request.profile === undefined ? [] : ['--profile', request.profile]),
    ...(request.region === undefined ? [] : ['--region', request.region]),
    '--source', request.source,
    '--out', request.out,
    '--', ...request.principals.map((p) => p.trim()),
  ];
}

/** Checks the command's argument (from a keybinding, a task or another extension); a string says what is wrong. */
export function parseCommandArgs(value: unknown): FetchCommandArgs | string {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    return 'the argument must be an object: { profile, region, source, principal, out }';
  const record = value as Record<string, unknown>;
  const known = new Set(['profile', 'region', 'source', 'principal', 'out']);
  const unknown = Object.keys(record).filter((k) => !known.has(k));
  if (unknown.length > 0) return `unknown field${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} (known: ${[...known].join(', ')})`;
  const { profile, region, source, principal, out } = record;
  if (profile !== undefined && profile !== null && typeof profile !== 'string') return '"profile" must be a string';
  if (region !== undefined && (typeof region !== 'string' || regionProblem(region)))
    return '"region" must be a region name such as us-east-1';
  if (source !== undefined && !FETCH_SOURCES.includes(source as FetchSource))
    return '"source" must be "access-analyzer" or "last-accessed"';
  if (out !== undefined && (typeof out !== 'string' || out.trim() === '')) return '"out" must be a file path';
  let principals: string[] | undefined;
  if (principal !== undefined) {
    principals = typeof principal === 'string' ? [principal]
      : Array.isArray(principal) && principal.every((p) => typeof p === 'string') ? principal as string[] : undefined;
    if (!principals || principals.length === 0) return '"principal" must be a role name or ARN, or a list of them';
    const problem = principals.map(principalProblem).find((p) => p !== undefined);
    if (problem) return `"principal": ${problem}`;
  }
  return {
    ...(profile === undefined ? {} : { profile: profile as string | null }),
    ...(region === undefined ? {} : { region: region as string }),
    ...(source === undefined ? {} : { source: source as FetchSource }),
    ...(principals === undefined ? {} : { principal: principals }),
    ...(out === undefined ? {} : { out: out as string }),
  };
}
