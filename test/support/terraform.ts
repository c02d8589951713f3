import type { Tree } from 'web-tree-sitter';
import { readTerraform } from '../../shared/src/formats/terraform/terraformPolicies';
import type { PolicySourceFile } from '../../shared/src/policy/policySource';
import { loadTerraformParser } from '../../server/src/workspace/terraformParser';

/** A `.tf` text with its tree, as the server hands them to the reader. */
export interface ParsedTerraform {
  readonly text: string;
  readonly tree: Tree;
}

/** Parses a Terraform text with the grammar the server loads (loaded once per test process). */
export async function parseTerraform(text: string): Promise<ParsedTerraform> {
  const parser = await loadTerraformParser();
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return { text, tree };
}

/** Reads the policies of a Terraform text, with the other files of its module. */
export async function readTerraformText(text: string, module: readonly string[] = []): Promise<PolicySourceFile> {
  const main = await parseTerraform(text);
  const files = await Promise.all(module.map(parseTerraform));
  try {
    return readTerraform(text, main.tree, files);
  } finally {
    // Trees live in the grammar's WebAssembly memory; what was read from them is plain JavaScript.
    for (const file of [main, ...files]) file.tree.delete();
  }
}

/** Whether tree-sitter finds no syntax error in a text: edited texts must still be Terraform. */
export async function parsesCleanly(text: string): Promise<boolean> {
  const { tree } = await parseTerraform(text);
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}
