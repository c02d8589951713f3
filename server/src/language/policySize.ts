import { createScanner, SyntaxKind } from 'jsonc-parser';

/** IAM's size limits, counted in characters other than white space. */
export const POLICY_LIMITS = {
  managed: 6144,
  roleInline: 10240,
  groupInline: 5120,
  userInline: 2048,
} as const;

/**
 * A policy's size as IAM counts it: every character but white space outside strings. Comments are
 * not part of the policy AWS receives, so they do not count either.
 */
export function policySize(text: string, offset = 0, length = text.length - offset): number {
  const scanner = createScanner(text.slice(offset, offset + length), false);
  let size = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia || kind === SyntaxKind.LineCommentTrivia
      || kind === SyntaxKind.BlockCommentTrivia) continue;
    size += scanner.getTokenLength();
  }
  return size;
}
