import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Diagnostic, FileChangeType, type Range, UnregistrationRequest } from 'vscode-languageserver-protocol';
import { repoRoot } from '../../support/catalog';
import { workspace } from '../../support/cli';
import { LspTestClient, uriOf } from '../../support/lspClient';

/** JSON files are watched too: one may become, or stop being, a policy that findings apply to. */
/** Files that may hold policies: JSON and YAML policy files and templates, Terraform. */
const POLICY_WATCHERS = ['**/*.json', '**/*.jsonc', '**/*.yaml', '**/*.yml', '**/*.tf'].map((globPattern) => ({ globPattern }));

// Findings discovery and scoping, findings that change while the editor is open, and the
// diagnostics of the findings files themselves.

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'workspaces');
const SCOPING = join(FIXTURES, 'lsp-scoping');
const FINDINGS_FILES = join(FIXTURES, 'lsp-findings-files');
const CATALOGUE_DATE = '2026-09-26';

const policy = (actions: string[]): string =>
  `${JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }, null, 2)}\n`;
const findings = (spec: Record<string, string[]>): string =>
  JSON.stringify(Object.entries(spec).map(([serviceNamespace, actions]) => ({ serviceNamespace, actions })));

const range = (line: number, from: number, to: number): Range => ({ start: { line, character: from }, end: { line, character: to } });
/** A diagnostic's message as text. */
const says = (d: Diagnostic, what: string): boolean => (typeof d.message === 'string' ? d.message : d.message.value).includes(what);
const seen = (d: Diagnostic) => ({ range: d.range, severity: d.severity, code: d.code, message: d.message });

/** The range of the `nth` occurrence of `needle` in the client's copy of a document. */
function rangeOf(client: LspTestClient, uri: string, needle: string, nth = 0): Range {
  return { start: client.positionOf(uri, needle, 0, nth), end: client.positionOf(uri, needle, needle.length, nth) };
}

/** The unused-action diagnostics a user should see for `actions`, located in the client's copy. */
function unusedActions(
  client: LspTestClient,
  uri: string,
  actions: string[],
  why = 'never used in the tracking period',
): ReturnType<typeof seen>[] {
  return actions.map((action) => ({
    range: rangeOf(client, uri, `"${action}"`), severity: 2, code: 'unused-action', message: `Unused action ${action}: ${why}.`,
  }));
}

