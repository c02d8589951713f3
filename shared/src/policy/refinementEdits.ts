import type { TextEdit } from '../text/textEdit';
import type { PolicyWriter } from './policyWriter';
import type { SourceNode } from './sourceTree';
import type { EntryRefinement, PolicyRefinement, StatementRefinement } from './refinePolicy';

/** Which part of a refinement to turn into edits; all of it when empty. */
export interface EditScope {
  statement?: StatementRefinement;
  /** One entry of `statement`. */
  entry?: EntryRefinement;
}

/**
 * The minimal text edits that carry out a refinement, written by the policy's own format writer.
 * Everything outside the changed lists stays byte-identical: kept entries, comments, key order,
 * indentation, line endings. Returns no edits for a policy that would be left without statements.
 */
export function refinementEdits(refinement: PolicyRefinement, scope: EditScope = {}): TextEdit[] {
  if (refinement.fullyUnused) return [];
  const writer = refinement.policy.source.writer;
  const statements = scope.statement ? [scope.statement] : refinement.statements.filter((s) => s.changed);
  const edits: TextEdit[] = [];
  const removed: SourceNode[] = [];
  for (const s of statements) {
    const list = s.statement.listNode;
    if (!list) continue;
    if (s.unused && (!scope.entry || leavesListEmpty(s, scope.entry))) {
      removed.push(s.statement.node);
    } else if (s.notAction) {
      if (s.notAction.additions.length === 0) continue;
      edits.push(...(list.type === 'array'
        ? writer.appendToList(list, s.notAction.additions)
        : writer.replaceScalar(list, s.statement.node, s.notAction.additions, true)));
    } else {
      edits.push(...actionEdits(writer, s, scope.entry ? [scope.entry] : s.entries));
    }
  }
  if (removed.length > 0) edits.push(...writer.removeStatements(refinement.policy.statementNode, removed));
  return edits;
}

function actionEdits(writer: PolicyWriter, s: StatementRefinement, entries: readonly EntryRefinement[]): TextEdit[] {
  const list = s.statement.listNode!;
  const changes = new Map<number, readonly string[]>();
  for (const e of entries) {
    if (!e.replacement) continue;
    // An `Action` given as one string has one entry.
    if (list.type !== 'array') return writer.replaceScalar(list, s.statement.node, e.replacement, false);
    changes.set(list.children!.indexOf(e.entry.node), e.replacement);
  }
  return changes.size > 0 ? writer.editList(list, changes) : [];
}

function leavesListEmpty(s: StatementRefinement, entry: EntryRefinement): boolean {
  return entry.replacement?.length === 0 && s.statement.entries.length === 1;
}
