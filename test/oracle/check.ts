/**
 * The refinement law, checked on the refined text of a generated case against the oracle:
 * a refinement never allows an action the findings call unused, never drops an action that was
 * allowed and is not unused, never allows anything new; refining again changes nothing; and the
 * text keeps everything it does not have to change.
 */
import assert from 'node:assert/strict';
import { type Node, type ParseError, parse, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Catalog } from '../../shared/src/catalog/catalog';
import type { PrincipalFindings } from '../../shared/src/findings/model';
import { UnusedAccess } from '../../shared/src/findings/unusedAccess';
import { analyzePolicyText } from '../../shared/src/formats/json/jsonSource';
import { Refiner } from '../../shared/src/refine/refiner';
import { applyEdits } from '../../shared/src/text/textEdit';
import { containmentProblem } from './contain';
import {
  type PrincipalSpec, type Universe, difference, minus, namedActions, notActionLawProblem, setDiff, unusedSet, wholeServiceUnused,
} from './expand';
import { type PolicyCase, type StatementSpec, buildPolicyText, indentUnit, isJsonc, resourceOf } from './policyCase';

export function principalFindings(spec: PrincipalSpec): PrincipalFindings {
  return {
    services: spec.services.map((s) => ({ service: s.service, whole: s.whole, actions: s.actions.map((name) => ({ name })) })),
  };
}

/** The engine's view of the findings: one principal as is, several intersected. */
export function unusedAccessOf(principals: readonly PrincipalSpec[]): UnusedAccess {
  const sets = principals.map((p) => UnusedAccess.fromPrincipal(principalFindings(p)));
  return sets.length === 1 ? sets[0]! : UnusedAccess.intersect(sets);
}

/** A statement as the oracle reads it from a text, with the nodes needed for byte comparisons. */
interface ReadStatement {
  node: Node;
  text: string;
  resource: string;
  effect: string;
  key: 'Action' | 'NotAction';
  listNode: Node;
  values: string[];
  /** Each entry's string literal, quotes included, as written. */
  literals: string[];
}

interface ReadPolicy {
  statementNode: Node;
  statements: ReadStatement[];
}

function prop(node: Node, key: string): Node | undefined {
  for (const p of node.children ?? []) if (p.type === 'property' && p.children?.[0]?.value === key) return p.children[1];
  return undefined;
}

function slice(text: string, node: Node): string {
  return text.slice(node.offset, node.offset + node.length);
}

/** Reads the one policy of a generated text, failing on any syntax error. */
function readPolicy(text: string, what: string): ReadPolicy {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  assert.deepEqual(errors.map((e) => `${printParseErrorCode(e.error)} at ${e.offset}`), [], `${what} does not parse:\n${text}`);
  assert.ok(root && root.type === 'object', `${what}: no object`);
  const statementNode = prop(root, 'Statement');
  assert.ok(statementNode, `${what}: no Statement`);
  const nodes = statementNode.type === 'array' ? statementNode.children ?? [] : [statementNode];
  const statements = nodes.map((node) => {
    assert.equal(node.type, 'object');
    const action = prop(node, 'Action');
    const notAction = prop(node, 'NotAction');
    const listNode = action ?? notAction;
    assert.ok(listNode && !(action && notAction), `${what}: a statement needs exactly one of Action and NotAction`);
    const items = listNode.type === 'array' ? listNode.children ?? [] : [listNode];
    for (const item of items) assert.equal(item.type, 'string', `${what}: a list entry is not a string`);
    return {
      node,
      text: slice(text, node),
      resource: prop(node, 'Resource')?.value as string,
      effect: prop(node, 'Effect')?.value as string,
      key: action ? 'Action' as const : 'NotAction' as const,
      listNode,
      values: items.map((i) => i.value as string),
      literals: items.map((i) => slice(text, i)),
    };
  });
  return { statementNode, statements };
}

