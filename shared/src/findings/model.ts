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

/** The unused access of one principal (usually a role) as one findings document reports it. */
export interface PrincipalFindings {
  /** ARN of the role or user, when the findings name it. */
  resource?: string;
  /** When the analyzer looked, where the findings say. */
  analyzedAt?: string;
  services: UnusedService[];
}

/** Which findings shape a document was recognised as. */
export type FindingsFormat =
  | 'unused-actions-list'
  | 'access-analyzer-finding'
  | 'service-last-accessed'
  | 'empty';

/** A findings file, parsed. */
export interface FindingsDocument {
  format: FindingsFormat;
  /** One entry per principal; several responses for the same resource are merged into one. */
  principals: PrincipalFindings[];
  /** Globs from an `appliesTo` wrapper, relative to the findings file's folder. */
  appliesTo?: { glob: string; span: Span }[];
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
