import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPolicyService } from '../../../server/src/service/policyService';
import { DEFAULT_SETTINGS, readSettings } from '../../../server/src/service/settings';
import { testCatalog } from '../../support/catalog';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { diagnosticsOf, doc, findings, policy, range, serviceOver, unusedActions } from '../../support/service';

// Policy diagnostics in-process: the settings of documents in no folder, clients without related
// information, and syntax errors, which only formats the editor does not check itself get.

const TEXT = policy(['s3:GetObject', 's3:GetBucketAcl', 's3:GetBucketCORS']);

test('documents in no folder follow the settings given for them, folders their own', () => {
  const fs = memoryFileSystem({
    '/ws/unused-access.json': findings({ s3: ['GetBucketAcl'] }),
    '/home/repo/.git/': '',
    '/home/repo/unused-access.json': findings({ s3: ['GetBucketAcl'] }),
    '/home/repo/prod.findings.json': findings({ s3: ['GetBucketCORS'] }),
  });
  const service = createPolicyService({ catalog: testCatalog(), fs, cwd: '/nowhere' });
  service.configure({
    folders: [{ path: '/ws', settings: DEFAULT_SETTINGS }],
    settings: readSettings({ findings: { files: ['**/*.findings.json'] }, severity: { 'unused-action': 'error' } }),
  });
  assert.deepEqual(diagnosticsOf(service, doc('/ws/policy.json', TEXT)), unusedActions(TEXT, ['s3:GetBucketAcl']));
  assert.deepEqual(diagnosticsOf(service, doc('/home/repo/policy.json', TEXT)), unusedActions(TEXT, ['s3:GetBucketCORS'], 1));
});

test('a client without related information gets the same diagnostics without links', () => {
  const fs = memoryFileSystem({ '/ws/unused-access.json': findings({ s3: ['GetBucketAcl'] }) });
  const linked = serviceOver(fs, ['/ws']);
  const plain = createPolicyService({ catalog: testCatalog(), fs, cwd: '/nowhere' });
  plain.configure({ folders: [{ path: '/ws', settings: DEFAULT_SETTINGS }], relatedInformation: false });
  const document = doc('/ws/policy.json', TEXT);
  const [withLink] = linked.validate(document).diagnostics;
  assert.deepEqual(withLink?.relatedInformation, [{
    location: { uri: 'file:///ws/unused-access.json', range: range(0, 37, 51) }, message: 'Reported unused here',
  }]);
  const { relatedInformation: _, ...rest } = withLink!;
  assert.deepEqual(plain.validate(document).diagnostics, [rest]);
});

test('a YAML syntax error is reported where it is; JSON\'s are left to the editor, which checks JSON itself', () => {
  const service = serviceOver(memoryFileSystem({ '/ws/unused-access.json': findings({ s3: ['GetBucketAcl'] }) }), ['/ws']);
  const yaml = [
    'Version: "2012-10-17"',
    'Statement:',
    '  - Effect: Allow',
    '    Action:',
    '      - s3:GetObject',
    '      - s3:GetBucketAcl',
    '    Resource: "*"',
    '    Resource: arn:aws:s3:::bucket',
    '',
  ].join('\n');
  assert.deepEqual(diagnosticsOf(service, doc('/ws/policy.yaml', yaml, 1, 'yaml')), [
    { range: range(7, 4, 5), severity: 1, code: 'syntax-error', source: 'iam-policy-refiner', message: 'Map keys must be unique' },
    {
      range: range(5, 8, 23), severity: 2, code: 'unused-action', source: 'iam-policy-refiner',
      message: 'Unused action s3:GetBucketAcl: never used in the tracking period. '
        + 'No fix is offered until the syntax error on line 8 is fixed.',
    },
  ]);
  const json = TEXT.replace('"Resource": "*"', '"Resource": "*",\n      "Resource": "*" "x"');
  assert.equal(service.analyze(doc('/ws/policy.json', json))?.analysis.file.syntaxErrors[0]?.message, 'Expected a comma.');
  // Not reported, but still the reason no fix is offered.
  const blocked = unusedActions(json, ['s3:GetBucketAcl'])
    .map((d) => ({ ...d, message: `${String(d.message)} No fix is offered until the syntax error on line 12 is fixed.` }));
  assert.deepEqual(diagnosticsOf(service, doc('/ws/policy.json', json)), blocked);
});

test('an action two findings files call unused links to where each of them does', () => {
  const fs = memoryFileSystem({
    '/ws/unused-access.json': findings({ s3: ['GetBucketAcl', 'GetBucketCORS'] }),
    '/ws/team.unused-access.json': findings({ s3: ['PutObject', 'GetBucketAcl'] }),
  });
  const [acl, ...rest] = serviceOver(fs, ['/ws']).validate(doc('/ws/policy.json', TEXT)).diagnostics;
  assert.deepEqual(rest, []);
  assert.equal(acl?.message, 'Unused action s3:GetBucketAcl: never used in the tracking period.');
  assert.deepEqual(acl?.relatedInformation, [
    { location: { uri: 'file:///ws/team.unused-access.json', range: range(0, 49, 63) }, message: 'Reported unused here' },
    { location: { uri: 'file:///ws/unused-access.json', range: range(0, 37, 51) }, message: 'Reported unused here' },
  ]);
});
