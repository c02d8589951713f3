import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from './commands';
import { documentSummary } from './requests';

/**
 * The status-bar item on policy documents: how many unused actions the active policy allows; a
 * click opens the preview, or, when no findings file applies, fetches findings from AWS. Also keeps
 * the `iamPolicyRefiner.isPolicy` context key for menus.
 */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('iamPolicyRefiner.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'IAM Policy Refiner';
    this.item.command = COMMANDS.previewRefinedPolicy;
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      // Diagnostics arrive after each analysis: the summary is current by then.
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (e.uris.some((u) => u.toString() === active)) this.schedule();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()),
    );
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), 100);
  }

  private async update(): Promise<void> {
    const document = vscode.window.activeTextEditor?.document;
    const summary = document && (await documentSummary(this.client, document).catch(() => undefined));
    await vscode.commands.executeCommand('setContext', 'iamPolicyRefiner.isPolicy', summary?.isPolicy === true);
    if (!summary?.isPolicy) {
      this.item.hide();
      return;
    }
    const n = summary.unusedActions;
    // Without findings there is nothing to preview: the click fetches them, where fetching may run.
    this.item.command = summary.findings.length === 0 && this.offerFetch() ? COMMANDS.fetchFindings : COMMANDS.previewRefinedPolicy;
    const unreadable = summary.findings.filter((f) => f.unreadable !== undefined);
    if (unreadable.length > 0) {
      // Never "0 unused" when what a findings file says is not known.
      this.item.text = n > 0 ? `$(warning) ${n} unused, findings unreadable` : '$(warning) findings unreadable';
      const reasons = unreadable.map((f) => `${basename(vscode.Uri.parse(f.uri).path)} cannot be read (${f.unreadable})`);
      this.item.tooltip = `IAM Policy Refiner: ${reasons.join('; ')}. `
        + 'Until it is fixed, what it calls unused may be missing here.';
    } else if (summary.findings.length === 0) {
      this.item.text = '$(shield) no findings';
      this.item.tooltip = this.offerFetch()
        ? 'IAM Policy Refiner: no findings file applies to this policy. Click to fetch unused-access findings from AWS.'
        : 'IAM Policy Refiner: no findings file applies to this policy (fetching them from AWS needs a trusted workspace)';
    } else if (n === 0) {
      this.item.text = '$(shield) 0 unused';
      this.item.tooltip = 'IAM Policy Refiner: this policy allows no unused action';
    } else {
      this.item.text = `$(shield) ${n} unused`;
      this.item.tooltip = `IAM Policy Refiner: this policy allows ${n} unused action${n === 1 ? '' : 's'}. `
        + 'Click to preview the refined policy.';
    }
    this.item.show();
  }

  /** Fetching runs with the user's AWS credentials: only offered in a trusted workspace. */
  private offerFetch(): boolean {
    return vscode.workspace.isTrusted;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
