/**
 * Property-based tests of Action refinement against an independent brute-force oracle
 * (test/oracle): a refinement never allows an action the findings call unused, never drops an
 * allowed action that is not unused, never allows anything new, and is idempotent; the refined
 * text keeps everything it does not have to change.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { splitTokens } from '../../../shared/src/catalog/tokens';
import { analyzePolicyText } from '../../../shared/src/formats/json/jsonSource';
import { parseActionPattern } from '../../../shared/src/patterns/actionPattern';
import { Refiner } from '../../../shared/src/refine/refiner';
import { applyEdits } from '../../../shared/src/text/textEdit';
import { checkPolicyCase, unusedAccessOf } from '../../oracle/check';
import { containmentProblem, inclusionWitness } from '../../oracle/contain';
import { MAX_TARGET, minimalWordCover } from '../../oracle/minimalCover';
import {
  type PrincipalSpec, Universe, allowedByStatement, listOf, namedActions, patternRegExp, setDiff, unusedSet, wholeServiceUnused,
} from '../../oracle/expand';
import {
  type CaseOptions, DEFAULT_PATTERNS, generatorUniverse, onePatternCaseArb, policyCaseArb, runs,
} from '../../oracle/policyCase';
import { testCatalog } from '../../support/catalog';

const catalog = testCatalog();
const universe = Universe.fromCatalog(catalog);
const ctx = { catalog, universe };
/** The universe the generators draw from: the catalogue plus a service it does not know yet. */
const gen = generatorUniverse(universe);
/** Failures show the assertion that broke, not only the counterexample. */
const REPORT = { includeErrorInReport: true };

const ACTION_CASES: CaseOptions = {
  statements: { patterns: DEFAULT_PATTERNS, notAction: 0, deny: 1, maxStatements: 4, maxPatterns: 6 },
  principals: { principals: [1, 0, 0], whole: 1 },
  maxServices: 3,
};

test('oracle sanity: patterns as regular expressions, inclusion, the universe', () => {
  assert.ok(patternRegExp('s3:Get*').test('S3:GETOBJECT'));
  assert.ok(patternRegExp('s3:Get?bject').test('s3:GetObject'));
  assert.ok(!patternRegExp('s3:Get?bject').test('s3:Getbject'));
  assert.ok(!patternRegExp('s3:Get.bject').test('s3:GetObject'), 'regex metacharacters are literal');
  assert.ok(patternRegExp('*').test('anything:at-all'));
  assert.equal(inclusionWitness('s3:GetObject*', 's3:Get*'), undefined);
  assert.equal(inclusionWitness('s3:GetObject?cl', 's3:*Object*'), undefined);
  assert.equal(inclusionWitness('s3:Get*', 's3:GetObject*'), 's3:get');
  assert.notEqual(inclusionWitness('s3:*Object', 's3:*Object*Acl'), undefined);
  assert.notEqual(containmentProblem('s3:GetObject*', 's3:GetObject?cl', universe, 1), undefined);
  assert.ok(universe.size > 10000, 'the catalogue is loaded');
  assert.ok(universe.matches('s3:GetObject*').has('s3:getobjectacl'));
  const extra = universe.withActions([{ service: 's3', name: 'GetObjectNewThing42' }, { service: 's3', name: 'GETOBJECT' }]);
  assert.equal(extra.size, universe.size + 1);
  assert.ok(extra.matches('s3:GetObj*').has('s3:getobjectnewthing42'));
  assert.ok(!universe.matches('s3:GetObj*').has('s3:getobjectnewthing42'));
  const principals = [
    { services: [{ service: 's3', whole: true, actions: [] }, { service: 'iam', whole: false, actions: ['PassRole'] }] },
    {
      services: [
        { service: 's3', whole: false, actions: ['getobject', 'PutObject'] },
        { service: 'iam', whole: false, actions: ['GetRole'] },
      ],
    },
  ];
  assert.deepEqual([...unusedSet(principals, universe)].sort(), ['s3:getobject', 's3:putobject']);
  assert.ok(!wholeServiceUnused(principals, 's3'));
  const notS3 = allowedByStatement({ Effect: 'Allow', NotAction: ['s3:*'] }, universe);
  assert.ok(notS3.has('iam:passrole') && !notS3.has('s3:getobject'));
  assert.equal(notS3.size, universe.size - universe.actionsOf('s3').length);
  assert.deepEqual([...allowedByStatement({ Effect: 'Allow', Action: 'S3:getobject?cl' }, universe)], ['s3:getobjectacl']);
});