const ACTIONS = ['s3:GetObject', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:PutObject'];

/** Registrations the server made and has not taken back, tracked on the client's connection. */
function activeRegistrations(client: LspTestClient): () => { method: string; registerOptions?: unknown }[] {
  const removed = new Set<string>();
  client.connection.onRequest(UnregistrationRequest.type, (params) => {
    for (const r of params.unregisterations) removed.add(r.id);
  });
  return () => (client.registrations as { id?: string; method: string; registerOptions?: unknown }[])
    .filter((r) => r.id === undefined || !removed.has(r.id))
    .map(({ method, registerOptions }) => ({ method, registerOptions }));
}

describe('findings discovery', () => {
  test('findings files are found by scanning the workspace folder, skipping node_modules, .git and dist', async () => {
    const skipped = JSON.stringify({
      appliesTo: ['../*.json', '../../*.json'], findings: [{ serviceNamespace: 's3', actions: ['PutObject'] }],
    });
    const root = workspace({
      'policy.json': policy(ACTIONS),
      'audit/ci.unused-access.json': JSON.stringify({
        appliesTo: ['../*.json'], findings: [{ serviceNamespace: 's3', actions: ['GetBucketAcl', 'GetBucketCORS'] }],
      }),
      // Were any of these read, only actions unused in all of them would count: nothing here.
      'node_modules/pkg/unused-access.json': skipped,
      '.git/unused-access.json': skipped,
      'dist/unused-access.json': skipped,
    });
    const client = await LspTestClient.start([root]);
    try {
      const uri = await client.open(join(root, 'policy.json'));
      assert.deepEqual((await client.diagnostics(uri)).map(seen), unusedActions(client, uri, ['s3:GetBucketAcl', 's3:GetBucketCORS']));
    } finally {
      await client.stop();
    }
  });

  test('the server asks to be told when findings files change', async () => {
    const client = await LspTestClient.start([SCOPING]);
    try {
      const uri = await client.open(join(SCOPING, 'team', 'policy.json'));
      await client.diagnostics(uri);
      const watchers = client.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles');
      assert.deepEqual(watchers.map((r) => r.registerOptions), [
        { watchers: [{ globPattern: '**/unused-access.json' }, { globPattern: '**/*.unused-access.json' }, ...POLICY_WATCHERS] },
      ]);
    } finally {
      await client.stop();
    }
  });

  test('findings.files names the findings files instead of the default names', async () => {
    const root = workspace({
      'policy.json': policy(ACTIONS),
      'prod.findings.json': findings({ s3: ['GetBucketAcl'] }),
      'unused-access.json': findings({ s3: ['GetBucketCORS'] }),
    });
    const client = await LspTestClient.start([root], { findings: { files: ['**/*.findings.json'] } });
    try {
      const uri = await client.open(join(root, 'policy.json'));
      assert.deepEqual((await client.diagnostics(uri)).map(seen), unusedActions(client, uri, ['s3:GetBucketAcl']));
      assert.deepEqual(client.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles').map((r) => r.registerOptions),
        [{ watchers: [{ globPattern: '**/*.findings.json' }, ...POLICY_WATCHERS] }]);
      // unused-access.json is just JSON now: no findings diagnostics (it would be "unmatched" otherwise).
      const plain = await client.open(join(root, 'unused-access.json'));
      assert.deepEqual(await client.diagnostics(plain), []);

      await client.configurationChanged({});
      assert.deepEqual((await client.diagnostics(uri, (d) => d.some((x) => says(x, 'GetBucketCORS')))).map(seen),
        unusedActions(client, uri, ['s3:GetBucketCORS']));
    } finally {
      await client.stop();
    }
  });

  test('when findings.files changes, the old watchers are replaced, not added to', async () => {
    const root = workspace({ 'policy.json': policy(ACTIONS), 'prod.findings.json': findings({ s3: ['GetBucketAcl'] }) });
    const client = await LspTestClient.start([root]);
    const active = activeRegistrations(client);
    try {
      const uri = await client.open(join(root, 'policy.json'));
      assert.deepEqual(await client.diagnostics(uri), []);
      await client.configurationChanged({ findings: { files: ['**/*.findings.json'] } });
      assert.deepEqual((await client.diagnostics(uri, (d) => d.length > 0)).map(seen), unusedActions(client, uri, ['s3:GetBucketAcl']));
      assert.deepEqual(active().filter((r) => r.method === 'workspace/didChangeWatchedFiles'), [
        {
          method: 'workspace/didChangeWatchedFiles',
          registerOptions: { watchers: [{ globPattern: '**/*.findings.json' }, ...POLICY_WATCHERS] },
        },
      ]);
    } finally {
      await client.stop();
    }
  });
});

describe('findings scoping', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start([SCOPING]);
  });

  after(async () => {
    await client.stop();
  });

  test('a findings file applies to the policies in its folder and below, not above or beside it', async () => {
    for (const path of ['team/policy.json', 'team/sub/policy.json']) {
      const uri = await client.open(join(SCOPING, path));
      const diagnostics = await client.diagnostics(uri);
      assert.deepEqual(diagnostics.map(seen), unusedActions(client, uri, ['s3:GetBucketAcl']), path);
      assert.equal(diagnostics[0]!.relatedInformation?.[0]?.location.uri, uriOf(join(SCOPING, 'team', 'unused-access.json')));
    }
    for (const path of ['policy.json', 'other/policy.json']) {
      const uri = await client.open(join(SCOPING, path));
      assert.deepEqual(await client.diagnostics(uri), [], path);
    }
  });

  test('an appliesTo wrapper scopes its findings to the policies its globs match, relative to its own folder', async () => {
    const prod = await client.open(join(SCOPING, 'prod', 'app.json'));
    const diagnostics = await client.diagnostics(prod);
    assert.deepEqual(diagnostics.map(seen), unusedActions(client, prod, ['s3:PutObject']));
    assert.equal(diagnostics[0]!.relatedInformation?.[0]?.location.uri, uriOf(join(SCOPING, 'findings', 'prod.unused-access.json')));
    for (const path of ['prod/nested/app.json', 'staging/app.json']) {
      const uri = await client.open(join(SCOPING, path));
      assert.deepEqual(await client.diagnostics(uri), [], path);
    }
  });

  test('two findings files on one policy: only the actions unused in both are flagged', async () => {
    const uri = await client.open(join(SCOPING, 'shared', 'policy.json'));
    assert.deepEqual((await client.diagnostics(uri)).map(seen), unusedActions(client, uri, ['s3:GetBucketAcl']));
  });

  test('an open findings document counts with its unsaved text; closing it unsaved goes back to the file', async () => {
    // A policy not saved yet, in the findings' folder (every document is opened once per client).
    const policyUri = await client.openUri(uriOf(join(SCOPING, 'team', 'draft.json')), policy(ACTIONS));
    assert.deepEqual((await client.diagnostics(policyUri)).map(seen), unusedActions(client, policyUri, ['s3:GetBucketAcl']));

    const findingsUri = await client.open(join(SCOPING, 'team', 'unused-access.json'));
    await client.change(findingsUri, '[{ "serviceNamespace": "s3", "actions": ["PutObject", "GetBucketCORS"] }]');
    assert.deepEqual((await client.diagnostics(policyUri, (d) => d.some((x) => says(x, 'PutObject')))).map(seen),
      unusedActions(client, policyUri, ['s3:GetBucketCORS', 's3:PutObject']));
    // The related information points into the open document, where the action now is.
    const related = (await client.diagnostics(policyUri))[1]!.relatedInformation?.[0];
    assert.deepEqual(related?.location, { uri: findingsUri, range: rangeOf(client, findingsUri, '"PutObject"') });

    // Half-typed findings: the file reports its syntax error, the policy keeps the last findings that parsed, and says so.
    await client.change(findingsUri, '[{ "serviceNamespace": "s3", "actions": ["PutObject", "GetBucketCORS"');
    assert.deepEqual((await client.diagnostics(findingsUri)).map((d) => d.code), ['findings-json', 'findings-json', 'findings-json']);
    const [stale, ...kept] = (await client.diagnostics(policyUri, (d) => d.some((x) => x.code === 'findings-unreadable'))).map(seen);
    assert.deepEqual([stale!.code, stale!.message], ['findings-unreadable', 'Findings file unused-access.json cannot be read '
      + '(line 1: The text ends too early: expected ] to close the array): '
      + 'its last version that could be read is used until it is fixed.']);
    assert.deepEqual(kept, unusedActions(client, policyUri, ['s3:GetBucketCORS', 's3:PutObject']));

    await client.close(findingsUri);
    assert.deepEqual((await client.diagnostics(policyUri, (d) => d.some((x) => says(x, 'GetBucketAcl')))).map(seen),
      unusedActions(client, policyUri, ['s3:GetBucketAcl']));
  });
});

