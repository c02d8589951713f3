import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, Range, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { ARTICLE_REFINED } from '../../support/article';
import { repoRoot, testCatalog } from '../../support/catalog';
import { workspace } from '../../support/cli';
import { LspTestClient, uriOf } from '../../support/lspClient';

// What editors really send: half-typed JSON, huge documents and findings, CRLF, a byte-order mark,
// non-ASCII text, bursts of changes and requests that lag behind them. The server must answer
// correctly, never crash, and log no error for any of it.

const ARTICLE = join(repoRoot(), 'test', 'fixtures', 'workspaces', 'article');
const ARTICLE_POLICY = readFileSync(join(ARTICLE, 'policy.json'), 'utf8');
const NEVER = 'never used in the tracking period';

const seen = (d: Diagnostic) => ({ range: d.range, severity: d.severity, code: d.code, message: d.message });
const messages = (ds: Diagnostic[]) => ds.map((d) => d.message);
const everywhere: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const iamSize = (text: string): number => JSON.stringify(JSON.parse(text)).length;
/** Asserts that nothing was logged; on failure, says how much and shows the first message. */
function assertNoLogs(client: LspTestClient): void {
  const refusals = client.logs.filter((l) => l.includes('Refusing a refinement'));
  assert.equal(refusals.length, 0, `${refusals.length} refinements refused, the first: ${refusals[0]}`);
  assert.equal(client.logs.length, 0, `${client.logs.length} messages logged, the first: ${client.logs[0]}`);
}

/** The range of the `nth` occurrence of `needle` in the client's copy of a document. */
function rangeOf(client: LspTestClient, uri: string, needle: string, nth = 0): Range {
  return { start: client.positionOf(uri, needle, 0, nth), end: client.positionOf(uri, needle, needle.length, nth) };
}

/** The article's nine diagnostics, by message. */
const ARTICLE_MESSAGES = [
  'lambda:AddPermission', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration', 'lambda:UpdateFunctionCode',
  'lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:ListVersionsByFunction', 'lambda:GetFunction',
].map((a) => `Unused action ${a}: ${NEVER}.`).concat('s3:Get* allows 22 unused actions (of 63).');

describe('half-typed JSON', () => {
  let client: LspTestClient;
  let uri: string;

  before(async () => {
    client = await LspTestClient.start([ARTICLE]);
    uri = await client.openUri(uriOf(join(ARTICLE, 'typing.json')), '');
  });

  after(async () => {
    await client.stop();
  });

  test('typing the policy one chunk at a time: a publish for every version, no edit while the text does not parse', async () => {
    for (let end = 7; end < ARTICLE_POLICY.length; end += 7) {
      await client.change(uri, ARTICLE_POLICY.slice(0, end));
      const diagnostics = await client.diagnostics(uri);
      for (const d of diagnostics) assert.deepEqual(await client.codeActions(uri, d.range, [d]), [], `at ${end}: ${d.message}`);
      assert.deepEqual(await client.codeActions(uri, everywhere, [], ['source']), [], `fix-all at ${end}`);
    }
    await client.change(uri, ARTICLE_POLICY);
    assert.deepEqual(messages(await client.diagnostics(uri)), ARTICLE_MESSAGES);
    assert.equal((await client.codeActions(uri, everywhere, [], ['source'])).length, 1);
    assert.equal(client.exitCode, null);
  });

  test('cut before the last action: the diagnostics and hovers of what is there, but no code action', async () => {
    const cut = ARTICLE_POLICY.slice(0, ARTICLE_POLICY.indexOf('"s3:List*"'));
    await client.change(uri, cut);
    const diagnostics = await client.diagnostics(uri);
    // Each says why Ctrl+. finds no fix.
    const fixFirst = ' No fix is offered until the syntax error on line 23 is fixed.';
    assert.deepEqual(messages(diagnostics), ARTICLE_MESSAGES.map((m) => `${m}${fixFirst}`));
    assert.deepEqual(diagnostics[8]!.range, rangeOf(client, uri, '"s3:Get*"'));
    assert.equal((await client.hover(uri, client.positionOf(uri, 's3:Get*')))?.split('\n\n')[0],
      '**`s3:Get*`** allows 63 known actions, 22 of them unused.');
    for (const d of diagnostics) assert.deepEqual(await client.codeActions(uri, d.range, [d]), []);
    assert.deepEqual(await client.codeActions(uri, diagnostics[8]!.range, [], ['source', 'refactor', 'quickfix']), []);
  });

  test('text that does not parse is not an error: nothing is logged', () => {
    assertNoLogs(client);
  });
});

