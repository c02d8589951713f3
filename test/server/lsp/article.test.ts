import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-protocol';
import { FIX_ALL_KIND } from '../../../shared/src/protocol/names';
import { ARTICLE_DIAGNOSTICS, ARTICLE_LAMBDA, ARTICLE_REFINED, ARTICLE_WHOLE_POLICY } from '../../support/article';
import { repoRoot } from '../../support/catalog';
import { LspTestClient, uriOf } from '../../support/lspClient';

// The article's example, end to end over the protocol: the built server as a child process, the
// committed fixture as the workspace, the edits applied the way an editor applies them.

const ARTICLE = join(repoRoot(), 'test', 'fixtures', 'workspaces', 'article');
const POLICY = join(ARTICLE, 'policy.json');
const FINDINGS_URI = uriOf(join(ARTICLE, 'unused-access.json'));

const range = (line: number, from: number, to: number): Range => ({ start: { line, character: from }, end: { line, character: to } });

/** What a user sees of a diagnostic: where, what, how severe, which code. */
const seen = (d: Diagnostic) => ({ range: d.range, severity: d.severity, code: d.code, source: d.source, message: d.message });

const LAMBDA = ARTICLE_LAMBDA;
const EXPECTED_DIAGNOSTICS = ARTICLE_DIAGNOSTICS;
const WHOLE_POLICY = ARTICLE_WHOLE_POLICY;

describe('the article\'s example over LSP', () => {
  let client: LspTestClient;
  let uri: string;
  let original: string;

  before(async () => {
    client = await LspTestClient.start([ARTICLE]);
    uri = await client.open(POLICY);
    original = client.text(uri);
  });

  after(async () => {
    await client.stop();
  });

  /** Back to the committed text, with its diagnostics. */
  async function reset(): Promise<Diagnostic[]> {
    await client.change(uri, original);
    return client.diagnostics(uri);
  }

  test('8 unused actions and one over-broad wildcard, each exactly where it is written', async () => {
    const diagnostics = await reset();
    assert.deepEqual(diagnostics.map(seen), EXPECTED_DIAGNOSTICS);
  });

  test('each unused action links to the line of unused-access.json that calls it unused', async () => {
    const diagnostics = await reset();
    LAMBDA.forEach(([, action, findingsLine], i) => {
      const name = action.slice('lambda:'.length);
      assert.deepEqual(diagnostics[i]!.relatedInformation, [{
        location: { uri: FINDINGS_URI, range: range(findingsLine, 6, 6 + name.length + 2) },
        message: 'Reported unused here',
      }]);
    });
    const wildcard = diagnostics[8]!;
    // One link, to the first of the 22 in alphabetical order, naming three and counting the rest.
    assert.deepEqual(wildcard.relatedInformation, [{
      location: { uri: FINDINGS_URI, range: range(20, 8, 36) },
      message: 's3:GetAccelerateConfiguration (never used), s3:GetAnalyticsConfiguration (never used), s3:GetBucketAcl (never used), '
        + 'and 19 more',
    }]);
  });

  test('the actions offered on the wildcard, and the fix-all one only when asked for', async () => {
    const diagnostics = await reset();
    const wildcard = diagnostics[8]!;
    const actions = await client.codeActions(uri, wildcard.range, [wildcard]);
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]), [
      ['Replace s3:Get* with 9 patterns that exclude 22 unused actions', 'quickfix', true],
      ['Refine this statement: 1 wildcard narrowed (22 unused actions excluded)', 'refactor.rewrite', false],
      [WHOLE_POLICY, 'refactor.rewrite', false],
    ]);
    assert.deepEqual(actions[0]!.diagnostics, [wildcard]);

    const fixAll = await client.codeActions(uri, wildcard.range, [], ['source.fixAll']);
    assert.deepEqual(fixAll.map((a) => [a.title, a.kind]), [
      ['Refine every policy in the file: 8 unused actions removed, 1 wildcard narrowed (22 unused actions excluded) '
        + '(406 of 6,144 characters)', FIX_ALL_KIND],
    ]);
  });

  test('"Refine the whole policy" gives the article\'s recommendation exactly; then nothing is left to report', async () => {
    const diagnostics = await reset();
    const actions = await client.codeActions(uri, diagnostics[0]!.range, [diagnostics[0]!]);
    const whole = actions.find((a) => a.title === WHOLE_POLICY);
    assert.ok(whole, `no "Refine the whole policy" among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(await client.apply(whole), ARTICLE_REFINED);
    assert.deepEqual(await client.diagnostics(uri), []);
    // Nothing left to refine: no action is offered anywhere in the refined policy.
    const everywhere: Range = { start: { line: 0, character: 0 }, end: { line: 27, character: 0 } };
    assert.deepEqual(await client.codeActions(uri, everywhere, [], ['source.fixAll']), []);
    assert.deepEqual(await client.codeActions(uri, range(14, 10, 10)), []);
  });

  test('the fix-all source action gives the same text', async () => {
    const diagnostics = await reset();
    const [fixAll] = await client.codeActions(uri, diagnostics[0]!.range, [], ['source']);
    assert.ok(fixAll);
    assert.equal(await client.apply(fixAll), ARTICLE_REFINED);
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  test('one quick fix at a time reaches the same text, and each publish drops exactly the fixed diagnostic', async () => {
    let diagnostics = await reset();
    let expected = EXPECTED_DIAGNOSTICS.map((d) => d.message);
    while (diagnostics.length > 0) {
      const target = diagnostics[0]!;
      const actions = await client.codeActions(uri, target.range, [target]);
      const quickFix: CodeAction | undefined = actions.find((a) => a.kind === 'quickfix');
      assert.ok(quickFix, `no quick fix for ${target.message}`);
      assert.deepEqual(quickFix.diagnostics, [target]);
      await client.apply(quickFix);
      diagnostics = await client.diagnostics(uri);
      expected = expected.slice(1);
      assert.deepEqual(diagnostics.map((d) => d.message), expected);
    }
    assert.equal(client.text(uri), ARTICLE_REFINED);
  });

  test('no error was logged and the server is still running', async () => {
    assert.deepEqual(client.logs.filter((l) => /Refusing|Error|error/.test(l)), []);
    assert.equal(client.exitCode, null);
  });
});

test('a client that does not support relatedInformation gets diagnostics without it', async () => {
  const client = await LspTestClient.start([ARTICLE], {}, { relatedInformation: false });
  try {
    const uri = await client.open(join(ARTICLE, 'policy.json'));
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    assert.equal(diagnostics.length, 9);
    assert.deepEqual(diagnostics.filter((d) => d.relatedInformation !== undefined), []);
  } finally {
    await client.stop();
  }
});
