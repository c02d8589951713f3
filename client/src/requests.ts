import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DOCUMENT_SUMMARY, type DocumentSummary } from '../../shared/src/protocol/requests';

/** Languages whose documents may hold policies: JSON policy files, templates, Terraform. */
export const POLICY_LANGUAGES: readonly string[] = ['json', 'jsonc', 'yaml', 'terraform', 'hcl'];

/** Whether the server reads a document: by its language, or a Terraform file by its name. */
export function mayHoldPolicy(document: vscode.TextDocument): boolean {
  return POLICY_LANGUAGES.includes(document.languageId) || document.uri.path.endsWith('.tf');
}

/** What the server knows of a document; undefined when it is not one the server reads. */
export async function documentSummary(client: LanguageClient, document: vscode.TextDocument): Promise<DocumentSummary | undefined> {
  if (!mayHoldPolicy(document)) return undefined;
  return (await client.sendRequest<DocumentSummary | null>(DOCUMENT_SUMMARY, { uri: document.uri.toString() })) ?? undefined;
}
