import type * as vscode from 'vscode';
import type { RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { LanguageClient } from 'vscode-languageclient/node';
import { formatOfDocument } from '../../shared/src/formats/registry';
import {
  type DocumentSummary, DocumentSummaryRequest, type FileRefinement, WorkspaceRefinementsRequest,
} from '../../shared/src/protocol/requests';

/** Whether the server reads a document: by its file name, or by its language. */
export function mayHoldPolicy(document: vscode.TextDocument): boolean {
  return formatOfDocument(document.uri.path, document.languageId) !== undefined;
}

/** What the server knows of a document; undefined when it is not one the server reads. */
export async function documentSummary(client: LanguageClient, document: vscode.TextDocument): Promise<DocumentSummary | undefined> {
  if (!mayHoldPolicy(document)) return undefined;
  return (await send(client, DocumentSummaryRequest, { uri: document.uri.toString() })) ?? undefined;
}

/** The verified refinement of every policy file in the workspace. */
export function workspaceRefinements(client: LanguageClient): Promise<FileRefinement[]> {
  return send(client, WorkspaceRefinementsRequest);
}

/**
 * Sends a request as shared/src/protocol types it, by its method name: the language client brings its
 * own, newer vscode-jsonrpc, whose request classes the compiler does not take for the server's. What
 * goes over the wire is the same, one parameter object or none, and the types still come from the
 * request object.
 */
function send<P, R>(client: LanguageClient, type: RequestType<P, R, void>, params: P): Promise<R>;
function send<R>(client: LanguageClient, type: RequestType0<R, void>): Promise<R>;
function send<R>(
  client: LanguageClient, type: RequestType<unknown, R, void> | RequestType0<R, void>, ...params: [] | [unknown]
): Promise<R> {
  return params.length === 0 ? client.sendRequest<R>(type.method) : client.sendRequest<R>(type.method, params[0]);
}
