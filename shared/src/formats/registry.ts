import type { SourceFormat } from '../policy/policySource';

/**
 * What the server, the CLI and the client need to know of one source format, short of reading it
 * (readers.ts): the client bundles this, and no parser comes with it.
 */
export interface FormatEntry {
  /** File name endings, lower-case, without the dot. */
  readonly extensions: readonly string[];
  /** Language ids editors give the format's documents. */
  readonly languageIds: readonly string[];
  /**
   * A cheap look at a text before parsing it: whether it could hold a policy at all. Most JSON and
   * YAML in a repository is not IAM; reading it would cost a scan more than it tells.
   */
  mayHoldPolicy(text: string): boolean;
}

/** Every format, by name: a new `SourceFormat` without an entry does not compile. */
export const FORMATS: { readonly [F in SourceFormat]: FormatEntry } = {
  json: {
    extensions: ['json', 'jsonc'],
    languageIds: ['json', 'jsonc'],
    mayHoldPolicy: (text) => text.includes('"Statement"'),
  },
  yaml: {
    extensions: ['yaml', 'yml'],
    languageIds: ['yaml'],
    mayHoldPolicy: (text) => text.includes('Statement'),
  },
  terraform: {
    extensions: ['tf'],
    languageIds: ['terraform', 'hcl'],
    mayHoldPolicy: (text) => /\b(?:aws_iam_policy_document|aws_iam_(?:role|user|group)_policy|aws_iam_policy|inline_policy)\b/.test(text),
  },
};

const ENTRIES = Object.entries(FORMATS) as [SourceFormat, FormatEntry][];

const BY_EXTENSION = new Map(ENTRIES.flatMap(([format, entry]) => entry.extensions.map((ext) => [ext, format] as const)));

const BY_LANGUAGE = new Map(ENTRIES.flatMap(([format, entry]) => entry.languageIds.map((id) => [id, format] as const)));

/** Every language id of every format: the documents an editor hands to the server. */
export const POLICY_LANGUAGE_IDS: readonly string[] = [...BY_LANGUAGE.keys()];

/** The globs, for file watchers, of every file that may hold a policy. */
export const POLICY_FILE_GLOBS: readonly string[] = [...BY_EXTENSION.keys()].map((ext) => `**/*.${ext}`);

/** The format of a file by its name; undefined for files that cannot hold a policy we read. */
export function formatOfPath(path: string): SourceFormat | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION.get(path.slice(dot + 1).toLowerCase());
}

/** The format of an editor document: by its file name first (the editor may call a `.tf` file plain text), else its language. */
export function formatOfDocument(path: string | undefined, languageId: string): SourceFormat | undefined {
  return (path && formatOfPath(path)) || BY_LANGUAGE.get(languageId);
}
