import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot, testCatalog } from '../../support/catalog';
import { articleGetHover } from '../../support/article';
import { LspTestClient, uriOf } from '../../support/lspClient';
import { accessLevelLine } from '../../support/accessLevels';
import { actionDetailLines } from '../../support/actionDetails';

// Hovers on actions: what a wildcard allows and which of it is unused, what an action is, and
// nothing at all on text that is not an action.

const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'workspaces');
const ARTICLE = join(FIXTURES, 'article');
const CODES = join(FIXTURES, 'lsp-codes');
const DATE = '2026-09-26';
const NEVER = 'never used in the tracking period';
const FOOTER = `_Findings: unused-access.json · action catalogue of ${DATE}_`;
const NO_FINDINGS = `_No findings file applies to this policy · action catalogue of ${DATE}_`;
const code = (text: string): string => `\`${text}\``;

describe('hover in the article\'s policy', () => {
  let client: LspTestClient;
  let uri: string;

  before(async () => {
    client = await LspTestClient.start([ARTICLE]);
    uri = await client.open(join(ARTICLE, 'policy.json'));
    await client.diagnostics(uri);
  });

  after(async () => {
    await client.stop();
  });

  test('on a wildcard: how many actions, the unused ones (20, then "…and N more"), those in use, the replacement', async () => {
    // Built from the catalogue and the findings file, independently of the server.
    const expected = articleGetHover(testCatalog(), FOOTER);
    assert.equal(await client.hover(uri, client.positionOf(uri, 's3:Get*')), expected);
  });

  test('on a wildcard with nothing unused', async () => {
    const hover = await client.hover(uri, client.positionOf(uri, 's3:List*'));
    const lines = hover?.split('\n\n');
    assert.equal(lines?.[0], `**${code('s3:List*')}** allows 18 known actions. None of them is unused.`);
    assert.match(lines?.[1] ?? '', /^In use \(18\): `s3:ListAccessGrants`, .*, `s3:ListTagsForResource`$/);
    assert.equal(lines?.[2], accessLevelLine(testCatalog().actions('s3').filter((a) => a.name.startsWith('List'))));
    assert.equal(lines?.[3], FOOTER);
    assert.equal(lines?.length, 4);
  });

  test('on an explicit unused action: the catalogue\'s service, access levels and description, and why it is unused', async () => {
    assert.equal(await client.hover(uri, client.positionOf(uri, 'lambda:AddPermission')), [
      `**${code('lambda:AddPermission')}** · AWS Lambda · Permissions management, Write`,
      'Grants permission to give an AWS service or another account permission to use an AWS Lambda function',
      `**Unused:** ${NEVER}.`,
      ...actionDetailLines('lambda:AddPermission'),
      FOOTER,
    ].join('\n\n'));
  });

  test('anywhere on the string, quotes included; not just after it', async () => {
    const expected = await client.hover(uri, client.positionOf(uri, 'lambda:Invoke*'));
    assert.ok(expected?.startsWith(`**${code('lambda:Invoke*')}** allows `));
    const literal = '"lambda:Invoke*"';
    assert.equal(await client.hover(uri, client.positionOf(uri, literal, 0)), expected);
    assert.equal(await client.hover(uri, client.positionOf(uri, literal, literal.length - 1)), expected);
    assert.equal(await client.hover(uri, client.positionOf(uri, literal, literal.length)), undefined);
  });

  test('no hover on text that is not an action', async () => {
    for (const [needle, delta] of [['"Effect"', 2], ['"Allow"', 2], ['"Version"', 1], ['2012-10-17', 3], ['"Resource" : "*"', 15],
      ['arn:aws:lambda', 4], ['"Action"', 3], ['[\n', 0], [',\n        "lambda:GetFunctionConfiguration"', 0]] as const) {
      assert.equal(await client.hover(uri, client.positionOf(uri, needle, delta)), undefined,
        `hover at ${JSON.stringify(needle)}+${delta}`);
    }
  });
});

