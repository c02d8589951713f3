import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { TextDocumentEdit } from 'vscode-languageserver';
import { createPolicyService } from '../../../server/src/service/policyService';
import { DEFAULT_SETTINGS, readSettings } from '../../../server/src/service/settings';
import { FIX_ALL_KIND } from '../../../shared/src/protocol/names';
import { ARTICLE_DIAGNOSTICS, ARTICLE_LAMBDA, ARTICLE_REFINED, ARTICLE_WHOLE_POLICY, articleGetHover } from '../../support/article';
import { repoRoot, testCatalog } from '../../support/catalog';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import {
  applied, diagnosticsOf, doc, findings, hoverText, NEVER, offsetOf, policy, range, rangeOf, seen, serviceOver, unusedActions, uri,
} from '../../support/service';

// The policy service in-process, over a folder tree held in memory: what a user of the editor
// sees (diagnostics, hovers, code actions and their edits) as settings, findings and files change.

const ARTICLE = join(repoRoot(), 'test', 'fixtures', 'workspaces', 'article');
const ARTICLE_POLICY = readFileSync(join(ARTICLE, 'policy.json'), 'utf8');
const ARTICLE_FINDINGS = readFileSync(join(ARTICLE, 'unused-access.json'), 'utf8');
const CATALOGUE_DATE = '2026-09-26';
const POLICY = policy(['s3:GetObject', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:PutObject']);

describe('the article\'s example, in-process', () => {
  const LAMBDA = ARTICLE_LAMBDA;
  const EXPECTED_DIAGNOSTICS = ARTICLE_DIAGNOSTICS;
  const WHOLE_POLICY = ARTICLE_WHOLE_POLICY;

  const setUp = () => {
    const fs = memoryFileSystem({ '/ws/policy.json': ARTICLE_POLICY, '/ws/unused-access.json': ARTICLE_FINDINGS });
    return { fs, service: serviceOver(fs, ['/ws']), document: doc('/ws/policy.json', ARTICLE_POLICY) };
  };

  test('validate: 8 unused actions and one over-broad wildcard, each linked to the findings that call it unused', () => {
    const { service, document } = setUp();
    const { diagnostics, policiesChanged } = service.validate(document);
    assert.deepEqual(diagnostics.map(seen), EXPECTED_DIAGNOSTICS);
    // The first validation of a policy adds it to the open policies findings files are matched against.
    assert.equal(policiesChanged, true);
    assert.equal(service.validate(document).policiesChanged, false);
    LAMBDA.forEach(([, action, findingsLine], i) => {
      const name = action.slice('lambda:'.length);
      assert.deepEqual(diagnostics[i]!.relatedInformation, [{
        location: { uri: 'file:///ws/unused-access.json', range: range(findingsLine, 6, 6 + name.length + 2) },
        message: 'Reported unused here',
      }]);
    });
  });

  test('hover on s3:Get*: its 63 actions, the 22 unused, those in use, and the 9 patterns that replace it', () => {
    const { service, document } = setUp();
    const state = service.analyze(document);
    assert.ok(state);
    // Built from the catalogue and the findings text, not from the service's analysis.
    const expected = articleGetHover(testCatalog(), `_Findings: unused-access.json · action catalogue of ${CATALOGUE_DATE}_`);
    assert.deepEqual(service.hover(state, offsetOf(ARTICLE_POLICY, 's3:Get*')), {
      contents: { kind: 'markdown', value: expected },
      range: range(21, 6, 15),
    });
  });

  test('code actions on the wildcard: its quick fix, the statement, the whole policy; fix-all only when asked for', () => {
    const { service, document } = setUp();
    const wildcard = service.validate(document).diagnostics[8]!;
    const state = service.analyze(document)!;
    const offset = offsetOf(ARTICLE_POLICY, '"s3:Get*"', 0);
    const actions = service.codeActions(state, offset, { diagnostics: [wildcard] }, { documentChanges: true });
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]), [
      ['Replace s3:Get* with 9 patterns that exclude 22 unused actions', 'quickfix', true],
      ['Refine this statement: 1 wildcard narrowed (22 unused actions excluded)', 'refactor.rewrite', false],
      [WHOLE_POLICY, 'refactor.rewrite', false],
    ]);
    assert.deepEqual(actions[0]!.diagnostics, [wildcard]);
    const fixAll = service.codeActions(state, offset, { diagnostics: [], only: ['source.fixAll'] }, { documentChanges: true });
    const everyPolicy = WHOLE_POLICY.replace('Refine the whole policy', 'Refine every policy in the file');
    assert.deepEqual(fixAll.map((a) => [a.title, a.kind]), [[everyPolicy, FIX_ALL_KIND]]);
  });

  test('applying "Refine the whole policy" gives the article\'s refined text; then nothing is left to report or offer', () => {
    const { service, document } = setUp();
    const [first] = service.validate(document).diagnostics;
    const state = service.analyze(document)!;
    const offset = offsetOf(ARTICLE_POLICY, 'lambda:AddPermission');
    const actions = service.codeActions(state, offset, { diagnostics: [first!] }, { documentChanges: true });
    const whole = actions.find((a) => a.title === WHOLE_POLICY);
    assert.ok(whole, `no "Refine the whole policy" among ${JSON.stringify(actions.map((a) => a.title))}`);
    // Versioned: an editor refuses the edit once the document has moved on.
    assert.deepEqual((whole.edit?.documentChanges?.[0] as TextDocumentEdit).textDocument, { uri: 'file:///ws/policy.json', version: 1 });
    const refined = applied(ARTICLE_POLICY, whole);
    assert.equal(refined, ARTICLE_REFINED);

    const next = doc('/ws/policy.json', refined, 2);
    assert.deepEqual(service.validate(next).diagnostics, []);
    const after = service.analyze(next)!;
    assert.deepEqual(service.codeActions(after, offsetOf(refined, 's3:GetObject*'), { diagnostics: [], only: ['source', 'refactor'] },
      { documentChanges: true }), []);
  });
});