describe('findings that change on disk during a session', () => {
  test('created, changed, then deleted: the open policy\'s diagnostics follow each step', async () => {
    const root = workspace({ 'policy.json': policy(ACTIONS) });
    const findingsPath = join(root, 'unused-access.json');
    const client = await LspTestClient.start([root]);
    try {
      const uri = await client.open(join(root, 'policy.json'));
      assert.deepEqual(await client.diagnostics(uri), []);

      writeFileSync(findingsPath, findings({ s3: ['GetBucketAcl'] }));
      await client.filesChanged([{ uri: uriOf(findingsPath), type: FileChangeType.Created }]);
      assert.deepEqual((await client.diagnostics(uri, (d) => d.length > 0)).map(seen), unusedActions(client, uri, ['s3:GetBucketAcl']));

      writeFileSync(findingsPath, findings({ s3: ['GetBucketCORS', 'PutObject'] }));
      await client.filesChanged([{ uri: uriOf(findingsPath), type: FileChangeType.Changed }]);
      assert.deepEqual((await client.diagnostics(uri, (d) => d.some((x) => says(x, 'PutObject')))).map(seen),
        unusedActions(client, uri, ['s3:GetBucketCORS', 's3:PutObject']));

      rmSync(findingsPath);
      await client.filesChanged([{ uri: uriOf(findingsPath), type: FileChangeType.Deleted }]);
      assert.deepEqual(await client.diagnostics(uri, (d) => d.length === 0), []);
      assert.equal(client.exitCode, null);
    } finally {
      await client.stop();
    }
  });

  test('broken on disk and never opened: its errors are published for it, the policy says it cannot be read', async () => {
    const root = workspace({ 'policy.json': policy(ACTIONS), 'unused-access.json': '{"findings": [' });
    const findingsPath = join(root, 'unused-access.json');
    const client = await LspTestClient.start([root]);
    try {
      const uri = await client.open(join(root, 'policy.json'));
      const [unreadable, ...rest] = await client.diagnostics(uri, (d) => d.length > 0);
      assert.deepEqual(rest, []);
      assert.deepEqual(seen(unreadable!), {
        range: rangeOf(client, uri, '"Statement"'), severity: 2, code: 'findings-unreadable',
        message: 'Findings file unused-access.json cannot be read (line 1: The text ends too early: expected ] to close the array): '
          + 'nothing from it is treated as unused.',
      });
      const published = await client.diagnostics(uriOf(findingsPath), (d) => d.length > 0);
      assert.deepEqual(published.map((d) => [d.code, d.range.start]), [
        ['findings-json', { line: 0, character: 14 }], ['findings-json', { line: 0, character: 14 }],
      ]);

      // Fixed on disk: its own problems are cleared, and the policy shows what it calls unused.
      writeFileSync(findingsPath, findings({ s3: ['GetBucketAcl'] }));
      await client.filesChanged([{ uri: uriOf(findingsPath), type: FileChangeType.Changed }]);
      assert.deepEqual(await client.diagnostics(uriOf(findingsPath), (d) => d.length === 0), []);
      assert.deepEqual((await client.diagnostics(uri, (d) => d.some((x) => says(x, 'GetBucketAcl')))).map(seen),
        unusedActions(client, uri, ['s3:GetBucketAcl']));
    } finally {
      await client.stop();
    }
  });

  test('two workspace folders, each with its own findings', async () => {
    const first = workspace({ 'policy.json': policy(ACTIONS), 'unused-access.json': findings({ s3: ['GetBucketAcl'] }) });
    const second = workspace({ 'policy.json': policy(ACTIONS), 'unused-access.json': findings({ s3: ['PutObject'] }) });
    const client = await LspTestClient.start([first, second]);
    try {
      const a = await client.open(join(first, 'policy.json'));
      const b = await client.open(join(second, 'policy.json'));
      assert.deepEqual((await client.diagnostics(a)).map(seen), unusedActions(client, a, ['s3:GetBucketAcl']));
      assert.deepEqual((await client.diagnostics(b)).map(seen), unusedActions(client, b, ['s3:PutObject']));

      writeFileSync(join(second, 'unused-access.json'), findings({ s3: ['GetBucketCORS'] }));
      await client.filesChanged([{ uri: uriOf(join(second, 'unused-access.json')), type: FileChangeType.Changed }]);
      assert.deepEqual((await client.diagnostics(b, (d) => d.some((x) => says(x, 'CORS')))).map(seen),
        unusedActions(client, b, ['s3:GetBucketCORS']));
      assert.deepEqual((await client.diagnostics(a)).map(seen), unusedActions(client, a, ['s3:GetBucketAcl']));
    } finally {
      await client.stop();
    }
  });
});

