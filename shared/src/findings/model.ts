import type { Problem, Span } from '../text/problem';

/** One action the findings call unused. */
export interface UnusedAction {
  /** The action name as the findings spell it, without the service prefix (`GetObject`). */
  name: string;
  /** ISO-8601 time the action was last used, if it was used at all in the tracking period. */
  lastAccessed?: string;
  /** Where the findings file names this action. */
  span?: Span;
}

/** What the findings say about one service. */
export interface UnusedService {
  /** Service prefix, lower-case (`s3`). */
  service: string;
  /** True when the whole service is unused (a finding entry with no action list). */
  whole: boolean;
  /** Unused actions; with `whole`, those the findings name, for their last-used times. */
  actions: UnusedAction[];
  /** When the service was last used, where the findings say. */
  lastAccessed?: string;
  span?: Span;
}

/**
 * One step of AWS's recommendation for an unused-permissions finding (`get-finding-recommendation`):
 * replace a policy with a smaller one, or detach it.
 */
export interface PolicyRecommendation {
  /** `CREATE_POLICY` (replace the policy with `recommendedPolicy`) or `DETACH_POLICY`, as AWS says. */
  action: string;
  /** The policy the step is about, as AWS names it: a managed policy's ARN or an inline policy's name. */
  existingPolicyId?: string;
  /** AWS's recommended policy document, as the JSON text AWS gives. */
  recommendedPolicy?: string;
  /** When the policy was last updated, as the recommendation saw it. */
  policyUpdatedAt?: string;
  span: Span;
}

/** The unused access of one principal (usually a role) as one findings document reports it. */
export interface PrincipalFindings {
  /** ARN of the role or user, when the findings name it. */
  resource?: string;
  /** When the analyzer looked, where the findings say. */
  analyzedAt?: string;
  services: UnusedService[];
  /** AWS's recommended steps, one per policy, where the findings were saved with their recommendation. */
  recommendations?: PolicyRecommendation[];
}

/** A principal whose findings `iam-refine fetch` asked AWS for. */
export interface FetchedPrincipal {
  arn: string;
  /** How many findings AWS had for it (Access Analyzer only); 0 says it leaves nothing unused. */
  findings?: number;
  /** The managed policy it was fetched for, when it was named through one. */
  via?: string;
  span: Span;
}

/** The `fetched` header that `iam-refine fetch` writes: where and when the findings came from. */
export interface FetchedHeader {
  /** `access-analyzer` or `last-accessed`. */
  source?: string;
  account?: string;
  region?: string;
  /** The Access Analyzer analyzer's ARN. */
  analyzer?: string;
  fetchedAt?: string;
  /** For last-accessed reports: the threshold chosen when fetching, used unless the reader sets one. */
  thresholdDays?: number;
  principals: FetchedPrincipal[];
  span: Span;
}

/** Which findings shape a document was recognised as. */
export type FindingsFormat =
  | 'unused-actions-list'
  | 'access-analyzer-finding'
  | 'service-last-accessed'
  /** AWS's recommended policies only: they are compared with refinements and never say what is unused. */
  | 'recommendation'
  | 'empty';

/** A findings file, parsed. */
export interface FindingsDocument {
  format: FindingsFormat;
  /** One entry per principal; several responses for the same resource are merged into one. */
  principals: PrincipalFindings[];
  /** Globs from an `appliesTo` wrapper, relative to the findings file's folder. */
  appliesTo?: { glob: string; span: Span }[];
  /** The header of a file written by `iam-refine fetch`. */
  fetched?: FetchedHeader;
  /** Errors, warnings (partial page, other finding types) and notes, each located. */
  problems: Problem[];
}

export interface FindingsParseOptions {
  /**
   * For the IAM "last accessed" report: actions last used more than this many days before
   * `now` also count as unused.
   */
  thresholdDays?: number;
  /** The time thresholds are measured from; defaults to the current time. */
  now?: Date;
}
