import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseActionPattern, type ActionPattern } from '../../../shared/src/patterns/actionPattern';
import { testCatalog } from '../../support/catalog';
import { UnusedAccess } from '../../../shared/src/findings/unusedAccess';
import { Refiner } from '../../../shared/src/refine/refiner';
import { refinerFor, unusedFrom, type UnusedSpec } from '../../support/engine';

function pattern(text: string): ActionPattern {
  const parsed = parseActionPattern(text);
  assert.ok(parsed.ok, text);
  return parsed.pattern;
}

function refine(text: string, spec: UnusedSpec): string[] | undefined {
  return refinerFor(spec).analyzePattern(pattern(text)).replacement;
}

test('the article: s3:Get* becomes the shortest safe prefixes, single actions by full name', () => {
  const analysis = refinerFor({
    s3: ['GetBucketLocation', 'GetBucketWebsite', 'GetBucketPolicyStatus', 'GetAccelerateConfiguration', 'GetBucketPolicy',
      'GetBucketRequestPayment', 'GetReplicationConfiguration', 'GetBucketLogging', 'GetBucketObjectLockConfiguration',
      'GetBucketNotification', 'GetLifecycleConfiguration', 'GetAnalyticsConfiguration', 'GetBucketCORS', 'GetInventoryConfiguration',
      'GetBucketPublicAccessBlock', 'GetEncryptionConfiguration', 'GetBucketAcl', 'GetBucketVersioning', 'GetBucketOwnershipControls',
      'GetBucketTagging', 'GetIntelligentTieringConfiguration', 'GetMetricsConfiguration'],
  }).analyzePattern(pattern('s3:Get*'));
  assert.equal(analysis.allowedCount, 63);
  assert.equal(analysis.unused.length, 22);
  assert.deepEqual(analysis.replacement, [
    's3:GetAccess*', 's3:GetAccountPublicAccessBlock',
    // Added to S3 after the article was written; used, so they must stay allowed.
    's3:GetBucketAbac', 's3:GetBucketMetadataTableConfiguration',
    's3:GetDataAccess', 's3:GetJobTagging', 's3:GetMulti*', 's3:GetObject*', 's3:GetStorage*',
  ]);
});

test('a pattern that covers no unused action stays as written', () => {
  assert.equal(refine('lambda:Invoke*', { lambda: ['GetFunction'] }), undefined);
  assert.equal(refine('s3:*Object', { s3: ['GetObjectAcl'] }), undefined);
  assert.equal(refine('s3:NoSuchAction*', { s3: ['GetObject'] }), undefined);
});

test('an explicit unused action is removed, whatever its case', () => {
  assert.deepEqual(refine('lambda:AddPermission', { lambda: ['AddPermission'] }), []);
  assert.deepEqual(refine('LAMBDA:addpermission', { lambda: ['AddPermission'] }), []);
});

test('a node that is itself an action keeps that action by exact name when its children are unsafe', () => {
  assert.deepEqual(refine('s3:GetObj*', { s3: ['GetObjectAcl'] }), [
    's3:GetObject', 's3:GetObjectAnnotation', 's3:GetObjectAttributes', 's3:GetObjectLegalHold', 's3:GetObjectRetention',
    's3:GetObjectTagging', 's3:GetObjectTorrent', 's3:GetObjectVersion*',
  ]);
});

test('infix wildcards: a prefix is used only where everything under it keeps the pattern\'s shape', () => {
  assert.deepEqual(refine('s3:*Object*', { s3: ['GetObjectAcl'] }), [
    's3:CreateAccessPointForObjectLambda', 's3:DeleteAccessPointForObjectLambda', 's3:DeleteAccessPointPolicyForObjectLambda',
    's3:DeleteObject*', 's3:GetAccessPointConfigurationForObjectLambda', 's3:GetAccessPointForObjectLambda',
    's3:GetAccessPointPolicyForObjectLambda', 's3:GetAccessPointPolicyStatusForObjectLambda', 's3:GetBucketObjectLockConfiguration',
    's3:GetObject', 's3:GetObjectAnnotation', 's3:GetObjectAttributes', 's3:GetObjectLegalHold', 's3:GetObjectRetention',
    's3:GetObjectTagging', 's3:GetObjectTorrent', 's3:GetObjectVersion*', 's3:ListAccessPointsForObjectLambda', 's3:ListObject*',
    's3:ObjectOwnerOverrideToBucketOwner', 's3:PutAccessPointConfigurationForObjectLambda', 's3:PutAccessPointPolicyForObjectLambda',
    's3:PutBucketObjectLockConfiguration', 's3:PutObject*', 's3:ReplicateObject*', 's3:RestoreObject', 's3:UpdateObjectEncryption',
  ]);
  // Without a trailing star no prefix is safe: s3:GetObject* would add s3:GetObjectAcl.
  assert.deepEqual(refine('s3:*Object', { s3: ['PutObject'] }), [
    's3:DeleteObject', 's3:GetObject', 's3:ReplicateObject', 's3:RestoreObject',
  ]);
});