test('property: analyzePattern replaces a pattern by exactly what it allows minus the unused, each new pattern within it', () => {
  const caseArb = onePatternCaseArb(gen);
  fc.assert(fc.property(caseArb, ({ pattern, principals, seed }) => {
    const parsed = parseActionPattern(pattern);
    assert.ok(parsed.ok, pattern);
    const u = universe.withActions(namedActions(principals));
    const unused = unusedSet(principals, u);
    const refiner = new Refiner(catalog, unusedAccessOf(principals));
    const analysis = refiner.analyzePattern(parsed.pattern);
    const allowed = u.matches(pattern);
    const hits = [...allowed].filter((a) => unused.has(a)).sort();
    assert.deepEqual(analysis.unused.map((h) => h.action.full.toLowerCase()), hits, 'the unused actions the pattern allows, in order');
    if (principals.length === 1) {
      // With one principal the engine knows exactly the oracle's universe.
      assert.equal(analysis.allowedCount, allowed.size, 'allowedCount');
      const expanded = refiner.expand(parsed.pattern).map((a) => a.lower);
      assert.equal(setDiff(new Set(expanded), allowed), undefined, 'expand');
    }
    if (analysis.replacement === undefined) {
      assert.deepEqual(hits, [], `"${pattern}" is kept but allows unused actions`);
      return;
    }
    const replacement = analysis.replacement;
    const sorted = [...replacement].sort((x, y) => (x.toLowerCase() < y.toLowerCase() ? -1 : 1));
    assert.deepEqual(replacement, sorted, 'the replacement is sorted');
    assert.equal(new Set(replacement.map((r) => r.toLowerCase())).size, replacement.length, 'the replacement has duplicates');
    for (const r of replacement) {
      assert.ok(parseActionPattern(r).ok, `"${r}" is not a valid action pattern`);
      const problem = containmentProblem(r, pattern, u, seed);
      assert.equal(problem, undefined, problem);
    }
    const diff = setDiff(u.matchesAny(replacement), new Set([...allowed].filter((a) => !unused.has(a))));
    assert.equal(diff, undefined, `"${pattern}" → ${JSON.stringify(replacement)}: ${diff}`);
  }), { numRuns: runs(700), ...REPORT });
});

test('property: refining Action statements obeys the law on the refined text (one principal)', () => {
  fc.assert(fc.property(policyCaseArb(universe, ACTION_CASES), (c) => checkPolicyCase(c, ctx)), { numRuns: runs(500), ...REPORT });
});

test('property: refining against the intersection of several principals\' findings', () => {
  const options: CaseOptions = { ...ACTION_CASES, principals: { principals: [0, 3, 1], whole: 2 } };
  fc.assert(fc.property(policyCaseArb(universe, options), (c) => checkPolicyCase(c, ctx)), { numRuns: runs(250), ...REPORT });
});

test('property: whole unused services and fully unused statements are removed, never the last one', () => {
  const options: CaseOptions = {
    statements: { patterns: { global: 0, wildService: 0 }, notAction: 0, deny: 0, maxStatements: 3, maxPatterns: 3 },
    principals: { principals: [4, 1, 0], whole: 8 },
    maxServices: 2,
  };
  fc.assert(fc.property(policyCaseArb(universe, options), (c) => checkPolicyCase(c, ctx)), { numRuns: runs(250), ...REPORT });
});

test('property: wildcards in the service part and the global *', () => {
  const options: CaseOptions = {
    statements: { patterns: { global: 1, wildService: 6 }, notAction: 0, deny: 1, maxStatements: 2, maxPatterns: 3 },
    principals: { principals: [3, 1, 0], whole: 1 },
    maxServices: 2,
  };
  fc.assert(fc.property(policyCaseArb(universe, options), (c) => checkPolicyCase(c, ctx)), { numRuns: runs(80), ...REPORT });
});

// Counterexamples the properties found in an earlier engine, kept as exact regressions.

function refineText(text: string, principals: PrincipalSpec[]): string {
  return applyEdits(text, analyzePolicyText(text, new Refiner(catalog, unusedAccessOf(principals))).edits);
}

function onePolicy(list: string): string {
  return '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
    + `      "Action": ${list},\n      "Resource": "*"\n    }\n  ]\n}\n`;
}

