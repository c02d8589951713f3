/**
 * Property-based tests of NotAction refinement (Allow + NotAction) against the brute-force oracle
 * (test/oracle): the statement allows every universe action its NotAction does not exclude; the
 * refinement adds exclusions that exclude only unused actions (or ones already excluded), so that
 * afterwards it allows exactly what it allowed minus the unused, and refining again changes nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyzePolicyText } from '../../../shared/src/formats/json/jsonSource';
import { parseActionPattern } from '../../../shared/src/patterns/actionPattern';
import { Refiner } from '../../../shared/src/refine/refiner';
import { applyEdits } from '../../../shared/src/text/textEdit';
import { checkPolicyCase, unusedAccessOf } from '../../oracle/check';
import { Universe, difference, namedActions, notActionLawProblem, unusedSet } from '../../oracle/expand';
import {
  type CaseOptions, type StatementSpec, candidatesOf, generatorUniverse, patternArb, policyCaseArb, principalsArb, runs, serviceArb,
} from '../../oracle/policyCase';
import { testCatalog } from '../../support/catalog';

const catalog = testCatalog();
const universe = Universe.fromCatalog(catalog);
const ctx = { catalog, universe };
/** The universe the generators draw from: the catalogue plus a service it does not know yet. */
const gen = generatorUniverse(universe);
const REPORT = { includeErrorInReport: true };

test('property: analyzeNotAction adds exclusions of unused actions only, and enough of them', () => {
  const caseArb = fc.uniqueArray(serviceArb(gen), { minLength: 1, maxLength: 3 })
    .chain((services) => fc.array(fc.constantFrom(...services).chain((s) => patternArb(gen, s)), { minLength: 1, maxLength: 4 })
      .chain((patterns) => {
        const statement: StatementSpec = { effect: 'Allow', key: 'NotAction', patterns, asString: false, sid: false };
        return principalsArb(gen, candidatesOf(gen, services, [statement]), { principals: [4, 1, 0], whole: 2 })
          .map((principals) => ({ patterns, principals }));
      }));
  fc.assert(fc.property(caseArb, ({ patterns, principals }) => {
    const parsed = patterns.map((p) => {
      const r = parseActionPattern(p);
      assert.ok(r.ok, p);
      return r.pattern;
    });
    const u = universe.withActions(namedActions(principals));
    const unused = unusedSet(principals, u);
    const analysis = new Refiner(catalog, unusedAccessOf(principals)).analyzeNotAction(parsed);
    const excluded = u.matchesAny(patterns);

    // Every unused universe action is one the engine knows (the catalogue's, or listed by every principal).
    assert.deepEqual(analysis.unused.map((h) => h.action.lower), [...unused].filter((a) => !excluded.has(a)).sort(),
      'the unused actions the statement lets through, in order');
    const mayExclude = new Set([...unused, ...excluded]);
    for (const a of analysis.additions) {
      assert.ok(parseActionPattern(a).ok, `"${a}" is not a valid action pattern`);
      const wrongly = difference(u.matches(a), mayExclude);
      assert.deepEqual(wrongly.slice(0, 12), [], `"${a}" excludes actions that are neither unused nor excluded already`);
    }
    assert.equal(new Set(analysis.additions.map((a) => a.toLowerCase())).size, analysis.additions.length, 'duplicate additions');
    const sorted = [...analysis.additions].sort((x, y) => (x.toLowerCase() < y.toLowerCase() ? -1 : 1));
    assert.deepEqual(analysis.additions, sorted, 'the additions are sorted');
    const problem = notActionLawProblem(excluded, u.matchesAny([...patterns, ...analysis.additions]), unused);
    assert.equal(problem, undefined, `NotAction ${JSON.stringify(patterns)} + ${JSON.stringify(analysis.additions)}: ${problem}`);
  }), { numRuns: runs(500), ...REPORT });
});

const NOT_ACTION_CASES: CaseOptions = {
  statements: { patterns: { global: 0, wildService: 1 }, notAction: 4, deny: 1, maxStatements: 3, maxPatterns: 4 },
  principals: { principals: [1, 0, 0], whole: 2 },
  maxServices: 3,
};

test('property: refining Allow+NotAction statements obeys the law on the refined text (one principal)', () => {
  fc.assert(fc.property(policyCaseArb(universe, NOT_ACTION_CASES), (c) => checkPolicyCase(c, ctx)), { numRuns: runs(400), ...REPORT });
});

test('property: NotAction against the intersection of several principals\' findings', () => {
  const options: CaseOptions = { ...NOT_ACTION_CASES, principals: { principals: [0, 3, 1], whole: 3 } };
  fc.assert(fc.property(policyCaseArb(universe, options), (c) => checkPolicyCase(c, ctx)), { numRuns: runs(150), ...REPORT });
});

test('counterexample: NotAction exclusions stop at word prefixes that are not string prefixes', () => {
  // Every action under the ListMicrovmImage node is unused, but lambda:ListMicrovmImage* would also
  // exclude lambda:ListMicrovmImages, which is used.
  const policy = (list: string): string =>
    '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
    + `      "NotAction": ${list},\n      "Resource": "*"\n    }\n  ]\n}\n`;
  const text = policy('[\n        "iam:*"\n      ]');
  const principals = [{ services: [{ service: 'lambda', whole: false, actions: ['ListMicrovmImageBuilds', 'ListMicrovmImageVersions'] }] }];
  const analysis = analyzePolicyText(text, new Refiner(catalog, unusedAccessOf(principals)));
  assert.equal(applyEdits(text, analysis.edits),
    policy('[\n        "iam:*",\n        "lambda:ListMicrovmImageBuilds",\n        "lambda:ListMicrovmImageVersions"\n      ]'));
});
