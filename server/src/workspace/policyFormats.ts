import type { SourceFormat } from '../../../shared/src/formats/policySource';

const BY_EXTENSION: Record<string, SourceFormat> = {
  json: 'json',
  jsonc: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  tf: 'terraform',
};

/** Language ids editors give these formats; an extension the editor does not know still counts by name. */
const BY_LANGUAGE: Record<string, SourceFormat> = {
  json: 'json',
  jsonc: 'json',
  yaml: 'yaml',
  terraform: 'terraform',
  hcl: 'terraform',
};

/** The globs, for file watchers, of every file that may hold a policy. */
export const POLICY_FILE_GLOBS: readonly string[] = ['**/*.json', '**/*.jsonc', '**/*.yaml', '**/*.yml', '**/*.tf'];

/** The format of a file by its name; undefined for files that cannot hold a policy we read. */
export function formatOfPath(path: string): SourceFormat | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

/** The format of an editor document: by its file name first (the editor may call a `.tf` file plain text), else its language. */
export function formatOfDocument(path: string | undefined, languageId: string): SourceFormat | undefined {
  return (path && formatOfPath(path)) || BY_LANGUAGE[languageId];
}

/**
 * A cheap look at a text before parsing it: whether it could hold a policy at all. Most JSON and
 * YAML in a repository is not IAM; reading it would cost the scan more than it tells.
 */
export function mayHoldPolicyText(format: SourceFormat, text: string): boolean {
  switch (format) {
    case 'json': return text.includes('"Statement"');
    case 'yaml': return text.includes('Statement');
    case 'terraform': return /\b(?:aws_iam_policy_document|aws_iam_(?:role|user|group)_policy|aws_iam_policy|inline_policy)\b/.test(text);
  }
}