test('counterexample: a word prefix is not a string prefix (lambda:ListMicrovmImage* vs the unused ListMicrovmImages)', () => {
  // The trie puts ListMicrovmImages (List|Microvm|Images) beside the ListMicrovmImage node
  // (List|Microvm|Image|Builds, …|Versions): collapsing that node to lambda:ListMicrovmImage*
  // would keep allowing the unused lambda:ListMicrovmImages.
  const text = onePolicy('[\n        "lambda:ListMicrovmImage*"\n      ]');
  const unused = [{ services: [{ service: 'lambda', whole: false, actions: ['ListMicrovmImages'] }] }];
  assert.equal(refineText(text, unused),
    onePolicy('[\n        "lambda:ListMicrovmImageBuilds",\n        "lambda:ListMicrovmImageVersions"\n      ]'));
  // The same hole with a familiar action: ec2:DescribeInstance* must not keep ec2:DescribeInstances.
  const describeUnused = [{ services: [{ service: 'ec2', whole: false, actions: ['DescribeInstances'] }] }];
  const refined = JSON.parse(refineText(onePolicy('"ec2:DescribeInstance*"'), describeUnused)) as {
    Statement: { Action: string | string[] }[];
  };
  const allowed = universe.matchesAny(listOf(refined.Statement[0]!.Action));
  assert.ok(!allowed.has('ec2:describeinstances'), JSON.stringify(refined.Statement[0]!.Action));
  assert.ok(allowed.has('ec2:describeinstancestatus'));
});

test('counterexample: an action only one principal\'s findings name stays allowed after the intersection', () => {
  // s3:GetObjectTaggingV2 is newer than the catalogue; the second principal calls it unused, the
  // first does not (it uses it), so the shared policy must keep allowing it.
  const principals = [
    { services: [{ service: 's3', whole: false, actions: ['GetObjectTorrent'] }] },
    { services: [{ service: 's3', whole: false, actions: ['GetObjectTorrent', 'GetObjectTaggingV2'] }] },
  ];
  assert.equal(refineText(onePolicy('"s3:GetObjectT*"'), principals), onePolicy('"s3:GetObjectTagging*"'));
});

/** `svc:Word*` and `svc:WordWord*` patterns of the catalogue that allow between 3 and MAX_TARGET actions. */
function smallWordPatterns(): string[] {
  const out: string[] = [];
  for (const service of universe.services()) {
    const actions = universe.actionsOf(service);
    const stems = new Set(actions.flatMap((a) => [1, 2].flatMap((n) => {
      const words = splitTokens(a.name);
      return words.length > n ? [`${service}:${words.slice(0, n).join('')}`] : [];
    })));
    for (const stem of stems) {
      // A pattern with one trailing star matches the names that start with its stem.
      const size = actions.filter((a) => a.lower.startsWith(stem.toLowerCase())).length;
      if (size >= 3 && size <= MAX_TARGET) out.push(`${stem}*`);
    }
  }
  return out.sort();
}

test('property: a refined wildcard uses the fewest word-aligned patterns (brute force over the word prefixes)', () => {
  const caseArb = fc.constantFrom(...smallWordPatterns()).chain((pattern) =>
    fc.subarray([...universe.matches(pattern)].sort(), { minLength: 1 }).map((unused) => ({ pattern, unused })));
  fc.assert(fc.property(caseArb, ({ pattern, unused }) => {
    const service = pattern.slice(0, pattern.indexOf(':'));
    const names = unused.map((lower) => universe.get(lower)!.name);
    const refiner = new Refiner(catalog, unusedAccessOf([{ services: [{ service, whole: false, actions: names }] }]));
    const parsed = parseActionPattern(pattern);
    assert.ok(parsed.ok, pattern);
    const replacement = refiner.analyzePattern(parsed.pattern).replacement;
    assert.ok(replacement, `"${pattern}" allows unused actions and must be replaced`);
    const target = new Set([...universe.matches(pattern)].filter((a) => !unused.includes(a)));
    assert.equal(setDiff(universe.matchesAny(replacement), target), undefined, JSON.stringify(replacement));
    assert.equal(replacement.length, minimalWordCover(universe, target), `"${pattern}" → ${JSON.stringify(replacement)}`);
  }), { numRuns: runs(400), ...REPORT });
});

test('a word prefix covers its used siblings: appflow:Describe* without DescribeFlows is three patterns', () => {
  const principals = [{ services: [{ service: 'appflow', whole: false, actions: ['DescribeFlows'] }] }];
  assert.equal(refineText(onePolicy('"appflow:Describe*"'), principals), onePolicy(
    '[\n        "appflow:DescribeConnector*",\n        "appflow:DescribeFlow",\n        "appflow:DescribeFlowExecution*"\n      ]',
  ));
});
