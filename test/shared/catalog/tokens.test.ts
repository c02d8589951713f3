import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitTokens } from '../../../shared/src/catalog/tokens';
import { testCatalog } from '../../support/catalog';

test('splits CamelCase words, keeping acronym and digit runs whole', () => {
  assert.deepEqual(splitTokens('GetBucketCORS'), ['Get', 'Bucket', 'CORS']);
  assert.deepEqual(splitTokens('GetHLSStreamingSessionURL'), ['Get', 'HLS', 'Streaming', 'Session', 'URL']);
  assert.deepEqual(splitTokens('ListBucketsV2'), ['List', 'Buckets', 'V', '2']);
  assert.deepEqual(splitTokens('DescribeDBInstances'), ['Describe', 'DB', 'Instances']);
  assert.deepEqual(splitTokens('Ec2InstanceConnect'), ['Ec', '2', 'Instance', 'Connect']);
  assert.deepEqual(splitTokens('describe-things_now'), ['describe', '-', 'things', '_', 'now']);
});

test('every catalogue action name is exactly the concatenation of its tokens', () => {
  const catalog = testCatalog();
  let checked = 0;
  for (const service of catalog.services()) {
    for (const action of catalog.actions(service)) {
      assert.equal(action.tokens.join(''), action.name, action.full);
      checked++;
    }
  }
  assert.ok(checked > 20000, `checked ${checked} actions`);
});