describe('size', () => {
  test('a 5 MB policy: diagnostics at its end, a hover, a quick fix with the exact result', async () => {
    const root = workspace({
      'unused-access.json': JSON.stringify([{ serviceNamespace: 's3', actions: ['GetBucketAcl', 'GetBucketCORS'] }]),
    });
    const statements: string[] = [];
    let length = 0;
    for (let i = 0; length < 5 * 1024 * 1024; i++) {
      const statement = `    {\n      "Sid": "Bucket${i}",\n      "Effect": "Allow",\n`
        + `      "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],\n      "Resource": "arn:aws:s3:::bucket-${i}/*"\n    }`;
      statements.push(statement);
      length += statement.length + 2;
    }
    statements.push('    {\n      "Sid": "Settings",\n      "Effect": "Allow",\n'
      + '      "Action": ["s3:GetBucketLocation", "s3:GetBucketAcl"],\n      "Resource": "*"\n    }');
    const text = `{\n  "Version": "2012-10-17",\n  "Statement": [\n${statements.join(',\n')}\n  ]\n}\n`;
    const refined = text.replace('"s3:GetBucketLocation", "s3:GetBucketAcl"]', '"s3:GetBucketLocation"]');
    const size = iamSize(refined).toLocaleString('en-US');

    const client = await LspTestClient.start([root]);
    try {
      const uri = await client.openUri(uriOf(join(root, 'huge.json')), text);
      const diagnostics = await client.diagnostics(uri, undefined, 120000);
      assert.deepEqual(diagnostics.map(seen), [
        // No policy-size: the policy is over the limit already, so the refinement is not what pushes it over.
        {
          range: rangeOf(client, uri, '"s3:GetBucketAcl"'), severity: 2, code: 'unused-action',
          message: `Unused action s3:GetBucketAcl: ${NEVER}.`,
        },
      ]);
      assert.equal((await client.hover(uri, client.positionOf(uri, 's3:GetBucketAcl')))?.split('\n\n')[0],
        '**`s3:GetBucketAcl`** · Amazon S3 · Read');
      const actions = await client.codeActions(uri, diagnostics[0]!.range, [diagnostics[0]!]);
      assert.deepEqual(actions.map((a) => a.title), [
        'Remove unused action s3:GetBucketAcl',
        'Refine this statement: 1 unused action removed',
        `Refine the whole policy: 1 unused action removed (${size} characters: over the 6,144 allowed for a managed policy)`,
      ]);
      assert.equal(await client.apply(actions[0]!), refined);
      assert.deepEqual(await client.diagnostics(uri, undefined, 120000), []);
      assert.equal(client.exitCode, null);
      assertNoLogs(client);
    } finally {
      await client.stop();
    }
  });

  test('a findings file of 100,000 actions (five roles, 20,000 each): exact diagnostics, and the file itself is clean', async () => {
    const catalog = testCatalog();
    const all = [...catalog.services()].flatMap((s) => catalog.actions(s).map((a) => a.full));
    const pool = all.slice(0, 20400);
    // Role r uses the actions at i % 51 === r; whatever all five leave unused counts.
    const roles = [0, 1, 2, 3, 4].map((r) => pool.filter((_, i) => i % 51 !== r));
    assert.deepEqual(roles.map((r) => r.length), [20000, 20000, 20000, 20000, 20000]);
    const unused = new Set(pool.filter((_, i) => i % 51 >= 5));
    const findings = {
      findings: roles.map((actions, r) => {
        const byService = new Map<string, { action: string }[]>();
        for (const a of actions) {
          const service = a.slice(0, a.indexOf(':'));
          byService.set(service, [...(byService.get(service) ?? []), { action: a }]);
        }
        return {
          id: `finding-${r}`, findingType: 'UnusedPermission', resource: `arn:aws:iam::123456789012:role/Role${r}`, status: 'ACTIVE',
          analyzedAt: '2024-07-01T10:00:00+00:00',
          findingDetails: [...byService].map(([serviceNamespace, list]) => ({
            unusedPermissionDetails: { serviceNamespace, actions: list },
          })),
        };
      }),
    };
    // A service wholly inside the pool, big enough to have used and unused actions.
    const service = [...catalog.services()]
      .find((s) => catalog.actions(s).length > 100 && catalog.actions(s).every((a) => pool.includes(a.full)))!;
    const serviceActions = catalog.actions(service).map((a) => a.full);
    const unusedInService = serviceActions.filter((a) => unused.has(a)).length;
    const usedAction = pool[51 * 7]!;
    const unusedAction = pool[51 * 7 + 5]!;
    const root = workspace({
      'unused-access.json': JSON.stringify(findings, null, 1),
      'policy.json': `${JSON.stringify({
        Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [usedAction, unusedAction, `${service}:*`], Resource: '*' }],
      }, null, 2)}\n`,
    });

    const client = await LspTestClient.start([root]);
    try {
      const uri = await client.open(join(root, 'policy.json'));
      const roleNames = 'by roles Role0, Role1, Role2, Role3 and Role4';
      assert.deepEqual((await client.diagnostics(uri, undefined, 120000)).map(seen), [
        {
          range: rangeOf(client, uri, `"${unusedAction}"`), severity: 2, code: 'unused-action',
          message: `Unused action ${unusedAction}: ${NEVER} ${roleNames}.`,
        },
        {
          range: rangeOf(client, uri, `"${service}:*"`), severity: 2, code: 'overbroad-wildcard',
          message: `${service}:* allows ${unusedInService} unused actions (of ${serviceActions.length}).`,
        },
      ]);
      assert.equal((await client.hover(uri, client.positionOf(uri, `${service}:*`)))?.split('\n\n')[0],
        `**\`${service}:*\`** allows ${serviceActions.length} known actions, ${unusedInService} of them unused.`);
      const findingsUri = await client.open(join(root, 'unused-access.json'));
      assert.deepEqual(await client.diagnostics(findingsUri, undefined, 120000), []);
      assert.equal(client.exitCode, null);
      assertNoLogs(client);
    } finally {
      await client.stop();
    }
  });
});

