import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseFindings } from '../../../shared/src/findings/parseFindings';
import { UnusedAccess } from '../../../shared/src/findings/unusedAccess';
import { analyzePolicyText } from '../../../shared/src/formats/json/jsonSource';
import { Refiner } from '../../../shared/src/refine/refiner';
import { applyEdits } from '../../../shared/src/text/textEdit';
import { ARTICLE_REFINED } from '../../support/article';
import { repoRoot, testCatalog } from '../../support/catalog';


test('the article\'s example, from its findings file to the recommended policy', () => {
  const examples = join(repoRoot(), 'examples');
  const findings = parseFindings(readFileSync(join(examples, 'unused-access.json'), 'utf8'));
  assert.deepEqual(findings.problems, []);
  const unused = UnusedAccess.intersect(findings.principals.map((p) => UnusedAccess.fromPrincipal(p)));
  const refiner = new Refiner(testCatalog(), unused);
  const original = readFileSync(join(examples, 'policy.json'), 'utf8');
  const analysis = analyzePolicyText(original, refiner);
  assert.deepEqual(analysis.problems, []);
  const refined = applyEdits(original, analysis.edits);
  assert.equal(refined, ARTICLE_REFINED);
  assert.deepEqual(analyzePolicyText(refined, refiner).edits, [], 'refining again changes nothing');
});
