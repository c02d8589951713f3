import { DEFAULT_SEVERITY } from '../language/codes';

/** The level a code-scanning result has: SARIF's names, which GitHub's workflow commands map onto. */
export type ResultLevel = 'error' | 'warning' | 'note';

export interface ReportRule {
  /** The diagnostic code, as the editor shows it. */
  readonly id: string;
  /** PascalCase, as SARIF viewers show a rule's name. */
  readonly name: string;
  /** One line; for the editor's codes the same text as their severity setting's description in package.json (a test checks it). */
  readonly short: string;
  readonly full: string;
  readonly level: ResultLevel;
}

/** The rule under which a findings file's own problems (`findings-json`, `findings-type`, …) are reported. */
export const FINDINGS_FILE_RULE = 'findings-file';

/** The README section that explains every code; each rule's help link points there. */
export const RULES_HELP_ANCHOR = 'diagnostic-codes';

type Described = Omit<ReportRule, 'id' | 'level' | 'name'>;

/**
 * Every diagnostic code of codes.ts, described for code scanning. Keyed by string rather than by the
 * codes' type so that a code added to codes.ts still builds here; a test fails until it is described.
 */
export const RULE_DESCRIPTIONS: Readonly<Record<string, Described>> = {
  'unused-action': {
    short: 'An explicitly listed action that the findings call unused.',
    full: 'An action listed by name in an Allow statement that IAM Access Analyzer (or an IAM last-accessed report) calls '
      + 'unused for the role or user the policy belongs to. The fix removes it from the list.',
  },
  'overbroad-wildcard': {
    short: 'A wildcard that allows actions the findings call unused.',
    full: 'A pattern such as s3:Get* that allows actions the findings call unused. The fix replaces it with the shortest '
      + 'prefixes that allow every action it allowed that is not unused, and nothing else; or removes it when it allows only '
      + 'unused actions.',
  },
  'unused-statement': {
    short: 'An Allow statement whose every allowed action is unused.',
    full: 'Every action this Allow statement allows is unused by the principals the policy belongs to. The fix removes the statement.',
  },
  'overbroad-notaction': {
    short: 'An Allow statement with NotAction that lets unused actions through.',
    full: 'An Allow statement with NotAction allows every action not listed, including actions the findings call unused. '
      + 'The fix adds the unused actions to the NotAction list.',
  },
  'unused-policy': {
    short: 'A policy whose every statement allows only unused actions (detach it).',
    full: 'Every action this policy allows is unused: detach the policy from its principals rather than edit it. No edit is offered.',
  },
  'policy-size': {
    short: 'A policy whose refinement would exceed its IAM size limit even in the compact form: 6,144 characters for a managed policy, '
      + '10,240 for a role\'s inline policies together, 2,048 for a user\'s, 5,120 for a group\'s.',
    full: 'Refined, this policy would be longer than IAM allows (6,144 characters for a managed policy, 10,240 for a role\'s '
      + 'inline policies together, 2,048 for a user\'s, 5,120 for a group\'s), even with its wildcards replaced in the '
      + 'compact form. In a template or module, the fix moves statements to new managed policies attached to the same principals.',
  },
  'findings-unreadable': {
    short: 'A findings file that applies to the policy cannot be read (not JSON, of no known shape, empty): '
      + 'what it calls unused is not shown.',
    full: 'A findings file that applies to this policy cannot be read, so what it calls unused is not known: nothing from it '
      + 'is treated as unused until it is fixed.',
  },
  'malformed-action': {
    short: 'An action string that is not "service:action" (or "*").',
    full: 'An entry of Action or NotAction that IAM would not accept: not a string, not of the form "service:action", '
      + 'or an empty list. Nothing in the statement is refined until it is fixed.',
  },
  'malformed-statement': {
    short: 'A statement without Effect, with both Action and NotAction, or similar.',
    full: 'A statement that is not a valid IAM policy statement: it is not an object, has no Effect or an Effect other than '
      + 'Allow or Deny, or has both or neither of Action and NotAction.',
  },
  'dynamic-value': {
    short: 'An action, list or statement given by an expression (!Sub, Fn::Join, a Terraform variable): '
      + 'not known until deployment, so it is left as it is.',
    full: 'A value given by a CloudFormation intrinsic function or a Terraform expression is known only when the template is '
      + 'deployed. It cannot be analysed statically, and a refinement leaves it exactly as it is.',
  },
  'syntax-error': {
    short: 'In YAML and Terraform files: text that does not parse. A file with syntax errors is analysed but never edited.',
    full: 'The file (or the JSON inside a Terraform heredoc or string) does not parse. It is analysed as far as it can be read, '
      + 'but it is never edited, and iam-refine exits with status 2.',
  },
  'unknown-action': {
    short: 'An action or wildcard the catalogue does not know (a likely typo), in a policy or in a findings file.',
    full: 'In a policy: an action, or a wildcard, of Action or NotAction that matches no action of the bundled catalogue and '
      + 'none the findings name; "Did you mean" fixes offer the closest known names. In a findings file: an action or a '
      + 'service the catalogue does not know: a typo, or an action newer than the catalogue. It is treated as a real action '
      + 'of its service, so no wildcard lets it through.',
  },
  'unknown-service': {
    short: 'In a policy: an action whose service prefix is no service the catalogue knows (a likely typo).',
    full: 'An entry of Action or NotAction whose service prefix (s4 in s4:GetObject) is the prefix of no service in the bundled '
      + 'action catalogue, nor one the findings name. "Did you mean" fixes offer the closest known prefixes.',
  },
  'stale-findings': {
    short: 'On a policy: the findings that apply were analysed longer ago than iamPolicyRefiner.findings.maxAgeDays allows, '
      + 'or before the policy file\'s last commit.',
    full: 'The findings that apply to the policy were analysed (analyzedAt) more than findings.maxAgeDays days ago (90 by default), '
      + 'or before the last commit of the policy\'s file: what was used since, and actions AWS added since, are not in them. '
      + 'Fetch them again. Reported in the editor only.',
  },
  'invalid-version': {
    short: 'In a policy: policy variables (${aws:username}) with no "Version" or a version other than 2012-10-17, '
      + 'so that AWS reads them as literal text.',
    full: 'A policy that uses policy variables (${aws:username}, ${aws:PrincipalTag/team}, ${*}) has no "Version", or one other '
      + 'than 2012-10-17: AWS then reads each variable as the literal text it is. Access Analyzer\'s policy validation calls '
      + 'it "Invalid version". CloudFormation\'s own ${AWS::Region} and Terraform\'s ${var.name} are not policy variables.',
  },
  'redundant-action': {
    short: 'In a policy: an action or wildcard that a wildcard of the same statement already covers; the quick fix removes it.',
    full: 'An entry of Action or NotAction that another entry of the same statement already matches (s3:GetObject beside s3:Get*, '
      + 'or the same action twice): removing it changes nothing the policy allows. Access Analyzer\'s policy validation calls '
      + 'it "Redundant action".',
  },
  'unmatched-findings': {
    short: 'In a findings file: findings that apply to no policy in the workspace.',
    full: 'No IAM policy sits in the findings file\'s folder or below, or matches its "appliesTo" globs.',
  },
  'implausible-findings': {
    short: 'In a findings file: a service entry that names far more actions than the service has, or names that are not '
      + 'action names: findings that cannot be real (they are still honoured).',
    full: 'A service entry names more actions than the action catalogue knows for the service, with a wide margin for '
      + 'actions newer than the catalogue, or names that are not IAM action names (letters and digits). The file may have '
      + 'been written by mistake or on purpose; its findings are still honoured, so no wildcard lets those names through.',
  },
};

