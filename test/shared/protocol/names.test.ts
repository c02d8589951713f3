import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CodeActionKind } from 'vscode-languageserver-protocol';
import { FIX_ALL_KIND, SETTINGS_SECTION } from '../../../shared/src/protocol/names';
import { DocumentSummaryRequest, WorkspaceRefinementsRequest } from '../../../shared/src/protocol/requests';
import { repoRoot } from '../../support/catalog';
import { contributedSettings, manifest } from '../../support/manifest';

// The names client and server share are also what users write: settings, and the code action kind
// of refine-on-save. They must agree with package.json and the README.

test('every setting package.json contributes lies in the section the client synchronises and the server reads', () => {
  const settings = Object.keys(contributedSettings());
  assert.deepEqual(settings.filter((name) => !name.startsWith(`${SETTINGS_SECTION}.`)), []);
  // The language client's id is the section, and it looks for its trace setting by that id.
  assert.ok(settings.includes(`${SETTINGS_SECTION}.trace.server`), settings.join(', '));
});

test('each section of settings has for id the prefix of its settings\' keys, so that VS Code\'s settings editor drops it', () => {
  // VS Code labels a setting by its key less the id of its section (or, in a section without one, less
  // the extension's id, "iam-policy-refiner.iam-policy-refiner", which never matches "iamPolicyRefiner"):
  // without ids, every label would start "Iam Policy Refiner ›".
  const sections = manifest().contributes.configuration;
  assert.ok(sections.length > 1, 'settings come in sections');
  for (const { id, title, properties } of sections) {
    assert.ok(id === SETTINGS_SECTION || id.startsWith(`${SETTINGS_SECTION}.`), `${title}: ${id}`);
    const keys = Object.keys(properties);
    assert.ok(keys.length > 0, `${title} has settings`);
    assert.deepEqual(keys.filter((key) => !key.startsWith(`${id}.`)), [], `${title} (${id})`);
  }
  assert.equal(new Set(sections.map((s) => s.id)).size, sections.length, 'one section per id');
  assert.deepEqual(sections.map((s) => s.order), sections.map((_, i) => i + 1), 'shown in the order written');
});

test('the fix-all kind is a kind of LSP\'s source.fixAll, and the one the README tells users to run on save', () => {
  assert.ok(FIX_ALL_KIND.startsWith(`${CodeActionKind.SourceFixAll}.`), FIX_ALL_KIND);
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const onSave = /"editor\.codeActionsOnSave":\s*\{\s*"([^"]+)"/.exec(readme);
  assert.equal(onSave?.[1], FIX_ALL_KIND);
});

test('the custom requests have methods of their own, in the section\'s namespace', () => {
  const methods = [DocumentSummaryRequest.method, WorkspaceRefinementsRequest.method];
  assert.equal(new Set(methods).size, methods.length);
  for (const method of methods) assert.match(method, new RegExp(`^${SETTINGS_SECTION}/\\w+$`));
  // What goes over the wire: one parameter object, or none.
  assert.deepEqual([DocumentSummaryRequest.numberOfParams, WorkspaceRefinementsRequest.numberOfParams], [1, 0]);
});