describe('line endings, byte-order mark, non-ASCII text', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start([ARTICLE]);
  });

  after(async () => {
    await client.stop();
  });

  test('CRLF: the same positions as with LF, and the refinement keeps CRLF everywhere', async () => {
    const uri = await client.openUri(uriOf(join(ARTICLE, 'crlf.json')), ARTICLE_POLICY.replace(/\n/g, '\r\n'));
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(messages(diagnostics), ARTICLE_MESSAGES);
    assert.deepEqual(diagnostics[0]!.range, { start: { line: 6, character: 8 }, end: { line: 6, character: 30 } });
    assert.deepEqual(diagnostics[8]!.range, { start: { line: 21, character: 6 }, end: { line: 21, character: 15 } });
    const [fix] = await client.codeActions(uri, diagnostics[0]!.range, [diagnostics[0]!]);
    assert.equal(await client.apply(fix!), ARTICLE_POLICY.replace('        "lambda:AddPermission",\n', '').replace(/\n/g, '\r\n'));
    const [fixAll] = await client.codeActions(uri, everywhere, [], ['source.fixAll']);
    assert.equal(await client.apply(fixAll!), ARTICLE_REFINED.replace(/\n/g, '\r\n'));
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test('a byte-order mark: positions count it as one character, and it stays', async () => {
    const uri = await client.openUri(uriOf(join(ARTICLE, 'bom.json')), `\uFEFF${ARTICLE_POLICY}`);
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(messages(diagnostics), ARTICLE_MESSAGES);
    assert.deepEqual(diagnostics[0]!.range, { start: { line: 6, character: 8 }, end: { line: 6, character: 30 } });
    const [fixAll] = await client.codeActions(uri, everywhere, [], ['source.fixAll']);
    assert.equal(await client.apply(fixAll!), `\uFEFF${ARTICLE_REFINED}`);
    assert.deepEqual(await client.diagnostics(uri), []);

    // On the first line, the mark is one UTF-16 code unit before everything else.
    const oneLine = await client.openUri(uriOf(join(ARTICLE, 'bom-one-line.json')),
      '\uFEFF{"Statement": {"Effect": "Allow", "Action": ["s3:GetBucketAcl", "s3:List*"], "Resource": "*"}}');
    const [d] = await client.diagnostics(oneLine);
    assert.deepEqual(d?.range, { start: { line: 0, character: 46 }, end: { line: 0, character: 63 } });
    const [fix] = await client.codeActions(oneLine, d!.range, [d!]);
    assert.equal(await client.apply(fix!), '\uFEFF{"Statement": {"Effect": "Allow", "Action": ["s3:List*"], "Resource": "*"}}');
  });

  test('non-ASCII text before an action on its line: ranges in UTF-16 code units; a non-ASCII file name', async () => {
    const text = '{\n  "Statement": [\n'
      + '    {"Sid": "Zugriff für Ünïcødé 😀 straße", "Effect": "Allow", "Action": ["s3:GetBucketAcl", "s3:List*"], "Resource": "*"}\n'
      + '  ]\n}\n';
    const uri = await client.openUri(uriOf(join(ARTICLE, 'naïve policy ü 😀.json')), text);
    assert.ok(uri.includes('%C3%AF'), uri);
    const diagnostics = await client.diagnostics(uri);
    // The emoji is two UTF-16 code units: "s3:GetBucketAcl" starts at character 75, after 74 code points.
    const line = text.split('\n')[2]!;
    assert.equal(line.indexOf('"s3:GetBucketAcl"'), 75);
    assert.equal([...line.slice(0, 75)].length, 74);
    assert.deepEqual(diagnostics.map(seen), [{
      range: { start: { line: 2, character: 75 }, end: { line: 2, character: 92 } }, severity: 2, code: 'unused-action',
      message: `Unused action s3:GetBucketAcl: ${NEVER}.`,
    }]);
    assert.equal((await client.hover(uri, { line: 2, character: 76 }))?.split('\n\n')[0], '**`s3:GetBucketAcl`** · Amazon S3 · Read');
    assert.equal((await client.hover(uri, { line: 2, character: 97 }))?.split('\n\n')[0],
      '**`s3:List*`** allows 18 known actions. None of them is unused.');
    assert.equal(await client.hover(uri, { line: 2, character: 40 }), undefined);
    const [fix] = await client.codeActions(uri, diagnostics[0]!.range, diagnostics);
    const edit = fix?.edit?.documentChanges?.[0] as TextDocumentEdit;
    assert.equal(edit.textDocument.uri, uri);
    assert.equal(await client.apply(fix!), text.replace('"s3:GetBucketAcl", ', ''));
    assert.deepEqual(await client.diagnostics(uri), []);
  });
});

