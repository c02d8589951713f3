import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testCatalog } from '../../support/catalog';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { findings, rangeOf, serviceOver } from '../../support/service';

// Findings that cannot be real are said to be so on the findings file, and still honoured.

const S3 = testCatalog().actionCount('s3');
const DATE = testCatalog().date;

const implausible = (path: string, text: string) => {
  const service = serviceOver(memoryFileSystem({ [path]: text, '/ws/policy.json': '{}' }), ['/ws']);
  return service.findingsDiagnostics(path).filter((d) => d.code === 'implausible-findings');
};

test('a service entry naming far more actions than the service has: one warning on the entry', () => {
  const names = Array.from({ length: 1000 }, (_, i) => `GetMadeUp${i}`);
  const text = findings({ s3: names, sqs: ['DeleteQueue'] });
  const [warning, ...rest] = implausible('/ws/unused-access.json', text);
  assert.deepEqual(rest, []);
  assert.deepEqual(warning!.range, rangeOf(text, '"s3"'));
  assert.equal(warning!.severity, 2);
  assert.equal(warning!.message, `These findings cannot be real: this entry names 1,000 s3 actions, and the catalogue (${DATE}) `
    + `knows ${S3}. They are still honoured, so no wildcard lets these names through.`);
});

test('a plausible file gets no such warning, and names that are not action names are the parser\'s errors', () => {
  assert.deepEqual(implausible('/ws/unused-access.json', findings({ s3: ['GetObject', 'PutObject'] })), []);
  const service = serviceOver(memoryFileSystem({ '/ws/unused-access.json': findings({ s3: ['GetObject', 'Get Object'] }) }), ['/ws']);
  assert.deepEqual(service.findingsDiagnostics('/ws/unused-access.json').filter((d) => d.code !== 'unmatched-findings')
    .map((d) => [d.code, d.message]), [
    ['findings-action', '"Get Object" is not an action name: only letters, digits, - and _ may appear'],
  ]);
});