test('? matches exactly one character', () => {
  assert.deepEqual(refine('s3:GetObjectVersion?cl', { s3: ['GetObjectVersionAcl'] }), []);
  assert.deepEqual(refine('s3:GetObject?*', { s3: ['GetObjectAcl'] }), [
    's3:GetObjectAnnotation', 's3:GetObjectAttributes', 's3:GetObjectLegalHold', 's3:GetObjectRetention',
    's3:GetObjectTagging', 's3:GetObjectTorrent', 's3:GetObjectVersion*',
  ]);
});

test('service-wide s3:* keeps every other S3 action through top-level prefixes', () => {
  const replacement = refine('s3:*', { s3: ['GetObject', 'PutObject'] })!;
  assert.ok(replacement.includes('s3:Create*'));
  assert.ok(replacement.includes('s3:GetObjectAcl'));
  assert.ok(replacement.includes('s3:PutObjectAcl'));
  assert.ok(!replacement.some((p) => /^s3:(GetObject|PutObject|Get|Put)\*?$/i.test(p)), replacement.join());
});

test('the global * becomes svc:* for every untouched service and refines the others', () => {
  const analysis = refinerFor({ sqs: '*', s3: ['GetObject'] }).analyzePattern(pattern('*'));
  const replacement = analysis.replacement!;
  const catalog = testCatalog();
  const services = [...catalog.services()];
  assert.equal(analysis.allowedCount, services.reduce((n, s) => n + catalog.actionCount(s), 0));
  for (const service of services.filter((s) => s !== 'sqs' && s !== 's3')) assert.ok(replacement.includes(`${service}:*`), service);
  assert.ok(!replacement.some((p) => p.startsWith('sqs:')));
  assert.ok(!replacement.includes('s3:*') && replacement.includes('s3:GetObjectAcl') && !replacement.includes('s3:GetObject'));
});

test('actions the catalogue does not know yet still block a wildcard', () => {
  assert.deepEqual(refine('s3:GetObject*', { s3: ['GetObjectFutureThing'] }), [
    's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectAnnotation', 's3:GetObjectAttributes', 's3:GetObjectLegalHold',
    's3:GetObjectRetention', 's3:GetObjectTagging', 's3:GetObjectTorrent', 's3:GetObjectVersion*',
  ]);
});

test('a whole unused service removes every pattern of it, even one that matches no known action', () => {
  assert.deepEqual(refine('sqs:*', { sqs: '*' }), []);
  assert.deepEqual(refine('sqs:Send*', { sqs: '*' }), []);
  const future = refinerFor({ sqs: '*' }).analyzePattern(pattern('sqs:FutureThing*'));
  assert.deepEqual(future.replacement, []);
  assert.equal(future.wholeServiceUnused, true);
});

test('wildcards in the service part refine each service they reach', () => {
  const replacement = refine('s*:Get*', { s3: ['GetObject'] })!;
  assert.ok(replacement.includes('sqs:Get*'));
  assert.ok(replacement.includes('s3-outposts:Get*'));
  assert.ok(replacement.includes('s3:GetObjectAcl') && !replacement.includes('s3:GetObject'));
  assert.ok(replacement.every((p) => /^s[^:]*:Get/i.test(p)), replacement.join());
});

test('NotAction grows by the shortest unused-only prefixes it does not already exclude', () => {
  const analysis = refinerFor({ s3: ['GetObject', 'GetObjectAcl', 'GetObjectTorrent'], sqs: '*', newsvc: '*' })
    .analyzeNotAction([pattern('s3:GetObjectAcl')]);
  assert.deepEqual(analysis.additions, ['newsvc:*', 's3:GetObject', 's3:GetObjectTorrent', 'sqs:*']);
  assert.ok(!analysis.unused.some((u) => u.action.full === 's3:GetObjectAcl'));
  // A node whose every action is unused or excluded goes whole.
  const storage = refinerFor({ s3: ['GetStorageLensConfiguration', 'GetStorageLensConfigurationTagging', 'GetStorageLensDashboard'] })
    .analyzeNotAction([pattern('s3:GetStorageLensGroup')]);
  assert.deepEqual(storage.additions, ['s3:GetStorage*']);
  // Nothing to add when everything unused is excluded already.
  assert.deepEqual(refinerFor({ s3: ['GetObject'] }).analyzeNotAction([pattern('s3:*')]).additions, []);
});

