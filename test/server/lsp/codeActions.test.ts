import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, Range, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FIX_ALL_KIND as FIX_ALL } from '../../../shared/src/protocol/names';
import { repoRoot, testCatalog } from '../../support/catalog';
import { LspTestClient, uriOf } from '../../support/lspClient';

// Code actions: the quick fix of each diagnostic, "Refine this statement", "Refine the whole
// policy" and the fix-all source action; their exact titles and the exact text they produce.

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'workspaces');
const CODES = join(FIXTURES, 'lsp-codes');
const STATEMENTS = readFileSync(join(CODES, 'statements.json'), 'utf8');

/** `text` with `from` (which must occur exactly once) replaced by `to`. */
function edit(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `${JSON.stringify(from)} must occur once`);
  return text.replace(from, to);
}

// The expected results, as edits of the fixture written out by hand.
const READS_BEFORE = '        "s3:GetObject",\n        "s3:GetBucketAcl"\n';
const READS_AFTER = '        "s3:GetObject"\n';
const QUEUES = `    {
      "Sid": "Queues",
      "Effect": "Allow",
      "Action": [
        "sqs:SendMessage",
        "sqs:ReceiveMessage"
      ],
      "Resource": "*"
    },
`;
const BUCKET_PATTERNS = ['s3:GetBucketAbac', 's3:GetBucketLocation', 's3:GetBucketLogging', 's3:GetBucketMetadataTableConfiguration',
  's3:GetBucketNotification', 's3:GetBucketObjectLockConfiguration', 's3:GetBucketOwnershipControls', 's3:GetBucketPolicy*',
  's3:GetBucketPublicAccessBlock', 's3:GetBucketRequestPayment', 's3:GetBucketTagging', 's3:GetBucketVersioning', 's3:GetBucketWebsite'];
const BUCKET_BEFORE = '      "Action": "s3:GetBucket*",\n';
const BUCKET_AFTER = `      "Action": [\n${BUCKET_PATTERNS.map((p) => `        "${p}"`).join(',\n')}\n      ],\n`;
const NOT_ACTION_BEFORE = '        "iam:*",\n        "s3:*"\n';
const NOT_ACTION_AFTER = '        "iam:*",\n        "s3:*",\n        "lambda:AddPermission",\n        "sqs:*"\n';

const fixes = {
  reads: edit(STATEMENTS, READS_BEFORE, READS_AFTER),
  queues: edit(STATEMENTS, QUEUES, ''),
  sendMessage: edit(STATEMENTS, '        "sqs:SendMessage",\n', ''),
  receiveMessage: edit(STATEMENTS, '        "sqs:SendMessage",\n        "sqs:ReceiveMessage"\n', '        "sqs:SendMessage"\n'),
  bucket: edit(STATEMENTS, BUCKET_BEFORE, BUCKET_AFTER),
  notAction: edit(STATEMENTS, NOT_ACTION_BEFORE, NOT_ACTION_AFTER),
};
const WHOLE = [[READS_BEFORE, READS_AFTER], [QUEUES, ''], [BUCKET_BEFORE, BUCKET_AFTER], [NOT_ACTION_BEFORE, NOT_ACTION_AFTER]]
  .reduce((text, [from, to]) => edit(text, from!, to!), STATEMENTS);
const WHOLE_COUNTS = '1 unused statement removed, 1 unused action removed, 1 wildcard narrowed, 1 NotAction list extended '
  + '(23 unused actions excluded)';

/** IAM's count: every character but white space outside strings; JSON.stringify drops exactly that white space. */
const iamSize = (text: string): number => JSON.stringify(JSON.parse(text)).length;

/** The catalogue's actions a pattern matches, by plain glob matching (case-insensitive). */
function expand(pattern: string): Set<string> {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  const catalog = testCatalog();
  const out = new Set<string>();
  for (const service of catalog.services()) for (const a of catalog.actions(service)) if (regex.test(a.full)) out.add(a.full);
  return out;
}

const summary = (a: CodeAction) => [a.title, a.kind, a.isPreferred ?? false];

