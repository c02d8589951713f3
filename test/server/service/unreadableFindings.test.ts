import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { diagnosticsOf, doc, findings, hoverText, NEVER, offsetOf, policy, range, serviceOver, unusedActions } from '../../support/service';

// A findings file that cannot be read never reads as "nothing unused": every policy it applies to
// says so, and so do the hover and the document summary behind the status bar.

const POLICY = policy(['s3:GetObject', 's3:PutObject']);
const GOOD = findings({ s3: ['GetObject'] });
// The anchor of a standalone policy: its `Statement` key.
const ANCHOR = { range: range(2, 2, 13), severity: 2, code: 'findings-unreadable', source: 'iam-policy-refiner' };

const unreadable = (reason: string, consequence = 'nothing from it is treated as unused'): typeof ANCHOR & { message: string } =>
  ({ ...ANCHOR, message: `Findings file unused-access.json cannot be read (${reason}): ${consequence}.` });

describe('a findings file that cannot be read', () => {
  test('not JSON on disk: one diagnostic on the policy naming the file and its first error, no unused action', () => {
    const fs = memoryFileSystem({ '/ws/policy.json': POLICY, '/ws/unused-access.json': '[{"serviceNamespace": "s3",, }]' });
    const service = serviceOver(fs, ['/ws']);
    const document = doc('/ws/policy.json', POLICY);
    assert.deepEqual(diagnosticsOf(service, document), [unreadable('line 1: Expected a property name in double quotes')]);
    const [diagnostic] = service.validate(document).diagnostics;
    assert.deepEqual(diagnostic!.relatedInformation, [{
      location: { uri: 'file:///ws/unused-access.json', range: range(0, 27, 27) }, message: 'Cannot be read here',
    }]);
  });

  test('JSON of no known shape: the same, with what is wrong with it', () => {
    const fs = memoryFileSystem({ '/ws/policy.json': POLICY, '/ws/unused-access.json': '{"hello": "world"}' });
    const [only, ...rest] = diagnosticsOf(serviceOver(fs, ['/ws']), doc('/ws/policy.json', POLICY));
    assert.deepEqual(rest, []);
    assert.equal(only!.code, 'findings-unreadable');
    const notFindings = /^Findings file unused-access\.json cannot be read \(line 1: This object is not a recognised findings file/;
    assert.match(String(only!.message), notFindings);
    assert.match(String(only!.message), /: nothing from it is treated as unused\.$/);
  });

  test('the hover and the summary say so, never "in use" or "0 unused" alone', () => {
    const fs = memoryFileSystem({ '/ws/policy.json': POLICY, '/ws/unused-access.json': 'not json' });
    const service = serviceOver(fs, ['/ws']);
    const document = doc('/ws/policy.json', POLICY);
    const hover = hoverText(service, document, offsetOf(POLICY, 's3:GetObject'))!;
    const lines = hover.split('\n\n');
    const warning = /^\*\*⚠ Findings file unused-access\.json cannot be read \(line 1: .*\): nothing from it is treated as unused\.\*\*$/;
    assert.match(lines[0]!, warning);
    assert.ok(lines.includes('In use: the findings that can be read do not call it unused.'), hover);
    assert.match(lines.at(-1)!, /^_Findings: unused-access\.json \(cannot be read\) · action catalogue of /);
    const summary = service.documentSummary(service.analyze(document));
    assert.equal(summary.unusedActions, 0);
    assert.match(summary.findings[0]!.unreadable ?? '', /^line 1: /);
  });

  test('broken on disk after it was read: the old findings are not kept, the policy says why', () => {
    const fs = memoryFileSystem({ '/ws/policy.json': POLICY, '/ws/unused-access.json': GOOD });
    const service = serviceOver(fs, ['/ws']);
    assert.deepEqual(diagnosticsOf(service, doc('/ws/policy.json', POLICY, 1)), unusedActions(POLICY, ['s3:GetObject']));
    fs.write('/ws/unused-access.json', '');
    service.filesChanged([{ path: '/ws/unused-access.json', deleted: false }]);
    const [empty, ...rest] = diagnosticsOf(service, doc('/ws/policy.json', POLICY, 2));
    assert.deepEqual(rest, []);
    assert.deepEqual({ ...empty, message: '' }, { ...ANCHOR, message: '' });
    const emptyFile = /^Findings file unused-access\.json cannot be read \(line 1: The findings file is empty\. .*\): nothing from it/;
    assert.match(String(empty!.message), emptyFile);
    fs.write('/ws/unused-access.json', GOOD);
    service.filesChanged([{ path: '/ws/unused-access.json', deleted: false }]);
    assert.deepEqual(diagnosticsOf(service, doc('/ws/policy.json', POLICY, 3)), unusedActions(POLICY, ['s3:GetObject']));
  });

  test('open and being edited: its last readable version stands in, and the policy says that too', () => {
    const fs = memoryFileSystem({ '/ws/policy.json': POLICY, '/ws/unused-access.json': GOOD });
    const service = serviceOver(fs, ['/ws']);
    service.findingsOpened('/ws/unused-access.json', GOOD);
    service.findingsOpened('/ws/unused-access.json', GOOD.slice(0, -2));
    const stale = 'its last version that could be read is used until it is fixed';
    const seen = diagnosticsOf(service, doc('/ws/policy.json', POLICY, 2));
    assert.deepEqual(seen.map((d) => d.code), ['findings-unreadable', 'unused-action']);
    assert.match(String(seen[0]!.message), new RegExp(`^Findings file unused-access\\.json cannot be read \\(line 1: .*\\): ${stale}\\.$`));
    assert.deepEqual(seen[1]!.message, `Unused action s3:GetObject: ${NEVER}.`);
  });
});