test('a word-prefix is not a string prefix: kms:ListKey* would also allow the unused kms:ListKeys', () => {
  const replacement = refine('kms:List*', { kms: ['ListKeys'] })!;
  assert.ok(!replacement.includes('kms:ListKey*'), replacement.join());
  assert.deepEqual(replacement.filter((p) => p.startsWith('kms:ListKey')), ['kms:ListKeyPolicies', 'kms:ListKeyRotations']);
  // The mirror image: excluding the unused ListKeyPolicies and ListKeyRotations must not exclude ListKeys.
  const notAction = refinerFor({ kms: ['ListKeyPolicies', 'ListKeyRotations'] }).analyzeNotAction([pattern('iam:*')]);
  assert.deepEqual(notAction.additions, ['kms:ListKeyPolicies', 'kms:ListKeyRotations']);
});

test('an action another principal\'s findings name stays a real action after the intersection drops its verdict', () => {
  const unused = UnusedAccess.intersect([
    unusedFrom({ dynamodb: ['PartiQLDelete'] }), unusedFrom({ dynamodb: ['PartiQLDelete', 'PartNewThing42'] }),
  ]);
  const analysis = new Refiner(testCatalog(), unused).analyzePattern(pattern('dynamodb:Part*'));
  // PartNewThing42 is used by the first principal: it must stay allowed, so no exact-name list may replace Part*.
  assert.deepEqual(analysis.replacement, [
    'dynamodb:PartiQLInsert', 'dynamodb:PartiQLSelect', 'dynamodb:PartiQLUpdate', 'dynamodb:PartNewThing42',
  ]);
});

test('warm-up: the same analyses in steps, a batch of names per step; nothing left to do afterwards', () => {
  // 50,000 names the catalogue does not know: the trie takes them in several batches.
  const madeUp = Array.from({ length: 50_000 }, (_, i) => `GetMadeUp${i.toString(36)}`);
  const spec = { s3: [...madeUp, 'GetObjectAcl'] };
  const patterns = ['s3:Get*', 's3:*Object*', 's3:Get?ucket*', 's3:GetObject*'].map(pattern);
  const warmed = refinerFor(spec);
  const steps = [...warmed.warmUp(patterns)].length;
  // Without the made-up names: S3's unused names, then one step per pattern. With them, the trie
  // of 50,000 names takes several steps more.
  assert.equal([...refinerFor({ s3: ['GetObjectAcl'] }).warmUp(patterns)].length, 1 + patterns.length);
  assert.ok(steps >= 1 + patterns.length + 5, `${steps} steps`);
  assert.equal([...warmed.warmUp(patterns)].length, 0);
  const cold = refinerFor(spec);
  for (const p of patterns) assert.deepEqual(warmed.analyzePattern(p), cold.analyzePattern(p), p.text);
  assert.equal(warmed.analyzePattern(pattern('s3:Get*')).allowedCount, cold.analyzePattern(pattern('s3:Get*')).allowedCount);
});

test('warm-up of findings the catalogue knows: no trie to build, a step per pattern', () => {
  const warmed = refinerFor({ s3: ['GetObjectAcl'], iam: ['PassRole'] });
  const patterns = ['s3:Get*', 'iam:*', 's3:Get*', 'ec2:Describe*'].map(pattern);
  // Catalogue tries are shared; the unused names of s3 and iam, then the three distinct patterns.
  assert.equal([...warmed.warmUp(patterns)].length, 2 + 3);
  assert.deepEqual(warmed.analyzePattern(pattern('iam:*')).replacement, refine('iam:*', { s3: ['GetObjectAcl'], iam: ['PassRole'] }));
});

test('warm-up interrupted by an analysis that needs the trie at once: the same answers, and the rest of the steps do no harm', () => {
  const madeUp = Array.from({ length: 50_000 }, (_, i) => `GetMadeUp${i.toString(36)}`);
  const spec = { s3: [...madeUp, 'GetObjectAcl'] };
  const patterns = ['s3:Get*', 's3:*Object*'].map(pattern);
  const cold = refinerFor(spec);
  for (const stop of [2, 6]) {
    const warmed = refinerFor(spec);
    const steps = warmed.warmUp(patterns);
    for (let i = 0; i < stop; i++) steps.next();
    assert.deepEqual(warmed.analyzePattern(patterns[1]!), cold.analyzePattern(patterns[1]!), `after ${stop} steps`);
    while (!steps.next().done);
    for (const p of patterns) assert.deepEqual(warmed.analyzePattern(p), cold.analyzePattern(p), `${p.text} after ${stop} steps`);
  }
});
