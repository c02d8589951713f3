import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { READERS } from '../../../shared/src/formats/readers';
import { FORMATS, formatOfDocument, formatOfPath, POLICY_FILE_GLOBS, POLICY_LANGUAGE_IDS } from '../../../shared/src/formats/registry';
import { repoRoot } from '../../support/catalog';

test('a file\'s format by its name, whatever the case of its extension; other files have none', () => {
  assert.deepEqual(['a/policy.json', 'b.JSONC', 'template.yaml', 't.YML', 'main.tf', 'Makefile', 'notes.txt', 'tf'].map(formatOfPath),
    ['json', 'json', 'yaml', 'yaml', 'terraform', undefined, undefined, undefined]);
});

test('a document\'s format: by its file name first (a .tf file the editor calls plain text), else its language', () => {
  assert.equal(formatOfDocument('/w/main.tf', 'plaintext'), 'terraform');
  assert.equal(formatOfDocument('/w/policy.json', 'yaml'), 'json');
  assert.equal(formatOfDocument(undefined, 'yaml'), 'yaml');
  assert.equal(formatOfDocument(undefined, 'hcl'), 'terraform');
  assert.equal(formatOfDocument('/w/README.md', 'markdown'), undefined);
});

test('every format has a reader, and the JSON and YAML ones read a policy without a host', () => {
  const host = { terraform: undefined };
  assert.deepEqual(Object.keys(READERS).sort(), Object.keys(FORMATS).sort());
  const json = READERS.json(host)!('{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}');
  const yaml = READERS.yaml(host)!('Statement:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: "*"\n');
  assert.deepEqual([json.policies.length, yaml.policies.length], [1, 1]);
  assert.equal(READERS.terraform(host), undefined, 'Terraform needs its grammar from the host');
});

test('package.json activates the extension for every language of every format, and the watchers cover every extension', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { activationEvents: string[] };
  const missing = POLICY_LANGUAGE_IDS.filter((id) => !manifest.activationEvents.includes(`onLanguage:${id}`));
  assert.deepEqual(missing, []);
  assert.deepEqual(POLICY_FILE_GLOBS, ['**/*.json', '**/*.jsonc', '**/*.yaml', '**/*.yml', '**/*.tf']);
});
