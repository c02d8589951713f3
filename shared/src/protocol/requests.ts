import { RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { RefinementCounts } from '../policy/refinementSummary';

/**
 * The server's requests beyond LSP, for the editor commands, typed once: the client sends and the
 * server answers these objects, so their parameters and results cannot drift apart. The shapes are
 * plain, so that any client can send them: positions and edits are LSP's.
 */

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspTextEdit {
  range: { start: LspPosition; end: LspPosition };
  newText: string;
}

export interface DocumentSummaryParams {
  uri: string;
}

export interface DocumentSummary {
  isPolicy: boolean;
  /** Unused actions the document's policies allow, counted once each. */
  unusedActions: number;
  /** Findings files that apply, as URIs. */
  findings: FindingsFileSummary[];
  summary: RefinementCounts;
  /** Where the findings hold AWS's own recommendation for a policy: how it compares with this refinement, one line each. */
  awsRecommendations?: string[];
  /** Where the first syntax error is ("line 12"): nothing is refined until it is fixed. */
  syntaxError?: string;
}

export interface FindingsFileSummary {
  uri: string;
  /** Role or user ARNs the file reports on. */
  principals: string[];
  analyzedAt?: string;
  /** Set when the file cannot be read: its first error, with its line. */
  unreadable?: string;
}

/** What the server knows of one open document; null for a document it does not have. */
export const DocumentSummaryRequest =
  new RequestType<DocumentSummaryParams, DocumentSummary | null, void>('iamPolicyRefiner/documentSummary');

export interface FileRefinement {
  uri: string;
  /** The version the edits are for, when the document is open; undefined for files on disk. */
  version?: number;
  edits: LspTextEdit[];
  summary: RefinementCounts;
  /** Policies in the file whose every action is unused: to detach, not to edit. */
  detach: number;
}

/** The verified refinement of every policy file in the workspace. It takes no parameters: RequestType0 sends none. */
export const WorkspaceRefinementsRequest = new RequestType0<FileRefinement[], void>('iamPolicyRefiner/workspaceRefinements');