describe('code actions on each diagnostic of a policy', () => {
  let client: LspTestClient;
  let uri: string;

  before(async () => {
    client = await LspTestClient.start([CODES]);
    uri = await client.open(join(CODES, 'statements.json'));
  });

  after(async () => {
    await client.stop();
  });

  /** Back to the fixture's text; its diagnostics, and the one with `code` (the `nth`). */
  async function reset(code: string, nth = 0): Promise<{ diagnostics: Diagnostic[]; target: Diagnostic }> {
    await client.change(uri, STATEMENTS);
    const diagnostics = await client.diagnostics(uri);
    const target = diagnostics.filter((d) => d.code === code)[nth];
    assert.ok(target, `no ${code} diagnostic #${nth}`);
    return { diagnostics, target };
  }

  const cases = [
    {
      code: 'unused-action', nth: 0, quickFix: 'Remove unused action s3:GetBucketAcl',
      statement: 'Refine this statement: 1 unused action removed', text: fixes.reads,
    },
    {
      code: 'unused-statement', nth: 0, quickFix: 'Remove unused statement',
      statement: 'Refine this statement: 1 unused statement removed', text: fixes.queues,
    },
    {
      code: 'unused-action', nth: 1, quickFix: 'Remove unused action sqs:SendMessage',
      statement: 'Refine this statement: 1 unused statement removed', text: fixes.sendMessage,
    },
    {
      code: 'unused-action', nth: 2, quickFix: 'Remove unused action sqs:ReceiveMessage',
      statement: 'Refine this statement: 1 unused statement removed', text: fixes.receiveMessage,
    },
    {
      code: 'overbroad-wildcard', nth: 0, quickFix: 'Replace s3:GetBucket* with 13 patterns that exclude 2 unused actions',
      statement: 'Refine this statement: 1 wildcard narrowed (2 unused actions excluded)', text: fixes.bucket,
    },
    {
      code: 'overbroad-notaction', nth: 0, quickFix: 'Exclude 21 unused actions from NotAction',
      statement: 'Refine this statement: 1 NotAction list extended (21 unused actions excluded)', text: fixes.notAction,
    },
  ];

  for (const c of cases) {
    test(`${c.code} #${c.nth}: "${c.quickFix}", then "Refine this statement" and "Refine the whole policy"`, async () => {
      const { target } = await reset(c.code, c.nth);
      const actions = await client.codeActions(uri, target.range, [target]);
      assert.deepEqual(actions.map(summary), [
        [c.quickFix, 'quickfix', true],
        [c.statement, 'refactor.rewrite', false],
        [`Refine the whole policy: ${WHOLE_COUNTS} (722 of 6,144 characters)`, 'refactor.rewrite', false],
      ]);
      assert.deepEqual(actions[0]!.diagnostics, [target]);
      assert.equal(actions[1]!.diagnostics, undefined);

      // The quick fix: exactly the expected text, and its diagnostic is gone from the next publish.
      assert.equal(await client.apply(actions[0]!), c.text);
      const after = await client.diagnostics(uri);
      assert.equal(after.filter((d) => d.message === target.message).length, 0, `${target.message} is still reported`);
    });
  }

  test('"Remove unused action" on the last unused action of a statement removes the statement', async () => {
    const { target } = await reset('unused-action', 1);
    await client.apply((await client.codeActions(uri, target.range, [target]))[0]!);
    const [next] = (await client.diagnostics(uri)).filter((d) => d.code === 'unused-action' && d.message.toString().includes('sqs:'));
    assert.ok(next);
    const [fix] = await client.codeActions(uri, next.range, [next]);
    assert.equal(fix?.title, 'Remove unused action sqs:ReceiveMessage');
    assert.equal(await client.apply(fix), fixes.queues);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), ['unused-action', 'overbroad-wildcard', 'overbroad-notaction']);
  });

  test('the replacement of s3:GetBucket* allows exactly what it allowed minus the unused actions', () => {
    const replaced = new Set(BUCKET_PATTERNS.flatMap((p) => [...expand(p)]));
    const expected = new Set([...expand('s3:GetBucket*')].filter((a) => a !== 's3:GetBucketAcl' && a !== 's3:GetBucketCORS'));
    assert.deepEqual(replaced, expected);
  });

  test('"Refine this statement" where the cursor is; "Refine the whole policy" anywhere in it; '
    + 'nothing in a statement with nothing to refine', async () => {
    await client.change(uri, STATEMENTS);
    await client.diagnostics(uri);
    const at = (needle: string): Range => {
      const p = client.positionOf(uri, needle);
      return { start: p, end: p };
    };
    const whole = `Refine the whole policy: ${WHOLE_COUNTS} (722 of 6,144 characters)`;
    assert.deepEqual((await client.codeActions(uri, at('"BucketSettings"'))).map((a) => a.title),
      ['Refine this statement: 1 wildcard narrowed (2 unused actions excluded)', whole]);
    assert.deepEqual((await client.codeActions(uri, at('"NoUploads"'))).map((a) => a.title), [whole]);
    assert.deepEqual((await client.codeActions(uri, at('"Version"'))).map((a) => a.title), [whole]);
    const statement = (await client.codeActions(uri, at('"BucketSettings"')))[0]!;
    assert.equal(await client.apply(statement), fixes.bucket);
  });

  test('"Refine the whole policy": every fix at once, exactly; the size is IAM\'s count of the result; then no diagnostics', async () => {
    const { target } = await reset('overbroad-notaction');
    const whole = (await client.codeActions(uri, target.range, [target])).find((a) => a.title.startsWith('Refine the whole policy'));
    assert.ok(whole);
    assert.equal(await client.apply(whole), WHOLE);
    assert.equal(iamSize(WHOLE), 722);
    assert.deepEqual(await client.diagnostics(uri), []);
    const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    assert.deepEqual(await client.codeActions(uri, top, [], ['source']), []);
  });

  test('which kinds come back depends on "only": the fix-all source action only when asked for', async () => {
    const { target } = await reset('unused-action');
    const kinds = async (only?: string[]) => (await client.codeActions(uri, target.range, [target], only))
      .map((a) => [a.title.split(':')[0], a.kind]);
    const fixAll = ['Refine every policy in the file', FIX_ALL];
    assert.deepEqual(await kinds(), [
      ['Remove unused action s3', 'quickfix'],
      ['Refine this statement', 'refactor.rewrite'],
      ['Refine the whole policy', 'refactor.rewrite'],
    ]);
    assert.deepEqual(await kinds(['quickfix']), [['Remove unused action s3', 'quickfix']]);
    assert.deepEqual(await kinds(['refactor']), [
      ['Refine this statement', 'refactor.rewrite'], ['Refine the whole policy', 'refactor.rewrite'],
    ]);
    assert.deepEqual(await kinds(['source']), [fixAll]);
    assert.deepEqual(await kinds(['source.fixAll']), [fixAll]);
    assert.deepEqual(await kinds([FIX_ALL]), [fixAll]);
    assert.deepEqual(await kinds(['source.organizeImports']), []);

    const [action] = await client.codeActions(uri, target.range, [], ['source.fixAll']);
    assert.equal(action?.title, `Refine every policy in the file: ${WHOLE_COUNTS} (722 of 6,144 characters)`);
    assert.equal(await client.apply(action!), WHOLE);
  });

  test('edits are versioned: documentChanges with the document\'s current version, no changes map', async () => {
    await client.change(uri, STATEMENTS);
    const version = await client.change(uri, STATEMENTS);
    const [target] = await client.diagnostics(uri);
    const [fix] = await client.codeActions(uri, target!.range, [target!]);
    assert.equal(fix?.edit?.changes, undefined);
    const changes = fix?.edit?.documentChanges as TextDocumentEdit[];
    assert.equal(changes.length, 1);
    assert.deepEqual(changes[0]!.textDocument, { uri, version });
    // Minimal edits: the line of the removed entry and the comma before it.
    assert.deepEqual(changes[0]!.edits, [
      { range: { start: { line: 8, character: 0 }, end: { line: 9, character: 0 } }, newText: '' },
      { range: { start: { line: 7, character: 22 }, end: { line: 7, character: 23 } }, newText: '' },
    ]);
    assert.equal(await client.apply(fix!), fixes.reads);
  });
});

