import { POLICY_KINDS, type PolicyKind } from '../language/policyKind';
import { STYLE_SETTINGS, type StyleSetting } from '../language/refinementStyle';

export type OutputMode = 'diff' | 'write' | 'json' | 'sarif' | 'github';

/** What makes the exit status nonzero: `refinements` is the status iam-refine always had. */
export type FailOn = 'none' | 'refinements' | 'errors';

const FORMATS: readonly OutputMode[] = ['diff', 'json', 'sarif', 'github'];
const FAIL_ON: readonly FailOn[] = ['none', 'refinements', 'errors'];

export interface CliOptions {
  policies: string[];
  findings: string[];
  mode: OutputMode;
  failOn: FailOn;
  /** `--json-full`: every excluded unused action in the report, not only the first JSON_UNUSED_LIMIT. */
  jsonFull: boolean;
  thresholdDays?: number;
  /** `--style`: how replacements are written (auto: words unless the policy would not fit its limit). */
  style?: StyleSetting;
  /** `--limit`: the size limit of a policy whose source does not say where it ends up. */
  limit?: PolicyKind;
  quiet: boolean;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: iam-refine [options] POLICY...
       iam-refine fetch [options] PRINCIPAL...
       iam-refine catalog [update [--url URL]]

Refines IAM policies against IAM Access Analyzer unused-access findings: removes the
actions the findings call unused and narrows wildcards to the shortest prefixes that
allow only used actions. A refinement never allows an unused action, never drops a used
one, and never allows anything the policy did not.

POLICY is a JSON or JSONC file holding one or more policy documents, or a folder that is
searched for them (node_modules, .git and dist are skipped).

Options:
  --findings FILE      Use FILE for every policy. Repeatable: with several, only actions
                       that all of them call unused count. Without --findings, files named
                       unused-access.json or *.unused-access.json apply to the policies in
                       their folder and below (or to their "appliesTo" globs); they are
                       searched for in the policy's repository (the nearest folder with
                       .git), else in the working folder.
  --diff               Print a unified diff of the refinement (the default).
  --write              Apply the refinement to the files in place.
  --json               Print a machine-readable report. Each change names at most the
                       first 20 unused actions it excludes, and counts them all.
  --json-full          The same report, naming every unused action each change excludes.
  --format FORMAT      diff or json (as --diff and --json); sarif: a SARIF 2.1.0 log for
                       code scanning, each finding with its region, fix and fingerprint;
                       github: GitHub Actions workflow commands that annotate the lines.
  --fail-on WHAT       When the exit status is not 0: refinements (the default, as below);
                       errors: only for bad input, malformed policies and other errors
                       (status 2); none: never, except for a usage error (report only).
  --threshold-days N   For IAM last-accessed reports: also count actions last used more
                       than N days ago as unused.
  --style STYLE        How replaced wildcards are written: words (word-aligned prefixes,
                       s3:GetObject*), compact (the fewest characters that allow exactly
                       the same actions: prefixes inside words, ?, infix *), or auto (the
                       default): words when the refined policy fits its size limit, else
                       compact.
  --limit KIND         The size limit of a policy whose template or module does not say
                       where it ends up: managed (6,144 characters, the default), role
                       (10,240 for a role's inline policies together), user (2,048) or
                       group (5,120).
  --quiet              Print only errors.
  -h, --help           Show this help.
  --version            Print the version and the bundled catalogue's date.

Wildcards are expanded with the bundled action catalogue united with AWS's service reference
as last downloaded by "iam-refine catalog update" ("iam-refine catalog" shows what is in use).

Findings formats: the unused-actions list [{"serviceNamespace", "actions"}], the output of
"aws accessanalyzer get-finding-v2" (one, an array, or {"findings": [...]}), the output
of "aws iam get-service-last-accessed-details --granularity ACTION_LEVEL", and a wrapper
{"appliesTo": [globs], "findings": ...}.

To fetch the findings of roles and users from AWS into a findings file (IAM Access
Analyzer, or IAM last-accessed reports with --source last-accessed), run
"iam-refine fetch ROLE" ("iam-refine fetch --help" for its options).

Exit status (with --fail-on refinements):
  0  nothing to refine (with --write: everything refined was written)
  1  refinements found (with --write: something is left that needs a person, such as a
     policy whose every action is unused, which should be detached)
  2  bad input or usage; messages are printed as file:line:column
`;

/** One command-line argument: `--flag=value` split, the value otherwise taken from the next argument on demand. */
export interface Argument {
  readonly arg: string;
  readonly flag: string;
  /** The flag's value; throws UsageError when there is none. */
  value(): string;
  /** Every argument after this one, which the loop then skips (after `--`). */
  rest(): string[];
}

/** The arguments of a command line, for a parser's loop: the one shape of every subcommand's options. */
export function* argumentsOf(argv: readonly string[]): Generator<Argument> {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, inline] = equals >= 0 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg, undefined];
    yield {
      arg,
      flag,
      value: () => {
        const v = inline ?? argv[++i];
        if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
        return v;
      },
      rest: () => {
        const after = argv.slice(i + 1);
        i = argv.length;
        return after;
      },
    };
  }
}

/** A whole number of days given to `flag`. */
export function wholeDays(flag: string, value: string): number {
  const days = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(days)) throw new UsageError(`${flag} takes a whole number of days, not "${value}"`);
  return days;
}

/** Parses the command line; throws UsageError with a message for the user. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    policies: [], findings: [], mode: 'diff', failOn: 'refinements', jsonFull: false, quiet: false, help: false, version: false,
  };
  // Each mode by how it was asked for, so that a conflict is told in the user's own words.
  const modes = new Map<OutputMode, string>();
  for (const { arg, flag, value, rest } of argumentsOf(argv)) {
    switch (flag) {
      case '--findings': options.findings.push(value()); break;
      case '--diff': case '--write': case '--json': modes.set(flag.slice(2) as OutputMode, flag); break;
      case '--json-full':
        modes.set('json', flag);
        options.jsonFull = true;
        break;
      case '--format': {
        const format = oneOf(flag, value(), FORMATS);
        modes.set(format, `--format ${format}`);
        break;
      }
      case '--fail-on': options.failOn = oneOf(flag, value(), FAIL_ON); break;
      case '--threshold-days': options.thresholdDays = wholeDays(flag, value()); break;
      case '--style': options.style = oneOf(flag, value(), STYLE_SETTINGS); break;
      case '--limit': options.limit = oneOf(flag, value(), POLICY_KINDS); break;
      case '--quiet': options.quiet = true; break;
      case '-h': case '--help': options.help = true; break;
      case '--version': options.version = true; break;
      case '--': options.policies.push(...rest()); break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        options.policies.push(arg);
    }
  }
  if (modes.size > 1) throw new UsageError(
    `choose one of --diff, --write, --json and --format, not ${[...modes.values()].join(' and ')}`);
  options.mode = [...modes.keys()][0] ?? 'diff';
  if (!options.help && !options.version && options.policies.length === 0) throw new UsageError('no policy given');
  return options;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} takes one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}
