import type { PolicyContext } from '../findings/policyContext';
import type { Problem } from '../text/problem';
import type { PolicyWriter } from './policyWriter';
import type { SourceNode } from './sourceTree';

/*
 * What a format's reader hands the policy model. The model reads every format through these types
 * and so depends on none of them; the readers in formats/ build them.
 */

/** The source formats a policy can be read from. */
export type SourceFormat = 'json' | 'yaml' | 'terraform';

/** One policy document found in a source text, ready for the format-neutral policy reader. */
export interface SourcePolicy {
  /** The node that holds the statements (an object with `Statement`, or a Terraform block). */
  readonly node: SourceNode;
  /**
   * The statements: an array node whose children are statements, or a single statement object.
   * Statement objects use the policy grammar's keys (`Effect`, `Action`, `NotAction`, `Sid`), also
   * where the source spells them otherwise (Terraform's `effect`, `actions`, `not_actions`, `sid`).
   */
  readonly statementNode: SourceNode;
  /** The node a "detach this policy" diagnostic points at: short, where the reader looks. */
  readonly anchor: SourceNode;
  /** The effect of a statement that has none: Terraform's policy documents default to `Allow`. */
  readonly defaultEffect?: 'Allow';
  readonly writer: PolicyWriter;
  /** Absent for standalone policy files. */
  readonly context?: PolicyContext;
}

/** What a format's reader finds in one text. */
export interface PolicySourceFile {
  readonly format: SourceFormat;
  readonly text: string;
  readonly policies: readonly SourcePolicy[];
  /** Syntax errors: a text that has them is analysed as far as it parses, but never edited. */
  readonly syntaxErrors: readonly Problem[];
}
