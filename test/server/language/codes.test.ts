import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SEVERITY, FINDINGS_CODES, POLICY_CODES, SEVERITY_SETTINGS } from '../../../server/src/language/codes';
import { SETTINGS_SECTION } from '../../../shared/src/protocol/names';
import { contributedSettings } from '../../support/manifest';

interface SeverityProperty {
  type?: string;
  enum?: string[];
  default?: string;
}

/** The `iamPolicyRefiner.severity` setting as the extension contributes it: what users see and edit. */
function contributedSeverity(): { properties: Record<string, SeverityProperty>; additionalProperties?: boolean } {
  const setting = contributedSettings()[`${SETTINGS_SECTION}.severity`];
  assert.ok(setting, `package.json contributes ${SETTINGS_SECTION}.severity`);
  return setting as ReturnType<typeof contributedSeverity>;
}

test('package.json offers a severity for exactly the codes the server reports, with the server\'s defaults', () => {
  const { properties, additionalProperties } = contributedSeverity();
  // Sorted: the settings editor's order is package.json's to choose, the set of codes is not.
  // unknown-action is both: one setting for a name the catalogue does not know, in a policy or in findings.
  assert.deepEqual(Object.keys(properties).sort(), [...new Set([...POLICY_CODES, ...FINDINGS_CODES])].sort());
  assert.deepEqual(Object.fromEntries(Object.entries(properties).map(([code, p]) => [code, p.default])), DEFAULT_SEVERITY);
  // A code the schema does not list is flagged in settings.json: nothing the server reads is missing from it.
  assert.equal(additionalProperties, false);
});

test('every severity in package.json takes exactly the values the server reads', () => {
  for (const [code, property] of Object.entries(contributedSeverity().properties)) {
    assert.equal(property.type, 'string', code);
    assert.deepEqual(property.enum, [...SEVERITY_SETTINGS], code);
  }
});