describe('a line added or removed above statements', () => {
  // The statements below keep their diagnostics, moved by the lines: checked against a service
  // that sees the edited text for the first time, and through a quick fix at a moved diagnostic.
  const fresh = (text: string) => serviceOver(memoryFileSystem({
    '/ws/policy.json': text, '/ws/unused-access.json': ARTICLE_FINDINGS,
  }), ['/ws']);
  const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

  test('new lines above, then fewer: the diagnostics of a first analysis, and quick fixes that still apply', () => {
    const service = fresh(ARTICLE_POLICY);
    service.validate(doc('/ws/policy.json', ARTICLE_POLICY, 1));
    const at = ARTICLE_POLICY.indexOf('"Effect"');
    const texts = [
      `${ARTICLE_POLICY.slice(0, at)}\n\n      ${ARTICLE_POLICY.slice(at)}`,
      `${ARTICLE_POLICY.slice(0, at)}\n      ${ARTICLE_POLICY.slice(at)}`,
      ARTICLE_POLICY,
    ];
    texts.forEach((text, i) => {
      const document = doc('/ws/policy.json', text, i + 2);
      const diagnostics = service.validate(document).diagnostics;
      assert.deepEqual(json(diagnostics), json(fresh(text).validate(doc('/ws/policy.json', text, 1)).diagnostics), `text ${i}`);
      const wildcard = diagnostics.find((d) => d.code === 'overbroad-wildcard')!;
      const actions = service.codeActions(service.analyze(document)!, offsetOf(text, '"s3:Get*"', 0), { diagnostics: [wildcard] },
        { documentChanges: true });
      const fix = actions.find((a) => a.kind === 'quickfix');
      assert.ok(fix, `no quick fix at the moved wildcard of text ${i}`);
      assert.match(applied(text, fix), /"s3:GetObject\*"/);
    });
  });
});

