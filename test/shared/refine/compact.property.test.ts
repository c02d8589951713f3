/**
 * Property tests of the compact exact form against the independent oracle (test/oracle): it allows
 * exactly what the word form allows over the catalogue and the findings' own names, it never has
 * more characters than the word form, and refining its result again changes nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseActionPattern } from '../../../shared/src/patterns/actionPattern';
import { compactCover, patternsSize } from '../../../shared/src/refine/compact';
import { Refiner } from '../../../shared/src/refine/refiner';
import { unusedAccessOf } from '../../oracle/check';
import { containmentProblem } from '../../oracle/contain';
import { Universe, namedActions, patternRegExp, setDiff, unusedSet } from '../../oracle/expand';
import { generatorUniverse, onePatternCaseArb, runs } from '../../oracle/policyCase';
import { testCatalog } from '../../support/catalog';

const catalog = testCatalog();
const universe = Universe.fromCatalog(catalog);
const gen = generatorUniverse(universe);
/** Seeded: a failure reproduces as it is; PROPERTY_RUNS_SCALE widens the hunt. */
const SEEDED = { seed: 15, includeErrorInReport: true };

test('property: the compact form of a refined pattern allows exactly what the word form allows, in no more characters', () => {
  const caseArb = onePatternCaseArb(gen, { global: 1, wildService: 1 });
  fc.assert(fc.property(caseArb, ({ pattern, principals, seed }) => {
    const parsed = parseActionPattern(pattern);
    assert.ok(parsed.ok, pattern);
    const u = universe.withActions(namedActions(principals));
    const unused = unusedSet(principals, u);
    const refiner = new Refiner(catalog, unusedAccessOf(principals));
    const words = refiner.analyzePattern(parsed.pattern).replacement;
    const compact = refiner.compactReplacement(parsed.pattern);
    if (words === undefined) {
      assert.equal(compact, undefined, 'a pattern kept as written has no compact form either');
      return;
    }
    assert.ok(compact, 'a replaced pattern has a compact form');
    const expected = new Set([...u.matches(pattern)].filter((a) => !unused.has(a)));
    const diff = setDiff(u.matchesAny(compact), expected);
    assert.equal(diff, undefined, `"${pattern}" → ${JSON.stringify(compact)}: ${diff}`);
    assert.ok(patternsSize(compact) <= patternsSize(words),
      `compact ${JSON.stringify(compact)} (${patternsSize(compact)}) is larger than words `
        + `${JSON.stringify(words)} (${patternsSize(words)})`);
    for (const c of compact) {
      assert.ok(parseActionPattern(c).ok, `"${c}" is not a valid action pattern`);
      const problem = containmentProblem(c, pattern, u, seed);
      // A compact pattern may reach past the original only where no known action lies: check the known ones.
      if (problem) assert.ok([...u.matches(c)].every((a) => expected.has(a)), problem);
    }
    // Refining the compact form again changes nothing: none of its patterns allows an unused action.
    for (const c of compact) {
      const again = refiner.analyzePattern((parseActionPattern(c) as { ok: true; pattern: never }).pattern);
      assert.equal(again.replacement, undefined, `"${c}" would be refined again`);
    }
  }), { numRuns: runs(500), ...SEEDED });
});

/** A service of the catalogue and a random split of its actions into targets and forbidden ones. */
const splitArb = fc.constantFrom(...universe.services().filter((s) => universe.actionsOf(s).length >= 2).sort())
  .chain((service) => {
    const names = universe.actionsOf(service).map((a) => a.name);
    return fc.tuple(fc.constant(service), fc.constant(names), fc.double({ min: 0.02, max: 0.98, noNaN: true }), fc.nat());
  })
  .map(([service, names, fraction, seed]) => {
    let state = seed || 1;
    const random = (): number => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x80000000;
    };
    const targets: string[] = [];
    const forbidden: string[] = [];
    for (const n of names) (random() < fraction ? forbidden : targets).push(n);
    return { service, targets, forbidden };
  });

test('property: a compact cover of any split of a service matches exactly its targets (oracle regular expressions)', () => {
  fc.assert(fc.property(splitArb, ({ service, targets, forbidden }) => {
    const cover = compactCover(service, targets, forbidden);
    const expressions = cover.map(patternRegExp);
    const matched = (name: string): boolean => expressions.some((re) => re.test(`${service}:${name}`));
    const missed = targets.filter((t) => !matched(t));
    const leaked = forbidden.filter(matched);
    assert.deepEqual(missed, [], `targets not allowed by ${JSON.stringify(cover)}`);
    assert.deepEqual(leaked, [], `forbidden names allowed by ${JSON.stringify(cover)}`);
    // Covering the cover's own targets again gives the same size: it is a fixed point of the search.
    assert.ok(patternsSize(compactCover(service, targets, forbidden)) === patternsSize(cover));
    assert.ok(patternsSize(cover) <= patternsSize(targets.map((t) => `${service}:${t}`)), 'larger than the names themselves');
  }), { numRuns: runs(300), ...SEEDED });
});

test('compact patterns stop inside words, keep a suffix after a star, and merge with ?', () => {
  const names = (...xs: string[]): string[] => xs;
  // GetObject* is unsafe (GetObjectAcl is forbidden); GetO* is not needed past the letter O.
  assert.deepEqual(compactCover('s3', names('GetObjectTagging', 'GetObjectVersionTagging', 'PutObjectTagging', 'PutObjectVersionTagging'),
    names('GetObjectAcl', 'GetObject', 'PutObject', 'PutObjectAcl', 'DeleteObject')), ['s3:*g']);
  // In this small universe a single letter tells each target from everything forbidden.
  assert.deepEqual(compactCover('s3', names('GetBucketAcl', 'ListBuckets'), names('GetBucketPolicy', 'GetObject', 'ListObjects')),
    ['s3:*l', 's3:*ets']);
  assert.deepEqual(compactCover('x', names('ab1', 'ab2'), names('ab3x', 'ab12')), ['x:ab?']);
});