describe('code actions where refining is not the answer', () => {
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start([CODES]);
  });

  after(async () => {
    await client.stop();
  });

  test('unused-policy: no edit offered, neither on its diagnostics nor anywhere in the policy', async () => {
    const uri = await client.open(join(CODES, 'detach.json'));
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => d.code), ['unused-policy']);
    for (const d of diagnostics) assert.deepEqual(await client.codeActions(uri, d.range, [d]), [], d.message.toString());
    assert.deepEqual(await client.codeActions(uri, diagnostics[0]!.range, diagnostics, ['source']), []);
    assert.deepEqual(await client.codeActions(uri, diagnostics[0]!.range, diagnostics, ['refactor']), []);
  });

  test('malformed statements and actions: no fix is offered, and the policy has nothing to refine', async () => {
    const uri = await client.open(join(CODES, 'malformed.json'));
    const diagnostics = await client.diagnostics(uri);
    assert.equal(diagnostics.length, 8);
    for (const d of diagnostics) assert.deepEqual(await client.codeActions(uri, d.range, [d]), [], d.message.toString());
  });

  test('over the managed-policy limit even in the compact form: the titles say so, and the result is exactly the refinement', async () => {
    const uri = await client.open(join(CODES, 'everything.json'));
    const original = client.text(uri);
    const [wildcard, size] = await client.diagnostics(uri);
    assert.equal(wildcard?.code, 'overbroad-wildcard');
    assert.equal(size?.code, 'policy-size');
    // In words, 9,688 characters; the compact form (chosen as words do not fit) takes 7,896, still over.
    const over = '(7,896 characters: over the 6,144 allowed for a managed policy)';
    assert.deepEqual((await client.codeActions(uri, wildcard.range, [wildcard])).map(summary), [
      ['Replace * with 493 patterns that exclude 24 unused actions', 'quickfix', true],
      ['Refine this statement: 1 wildcard narrowed (24 unused actions excluded)', 'refactor.rewrite', false],
      [`Refine the whole policy: 1 wildcard narrowed (24 unused actions excluded) ${over}`, 'refactor.rewrite', false],
    ]);
    // policy-size has no quick fix of its own; the policy can still be refined.
    assert.deepEqual((await client.codeActions(uri, size.range, [size])).map((a) => a.title),
      [`Refine the whole policy: 1 wildcard narrowed (24 unused actions excluded) ${over}`]);
    const [fixAll] = await client.codeActions(uri, size.range, [], ['source.fixAll']);
    assert.equal(fixAll?.title, `Refine every policy in the file: 1 wildcard narrowed (24 unused actions excluded) ${over}`);

    const refined = await client.apply(fixAll);
    assert.equal(iamSize(refined), 7896);
    // Everything but the Action value is as it was; the value is an array, one pattern a line.
    const head = original.slice(0, original.indexOf('"*"'));
    const tail = original.slice(original.indexOf('"*"') + 3);
    assert.ok(refined.startsWith(head) && refined.endsWith(tail));
    const patterns = (JSON.parse(refined) as { Statement: { Action: string[] }[] }).Statement[0]!.Action;
    assert.equal(patterns.length, 493);
    assert.equal(refined.slice(head.length, refined.length - tail.length),
      `[\n${patterns.map((p) => `        "${p}"`).join(',\n')}\n      ]`);
    // Every service with nothing unused as svc:*; sqs (unused as a whole) gone; s3 and lambda exactly their used actions.
    const catalog = testCatalog();
    const services = [...catalog.services()];
    assert.deepEqual(patterns.filter((p) => p.endsWith(':*')).sort(),
      services.filter((s) => !['s3', 'sqs', 'lambda'].includes(s)).map((s) => `${s}:*`).sort());
    assert.equal(patterns.filter((p) => p.startsWith('sqs:')).length, 0);
    const unused = new Set(['s3:GetBucketAcl', 's3:GetBucketCORS', 's3:PutObject', 'lambda:AddPermission']);
    for (const service of ['s3', 'lambda']) {
      const allowed = new Set(patterns.filter((p) => p.startsWith(`${service}:`)).flatMap((p) => [...expand(p)]));
      const expected = new Set(catalog.actions(service).map((a) => a.full).filter((a) => !unused.has(a)));
      assert.deepEqual(allowed, expected, service);
    }
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test('a wildcard that allows only unused actions: "Remove …, which allows only unused actions"', async () => {
    const text = '{\n  "Statement": [\n    { "Effect": "Allow", "Action": ["s3:GetObject", "sqs:*"], "Resource": "*" }\n  ]\n}\n';
    const uri = await client.openUri(uriOf(join(CODES, 'queues.json')), text);
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.message]), [
      ['overbroad-wildcard', 'sqs:* allows only actions of sqs, which is unused as a whole.'],
    ]);
    const actions = await client.codeActions(uri, diagnostics[0]!.range, diagnostics);
    assert.deepEqual(actions.map(summary), [
      ['Remove sqs:*, which allows only unused actions', 'quickfix', true],
      ['Refine this statement: 1 unused action removed', 'refactor.rewrite', false],
      ['Refine the whole policy: 1 unused action removed (75 of 6,144 characters)', 'refactor.rewrite', false],
    ]);
    const refined = '{\n  "Statement": [\n    { "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*" }\n  ]\n}\n';
    assert.equal(iamSize(refined), 75);
    assert.equal(await client.apply(actions[0]!), refined);
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test('several policies in one file: per-policy and per-file actions, without a size note', async () => {
    const text = `${JSON.stringify({
      Roles: [
        {
          RoleName: 'reader',
          PolicyDocument: {
            Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetBucketAcl'], Resource: '*' }],
          },
        },
        {
          RoleName: 'admin',
          PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetBucket*', Resource: '*' }] },
        },
      ],
    }, null, 2)}\n`;
    const uri = await client.openUri(uriOf(join(CODES, 'roles.json')), text);
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => d.code), ['unused-action', 'overbroad-wildcard']);
    assert.deepEqual((await client.codeActions(uri, diagnostics[0]!.range, [diagnostics[0]!])).map((a) => a.title), [
      'Remove unused action s3:GetBucketAcl',
      'Refine this statement: 1 unused action removed',
      'Refine the whole policy: 1 unused action removed',
    ]);
    // A selection over the whole file: each policy's own "Refine the whole policy".
    const whole = { start: { line: 0, character: 0 }, end: { line: text.split('\n').length - 1, character: 0 } };
    assert.deepEqual((await client.codeActions(uri, whole, [])).map((a) => a.title), [
      'Refine the whole policy: 1 unused action removed',
      'Refine the whole policy: 1 wildcard narrowed (2 unused actions excluded)',
    ]);
    const [fixAll] = await client.codeActions(uri, diagnostics[0]!.range, [], ['source']);
    assert.equal(fixAll?.title,
      'Refine every policy in the file: 1 unused action removed, 1 wildcard narrowed (2 unused actions excluded)');
    const refined = JSON.parse(await client.apply(fixAll!)) as {
      Roles: { PolicyDocument: { Statement: { Action: string[] | string }[] } }[];
    };
    assert.deepEqual(refined.Roles.map((r) => r.PolicyDocument.Statement[0]!.Action), [['s3:GetObject'], BUCKET_PATTERNS]);
    assert.deepEqual(await client.diagnostics(uri), []);
  });
});