describe('settings per workspace folder', () => {
  // Each folder holds the findings the other folder's glob would pick: were a folder to read the
  // other's, the two files would apply together, and only what both call unused (nothing) would count.
  const fs = memoryFileSystem({
    '/a/policy.json': policy(['s3:GetObject', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:List*']),
    '/a/prod.findings.json': findings({ s3: ['GetBucketAcl', 'ListBucket'] }),
    '/a/unused-access.json': findings({ s3: ['GetBucketCORS'] }),
    '/b/policy.json': policy(['s3:GetObject', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:List*']),
    '/b/prod.findings.json': findings({ s3: ['GetBucketAcl', 'ListBucket'] }),
    '/b/unused-access.json': findings({ s3: ['GetBucketCORS'] }),
  });
  const service = createPolicyService({ catalog: testCatalog(), fs });
  service.configure({
    folders: [
      {
        path: '/a',
        settings: readSettings({
          findings: { files: ['**/*.findings.json'] }, severity: { 'unused-action': 'off', 'overbroad-wildcard': 'error' },
        }),
      },
      { path: '/b', settings: readSettings({}) },
    ],
  });
  const text = fs.readFile('/a/policy.json');

  test('folder a: its own findings glob; unused-action off, overbroad-wildcard an error', () => {
    assert.deepEqual(diagnosticsOf(service, doc('/a/policy.json', text)), [{
      range: rangeOf(text, '"s3:List*"'), severity: 1, code: 'overbroad-wildcard', source: 'iam-policy-refiner',
      message: 's3:List* allows 1 unused action (of 18).',
    }]);
  });

  test('folder a: the hover still says an action is unused when its diagnostic is off, and names the findings file', () => {
    assert.equal(hoverText(service, doc('/a/policy.json', text), offsetOf(text, 's3:GetBucketAcl')), [
      '**`s3:GetBucketAcl`** · Amazon S3 · Read',
      'Grants permission to use the acl subresource to return the access control list (ACL) of an Amazon S3 bucket',
      `**Unused:** ${NEVER}.`,
      `_Findings: prod.findings.json · action catalogue of ${CATALOGUE_DATE}_`,
    ].join('\n\n'));
  });

  test('folder b: the default findings names and severities', () => {
    assert.deepEqual(diagnosticsOf(service, doc('/b/policy.json', text)), unusedActions(text, ['s3:GetBucketCORS']));
  });

  test('a file that is findings in one folder is plain JSON in the other', () => {
    assert.equal(service.isFindings('/a/prod.findings.json'), true);
    assert.equal(service.isFindings('/a/unused-access.json'), false);
    assert.equal(service.isFindings('/b/prod.findings.json'), false);
    assert.equal(service.isFindings('/b/unused-access.json'), true);
  });
});

describe('findings files that change', () => {
  test('rewritten on disk, then deleted, then created again: each step shows once the service is told', () => {
    const fs = memoryFileSystem({ '/ws/policy.json': POLICY, '/ws/unused-access.json': findings({ s3: ['GetBucketAcl'] }) });
    const service = serviceOver(fs, ['/ws']);
    const document = doc('/ws/policy.json', POLICY);
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:GetBucketAcl']));

    fs.write('/ws/unused-access.json', findings({ s3: ['GetBucketCORS', 'PutObject'] }));
    // The service reads findings when configured and when told of a change, not on every analysis.
    assert.deepEqual(diagnosticsOf(service, doc('/ws/policy.json', POLICY, 2)), unusedActions(POLICY, ['s3:GetBucketAcl']));
    assert.deepEqual(service.filesChanged([{ path: '/ws/unused-access.json', deleted: false }]), { all: true, findingsDocuments: false });
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:GetBucketCORS', 's3:PutObject']));

    fs.remove('/ws/unused-access.json');
    assert.deepEqual(service.filesChanged([{ path: '/ws/unused-access.json', deleted: true }]), { all: true, findingsDocuments: false });
    assert.deepEqual(diagnosticsOf(service, document), []);

    fs.write('/ws/unused-access.json', findings({ s3: ['PutObject'] }));
    service.filesChanged([{ path: '/ws/unused-access.json', deleted: false }]);
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:PutObject']));
  });

  test('an open findings document\'s unsaved text wins over the disk; closed, the disk counts again', () => {
    const fs = memoryFileSystem({ '/ws/policy.json': POLICY, '/ws/unused-access.json': findings({ s3: ['GetBucketAcl'] }) });
    const service = serviceOver(fs, ['/ws']);
    const document = doc('/ws/policy.json', POLICY);
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:GetBucketAcl']));

    assert.equal(service.findingsOpened('/ws/unused-access.json', findings({ s3: ['PutObject'] })), true);
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:PutObject']));

    // Saved by another program while open: the editor's text still counts.
    fs.write('/ws/unused-access.json', findings({ s3: ['GetBucketCORS'] }));
    service.filesChanged([{ path: '/ws/unused-access.json', deleted: false }]);
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:PutObject']));

    // Half-typed: the findings document says what is wrong, the policy keeps the last findings that parsed, and says so.
    const broken = '[{"serviceNamespace": "s3", "actions": ["GetObject"';
    service.findingsOpened('/ws/unused-access.json', broken);
    assert.deepEqual(service.validate(doc('/ws/unused-access.json', broken)).diagnostics.map((d) => [d.code, d.message]), [
      ['findings-json', 'The text ends too early: expected ] to close the array'],
      ['findings-json', 'The text ends too early: expected } to close the object'],
      ['findings-json', 'The text ends too early: expected ] to close the array'],
    ]);
    const [stale, ...kept] = diagnosticsOf(service, document);
    assert.deepEqual([stale!.code, stale!.message], ['findings-unreadable', 'Findings file unused-access.json cannot be read '
      + '(line 1: The text ends too early: expected ] to close the array): '
      + 'its last version that could be read is used until it is fixed.']);
    assert.deepEqual(kept, unusedActions(POLICY, ['s3:PutObject']));

    assert.deepEqual(service.documentClosed(uri('/ws/unused-access.json')), { all: true, findingsDocuments: false });
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:GetBucketCORS']));
  });

  test('a document that is no findings file is not taken for one when opened', () => {
    const fs = memoryFileSystem({ '/ws/policy.json': POLICY, '/ws/unused-access.json': findings({ s3: ['GetBucketAcl'] }) });
    const service = serviceOver(fs, ['/ws']);
    assert.equal(service.findingsOpened('/ws/notes.json', findings({ s3: ['PutObject'] })), false);
    assert.deepEqual(diagnosticsOf(service, doc('/ws/policy.json', POLICY)), unusedActions(POLICY, ['s3:GetBucketAcl']));
  });
});

describe('documents outside every workspace folder find their findings as the CLI does', () => {
  // Above the repository, beside the policy, and in the workspace folder: none of these applies.
  const files = {
    '/home/unused-access.json': findings({ s3: ['PutObject'] }),
    '/home/repo/.git/': '',
    '/home/repo/unused-access.json': findings({ s3: ['GetBucketAcl', 'GetObject'] }),
    '/home/repo/app/ci.unused-access.json': findings({ s3: ['GetBucketAcl', 'GetBucketCORS'] }),
    '/home/repo/other/unused-access.json': findings({ s3: ['GetObject'] }),
    '/ws/unused-access.json': findings({ s3: ['GetObject'] }),
    '/ws/policy.json': POLICY,
  };
  const document = doc('/home/repo/app/policy.json', POLICY);

  test('from the policy\'s folder up to the repository root; two files apply, so only what both call unused counts', () => {
    const service = serviceOver(memoryFileSystem(files), ['/ws']);
    const diagnostics = service.validate(document).diagnostics;
    assert.deepEqual(diagnostics.map(seen), unusedActions(POLICY, ['s3:GetBucketAcl']));
    // A link to each of the files that call it unused, by path.
    assert.deepEqual(diagnostics[0]!.relatedInformation?.map((r) => r.location.uri),
      ['file:///home/repo/app/ci.unused-access.json', 'file:///home/repo/unused-access.json']);
    assert.equal(hoverText(service, document, offsetOf(POLICY, 's3:GetBucketAcl'))?.split('\n\n').at(-1),
      `_Findings: ci.unused-access.json, unused-access.json · action catalogue of ${CATALOGUE_DATE}_`);
  });

  test('the same with no workspace folder at all', () => {
    const service = serviceOver(memoryFileSystem(files), []);
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:GetBucketAcl']));
  });

  test('outside any repository: the working folder when the policy is in it, else the policy\'s own folder', () => {
    const loose = { '/loose/unused-access.json': findings({ s3: ['GetBucketAcl'] }), '/loose/sub/policy.json': POLICY };
    const inCwd = serviceOver(memoryFileSystem(loose), [], { cwd: '/loose' });
    assert.deepEqual(diagnosticsOf(inCwd, doc('/loose/sub/policy.json', POLICY)), unusedActions(POLICY, ['s3:GetBucketAcl']));
    const elsewhere = serviceOver(memoryFileSystem(loose), [], { cwd: '/elsewhere' });
    assert.deepEqual(diagnosticsOf(elsewhere, doc('/loose/sub/policy.json', POLICY)), []);
  });

  // Findings found from a document outside every folder, as they change while the document is open.
  const repo = () => memoryFileSystem({ '/home/repo/.git/': '', '/home/repo/unused-access.json': findings({ s3: ['GetBucketAcl'] }) });

  test('rewritten on disk, then deleted: each step shows once the service is told', () => {
    const fs = repo();
    const service = serviceOver(fs, []);
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:GetBucketAcl']));
    fs.write('/home/repo/unused-access.json', findings({ s3: ['GetBucketCORS'] }));
    assert.deepEqual(service.filesChanged([{ path: '/home/repo/unused-access.json', deleted: false }]),
      { all: true, findingsDocuments: false });
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:GetBucketCORS']));
    fs.remove('/home/repo/unused-access.json');
    service.filesChanged([{ path: '/home/repo/unused-access.json', deleted: true }]);
    assert.deepEqual(diagnosticsOf(service, document), []);
  });

  test('a findings file deleted while the service knew it is not reported as unreadable at each analysis', () => {
    const fs = repo();
    const unreadable: string[] = [];
    const service = serviceOver(fs, [], { onUnreadable: (path, reason) => unreadable.push(`${path}: ${reason}`) });
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:GetBucketAcl']));
    fs.remove('/home/repo/unused-access.json');
    service.filesChanged([{ path: '/home/repo/unused-access.json', deleted: true }]);
    for (let version = 2; version <= 4; version++) assert.deepEqual(diagnosticsOf(service, { ...document, version }), []);
    // The service was told of the deletion: nothing failed to read. Today each analysis reports ENOENT.
    assert.deepEqual(unreadable, []);
  });

  test('an open findings document outside every folder counts with its unsaved text, and closed, the disk again', () => {
    const fs = repo();
    const service = serviceOver(fs, []);
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:GetBucketAcl']));
    assert.equal(service.findingsOpened('/home/repo/unused-access.json', findings({ s3: ['PutObject'] })), true);
    // Today the analysis still uses the findings read from the disk.
    assert.deepEqual(diagnosticsOf(service, { ...document, version: 2 }), unusedActions(POLICY, ['s3:PutObject']));
    service.documentClosed(uri('/home/repo/unused-access.json'));
    fs.write('/home/repo/unused-access.json', findings({ s3: ['GetBucketCORS'] }));
    service.filesChanged([{ path: '/home/repo/unused-access.json', deleted: false }]);
    assert.deepEqual(diagnosticsOf(service, { ...document, version: 3 }), unusedActions(POLICY, ['s3:GetBucketCORS']));
  });

  test('a findings file created beside an analysed document outside every folder applies once the service is told', () => {
    const fs = repo();
    const service = serviceOver(fs, []);
    assert.deepEqual(diagnosticsOf(service, document), unusedActions(POLICY, ['s3:GetBucketAcl']));
    fs.write('/home/repo/app/ci.unused-access.json', findings({ s3: ['GetBucketAcl', 'GetBucketCORS'] }));
    service.filesChanged([{ path: '/home/repo/app/ci.unused-access.json', deleted: false }]);
    fs.write('/home/repo/unused-access.json', findings({ s3: ['GetBucketCORS', 'PutObject'] }));
    service.filesChanged([{ path: '/home/repo/unused-access.json', deleted: false }]);
    // Both apply: only what both call unused counts. Today the folders searched are listed once per repository.
    assert.deepEqual(diagnosticsOf(service, { ...document, version: 2 }), unusedActions(POLICY, ['s3:GetBucketCORS']));
  });
});

describe('findings named explicitly (the CLI\'s --findings)', () => {
  const files = {
    '/findings/role.json': findings({ s3: ['GetBucketAcl'] }),
    '/ws/unused-access.json': findings({ s3: ['PutObject'] }),
    '/ws/app/policy.json': POLICY,
  };

  test('apply to every policy, wherever it is, instead of the findings found by name', () => {
    const fs = memoryFileSystem(files);
    const service = createPolicyService({ catalog: testCatalog(), fs, cwd: '/nowhere' });
    service.configure({ folders: [], findings: ['/findings/role.json'] });
    for (const path of ['/ws/app/policy.json', '/elsewhere/policy.json', '/findings/nested/policy.json']) {
      assert.deepEqual(diagnosticsOf(service, doc(path, POLICY)), unusedActions(POLICY, ['s3:GetBucketAcl']), path);
    }
    service.configure({ folders: [{ path: '/ws', settings: DEFAULT_SETTINGS }], findings: ['/findings/role.json'] });
    assert.deepEqual(diagnosticsOf(service, doc('/ws/app/policy.json', POLICY)), unusedActions(POLICY, ['s3:GetBucketAcl']));
    // The workspace's own findings file is plain JSON now.
    assert.deepEqual(service.validate(doc('/ws/unused-access.json', files['/ws/unused-access.json'])).diagnostics, []);
  });

  test('an explicit findings file that cannot be read is reported once, and no findings apply', () => {
    const unreadable: [string, string][] = [];
    const service = createPolicyService({
      catalog: testCatalog(), fs: memoryFileSystem(files), cwd: '/nowhere', onUnreadable: (path, reason) => unreadable.push([path, reason]),
    });
    service.configure({ folders: [], findings: ['/findings/missing.json'] });
    assert.deepEqual(unreadable, [['/findings/missing.json', 'ENOENT']]);
    for (const path of ['/ws/app/policy.json', '/elsewhere/policy.json']) {
      assert.deepEqual(diagnosticsOf(service, doc(path, POLICY)), [], path);
      assert.equal(hoverText(service, doc(path, POLICY, 2), offsetOf(POLICY, 's3:GetBucketAcl'))?.split('\n\n').at(-1),
        `_No findings file applies to this policy · action catalogue of ${CATALOGUE_DATE}_`);
    }
    assert.deepEqual(unreadable, [['/findings/missing.json', 'ENOENT']]);
  });

  test('an explicit findings file applies to the open policies, so it is not reported as unmatched', () => {
    const service = createPolicyService({ catalog: testCatalog(), fs: memoryFileSystem(files), cwd: '/nowhere' });
    service.configure({ folders: [{ path: '/ws', settings: DEFAULT_SETTINGS }], findings: ['/findings/role.json'] });
    assert.deepEqual(diagnosticsOf(service, doc('/ws/app/policy.json', POLICY)), unusedActions(POLICY, ['s3:GetBucketAcl']));
    assert.deepEqual(service.validate(doc('/findings/role.json', files['/findings/role.json'])).diagnostics.map(seen), []);
  });
});

describe('verifiedEdits: every edit is re-checked before anyone sees it', () => {
  const setUp = () => {
    const log: string[] = [];
    const fs = memoryFileSystem({ '/ws/policy.json': ARTICLE_POLICY, '/ws/unused-access.json': ARTICLE_FINDINGS });
    const service = serviceOver(fs, ['/ws'], { log: (message) => log.push(message) });
    const state = service.analyze(doc('/ws/policy.json', ARTICLE_POLICY));
    assert.ok(state);
    return { log, service, state };
  };
  /** An insertion just before `needle` in the article's policy. */
  const before = (needle: string, newText: string) => ({ offset: offsetOf(ARTICLE_POLICY, needle, 0), length: 0, newText });

  test('the analysis\' own edits pass, and nothing is logged', () => {
    const { log, service, state } = setUp();
    assert.equal(service.verifiedEdits(state, state.analysis.edits), true);
    assert.deepEqual(log, []);
  });

  test('edits that keep an unused action allowed are refused, and the refusal is logged', () => {
    const { log, service, state } = setUp();
    const edits = [...state.analysis.edits, before('"s3:List*"', '"s3:GetBucketAcl",\n      ')];
    assert.equal(service.verifiedEdits(state, edits), false);
    assert.deepEqual(log, [
      'Refusing a refinement of file:///ws/policy.json that does not re-check: statement 2: unused s3:GetBucketAcl is still allowed',
    ]);
  });

  test('edits that allow something new, or drop an action in use, are refused', () => {
    const { log, service, state } = setUp();
    assert.equal(service.verifiedEdits(state, [...state.analysis.edits, before('"s3:List*"', '"s3:PutObject",\n      ')]), false);
    const invoke = offsetOf(ARTICLE_POLICY, '"lambda:Invoke*"', 0);
    const narrowInvoke = { offset: invoke, length: '"lambda:Invoke*"'.length, newText: '"lambda:InvokeAsync"' };
    assert.equal(service.verifiedEdits(state, [...state.analysis.edits, narrowInvoke]), false);
    assert.deepEqual(log, [
      'Refusing a refinement of file:///ws/policy.json that does not re-check: statement 2: s3:PutObject is newly allowed',
      'Refusing a refinement of file:///ws/policy.json that does not re-check: '
        + 'statement 1: lambda:InvokeFunction is no longer allowed; statement 1: lambda:InvokeFunctionUrl is no longer allowed',
    ]);
  });
});

describe('documents that are not analysed', () => {
  test('a document of no known format, even when its text is a policy', () => {
    const fs = memoryFileSystem({ '/ws/unused-access.json': findings({ s3: ['GetBucketAcl'] }) });
    const service = serviceOver(fs, ['/ws']);
    const untitled = { uri: 'untitled:Untitled-1', version: 1, text: POLICY, languageId: 'plaintext' };
    for (const document of [doc('/ws/notes.txt', POLICY, 1, 'plaintext'), untitled]) {
      assert.equal(service.analyze(document), undefined, document.uri);
      assert.deepEqual(service.validate(document), { diagnostics: [], policiesChanged: false }, document.uri);
    }
    // The same text as JSON is a policy: the format alone kept it out.
    assert.deepEqual(diagnosticsOf(service, doc('/ws/notes.json', POLICY)), unusedActions(POLICY, ['s3:GetBucketAcl']));
  });

  test('a document policies.exclude excludes, whose findings then apply to no policy', () => {
    const fs = memoryFileSystem({
      '/ws/generated/policy.json': POLICY,
      '/ws/generated/unused-access.json': '[{"serviceNamespace": "s3", "actions": ["GetBucketAcl"]}]\n',
      '/ws/infra/policy.json': POLICY,
      '/ws/infra/unused-access.json': findings({ s3: ['GetBucketCORS'] }),
    });
    const service = createPolicyService({ catalog: testCatalog(), fs, cwd: '/nowhere' });
    service.configure({ folders: [{ path: '/ws', settings: readSettings({ policies: { exclude: ['generated/**'] } }) }] });
    const generated = doc('/ws/generated/policy.json', POLICY);
    assert.equal(service.analyze(generated), undefined);
    assert.deepEqual(service.validate(generated), { diagnostics: [], policiesChanged: false });
    assert.deepEqual(diagnosticsOf(service, doc('/ws/infra/policy.json', POLICY)), unusedActions(POLICY, ['s3:GetBucketCORS']));
    assert.deepEqual(diagnosticsOf(service, doc('/ws/generated/unused-access.json', fs.readFile('/ws/generated/unused-access.json'))), [{
      range: range(0, 0, 1), severity: 2, code: 'unmatched-findings', source: 'iam-policy-refiner',
      message: 'These findings apply to no policy in the workspace: no IAM policy sits in its folder or below.',
    }]);
  });
});

describe('services prepared ahead of need', () => {
  test('the services the findings call anything unused in, the largest first, at most 64', () => {
    const catalog = testCatalog();
    const fs = memoryFileSystem({
      '/ws/a/unused-access.json': findings({ dynamodb: ['Scan'], lambda: ['InvokeFunction'] }),
      '/ws/b/unused-access.json': findings({ iam: ['PassRole'] }),
    });
    const service = createPolicyService({ catalog, fs });
    service.configure({ folders: [{ path: '/ws', settings: DEFAULT_SETTINGS }] });
    assert.deepEqual(service.findingsServices(), ['iam', 'lambda', 'dynamodb']);
    // An account-wide findings file: every service of the catalogue, of which the 64 largest.
    const all = [...catalog.services()];
    fs.write('/ws/b/unused-access.json', findings(Object.fromEntries(all.map((s) => [s, [catalog.actions(s)[0]!.name]]))));
    service.filesChanged([{ path: '/ws/b/unused-access.json', deleted: false }]);
    const largest = all.sort((a, b) => catalog.actionCount(b) - catalog.actionCount(a)).slice(0, 64);
    assert.deepEqual(service.findingsServices(), largest);
  });
});

describe('warm-up: a first analysis in steps', () => {
  test('the steps warm the findings that apply; the diagnostics are those of an analysis made at once; a warm document has none', () => {
    const madeUp = Array.from({ length: 30_000 }, (_, i) => `GetMadeUp${i.toString(36)}`);
    const findingsText = JSON.stringify([{ serviceNamespace: 's3', actions: madeUp }]);
    const files = { '/ws/policy.json': ARTICLE_POLICY, '/ws/unused-access.json': findingsText };
    const document = doc('/ws/policy.json', ARTICLE_POLICY);
    const warmed = serviceOver(memoryFileSystem(files), ['/ws']);
    const steps = [...warmed.warmUp(document)].length;
    // The 11 patterns, S3's unused names, and S3's trie of 30,000 more names in several steps.
    assert.ok(steps >= 11 + 1 + 4, `${steps} steps`);
    const atOnce = serviceOver(memoryFileSystem(files), ['/ws']).validate(document).diagnostics;
    assert.deepEqual(warmed.validate(document).diagnostics, atOnce);
    const wildcard = atOnce.find((d) => d.code === 'overbroad-wildcard');
    assert.match(String(wildcard?.message), /^s3:Get\* allows 30,000 unused actions \(of 30,063\)/);
    assert.equal([...warmed.warmUp(document)].length, 0);
    assert.equal([...warmed.warmUp(doc('/ws/unused-access.json', files['/ws/unused-access.json']))].length, 0);
  });
});