describe('diagnostics of the findings files themselves', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start([FINDINGS_FILES]);
  });

  after(async () => {
    await client.stop();
  });

  const open = async (path: string): Promise<ReturnType<typeof seen>[]> => {
    const uri = await client.open(join(FINDINGS_FILES, path));
    const diagnostics = await client.diagnostics(uri);
    for (const d of diagnostics) assert.equal(d.source, 'iam-policy-refiner');
    return diagnostics.map(seen);
  };

  test('malformed JSON: findings-json errors where the text goes wrong', async () => {
    assert.deepEqual(await open('broken/unused-access.json'), [
      { range: range(1, 58, 59), severity: 1, code: 'findings-json', message: 'Expected a value' },
      { range: range(3, 0, 0), severity: 1, code: 'findings-json', message: 'The text ends too early: expected } to close the object' },
      { range: range(3, 0, 0), severity: 1, code: 'findings-json', message: 'The text ends too early: expected ] to close the array' },
    ]);
  });

  test('JSON of an unknown shape: findings-shape, naming the shapes that are accepted', async () => {
    assert.deepEqual(await open('shape/unused-access.json'), [{
      range: range(0, 0, 36), severity: 1, code: 'findings-shape',
      message: 'This object is not a recognised findings file. Expected one of: a list of {"serviceNamespace", "actions"} entries; '
        + 'an Access Analyzer finding (get-finding-v2 output, with "findingDetails"), a list of them, or {"findings": [...]}; '
        + 'an IAM last-accessed report (get-service-last-accessed-details output, with "ServicesLastAccessed"), a list of them, '
        + 'or {"findings": [...]}; AWS\'s recommendation (get-finding-recommendation or Security Hub\'s GetRecommendedPolicyV2 '
        + 'output) or a list of them; or {"appliesTo": [...], "findings": ...} around any of these',
    }]);
  });

  test('values of the wrong type: findings-type on each, the valid rest still used', async () => {
    assert.deepEqual(await open('types/unused-access.json'), [
      { range: range(1, 24, 25), severity: 1, code: 'findings-type', message: 'serviceNamespace must be a string, found number' },
      { range: range(2, 41, 55), severity: 1, code: 'findings-type', message: 'actions must be an array, found string "GetBucketAcl"' },
      {
        range: range(3, 42, 43), severity: 1, code: 'findings-type',
        message: 'actions[0] must be an action name or an object with an "action" field, found number',
      },
    ]);
    const uri = await client.open(join(FINDINGS_FILES, 'types', 'policy.json'));
    assert.deepEqual((await client.diagnostics(uri)).map(seen), unusedActions(client, uri, ['s3:GetBucketCORS']));
  });

  test('actions and services the catalogue does not know: unknown-action warnings', async () => {
    assert.deepEqual(await open('typos/unused-access.json'), [
      {
        range: range(1, 58, 73), severity: 2, code: 'unknown-action',
        message: `s3:GetBuckettAcl is not in the action catalogue (${CATALOGUE_DATE}): a typo, or an action newer than the catalogue.`,
      },
      {
        range: range(2, 24, 28), severity: 2, code: 'unknown-action',
        message: `Service "s4" is not in the action catalogue (${CATALOGUE_DATE}): a typo, or a service newer than the catalogue.`,
      },
    ]);
  });

  test('findings that apply to no policy in the workspace: unmatched-findings', async () => {
    assert.deepEqual(await open('orphan/unused-access.json'), [{
      range: range(0, 0, 1), severity: 2, code: 'unmatched-findings',
      message: 'These findings apply to no policy in the workspace: no IAM policy sits in its folder or below.',
    }]);
  });

  test('unmatched findings with appliesTo: the diagnostic is on the first glob and says what did not match', async () => {
    assert.deepEqual(await open('scoped/unused-access.json'), [{
      range: range(1, 16, 29), severity: 2, code: 'unmatched-findings',
      message: 'These findings apply to no policy in the workspace: no IAM policy matches its "appliesTo" globs.',
    }]);
  });

  test('a policy that exists only in the editor counts: its findings are no longer reported as unmatched', async () => {
    const root = workspace({ 'drafts/unused-access.json': findings({ s3: ['GetBucketAcl'] }), 'drafts/new.json': '{}\n' });
    const local = await LspTestClient.start([root]);
    try {
      const findingsUri = await local.open(join(root, 'drafts', 'unused-access.json'));
      assert.deepEqual((await local.diagnostics(findingsUri)).map((d) => d.code), ['unmatched-findings']);
      const draft = await local.open(join(root, 'drafts', 'new.json'));
      await local.change(draft, policy(['s3:GetObject', 's3:GetBucketAcl']));
      assert.deepEqual((await local.diagnostics(draft)).map(seen), unusedActions(local, draft, ['s3:GetBucketAcl']));
      assert.deepEqual(await local.diagnostics(findingsUri, (d) => d.length === 0, 4000), []);
    } finally {
      await local.stop();
    }
  });

  test('findings severities are configurable: unknown-action as an error, unmatched-findings off', async () => {
    const local = await LspTestClient.start([FINDINGS_FILES], { severity: { 'unknown-action': 'error', 'unmatched-findings': 'off' } });
    try {
      const typos = await local.open(join(FINDINGS_FILES, 'typos', 'unused-access.json'));
      assert.deepEqual((await local.diagnostics(typos)).map((d) => [d.code, d.severity]), [['unknown-action', 1], ['unknown-action', 1]]);
      const orphan = await local.open(join(FINDINGS_FILES, 'orphan', 'unused-access.json'));
      assert.deepEqual(await local.diagnostics(orphan), []);
    } finally {
      await local.stop();
    }
  });
});
