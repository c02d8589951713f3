import type { Range } from 'vscode-languageserver';
import type { ActionEntry, PolicyDocument, PolicyFile, PolicyStatement } from '../../../shared/src/policy/policyDocument';
import { property } from '../../../shared/src/policy/sourceTree';
import type { Span } from '../../../shared/src/text/problem';
import { applyEdits } from '../../../shared/src/text/textEdit';
import type { RenameOffer } from './actionValidation';
import { type PolicyDocumentState, toRange } from './documentState';

// Checks of a policy's structure that need no account, named as IAM Access Analyzer's policy
// validation names them: "Invalid version" (policy variables read literally without 2012-10-17)
// and "Redundant action" (an entry a wildcard of the same statement already covers). The others
// of that family (invalid Effect, Action with NotAction, an empty list, an action that is not
// `service:action`) the policy reader reports as malformed-statement and malformed-action.

/** The only version under which policy variables are substituted. */
const CURRENT_VERSION = '2012-10-17';

/**
 * A policy variable: `${aws:username}`, `${s3:prefix}`, `${aws:PrincipalTag/team}`, or one of the
 * special `${*}`, `${?}`, `${$}`. CloudFormation's `${AWS::Region}` (two colons) and Terraform's
 * `${var.name}` (no colon) are the templates' own substitutions, not policy variables.
 */
const POLICY_VARIABLE = /\$\{(?:[A-Za-z0-9-]+:[^:}][^}]*|[*?$])\}/;

/** What is wrong with a policy's `Version`, where, and the variable that makes it matter. */
export function versionProblem(policy: PolicyDocument, text: string): { span: Span; message: string } | undefined {
  const node = policy.node;
  // A Terraform policy document block has no Version to write: the provider writes 2012-10-17.
  if (node.type !== 'object' || !property(node, 'Statement')) return undefined;
  const variable = POLICY_VARIABLE.exec(text.slice(node.offset, node.offset + node.length))?.[0];
  if (!variable) return undefined;
  const version = property(node, 'Version');
  if (!version) {
    return {
      span: { offset: node.offset, length: 1 },
      message: `The policy uses the policy variable ${variable} but has no "Version": without "Version": "${CURRENT_VERSION}" `
        + 'AWS reads the variable as literal text. Add "Version": "2012-10-17".',
    };
  }
  if (version.type !== 'string' || version.value === CURRENT_VERSION) return undefined;
  return {
    span: { offset: version.offset, length: version.length },
    message: `"Version" ${JSON.stringify(version.value)} reads the policy variable ${variable} as literal text: `
      + `only "${CURRENT_VERSION}" substitutes it. Change the version to "${CURRENT_VERSION}".`,
  };
}

/** The entries of a statement that a wildcard entry of the same statement already covers, each with that wildcard. */
export function redundantEntries(statement: PolicyStatement): { entry: ActionEntry; coveredBy: ActionEntry }[] {
  const out: { entry: ActionEntry; coveredBy: ActionEntry }[] = [];
  const entries = statement.entries.filter((e) => e.pattern && !e.dynamic);
  entries.forEach((entry, i) => {
    const coveredBy = entries.find((other, j) => j !== i && covers(other, entry)
      // Of two identical entries, the second is the redundant one.
      && !(j > i && covers(entry, other)));
    if (coveredBy) out.push({ entry, coveredBy });
  });
  return out;
}

/**
 * Whether everything `entry` matches, `wildcard` matches, for any action there is or will be: an
 * action the wildcard's glob matches, the same text in another case, or a wildcard whose every
 * match starts with what the covering `Prefix*` starts with.
 */
function covers(wildcard: ActionEntry, entry: ActionEntry): boolean {
  const w = wildcard.pattern!;
  const e = entry.pattern!;
  if (w.text.toLowerCase() === e.text.toLowerCase()) return true;
  if (!w.glob.hasWildcard) return false;
  if (!e.glob.hasWildcard) return w.glob.matches(e.text.toLowerCase());
  // `Prefix*` covers any pattern that starts with the same literal prefix.
  const prefix = w.text.slice(0, -1);
  return w.text.endsWith('*') && !/[*?]/.test(prefix) && e.text.toLowerCase().startsWith(prefix.toLowerCase());
}

/** The message of a redundant entry, in the words of its statement. */
export function redundantMessage(statement: PolicyStatement, entry: ActionEntry, coveredBy: ActionEntry): string {
  const verb = statement.effect === 'Deny' ? 'denies' : statement.listKey === 'NotAction' ? 'excludes' : 'allows';
  return `${entry.value} is redundant: ${coveredBy.value} in the same statement already ${verb} it.`;
}

/** The fix of a redundant entry: remove it, the list's separators and layout kept right by the format's writer. */
export function removalOffers(state: PolicyDocumentState, range: Range): RenameOffer[] {
  let index = 0;
  for (const refinement of state.analysis.refinements) {
    for (const statement of refinement.policy.statements) {
      const list = statement.listNode;
      for (const entry of statement.entries) {
        const at = index++;
        const r = toRange(state.lines, entry.span);
        if (r.start.line !== range.start.line || r.start.character !== range.start.character) continue;
        const found = redundantEntries(statement).find((x) => x.entry === entry);
        if (!found || !list || list.type !== 'array') return [];
        const position = list.children!.indexOf(entry.node);
        const edits = refinement.policy.source.writer.editList(list, new Map([[position, []]]));
        if (edits.length !== 1) return [];
        const edit = edits[0]!;
        return [{
          title: `Remove the redundant ${entry.value}`,
          key: `remove ${entry.span.offset} ${entry.value}`,
          edit,
          check: () => removesOnly(state, at, applyEdits(state.text, [edit])),
        }];
      }
    }
  }
  return [];
}

/** The text without the entry still reads, with every other entry as it was. */
function removesOnly(state: PolicyDocumentState, index: number, text: string): boolean {
  const file = state.analysis.read(text);
  if (file.syntaxErrors.length > 0) return false;
  const expected = entryValues(state.analysis.file);
  expected.splice(index, 1);
  const after = entryValues(file);
  return after.length === expected.length && after.every((value, i) => value === expected[i]);
}

function entryValues(file: PolicyFile): string[] {
  return file.policies.flatMap((policy, p) => policy.statements.flatMap((statement, s) =>
    statement.entries.map((entry) => `${p}/${s}/${entry.value}`)));
}