describe('hover on actions and wildcards of every kind', () => {
  let client: LspTestClient;
  let uri: string;

  before(async () => {
    client = await LspTestClient.start([CODES]);
    uri = await client.open(join(CODES, 'statements.json'));
    await client.diagnostics(uri);
  });

  after(async () => {
    await client.stop();
  });

  test('on an explicit action in use', async () => {
    assert.equal(await client.hover(uri, client.positionOf(uri, 's3:GetObject')), [
      `**${code('s3:GetObject')}** · Amazon S3 · Read`,
      'Grants permission to retrieve objects from Amazon S3',
      'In use: the findings do not call it unused.',
      ...actionDetailLines('s3:GetObject'),
      FOOTER,
    ].join('\n\n'));
  });

  test('on a wildcard that allows only unused actions: remove it', async () => {
    const draft = await client.openUri(uriOf(join(CODES, 'draft.json')),
      '{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "sqs:*", "s3:GetBukcetAcl"], "Resource": "*"}]}');
    const hover = (await client.hover(draft, client.positionOf(draft, 'sqs:*')))?.split('\n\n');
    assert.equal(hover?.[0], `**${code('sqs:*')}** allows 20 known actions, 20 of them unused.`);
    assert.equal(hover?.[1], '**Recommended:** remove it; everything it allows is unused.');
    assert.equal(hover?.[2]?.match(/`sqs:/g)?.length, 20);
    assert.ok(hover?.[2]?.startsWith(`**Unused** (20), ${NEVER}: ${code('sqs:AddPermission')}, `), hover?.[2]);
    assert.equal(hover?.[3], accessLevelLine(testCatalog().actions('sqs')));
    assert.equal(hover?.[4], FOOTER);

    // An action the catalogue does not know, and the findings do not name either.
    assert.equal(await client.hover(draft, client.positionOf(draft, 's3:GetBukcetAcl')),
      `**${code('s3:GetBukcetAcl')}** is not in the action catalogue (${DATE}). Check the spelling.\n\n${FOOTER}`);
  });

  test('on a NotAction wildcard: what it excludes; on a Deny wildcard: what it denies; neither is refined', async () => {
    const notAction = (await client.hover(uri, client.positionOf(uri, 'iam:*')))?.split('\n\n');
    assert.equal(notAction?.[0], `**${code('iam:*')}** excludes 190 known actions.`);
    assert.equal(notAction?.[1], accessLevelLine(testCatalog().actions('iam')));
    assert.match(notAction?.[2] ?? '', /^Actions: `iam:AcceptDelegationRequest`, (`iam:\w+`, ){19}and 170 more$/);
    assert.equal(notAction?.[3], FOOTER);

    // An explicit action in a Deny statement: what it is, no verdict.
    assert.equal(await client.hover(uri, client.positionOf(uri, '"s3:PutObject"')), [
      `**${code('s3:PutObject')}** · Amazon S3 · Write`, 'Grants permission to add an object to a bucket',
      ...actionDetailLines('s3:PutObject'), FOOTER,
    ].join('\n\n'));
  });

  test('on a policy no findings file applies to: no verdict, and the footer says so', async () => {
    const elsewhere = await client.openUri(uriOf(join(repoRoot(), 'no-findings-here', 'p.json')),
      '{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:List*"], "Resource": "*"}]}');
    assert.equal(await client.hover(elsewhere, client.positionOf(elsewhere, 's3:GetObject')),
      [`**${code('s3:GetObject')}** · Amazon S3 · Read`, 'Grants permission to retrieve objects from Amazon S3',
        ...actionDetailLines('s3:GetObject'), NO_FINDINGS].join('\n\n'));
    const list = (await client.hover(elsewhere, client.positionOf(elsewhere, 's3:List*')))?.split('\n\n');
    assert.equal(list?.[0], `**${code('s3:List*')}** allows 18 known actions.`);
    assert.equal(list?.[1], accessLevelLine(testCatalog().actions('s3').filter((a) => a.name.startsWith('List'))));
    assert.match(list?.[2] ?? '', /^Actions: `s3:ListAccessGrants`, /);
    assert.equal(list?.[3], NO_FINDINGS);
  });

  test('no hover in JSON that is not a policy, even on an action-like string', async () => {
    const other = await client.openUri(uriOf(join(CODES, 'settings.json')), '{"allowed": ["s3:GetObject"], "Statement": "s3:GetObject"}');
    assert.equal(await client.hover(other, client.positionOf(other, 's3:GetObject')), undefined);
    assert.equal(await client.hover(other, client.positionOf(other, 's3:GetObject', 1, 1)), undefined);
  });
});

describe('hover with other findings', () => {
  test('an action named by the findings that the catalogue does not know', async () => {
    const folder = join(FIXTURES, 'lsp-findings-files');
    const client = await LspTestClient.start([folder]);
    try {
      const uri = await client.openUri(uriOf(join(folder, 'typos', 'draft.json')),
        '{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetBuckettAcl"], "Resource": "*"}]}');
      await client.diagnostics(uri);
      assert.equal(await client.hover(uri, client.positionOf(uri, 's3:GetBuckettAcl')),
        `**${code('s3:GetBuckettAcl')}** is not in the action catalogue (${DATE}). `
        + `The findings name it, so it is treated as a real action newer than the catalogue.\n\n${FOOTER}`);
    } finally {
      await client.stop();
    }
  });

  test('get-finding-v2 findings: the role, the last use, and when the findings were analysed', async () => {
    const folder = join(FIXTURES, 'lsp-finding-v2');
    const client = await LspTestClient.start([folder]);
    try {
      const uri = await client.open(join(folder, 'policy.json'));
      await client.diagnostics(uri);
      assert.equal(await client.hover(uri, client.positionOf(uri, 'lambda:UpdateFunctionCode')), [
        `**${code('lambda:UpdateFunctionCode')}** · AWS Lambda · Write`,
        'Grants permission to update the code of an AWS Lambda function',
        '**Unused:** last used 2024-02-03 by role MyRole.',
        ...actionDetailLines('lambda:UpdateFunctionCode'),
        `_Findings: unused-access.json (analysed 2024-07-01) · action catalogue of ${DATE}_`,
      ].join('\n\n'));
    } finally {
      await client.stop();
    }
  });

  test('two findings files on one policy: both named', async () => {
    const folder = join(FIXTURES, 'lsp-scoping');
    const client = await LspTestClient.start([folder]);
    try {
      const uri = await client.open(join(folder, 'shared', 'policy.json'));
      await client.diagnostics(uri);
      const hover = (await client.hover(uri, client.positionOf(uri, 's3:GetBucketAcl')))?.split('\n\n');
      assert.equal(hover?.[2], `**Unused:** ${NEVER}.`);
      assert.equal(hover?.at(-1), `_Findings: role-b.unused-access.json, unused-access.json · action catalogue of ${DATE}_`);
    } finally {
      await client.stop();
    }
  });

  test('a hover asked for right after the document opens already knows the workspace\'s findings', async () => {
    const client = await LspTestClient.start([ARTICLE]);
    try {
      // No wait for diagnostics: the editor may ask as soon as the document is open.
      const uri = await client.open(join(ARTICLE, 'policy.json'));
      assert.equal(await client.hover(uri, client.positionOf(uri, 'lambda:AddPermission')), [
        `**${code('lambda:AddPermission')}** · AWS Lambda · Permissions management, Write`,
        'Grants permission to give an AWS service or another account permission to use an AWS Lambda function',
        `**Unused:** ${NEVER}.`,
        ...actionDetailLines('lambda:AddPermission'),
        FOOTER,
      ].join('\n\n'));
    } finally {
      await client.stop();
    }
  });
});
