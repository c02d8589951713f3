/**
 * The extension's commands, as package.json contributes them: registered in one file, invoked from
 * others (the status item opens the preview, or offers to fetch findings).
 */
export const COMMANDS = {
  previewRefinedPolicy: 'iamPolicyRefiner.previewRefinedPolicy',
  applyRefinedPolicy: 'iamPolicyRefiner.applyRefinedPolicy',
  refineWorkspace: 'iamPolicyRefiner.refineWorkspace',
  showFindings: 'iamPolicyRefiner.showFindings',
  fetchFindings: 'iamPolicyRefiner.fetchFindings',
} as const;
