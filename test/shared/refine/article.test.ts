import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseFindings } from '../../../shared/src/findings/parseFindings';
import { UnusedAccess } from '../../../shared/src/findings/unusedAccess';
import { analyzePolicyText } from '../../../shared/src/policy/analyzePolicyText';
import { Refiner } from '../../../shared/src/refine/refiner';
import { applyEdits } from '../../../shared/src/text/textEdit';
import { repoRoot, testCatalog } from '../../support/catalog';

/** The article's recommended policy, in the original's formatting, plus S3's newer Get actions. */
export const ARTICLE_REFINED = `{
  "Version": "2012-10-17",
  "Statement": [
   {
      "Effect": "Allow",
      "Action": [
        "lambda:Invoke*"
      ],
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:my-lambda"
   },
  {
    "Effect" : "Allow",
    "Action" : [
      "s3:GetAccess*",
      "s3:GetAccountPublicAccessBlock",
      "s3:GetBucketAbac",
      "s3:GetBucketMetadataTableConfiguration",
      "s3:GetDataAccess",
      "s3:GetJobTagging",
      "s3:GetMulti*",
      "s3:GetObject*",
      "s3:GetStorage*",
      "s3:List*"
    ],
    "Resource" : "*"
  }
 ]
}
`;

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