/** Case-insensitive duplicates among `items`, or among `items` and `others`. */
export function duplicates(items: readonly string[], others: readonly string[] = []): string[] {
  const seen = new Set(others.map((o) => o.toLowerCase()));
  const dups: string[] = [];
  for (const i of items) {
    const key = i.toLowerCase();
    if (seen.has(key)) dups.push(i);
    seen.add(key);
  }
  return dups;
}

/** The statement's text around its list: what must stay byte-identical when only the list changes. */
function aroundList(s: ReadStatement, text: string): [string, string] {
  const start = s.listNode.offset;
  const end = s.listNode.offset + s.listNode.length;
  return [text.slice(s.node.offset, start), text.slice(end, s.node.offset + s.node.length)];
}

/** Which entries of an Allow/Action statement the oracle says stay, go, or change. */
export type EntryFate = 'untouched' | 'gone' | 'replaced';

export interface Oracle {
  universe: Universe;
  unused: Set<string>;
  principals: readonly PrincipalSpec[];
}

export function entryFate(pattern: string, o: Oracle): EntryFate {
  const colon = pattern.indexOf(':');
  const servicePart = colon < 0 ? '' : pattern.slice(0, colon);
  const literalService = pattern !== '*' && !/[*?]/.test(servicePart);
  if (literalService && wholeServiceUnused(o.principals, servicePart)) return 'gone';
  const allowed = o.universe.matches(pattern);
  const hits = [...allowed].filter((a) => o.unused.has(a));
  if (hits.length === 0) return 'untouched';
  return hits.length === allowed.size ? 'gone' : 'replaced';
}

/** Whether every entry of the statement goes: the statement itself goes. */
function statementGoes(s: StatementSpec, o: Oracle): boolean {
  return s.effect === 'Allow' && s.key === 'Action' && s.patterns.every((p) => entryFate(p, o) === 'gone');
}

export interface CheckContext {
  catalog: Catalog;
  /** The catalogue's universe; the findings' own names are added per case. */
  universe: Universe;
}

/** Checks every part of the law on one case; throws an AssertionError that says what broke. */
export function checkPolicyCase(c: PolicyCase, ctx: CheckContext): void {
  const text = buildPolicyText(c);
  const unusedAccess = unusedAccessOf(c.principals);
  const universe = ctx.universe.withActions(namedActions(c.principals));
  const o: Oracle = { universe, unused: unusedSet(c.principals, universe), principals: c.principals };
  const analysis = analyzePolicyText(text, new Refiner(ctx.catalog, unusedAccess));
  const errors = analysis.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors.map((p) => `${p.code}: ${p.message}`), [], 'the generated policy has problems');
  assert.equal(analysis.refinements.length, 1, 'one policy');
  const refinement = analysis.refinements[0]!;
  assert.equal(refinement.statements.length, c.statements.length);

  const after = applyEdits(text, analysis.edits);
  const before = readPolicy(text, 'the original');
  const refined = readPolicy(after, 'the refined text');
  if (!isJsonc(c.format)) assert.doesNotThrow(() => JSON.parse(after), 'the refined text is not plain JSON');
  else {
    const errs: ParseError[] = [];
    parse(after, errs, { allowTrailingComma: true });
    assert.equal(errs.length, 0);
  }

  // Everything outside the Statement value stays as it was.
  assert.equal(after.slice(0, refined.statementNode.offset), text.slice(0, before.statementNode.offset), 'text before "Statement" changed');
  assert.equal(after.slice(refined.statementNode.offset + refined.statementNode.length),
    text.slice(before.statementNode.offset + before.statementNode.length), 'text after "Statement" changed');

  const goes = c.statements.map((s) => statementGoes(s, o));
  if (goes.every(Boolean)) {
    // Removing every statement would leave an invalid policy: nothing changes, detach instead.
    assert.ok(refinement.fullyUnused, 'every statement is unused: the policy should be reported fully unused');
    assert.equal(analysis.edits.length, 0, 'a fully unused policy is not edited');
    return;
  }
  assert.ok(!refinement.fullyUnused, 'the policy is not fully unused');

  // Statements: the ones that go are gone, the others are in their order.
  const expectedOrder = c.statements.map((_, i) => resourceOf(i)).filter((_, i) => !goes[i]);
  assert.deepEqual(refined.statements.map((s) => s.resource), expectedOrder, 'statements kept, in order');
  const afterByResource = new Map(refined.statements.map((s) => [s.resource, s]));

  c.statements.forEach((spec, i) => {
    const b = before.statements[i]!;
    const a = afterByResource.get(resourceOf(i));
    const sr = refinement.statements[i]!;
    const where = `statement ${i} (${spec.effect} ${spec.key} ${JSON.stringify(spec.patterns)})`;
    if (!a) return; // removed: its allowed set was all unused (statementGoes)
    if (spec.effect === 'Deny') {
      assert.equal(a.text, b.text, `${where}: a Deny statement changed`);
      assert.equal(sr.changed, false);
      return;
    }
    // Only the list may change.
    assert.deepEqual(aroundList(a, after), aroundList(b, text), `${where}: text outside the list changed`);
    if (spec.key === 'Action') checkActionStatement(spec, b, a, sr, o, c.seed + i, where);
    else checkNotActionStatement(spec, b, a, sr, o, where);
  });

  checkLayout(c, after, refined);

  // Idempotence: the refined policy needs no further refinement.
  const again = analyzePolicyText(after, new Refiner(ctx.catalog, unusedAccessOf(c.principals)));
  assert.deepEqual(again.problems.filter((p) => p.severity === 'error').map((p) => p.message), [], 'the refined policy has problems');
  assert.deepEqual(again.edits, [], `refining the refined policy changes it again:\n${after}`);
  assert.ok(!again.refinements[0]!.statements.some((s) => s.changed), 'the refined policy still has changes');
}