const FINDINGS_FILE: Described = {
  short: 'In a findings file: content that could not be read in full.',
  full: 'A findings file with JSON errors, an unknown shape, values of the wrong type, a partial page (a nextToken), or findings '
    + 'of a type that refines nothing. What could be read still counts; errors make iam-refine exit with status 2.',
};

function pascalCase(id: string): string {
  return id.split('-').map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
}

function levelOf(setting: string): ResultLevel {
  return setting === 'error' ? 'error' : setting === 'warning' ? 'warning' : 'note';
}

/** Every rule iam-refine reports under: one per diagnostic code, in the order of codes.ts, then the findings files' own. */
export const REPORT_RULES: readonly ReportRule[] = [
  ...Object.entries(DEFAULT_SEVERITY).map(([id, level]) => ({
    id,
    name: pascalCase(id),
    level: levelOf(level),
    // Never used while the test that every code is described passes; the rule then at least names its code.
    ...(RULE_DESCRIPTIONS[id] ?? { short: `Diagnostic ${id}.`, full: `Diagnostic ${id}.` }),
  })),
  { id: FINDINGS_FILE_RULE, name: pascalCase(FINDINGS_FILE_RULE), level: 'error', ...FINDINGS_FILE },
];

const DIAGNOSTIC_CODES: ReadonlySet<string> = new Set(Object.keys(DEFAULT_SEVERITY));

/** The rule a diagnostic code is reported under: the findings parser's many codes (`findings-json`, …) share one. */
export function ruleIdOf(code: string): string {
  return DIAGNOSTIC_CODES.has(code) || !code.startsWith('findings-') ? code : FINDINGS_FILE_RULE;
}
