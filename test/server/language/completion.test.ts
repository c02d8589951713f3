import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompletionItem, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { abbreviates } from '../../../server/src/language/completion';
import { splitTokens } from '../../../shared/src/catalog/tokens';
import { testCatalog } from '../../support/catalog';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { doc, findings, policy, serviceOver } from '../../support/service';

// Completion in-process: what is offered where, the text a pick leaves, the version not analysed
// yet, and a wildcard's count that includes the actions the findings name.

const setUp = () => serviceOver(memoryFileSystem({ '/ws/unused-access.json': findings({ s3: ['GetObject', 'FutureThing'] }) }), ['/ws']);

function complete(text: string, cursor: string, version = 1): { items: CompletionItem[]; pick: (label: string) => string } {
  const service = setUp();
  const offset = text.indexOf(cursor) + cursor.length;
  const list = service.completion(doc('/ws/policy.json', text, version), offset);
  const items = list?.items ?? [];
  return {
    items,
    pick: (label) => {
      const item = items.find((i) => i.label === label);
      assert.ok(item, `${label} offered`);
      const edit = item.textEdit as TextEdit;
      return TextDocument.applyEdits(TextDocument.create('file:///x', 'json', 0, text), [{ ...edit, newText: edit.newText.replace('$0', '') }]);
    },
  };
}

test('word initials: each letter group starts the next word, in order, any case', () => {
  const tokens = splitTokens('GetObjectLegalHold');
  for (const query of ['gol', 'g', 'getobjleg', 'goLH', 'getobjectlegalhold']) assert.ok(abbreviates(query.toLowerCase(), tokens), query);
  for (const query of ['olh', 'gx', 'golhx', 'legal']) assert.ok(!abbreviates(query, tokens), query);
});

test('actions that start with the typed name come first, then those it abbreviates', () => {
  const { items } = complete(policy(['s3:getob']), 's3:getob');
  const first = items.filter((i) => i.sortText!.startsWith('0')).map((i) => i.label);
  const expected = testCatalog().actions('s3').filter((a) => a.name.toLowerCase().startsWith('getob')).map((a) => a.full);
  assert.deepEqual([...first].sort(), [...expected].sort());
  assert.ok(items.every((i) => i.sortText!.startsWith('0') || i.sortText!.startsWith('1')));
});

test('the pick replaces the whole token, also the part after the cursor', () => {
  const text = policy(['s3:GetObjekt']);
  assert.equal(complete(text, 's3:GetOb').pick('s3:GetObject'), policy(['s3:GetObject']));
});

test('a service prefix as written is kept in case: S3:getob offers S3:GetObject', () => {
  const { items } = complete(policy(['S3:getob']), 'S3:getob');
  assert.ok(items.some((i) => i.label === 'S3:GetObject'), items.map((i) => i.label).join(', '));
});

test('a typed wildcard counts the actions the findings name beside the catalogue\'s', () => {
  const { items } = complete(policy(['s3:Future*']), 's3:Future*');
  assert.equal(items.length, 1);
  assert.equal(items[0]!.detail, 'matches 1 known action');
  assert.equal((items[0]!.documentation as { value: string }).value, '1 not in the catalogue');
});

test('an unknown service, and text outside the action lists, offer nothing', () => {
  assert.deepEqual(complete(policy(['s4:GetOb']), 's4:GetOb').items, []);
  const text = policy(['s3:GetObject']);
  assert.equal(setUp().completion(doc('/ws/policy.json', text), text.indexOf('Allow') + 2), null);
});

test('a version the service has not analysed is read as it is now', () => {
  const service = setUp();
  const before = policy(['s3:GetObject']);
  service.analyze(doc('/ws/policy.json', before, 1));
  const after = policy(['s3:GetObject', 'sqs:SendMe']);
  const list = service.completion(doc('/ws/policy.json', after, 2), after.indexOf('sqs:SendMe') + 'sqs:SendMe'.length);
  assert.deepEqual(list?.items.map((i) => i.label), ['sqs:SendMessage']);
});

test('YAML: an empty sequence item offers the service prefixes, written as a plain scalar', () => {
  const text = ['Resources:', '  P:', '    Type: AWS::IAM::ManagedPolicy', '    Properties:', '      PolicyDocument:', '        Statement:',
    '          - Effect: Allow', '            Resource: "*"', '            Action:', '              - s3:GetObject', '              - ', '',
  ].join('\n');
  const offset = text.lastIndexOf('- ') + 2;
  const list = setUp().completion(doc('/ws/template.yaml', text, 1, 'yaml'), offset);
  const s3 = list?.items.find((i) => i.label === 's3');
  assert.equal(s3?.detail, testCatalog().serviceTitle('s3'));
  assert.equal((s3?.textEdit as TextEdit).newText, 's3:');
  assert.equal(list?.items.length, [...testCatalog().services()].length);
});
