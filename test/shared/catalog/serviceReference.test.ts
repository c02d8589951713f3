import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Catalog } from '../../../shared/src/catalog/catalog';
import {
  describeCatalog, LIVE_CATALOG_FORMAT, type LiveCatalogData, uniteCatalogs, validateLiveCatalog,
} from '../../../shared/src/catalog/liveCatalog';
import { parseServiceFile, parseServiceIndex, ServiceReferenceError } from '../../../shared/src/catalog/serviceReference';

const props = (p: Record<string, boolean>): unknown => ({
  Properties: { IsList: false, IsPermissionManagement: false, IsTaggingOnly: false, IsWrite: false, ...p },
});

test('a service file gives each action its access level from Annotations.Properties', () => {
  const text = JSON.stringify({
    Name: 'demo',
    Actions: [
      { Name: 'GetThing', Annotations: props({}) },
      { Name: 'ListThings', Annotations: props({ IsList: true }) },
      { Name: 'PutThing', Annotations: props({ IsWrite: true }) },
      { Name: 'TagThing', Annotations: props({ IsTaggingOnly: true, IsWrite: true }) },
      { Name: 'PutThingPolicy', Annotations: props({ IsPermissionManagement: true, IsWrite: true }) },
      { Name: 'DescribeThing' },
    ],
    Resources: [{ Name: 'thing' }],
    ConditionKeys: [],
    Version: 'v1.4',
  });
  assert.deepEqual(parseServiceFile(text, 'demo'), {
    prefix: 'demo',
    version: 'v1.4',
    actions: [
      ['GetThing', 'R'], ['ListThings', 'L'], ['PutThing', 'W'], ['TagThing', 'TW'], ['PutThingPolicy', 'PW'], ['DescribeThing', 'R'],
    ],
  });
});

test('a file that is not a service reference is refused with what is wrong', () => {
  const bad: [string, RegExp][] = [
    ['{"Name":"demo","Act', /the service file of "demo" is not JSON/],
    ['[]', /is not a JSON object/],
    ['{"Name":"other","Actions":[]}', /names itself "other", not "demo"/],
    ['{"Name":"demo"}', /has no "Actions" list/],
    ['{"Name":"demo","Actions":[{"Name":"Get Thing"}]}', /action 1 has no valid "Name"/],
    ['{"Name":"demo","Actions":[{"Name":"GetThing"},{"Name":"getthing"}]}', /lists the action "getthing" twice/],
    ['{"Name":"demo","Actions":[{"Name":"GetThing","Annotations":{"Properties":{"IsWrite":"yes"}}}]}', /"IsWrite" is not true or false/],
    ['{"Name":"demo","Actions":[],"Resources":{}}', /"Resources" is not a list/],
  ];
  for (const [text, message] of bad) {
    assert.throws(() => parseServiceFile(text, 'demo'), (e: unknown) => e instanceof ServiceReferenceError && message.test(e.message));
  }
});

test('the index lists services with their URLs; a malformed index is refused', () => {
  assert.deepEqual(parseServiceIndex('[{"service":"S3","url":"https://x/v1/s3/s3.json"}]'), [{ service: 's3', url: 'https://x/v1/s3/s3.json' }]);
  assert.throws(() => parseServiceIndex('{"services":[]}'), /not a JSON list/);
  assert.throws(() => parseServiceIndex('[{"service":"s3"}]'), /entry 1 has no "service" and "url"/);
  assert.throws(() => parseServiceIndex('[{"service":"s3","url":"a"},{"service":"s3","url":"b"}]'), /names "s3" twice/);
  assert.throws(() => parseServiceIndex('[{"service":"../etc","url":"a"}]'), /no service prefix/);
});

const bundled = new Catalog(
  { source: 'bundle', version: '1', updatedAt: '2026-09-26T00:00:00Z', services: { demo: ['Demo', 'GetThing:R,PutThing:W'] } },
  () => ({ services: { demo: ['Reads a thing', 'Writes a thing'] } }),
);

function live(services: LiveCatalogData['services']): LiveCatalogData {
  return {
    format: LIVE_CATALOG_FORMAT, url: 'http://mirror/', checkedAt: '2026-12-04T10:00:00Z',
    index: { entries: Object.entries(services).map(([service, s]) => ({ service, url: s.url })) }, services,
  };
}

test('the catalogue in use knows what either catalogue knows, keeping the bundled titles, levels and descriptions', () => {
  const united = uniteCatalogs(bundled, live({
    demo: { url: 'http://mirror/demo', actions: 'GetThing:L,GetThingShape:R', added: { GetThingShape: ['2026-11-01', '2026-11-20'] } },
    fresh: { url: 'http://mirror/fresh', actions: 'DoIt:W' },
  }));
  assert.deepEqual(united.actions('demo').map((a) => `${a.full}:${a.levels.join('')}`),
    ['demo:GetThing:Read', 'demo:PutThing:Write', 'demo:GetThingShape:Read']);
  assert.equal(united.describe(united.lookup('demo', 'PutThing')!), 'Writes a thing');
  assert.equal(united.describe(united.lookup('demo', 'GetThingShape')!), undefined);
  assert.equal(united.serviceTitle('demo'), 'Demo');
  assert.equal(united.lookup('fresh', 'doit')?.full, 'fresh:DoIt');
  assert.equal(united.date, '2026-12-04');
  assert.deepEqual(united.addedBetween(united.lookup('demo', 'GetThingShape')!), ['2026-11-01', '2026-11-20']);
  // Not dated by the update: absent from the bundled catalogue, present on the day of the check.
  assert.deepEqual(united.addedBetween(united.lookup('fresh', 'DoIt')!), ['2026-09-26', '2026-12-04']);
  assert.equal(united.addedBetween(united.lookup('demo', 'GetThing')!), undefined);
  assert.equal(describeCatalog(united), '2026-12-04 (bundle 2026-09-26 + AWS service reference 2026-12-04)');
  assert.deepEqual(united.sources().map((s) => [s.name, s.services, s.actions]), [['bundle', 1, 2], ['AWS service reference', 2, 3]]);
});

test('a cache file that is not whole is refused', () => {
  const good = live({ demo: { url: 'u', actions: 'GetThing:R' } });
  assert.equal(validateLiveCatalog(JSON.parse(JSON.stringify(good))).url, 'http://mirror/');
  assert.throws(() => validateLiveCatalog({ ...good, format: 2 }), /not a catalogue cache/);
  assert.throws(() => validateLiveCatalog({ ...good, services: {} }), /lacks a service its index names/);
  assert.throws(() => validateLiveCatalog({ ...good, services: { demo: { url: 'u' } } }), /"demo" is incomplete/);
});
