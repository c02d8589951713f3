import { FETCH_FINDINGS_COMMAND, SHOW_FINDINGS_COMMAND } from '../../shared/src/protocol/names';

/**
 * The extension's commands, as package.json contributes them: registered in one file, invoked from
 * others (the status item opens the preview, or offers to fetch findings).
 */
export const COMMANDS = {
  previewRefinedPolicy: 'iamPolicyRefiner.previewRefinedPolicy',
  applyRefinedPolicy: 'iamPolicyRefiner.applyRefinedPolicy',
  refineWorkspace: 'iamPolicyRefiner.refineWorkspace',
  showFindings: SHOW_FINDINGS_COMMAND,
  fetchFindings: FETCH_FINDINGS_COMMAND,
  restartServer: 'iamPolicyRefiner.restartServer',
  showLog: 'iamPolicyRefiner.showLog',
} as const;