type StatementRefinement = ReturnType<typeof analyzePolicyText>['refinements'][number]['statements'][number];

function checkActionStatement(
  spec: StatementSpec, b: ReadStatement, a: ReadStatement, sr: StatementRefinement, o: Oracle, seed: number, where: string,
): void {
  assert.equal(sr.entries.length, spec.patterns.length, `${where}: one refinement per entry`);
  const expected: string[] = [];
  const untouchedLiterals: string[] = [];
  const untouchedValues: string[] = [];
  const untouchedPositions: number[] = [];
  const newItems: string[] = [];
  spec.patterns.forEach((p, j) => {
    const fate = entryFate(p, o);
    const er = sr.entries[j]!;
    assert.equal(er.entry.value, p);
    if (fate === 'untouched') {
      assert.equal(er.replacement, undefined,
        `${where}: "${p}" allows nothing unused but is replaced by ${JSON.stringify(er.replacement)}`);
      untouchedPositions.push(expected.length);
      expected.push(p);
      untouchedLiterals.push(b.literals[j]!);
      untouchedValues.push(p);
      return;
    }
    assert.ok(er.replacement !== undefined, `${where}: "${p}" allows unused actions but is kept`);
    if (fate === 'gone') assert.deepEqual(er.replacement, [], `${where}: "${p}" allows only unused actions but is replaced`);
    for (const r of er.replacement) {
      const problem = containmentProblem(r, p, o.universe, seed + j);
      assert.equal(problem, undefined, `${where}: replacement of "${p}": ${problem}`);
    }
    expected.push(...er.replacement);
    newItems.push(...er.replacement);
  });

  // The text carries out exactly the refinement, kept entries byte-identical and in order.
  assert.deepEqual(a.values, expected, `${where}: the refined list`);
  const keptLiterals = untouchedPositions.map((k) => a.literals[k]);
  assert.deepEqual(keptLiterals, untouchedLiterals, `${where}: kept entries are not byte-identical`);
  assert.ok(a.values.length > 0, `${where}: the list became empty`);
  if (b.listNode.type === 'string' && expected.length === 1) {
    assert.equal(a.listNode.type, 'string', `${where}: a string list became an array`);
  }
  assert.deepEqual(duplicates(newItems, untouchedValues), [], `${where}: the replacement repeats entries`);

  // The law: allowed after = allowed before − unused, over the universe.
  const allowedBefore = o.universe.matchesAny(spec.patterns);
  const allowedAfter = o.universe.matchesAny(a.values);
  const diff = setDiff(allowedAfter, minus(allowedBefore, o.unused));
  assert.equal(diff, undefined, `${where}: allowed after ≠ allowed before − unused: ${diff}\nrefined: ${JSON.stringify(a.values)}`);
}

