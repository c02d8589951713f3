import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from './commands';
import { PREVIEW_SCHEME } from './preview';
import { documentSummary } from './requests';

/** What the item shows now, for the end-to-end tests (a status bar item cannot be read through the API). */
export interface StatusItemState {
  visible: boolean;
  text: string;
  tooltip: string;
  /** The policy the item describes. */
  uri: string | undefined;
  /** No update is waiting or running: what the item shows is its answer to the last change. */
  settled: boolean;
}

/**
 * The status-bar item on policy documents: how many unused actions the active policy allows; a
 * click opens the preview, or, when no findings file applies, fetches findings from AWS. Also keeps
 * the `iamPolicyRefiner.isPolicy` context key for menus.
 */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('iamPolicyRefiner.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The policy the item describes: the last policy editor, kept while the focus is in the panel or a preview. */
  private current: vscode.TextDocument | undefined;
  private visible = false;
  /** Updates overlap (each awaits the server): only the latest one may change the item. */
  private generation = 0;
  private inFlight = false;

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'IAM Policy Refiner';
    this.item.command = COMMANDS.previewRefinedPolicy;
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      // Diagnostics arrive after each analysis: the summary is current by then.
      vscode.languages.onDidChangeDiagnostics((e) => {
        const described = [this.current, vscode.window.activeTextEditor?.document].map((d) => d?.uri.toString());
        if (e.uris.some((u) => described.includes(u.toString()))) this.schedule();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()),
      // Closing the policy's last tab while the focus is elsewhere: the item has nothing left to describe.
      vscode.window.tabGroups.onDidChangeTabs(() => this.schedule()),
    );
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const generation = ++this.generation;
      this.inFlight = true;
      void this.update(generation).finally(() => {
        if (generation === this.generation) this.inFlight = false;
      });
    }, 100);
  }

  private async update(generation: number): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    // No text editor (the focus is in the Problems panel, a terminal…), an editor of the panel (the Output view has no
    // view column) or the preview's refined side: the item keeps describing the policy the user is working on.
    const elsewhere = !editor || editor.viewColumn === undefined || editor.document.uri.scheme === PREVIEW_SCHEME;
    const document = elsewhere ? (this.current && isInATab(this.current.uri) ? this.current : undefined) : editor.document;
    const summary = document && (await documentSummary(this.client, document).catch(() => 'failed' as const));
    // The server is restarting (or failed): keep what the item shows; its diagnostics, when they come, update it.
    if (generation !== this.generation || summary === 'failed') return;
    if (!elsewhere) await vscode.commands.executeCommand('setContext', 'iamPolicyRefiner.isPolicy', summary?.isPolicy === true);
    if (!summary?.isPolicy) {
      this.current = undefined;
      this.item.hide();
      this.visible = false;
      return;
    }
    this.current = document;
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
    this.visible = true;
  }

  /** What the item shows. */
  state(): StatusItemState {
    const tooltip = this.item.tooltip;
    return {
      visible: this.visible,
      text: this.item.text,
      tooltip: typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '',
      uri: this.current?.uri.toString(),
      settled: this.timer === undefined && !this.inFlight,
    };
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

/** Whether a document is open in a tab, on its own or as the original side of a diff (the preview's). */
function isInATab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) =>
    (t.input instanceof vscode.TabInputText && t.input.uri.toString() === key)
    || (t.input instanceof vscode.TabInputTextDiff && t.input.original.toString() === key)));
}
