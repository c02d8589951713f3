import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DOCUMENT_SUMMARY, type DocumentSummary } from '../../shared/src/protocol/requests';

/** What the server knows of a document; undefined when it is not one the server reads. */
export async function documentSummary(client: LanguageClient, document: vscode.TextDocument): Promise<DocumentSummary | undefined> {
  if (document.languageId !== 'json' && document.languageId !== 'jsonc') return undefined;
  return (await client.sendRequest<DocumentSummary | null>(DOCUMENT_SUMMARY, { uri: document.uri.toString() })) ?? undefined;
}