function checkNotActionStatement(
  spec: StatementSpec, b: ReadStatement, a: ReadStatement, sr: StatementRefinement, o: Oracle, where: string,
): void {
  assert.ok(sr.notAction, `${where}: no NotAction analysis`);
  const additions = sr.notAction.additions;
  assert.deepEqual(a.values, [...spec.patterns, ...additions], `${where}: the refined NotAction list`);
  assert.deepEqual(a.literals.slice(0, b.literals.length), b.literals, `${where}: kept entries are not byte-identical`);
  assert.deepEqual(duplicates(additions, spec.patterns), [], `${where}: additions repeat entries`);

  const excludedBefore = o.universe.matchesAny(spec.patterns);
  const mayExclude = new Set([...o.unused, ...excludedBefore]);
  for (const addition of additions) {
    const wrongly = difference(o.universe.matches(addition), mayExclude);
    assert.deepEqual(wrongly.slice(0, 12), [], `${where}: "${addition}" excludes actions that are neither unused nor excluded already`);
  }
  const problem = notActionLawProblem(excludedBefore, o.universe.matchesAny(a.values), o.unused);
  assert.equal(problem, undefined, `${where}: allowed after ≠ allowed before − unused: ${problem}\nrefined: ${JSON.stringify(a.values)}`);
}

/**
 * New text looks like the old: the same line endings, no blank lines, one-line texts stay on one
 * line, one-line lists stay on one line, and in pretty layouts every list entry is on its own line
 * at the entries' indentation.
 */
function checkLayout(c: PolicyCase, after: string, refined: ReadPolicy): void {
  const f = c.format;
  if (f.crlf) assert.ok(!/(^|[^\r])\n/.test(after), 'a bare LF in a CRLF text');
  else assert.ok(!after.includes('\r'), 'a CR in an LF text');
  const lines = after.split(f.crlf ? '\r\n' : '\n');
  assert.equal(lines.pop(), '', 'the text still ends with a line break');
  assert.deepEqual(lines.filter((l) => l.trim() === ''), [], 'blank lines appeared');
  if (f.layout === 'oneline') {
    assert.equal(lines.length, 1, 'a one-line policy spans several lines');
    return;
  }
  const unit = indentUnit(f);
  const single = f.singleObject && c.statements.length === 1;
  const entryIndent = (single ? unit : unit + unit) + unit + unit;
  for (const s of refined.statements) {
    if (s.listNode.type !== 'array') continue;
    const spec = c.statements[Number(/bucket-(\d+)/.exec(s.resource)?.[1])]!;
    const wasString = spec.asString && spec.patterns.length === 1;
    const listText = slice(after, s.listNode);
    // An inline array stays on one line; a string that became an array is laid out like the statement.
    const inline = f.layout === 'inline' && !wasString;
    if (inline && !/[\r\n]/.test(listText)) continue;
    for (const item of s.listNode.children ?? []) {
      const lineStart = after.lastIndexOf('\n', item.offset) + 1;
      assert.equal(after.slice(lineStart, item.offset), entryIndent,
        `entry ${slice(after, item)} is not on its own line at the entries' indentation`);
    }
    if (inline) assert.fail(`a one-line list became several lines: ${listText}`);
  }
}