describe('a client without documentChanges support', () => {
  test('edits come as a changes map keyed by the document URI, and give the same text', async () => {
    const client = await LspTestClient.start([CODES], {}, { documentChanges: false });
    try {
      const uri = await client.open(join(CODES, 'statements.json'));
      const [target] = await client.diagnostics(uri);
      const [fix] = await client.codeActions(uri, target!.range, [target!]);
      assert.equal(fix?.edit?.documentChanges, undefined);
      assert.deepEqual(Object.keys(fix?.edit?.changes ?? {}), [uri]);
      const edits: TextEdit[] = fix!.edit!.changes![uri]!;
      assert.deepEqual(edits, [
        { range: { start: { line: 8, character: 0 }, end: { line: 9, character: 0 } }, newText: '' },
        { range: { start: { line: 7, character: 22 }, end: { line: 7, character: 23 } }, newText: '' },
      ]);
      assert.equal(await client.apply(fix!), fixes.reads);
      const [whole] = await client.codeActions(uri, target!.range, [], ['source.fixAll']);
      assert.ok(whole?.edit?.changes);
      await client.change(uri, STATEMENTS);
      await client.diagnostics(uri);
      const [again] = await client.codeActions(uri, target!.range, [], ['source.fixAll']);
      assert.equal(await client.apply(again!), WHOLE);
    } finally {
      await client.stop();
    }
  });
});

