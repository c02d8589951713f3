import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestNames, distanceLimit, editDistance } from '../../../shared/src/text/closest';

// "Did you mean …?": which known names are offered for a misspelt one, and in which order.

test('the distance counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
  assert.equal(editDistance('getobject', 'getobject'), 0);
  assert.equal(editDistance('getobjekt', 'getobject'), 1);
  assert.equal(editDistance('getobjcet', 'getobject'), 1);
  assert.equal(editDistance('getobjet', 'getobject'), 1);
  assert.equal(editDistance('getobjectt', 'getobject'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  // Past the limit only "more than the limit" is known.
  assert.equal(editDistance('getobject', 'putbucketpolicy', 2), 3);
  assert.equal(editDistance('a', 'abcdef', 2), 3);
});

test('a suggestion is at most 3 edits away and fewer than half the name, but one edit is allowed from two characters', () => {
  assert.deepEqual(['s', 's4', 'sqs', 'iam:', 'GetObj', 'GetObjekt', 'DescribeInstances'].map(distanceLimit), [0, 1, 1, 1, 2, 3, 3]);
});

test('the closest names, case-insensitively, nearest first, at most three, as the catalogue spells them', () => {
  const names = ['GetObject', 'GetObjectAcl', 'PutObject', 'GetBucketAcl', 'DeleteObject', 'ListBucket'];
  assert.deepEqual(closestNames('GetObjekt', names), ['GetObject', 'PutObject']);
  assert.deepEqual(closestNames('GetObjectAc', names), ['GetObjectAcl', 'GetObject']);
  assert.deepEqual(closestNames('getobjekt', names), ['GetObject', 'PutObject']);
  assert.deepEqual(closestNames('GETOBJECTACL', ['GetObjectAcl', 'GetObjectTagging']), []);
  assert.deepEqual(closestNames('GetObjekt', names, 1), ['GetObject']);
  // Nothing near: no guess rather than a wild one.
  assert.deepEqual(closestNames('Zzzzzzzzz', names), []);
  assert.deepEqual(closestNames('x', ['y', 'xy']), []);
});

test('equally near names that begin as the typed one come first, then in alphabetical order; duplicates count once', () => {
  assert.deepEqual(closestNames('sq', ['mq', 'iq', 'q', 'sqs', 'ssm']), ['sqs', 'iq', 'mq']);
  assert.deepEqual(closestNames('s4', ['ec2', 's3', 'sns', 'S3']), ['s3']);
});
