import { type CodeAction, type CodeActionContext, CodeActionKind } from 'vscode-languageserver';
import { FETCH_FINDINGS_COMMAND } from '../../../shared/src/protocol/names';
import { SOURCE } from '../language/codes';

/** The title of the quick action on stale findings. */
export const FETCH_AGAIN_TITLE = 'Fetch the findings again from AWS…';

/**
 * For each `stale-findings` diagnostic in the request, the quick action that fetches the findings
 * again: the client's fetch command, for clients that run it (VS Code). Nothing is edited here;
 * the new findings file replaces the old one, and the policy is analysed again when it changes.
 */
export function fetchAgainActions(context: CodeActionContext): CodeAction[] {
  const quickFix = CodeActionKind.QuickFix;
  const wanted = !context.only || context.only.some((kind) => kind === quickFix || quickFix.startsWith(`${kind}.`));
  if (!wanted) return [];
  return context.diagnostics.filter((d) => d.source === SOURCE && d.code === 'stale-findings').slice(0, 1).map((diagnostic) => ({
    title: FETCH_AGAIN_TITLE,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title: FETCH_AGAIN_TITLE, command: FETCH_FINDINGS_COMMAND },
  }));
}
