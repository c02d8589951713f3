/**
 * The server's requests beyond LSP, for the editor commands. Plain shapes, so that any client can
 * send them: positions and edits are LSP's.
 */

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspTextEdit {
  range: { start: LspPosition; end: LspPosition };
  newText: string;
}

/** What a refinement does, counted (see RefinementCounts). */
export interface RefinementSummary {
  statements: number;
  actions: number;
  wildcards: number;
  notActions: number;
  excluded: number;
}

/** `iamPolicyRefiner/documentSummary`: what the server knows of one open document. */
export const DOCUMENT_SUMMARY = 'iamPolicyRefiner/documentSummary';

export interface DocumentSummaryParams {
  uri: string;
}

export interface DocumentSummary {
  isPolicy: boolean;
  /** Unused actions the document's policies allow, counted once each. */
  unusedActions: number;
  /** Findings files that apply, as URIs. */
  findings: FindingsFileSummary[];
  summary: RefinementSummary;
}

export interface FindingsFileSummary {
  uri: string;
  /** Role or user ARNs the file reports on. */
  principals: string[];
  analyzedAt?: string;
}

/** `iamPolicyRefiner/workspaceRefinements`: the verified refinement of every policy file in the workspace. */
export const WORKSPACE_REFINEMENTS = 'iamPolicyRefiner/workspaceRefinements';

export interface FileRefinement {
  uri: string;
  /** The version the edits are for, when the document is open; undefined for files on disk. */
  version?: number;
  edits: LspTextEdit[];
  summary: RefinementSummary;
  /** Policies in the file whose every action is unused: to detach, not to edit. */
  detach: number;
}
