import type { TextEdit } from '../text/textEdit';
import type { SourceNode } from './sourceTree';

/**
 * Turns changes to a policy's lists into text edits in one source format (JSON, YAML, HCL). Every
 * method returns the minimal edits: what is not changed stays byte-identical, and what is new
 * follows the layout around it (indentation, line endings, separators, quoting).
 */
export interface PolicyWriter {
  /**
   * Replaces and removes elements of a list node (`type: 'array'`). `changes` maps an element's
   * index to the values that take its place, in order; an empty array removes the element.
   */
  editList(list: SourceNode, changes: ReadonlyMap<number, readonly string[]>): TextEdit[];
  /** Adds values at the end of a list node (which may be empty). */
  appendToList(list: SourceNode, values: readonly string[]): TextEdit[];
  /**
   * Replaces a list given as one string (`Action: s3:Get*`) with `values`: a single value stays a
   * string, several become a list laid out like the `statement` around it. With `keepOriginal`,
   * the string's own source text is kept as the first element, ahead of `values`.
   */
  replaceScalar(scalar: SourceNode, statement: SourceNode, values: readonly string[], keepOriginal: boolean): TextEdit[];
  /** Removes whole statements: children of `container`, the policy's statement list. */
  removeStatements(container: SourceNode, statements: readonly SourceNode[]): TextEdit[];
}