describe('requests that lag behind the text', () => {
  let client: LspTestClient;
  let uri: string;

  before(async () => {
    client = await LspTestClient.start([ARTICLE]);
    uri = await client.openUri(uriOf(join(ARTICLE, 'editing.json')), ARTICLE_POLICY);
  });

  after(async () => {
    await client.stop();
  });

  test('code actions after a burst of changes carry the latest version, and apply to the latest text', async () => {
    await client.diagnostics(uri);
    for (const replacement of ['lambda:GetFunctionX"', 'lambda:GetFunctionXY"', 'lambda:GetFunctionXYZ"']) {
      await client.change(uri, ARTICLE_POLICY.replace('lambda:GetFunction"', replacement));
    }
    const version = await client.change(uri, ARTICLE_POLICY);
    const actions = await client.codeActions(uri, everywhere, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    assert.equal((actions[0]!.edit?.documentChanges?.[0] as TextDocumentEdit).textDocument.version, version);
    assert.equal(await client.apply(actions[0]!), ARTICLE_REFINED);
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test('a quick fix asked for with a diagnostic of the previous version fixes that diagnostic\'s action, or nothing', async () => {
    await client.change(uri, ARTICLE_POLICY);
    const before = await client.diagnostics(uri);
    // Fix the first unused action...
    const [first] = await client.codeActions(uri, before[0]!.range, [before[0]!]);
    assert.equal(first?.title, 'Remove unused action lambda:AddPermission');
    await client.apply(first!);
    // ...then, before the new diagnostics are used, ask for the fix of the second one, as the
    // editor still shows it: moved up a line with the text, everything else as published.
    const stale = before[1]!;
    const moved: Diagnostic = { ...stale, range: rangeOf(client, uri, '"lambda:GetFunctionConfiguration"') };
    const fixes = (await client.codeActions(uri, moved.range, [moved])).filter((a: CodeAction) => a.kind === 'quickfix');
    assert.deepEqual(fixes.map((a) => a.title).filter((t) => t !== 'Remove unused action lambda:GetFunctionConfiguration'), []);
    if (fixes[0]) {
      const text = await client.apply(fixes[0]);
      assert.ok(!text.includes('lambda:GetFunctionConfiguration'));
      assert.ok(text.includes('lambda:UpdateFunctionConfiguration'));
    }
  });

  test('a position past the end of a line means the end of that line, never a later line', async () => {
    await client.change(uri, ARTICLE_POLICY);
    await client.diagnostics(uri);
    const lines = ARTICLE_POLICY.split('\n');
    const line = lines.findIndex((l) => l.includes('"Effect" : "Allow"'));
    const lineStart = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
    // As many characters as it takes to reach "s3:Get*" two lines further down.
    const character = ARTICLE_POLICY.indexOf('s3:Get*') - lineStart;
    assert.ok(character > lines[line]!.length);
    const hover = await client.hover(uri, { line, character });
    assert.equal(hover?.split('\n\n')[0], undefined);
  });

  test('after all of it the server is running, answers, and logged no error', async () => {
    await client.change(uri, ARTICLE_POLICY);
    await client.diagnostics(uri);
    assert.equal(client.exitCode, null);
    assert.equal((await client.hover(uri, client.positionOf(uri, 's3:Get*')))?.split('\n\n')[0],
      '**`s3:Get*`** allows 63 known actions, 22 of them unused.');
    assertNoLogs(client);
  });
});

describe('input that is not a policy at all', () => {
  test('empty, scalar, deeply nested and binary documents and findings: no crash, no diagnostics on non-policies', async () => {
    const root = workspace({ 'unused-access.json': JSON.stringify([{ serviceNamespace: 's3', actions: ['GetBucketAcl'] }]) });
    const client = await LspTestClient.start([root]);
    try {
      const texts = ['', 'null', '[]', '"Statement"', '{"Statement": []}', '{"Statement": {}}',
        `${'['.repeat(100000)}${']'.repeat(100000)}`, `${'{"a":'.repeat(50000)}1${'}'.repeat(50000)}`, '\u0000\u0001binary\uFFFD'];
      for (const [i, text] of texts.entries()) {
        const uri = await client.openUri(uriOf(join(root, `odd-${i}.json`)), text);
        assert.deepEqual(await client.diagnostics(uri), [], JSON.stringify(text.slice(0, 20)));
        assert.equal(await client.hover(uri, { line: 0, character: 3 }), undefined);
        assert.deepEqual(await client.codeActions(uri, everywhere, [], ['source']), []);
      }
      const findingsUri = await client.open(join(root, 'unused-access.json'));
      await client.diagnostics(findingsUri);
      const findingsTexts = [
        ['['.repeat(100000), 'findings-too-deep'], ['\u0000garbage', 'findings-json'], ['', 'findings-empty'],
      ] as const;
      for (const [text, code] of findingsTexts) {
        await client.change(findingsUri, text);
        assert.deepEqual((await client.diagnostics(findingsUri)).map((d) => d.code), [code]);
      }
      assert.equal(client.exitCode, null);
      assertNoLogs(client);
    } finally {
      await client.stop();
    }
  });
});
