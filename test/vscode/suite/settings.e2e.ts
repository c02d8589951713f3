// Settings reach the language server: iamPolicyRefiner.severity changes what the Problems panel shows.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SETTINGS_SECTION as SECTION } from '../../../shared/src/protocol/names';
import {
  activateExtension, codeOf, hasWorkspaceFolder, revertAndCloseAll, revertToDisk, waitForDiagnosticsWhere, workspaceUri,
} from './helpers';

/** Severities by code, counted: `{ 'unused-action/Error': 8, ... }`. */
function severities(diagnostics: readonly vscode.Diagnostic[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of diagnostics) {
    const key = `${codeOf(d)}/${vscode.DiagnosticSeverity[d.severity]}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const DEFAULTS = { 'unused-action/Warning': 8, 'overbroad-wildcard/Warning': 1 };

suite('settings: iamPolicyRefiner.severity', () => {
  const policy = () => workspaceUri('policy.json', 'article');
  const target = vscode.ConfigurationTarget.Workspace;

  suiteSetup(async function () {
    if (!hasWorkspaceFolder('article')) {
      this.skip(); // run.mjs --workspace without article
      return;
    }
    await revertAndCloseAll();
    await vscode.window.showTextDocument(await revertToDisk(policy()));
    await activateExtension();
    await waitForDiagnosticsWhere(policy(), 'the defaults', (d) => d.length === 9);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration(SECTION).update('severity', undefined, target);
    await revertAndCloseAll();
  });

  test('by default: 8 unused-action and 1 overbroad-wildcard, all warnings', async () => {
    const diagnostics = await waitForDiagnosticsWhere(policy(), 'the defaults', (d) => d.length === 9);
    assert.deepEqual(severities(diagnostics), DEFAULTS);
  });

  test('"unused-action": "error" (workspace setting) turns the 8 unused actions into errors; the wildcard stays a warning', async () => {
    await vscode.workspace.getConfiguration(SECTION).update('severity', { 'unused-action': 'error' }, target);
    const diagnostics = await waitForDiagnosticsWhere(policy(), 'unused-action as errors',
      (d) => d.filter((x) => x.severity === vscode.DiagnosticSeverity.Error).length === 8);
    assert.deepEqual(severities(diagnostics), { 'unused-action/Error': 8, 'overbroad-wildcard/Warning': 1 });
  });

  test('"overbroad-wildcard": "off" hides the wildcard\'s diagnostic; "information" brings it back as information', async () => {
    await vscode.workspace.getConfiguration(SECTION).update('severity', { 'unused-action': 'error', 'overbroad-wildcard': 'off' }, target);
    let diagnostics = await waitForDiagnosticsWhere(policy(), 'no overbroad-wildcard', (d) => d.length === 8);
    assert.deepEqual(severities(diagnostics), { 'unused-action/Error': 8 });
    await vscode.workspace.getConfiguration(SECTION).update('severity', { 'overbroad-wildcard': 'information' }, target);
    diagnostics = await waitForDiagnosticsWhere(policy(), 'overbroad-wildcard as information',
      (d) => d.length === 9 && d.some((x) => x.severity === vscode.DiagnosticSeverity.Information));
    assert.deepEqual(severities(diagnostics), { 'unused-action/Warning': 8, 'overbroad-wildcard/Information': 1 });
  });

  test('removing the setting restores the defaults', async () => {
    await vscode.workspace.getConfiguration(SECTION).update('severity', undefined, target);
    const diagnostics = await waitForDiagnosticsWhere(policy(), 'all warnings again',
      (d) => d.length === 9 && d.every((x) => x.severity === vscode.DiagnosticSeverity.Warning));
    assert.deepEqual(severities(diagnostics), DEFAULTS);
    assert.equal(vscode.workspace.getConfiguration(SECTION).inspect('severity')?.workspaceValue, undefined);
  });
});