describe('a client that resolves edits (codeAction/resolve, as VS Code does)', () => {
  test('actions come with titles only; the edit each resolves to gives the same text; a stale action resolves to no edit', async () => {
    const client = await LspTestClient.start([CODES], {}, { resolveEdits: true });
    try {
      const uri = await client.open(join(CODES, 'statements.json'));
      const [target] = await client.diagnostics(uri);
      const actions = await client.codeActions(uri, target!.range, [target!]);
      assert.deepEqual(actions.map(summary), [
        ['Remove unused action s3:GetBucketAcl', 'quickfix', true],
        ['Refine this statement: 1 unused action removed', 'refactor.rewrite', false],
        [`Refine the whole policy: ${WHOLE_COUNTS} (722 of 6,144 characters)`, 'refactor.rewrite', false],
      ]);
      assert.deepEqual(actions.map((a) => a.edit), [undefined, undefined, undefined]);
      const whole = await client.resolve(actions[2]!);
      assert.equal(whole.title, actions[2]!.title);
      const wholeEdits = (whole.edit!.documentChanges![0] as TextDocumentEdit).edits as TextEdit[];
      assert.equal(TextDocument.applyEdits(TextDocument.create(uri, 'json', 0, STATEMENTS), wholeEdits), WHOLE);
      const fix = await client.resolve(actions[0]!);
      assert.equal(await client.apply(fix), fixes.reads);
      await client.diagnostics(uri);
      // The whole-policy action was made for the version before the fix: it has no edit to give now.
      assert.equal((await client.resolve(actions[2]!)).edit, undefined);
    } finally {
      await client.stop();
    }
  });
});
