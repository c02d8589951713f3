import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { relative, resolve } from 'node:path';
import { UsageError } from '../cli/args';
import type { CliEnvironment } from '../cli/main';
import { findAnalyzer, FindingsFetcher, type SavedFinding } from './accessAnalyzer';
import { type Caller, explain, required } from './errors';
import { type FetchOptions, FETCH_USAGE, parseFetchArgs } from './fetchArgs';
import { fetchReports } from './lastAccessed';
import { listRoles, roleListText } from './listRoles';
import { ACTIONS } from './permissions';
import { defaultFileName, type FetchedHeader, fileText, headerPrincipal, writeAtomically } from './output';
import { distinctPrincipals, type Principal, resolvePrincipals } from './principals';
import { type AwsSession, call, closeSession, createSession } from './session';

const EXIT_WRITTEN = 0;
const EXIT_ERROR = 2;

/** `iam-refine fetch ...` (the arguments after "fetch"): writes one findings file; returns the exit status. */
export async function runFetch(argv: readonly string[], env: CliEnvironment): Promise<number> {
  let options: FetchOptions;
  try {
    options = parseFetchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    env.stderr(`iam-refine fetch: ${error.message} (see "iam-refine fetch --help")\n`);
    return EXIT_ERROR;
  }
  if (options.help) {
    env.stdout(FETCH_USAGE);
    return EXIT_WRITTEN;
  }
  const session = createSession(options);
  const caller: Caller = { profile: session.profile };
  try {
    if (options.listRoles) {
      env.stdout(await listAccountRoles(session, caller));
      return EXIT_WRITTEN;
    }
    const summary = await fetchToFile(session, options, env, caller);
    env.stdout(`${summary}\n`);
    return EXIT_WRITTEN;
  } catch (error) {
    env.stderr(`iam-refine fetch: ${explain(error, caller)}\n`);
    return EXIT_ERROR;
  } finally {
    closeSession(session);
  }
}

/**
 * `--list-roles`: the roles the editor's principal picker offers. The caller's identity is asked first
 * (it needs no permission) so that a denial names who was denied, and the picker can show the account.
 */
async function listAccountRoles(session: AwsSession, caller: Caller): Promise<string> {
  const identity = await call(ACTIONS.getCallerIdentity, () => session.sts.send(new GetCallerIdentityCommand({})));
  caller.arn = identity.Arn;
  const account = required(identity.Account, 'the account of the credentials');
  return roleListText({ account, roles: await listRoles(session) });
}

/** Fetches everything first and writes once at the end; returns the line that says what was written. */
async function fetchToFile(session: AwsSession, options: FetchOptions, env: CliEnvironment, caller: Caller): Promise<string> {
  const identity = await call(ACTIONS.getCallerIdentity, () => session.sts.send(new GetCallerIdentityCommand({})));
  caller.arn = identity.Arn;
  const account = required(identity.Account, 'the account of the credentials');
  const region = await session.accessAnalyzer.config.region();
  const resolved = await resolvePrincipals(session, account, options.principals);
  const principals = distinctPrincipals(resolved);
  const path = resolve(env.cwd, options.out ?? defaultFileName(resolved[0]!.name));
  const note = (line: string): void => env.stderr(`iam-refine fetch: note: ${line}\n`);
  const fetched = options.source === 'access-analyzer'
    ? await fromAccessAnalyzer(session, options, { account, region, principals, note })
    : await fromLastAccessed(session, options, principals);
  const { source, ...details } = fetched.header;
  const header: FetchedHeader = { source, account, region, ...details, fetchedAt: new Date().toISOString() };
  writeAtomically(path, fileText(header, fetched.findings, options.appliesTo));
  return describe(display(env.cwd, path), options, principals, fetched.findings.length);
}

/** What a source fetched: the saved responses, and the header fields that are its own. */
interface Fetched {
  header: Omit<FetchedHeader, 'account' | 'region' | 'fetchedAt'>;
  findings: unknown[];
}

interface Where {
  account: string;
  region: string;
  principals: readonly Principal[];
  note(line: string): void;
}

async function fromAccessAnalyzer(session: AwsSession, options: FetchOptions, where: Where): Promise<Fetched> {
  const analyzer = options.analyzer ?? await findAnalyzer(session, where.account, where.region, where.principals);
  const fetcher = new FindingsFetcher(session, analyzer, where.note);
  const findings: SavedFinding[] = [];
  const counted: FetchedHeader['principals'] = [];
  for (const principal of where.principals) {
    const own = await fetcher.fetch(principal);
    counted.push(headerPrincipal(principal, own.length));
    findings.push(...own);
  }
  return { header: { source: 'access-analyzer', analyzer, principals: counted }, findings };
}

async function fromLastAccessed(session: AwsSession, options: FetchOptions, principals: readonly Principal[]): Promise<Fetched> {
  const findings = await fetchReports(session, principals);
  const threshold = options.thresholdDays === undefined ? {} : { thresholdDays: options.thresholdDays };
  return { header: { source: 'last-accessed', ...threshold, principals: principals.map((p) => headerPrincipal(p)) }, findings };
}

function describe(file: string, options: FetchOptions, principals: readonly Principal[], count: number): string {
  const whom = principals.length === 1 ? principals[0]!.arn : `${principals.length} principals`;
  if (options.source === 'last-accessed') return `wrote ${file}: last-accessed reports of ${whom}`;
  if (count === 0)
    return `wrote ${file}: no unused-access findings for ${whom}, so nothing will be refined ` +
      '(a principal the analyzer has not analysed yet has none either)';
  return `wrote ${file}: ${count} finding${count === 1 ? '' : 's'} for ${whom}`;
}

function display(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
