import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Catalog } from '../../../shared/src/catalog/catalog';
import { testCatalog } from '../../support/catalog';

test('the bundled catalogue knows the article\'s actions, case-insensitively, with levels and descriptions', () => {
  const catalog = testCatalog();
  const action = catalog.lookup('S3', 'getobject');
  assert.equal(action?.full, 's3:GetObject');
  assert.deepEqual(action?.levels, ['Read']);
  assert.match(catalog.describe(action!) ?? '', /^Grants permission to retrieve objects from Amazon S3/);
  assert.equal(catalog.actions('s3').filter((a) => a.name.startsWith('Get')).length, 63);
  assert.equal(catalog.actionCount('s3'), catalog.actions('s3').length);
  assert.equal(catalog.serviceTitle('s3'), 'Amazon S3');
  assert.match(catalog.date, /^\d{4}-\d{2}-\d{2}$/);
});

test('actions with two access levels keep both', () => {
  assert.deepEqual(testCatalog().lookup('s3', 'PutObjectTagging')?.levels, ['Tagging', 'Write']);
  assert.deepEqual(testCatalog().lookup('iam', 'AttachRolePolicy')?.levels, ['Permissions management', 'Write']);
});

test('unknown services and actions are absent, not errors', () => {
  const catalog = testCatalog();
  assert.equal(catalog.lookup('s3', 'NoSuchAction'), undefined);
  assert.equal(catalog.lookup('nosuchservice', 'GetObject'), undefined);
  assert.deepEqual(catalog.actions('nosuchservice'), []);
  assert.equal(catalog.actionCount('nosuchservice'), 0);
});

test('descriptions are loaded on the first request only, and once', () => {
  let loads = 0;
  const catalog = new Catalog(
    { source: 'test', version: '1', updatedAt: '2026-01-02T00:00:00Z', services: { demo: ['Demo', 'GetThing:R,PutThing:TW'] } },
    () => {
      loads++;
      return { services: { demo: ['Reads a thing', 'Writes a thing'] } };
    },
  );
  assert.equal(loads, 0);
  const put = catalog.lookup('demo', 'PutThing')!;
  assert.deepEqual(put.levels, ['Tagging', 'Write']);
  assert.equal(catalog.describe(put), 'Writes a thing');
  assert.equal(catalog.describe(catalog.lookup('demo', 'GetThing')!), 'Reads a thing');
  assert.equal(loads, 1);
  assert.equal(catalog.date, '2026-01-02');
});
