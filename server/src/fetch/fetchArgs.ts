import { argumentsOf, UsageError, wholeDays } from '../cli/args';

export type FetchSource = 'access-analyzer' | 'last-accessed';

export interface FetchOptions {
  principals: string[];
  profile?: string;
  region?: string;
  source: FetchSource;
  analyzer?: string;
  out?: string;
  appliesTo: string[];
  thresholdDays?: number;
  /** `--list-roles`: print the account's roles as JSON instead of fetching findings (the editor's principal picker). */
  listRoles?: true;
  help: boolean;
}

export const FETCH_USAGE = `Usage: iam-refine fetch [options] PRINCIPAL...
       iam-refine fetch --list-roles [--profile NAME] [--region REGION]

Fetches the unused-access findings of IAM roles and users from AWS and writes them to one
findings file that iam-refine and the editor read. With several principals, only what all
of them leave unused counts, so a policy they share keeps everything any of them uses.

PRINCIPAL is a role name (in the account of the credentials), a role or user ARN, or a
managed policy ARN, which stands for every role and user it is attached to and every
user of the groups it is attached to.

Options:
  --profile NAME        The AWS profile (also AWS_PROFILE); credentials and region come
                        from the SDK's standard chain: SSO profiles, environment keys,
                        AWS_REGION, and the AWS_ENDPOINT_URL* variables.
  --region REGION       The region of the analyzer (default: the profile's or AWS_REGION).
  --source SOURCE       access-analyzer (the default): IAM Access Analyzer's unused-access
                        findings and AWS's recommended policies; needs an unused-access
                        analyzer, which AWS bills per role and user per month.
                        last-accessed: IAM's last-accessed reports (free, no analyzer).
  --analyzer ARN        The analyzer to read (default: the account's or organization's
                        active unused-access analyzer in the region).
  --out FILE            The file to write (default: NAME.unused-access.json in the current
                        folder, NAME being the principal's or the policy's name).
  --applies-to GLOB     Scope the findings to the policies GLOB matches, relative to the
                        file's folder. Repeatable.
  --threshold-days N    last-accessed only: also count actions last used more than N days
                        ago as unused when the file is read.
  --list-roles          Write nothing: print the account's IAM roles as one JSON document,
                        {"account": ID, "roles": [{"name", "arn", "path", "createDate"}]}
                        (every page of ListRoles; needs iam:ListRoles).
  -h, --help            Show this help.

Exit status: 0 the file was written (also when AWS has no findings: the file says so), or
the roles were listed; 2 any error, explained in one line.
`;

const SOURCES: readonly FetchSource[] = ['access-analyzer', 'last-accessed'];

/** Parses `iam-refine fetch`'s arguments (after "fetch"); throws UsageError with a message for the user. */
export function parseFetchArgs(argv: readonly string[]): FetchOptions {
  const options: FetchOptions = { principals: [], source: 'access-analyzer', appliesTo: [], help: false };
  let sourceGiven = false;
  for (const { arg, flag, value, rest } of argumentsOf(argv)) {
    switch (flag) {
      case '--profile': options.profile = value(); break;
      case '--region': options.region = value(); break;
      case '--source': options.source = source(value()); sourceGiven = true; break;
      case '--analyzer': options.analyzer = value(); break;
      case '--out': options.out = value(); break;
      case '--applies-to': options.appliesTo.push(value()); break;
      case '--threshold-days': options.thresholdDays = wholeDays(flag, value()); break;
      case '--list-roles': options.listRoles = true; break;
      case '-h': case '--help': options.help = true; break;
      case '--': options.principals.push(...rest()); break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        options.principals.push(arg);
    }
  }
  if (options.help) return options;
  if (options.listRoles) checkListRoles(options, sourceGiven);
  else check(options);
  return options;
}

function source(value: string): FetchSource {
  const found = SOURCES.find((s) => s === value);
  if (!found) throw new UsageError(`--source is access-analyzer or last-accessed, not "${value}"`);
  return found;
}

/** Combinations that cannot do what they say. */
function check(options: FetchOptions): void {
  if (options.principals.length === 0) throw new UsageError('no principal given: name a role, a role or user ARN, or a policy ARN');
  if (options.source === 'last-accessed' && options.analyzer !== undefined)
    throw new UsageError('--analyzer is for --source access-analyzer; last-accessed reports need no analyzer');
  if (options.source === 'access-analyzer' && options.thresholdDays !== undefined)
    throw new UsageError('--threshold-days is for --source last-accessed; Access Analyzer decides what is unused itself');
  if (options.principals.length > 1 && options.out === undefined)
    throw new UsageError('several principals go into one file: name it with --out FILE');
}

/** Listing roles fetches no findings: the options about findings and their file would be silently ignored, so they are refused. */
function checkListRoles(options: FetchOptions, sourceGiven: boolean): void {
  if (options.principals.length > 0) throw new UsageError('--list-roles lists every role of the account: it takes no PRINCIPAL');
  const findingsOnly = [
    sourceGiven && '--source', options.analyzer !== undefined && '--analyzer', options.out !== undefined && '--out',
    options.appliesTo.length > 0 && '--applies-to', options.thresholdDays !== undefined && '--threshold-days',
  ].filter((flag): flag is string => flag !== false);
  if (findingsOnly.length > 0)
    throw new UsageError(`--list-roles prints roles and writes no file: ${findingsOnly.join(', ')} `
      + `${findingsOnly.length === 1 ? 'is' : 'are'} for fetching findings`);
}
