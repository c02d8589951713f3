import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testCatalog } from '../../support/catalog';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { doc, findings, hoverText, NEVER, offsetOf, policy, range, serviceOver } from '../../support/service';

// Hovers on single actions, in-process: what the catalogue says of an action, and whether the
// findings call it unused; nothing off the action strings.

const DATE = '2026-09-26';
const FOOTER = `_Findings: unused-access.json · action catalogue of ${DATE}_`;
const TEXT = policy(['s3:GetObject', 's3:GetBucketAcl', 's3:GetBukcetAcl', 's3:GetBuckettAcl']);

const FINDINGS = findings({ s3: ['GetBucketAcl', 'GetBuckettAcl'] });
const setUp = () => serviceOver(memoryFileSystem({ '/ws/unused-access.json': FINDINGS }), ['/ws']);
const POLICY = doc('/ws/policy.json', TEXT);

test('an action in use: its service and access level, its description, and that the findings do not call it unused', () => {
  const service = setUp();
  const state = service.analyze(POLICY)!;
  assert.deepEqual(service.hover(state, offsetOf(TEXT, 's3:GetObject')), {
    contents: {
      kind: 'markdown',
      value: [
        '**`s3:GetObject`** · Amazon S3 · Read',
        'Grants permission to retrieve objects from Amazon S3',
        'In use: the findings do not call it unused.',
        FOOTER,
      ].join('\n\n'),
    },
    // The whole string, quotes included: what the editor highlights.
    range: range(6, 8, 22),
  });
});

test('an unused action: the same, and why it is unused', () => {
  assert.equal(hoverText(setUp(), POLICY, offsetOf(TEXT, 's3:GetBucketAcl')), [
    '**`s3:GetBucketAcl`** · Amazon S3 · Read',
    'Grants permission to use the acl subresource to return the access control list (ACL) of an Amazon S3 bucket',
    `**Unused:** ${NEVER}.`,
    FOOTER,
  ].join('\n\n'));
});

test('an action the catalogue does not know: a likely typo, unless the findings name it', () => {
  const service = setUp();
  assert.equal(hoverText(service, POLICY, offsetOf(TEXT, 's3:GetBukcetAcl')),
    `**\`s3:GetBukcetAcl\`** is not in the action catalogue (${DATE}). Check the spelling.\n\n${FOOTER}`);
  assert.equal(hoverText(service, POLICY, offsetOf(TEXT, 's3:GetBuckettAcl')),
    `**\`s3:GetBuckettAcl\`** is not in the action catalogue (${DATE}). `
    + `The findings name it, so it is treated as a real action newer than the catalogue.\n\n${FOOTER}`);
});

test('a policy no findings apply to: what the action is, no verdict, and a footer that says so', () => {
  const elsewhere = doc('/elsewhere/policy.json', TEXT);
  assert.equal(hoverText(setUp(), elsewhere, offsetOf(TEXT, 's3:GetBucketAcl')), [
    '**`s3:GetBucketAcl`** · Amazon S3 · Read',
    'Grants permission to use the acl subresource to return the access control list (ACL) of an Amazon S3 bucket',
    `_No findings file applies to this policy · action catalogue of ${DATE}_`,
  ].join('\n\n'));
});

test('a client that runs the fetch command gets a link to it where no findings apply, and only there', () => {
  const service = setUp();
  const elsewhere = doc('/elsewhere/policy.json', TEXT);
  const footerOf = (document: typeof POLICY): string | undefined => {
    const state = service.analyze(document)!;
    const value = (service.hover(state, offsetOf(TEXT, 's3:GetBucketAcl'), { fetchCommand: true })?.contents as { value: string }).value;
    return value.split('\n\n').at(-1);
  };
  assert.equal(footerOf(elsewhere), '_No findings file applies to this policy '
    + `([fetch findings from AWS…](command:iamPolicyRefiner.fetchFindings)) · action catalogue of ${DATE}_`);
  assert.equal(footerOf(POLICY), FOOTER);
});

test('from the opening quote to the closing one, and nowhere else', () => {
  const service = setUp();
  const literal = '"s3:GetObject"';
  const inside = hoverText(service, POLICY, offsetOf(TEXT, literal));
  assert.ok(inside?.startsWith('**`s3:GetObject`**'));
  assert.equal(hoverText(service, POLICY, offsetOf(TEXT, literal, 0)), inside);
  assert.equal(hoverText(service, POLICY, offsetOf(TEXT, literal, literal.length - 1)), inside);
  const outside = [[literal, literal.length], ['"Effect"', 2], ['"Allow"', 2], ['"Version"', 1], ['"*"', 1], ['"Action"', 3]] as const;
  for (const [needle, delta] of outside) {
    assert.equal(hoverText(service, POLICY, offsetOf(TEXT, needle, delta)), undefined, `${needle}+${delta}`);
  }
});

test('two findings files that disagree: the hover says which finds the action used and which calls it unused', () => {
  const service = serviceOver(memoryFileSystem({
    '/ws/unused-access.json': findings({ s3: ['GetBucketAcl'] }),
    '/ws/team/billing.unused-access.json': findings({ s3: ['GetObject', 'GetBucketAcl'] }),
  }), ['/ws']);
  const document = doc('/ws/team/policy.json', TEXT);
  const lines = hoverText(service, document, offsetOf(TEXT, 's3:GetObject'))!.split('\n\n');
  assert.equal(lines[2], 'In use: the findings do not call it unused. unused-access.json finds it used; '
    + 'billing.unused-access.json calls it unused.');
  // Where both call it unused, it is unused, and nothing more is said.
  assert.equal(hoverText(service, document, offsetOf(TEXT, 's3:GetBucketAcl'))!.split('\n\n')[2], `**Unused:** ${NEVER}.`);
});

test('past 60 unused actions the wildcard hover counts the rest, with a link to the findings for a client that runs it', () => {
  const names = testCatalog().actions('s3').slice(0, 70).map((a) => a.name);
  const service = serviceOver(memoryFileSystem({ '/ws/unused-access.json': findings({ s3: names }) }), ['/ws']);
  const text = policy(['s3:*']);
  const state = service.analyze(doc('/ws/policy.json', text))!;
  const lines = (options: { showFindingsCommand?: boolean }): string[] =>
    (service.hover(state, offsetOf(text, 's3:*'), options)!.contents as { value: string }).value.split('\n\n');
  const linked = lines({ showFindingsCommand: true });
  // After the replacement and its two sizes (words and compact).
  assert.match(linked[2]!, /^\*\*Size:\*\* /);
  assert.equal(linked[3]!.match(/`s3:/g)?.length, 60);
  assert.equal(linked[4], '…and 10 more unused ([open the findings](command:iamPolicyRefiner.showFindings))');
  assert.equal(lines({})[4], '…and 10 more unused');
});
