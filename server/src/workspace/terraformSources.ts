import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Parser, Tree } from 'web-tree-sitter';
import { readTerraform } from '../../../shared/src/formats/terraform/terraformPolicies';
import { type PolicyFile, readPolicyFile } from '../../../shared/src/policy/policyDocument';
import { loadedTerraformParser, loadTerraformParser } from './terraformParser';

/** A parsed `.tf` file of a module, kept while its text is the same. */
interface ModuleFile {
  readonly text: string;
  readonly tree: Tree;
}

/**
 * Reads Terraform files. The grammar is loaded once, on the first Terraform file, never before.
 * A policy's attachments may sit in any file of its module (its folder), so the other files are
 * parsed too and kept while their text does not change.
 */
export class TerraformSources {
  private readonly module = new Map<string, ModuleFile>();

  constructor(private readonly openText: (path: string) => string | undefined) {}

  /** The parser, once loaded; undefined until then (call `load`). */
  get parser(): Parser | undefined {
    return loadedTerraformParser();
  }

  load(): Promise<Parser> {
    return loadTerraformParser();
  }

  /** A reader for the Terraform file at `path` (undefined: untitled), or undefined while the grammar loads. */
  reader(path: string | undefined): ((text: string) => PolicyFile) | undefined {
    const parser = this.parser;
    if (!parser) return undefined;
    const siblings = path ? this.siblings(parser, path) : [];
    return (text) => {
      const tree = parser.parse(text);
      if (!tree) return readPolicyFile({ format: 'terraform', text, policies: [], syntaxErrors: [] });
      try {
        return readPolicyFile(readTerraform(text, tree, siblings));
      } finally {
        // Trees live in the grammar's WebAssembly memory, which no garbage collector frees.
        tree.delete();
      }
    };
  }

  /** Forgets everything parsed: after the workspace changes on disk. */
  clear(): void {
    for (const file of this.module.values()) file.tree.delete();
    this.module.clear();
  }

  private siblings(parser: Parser, path: string): ModuleFile[] {
    const folder = dirname(path);
    let names: string[];
    try {
      names = readdirSync(folder).filter((n) => n.endsWith('.tf'));
    } catch {
      return [];
    }
    const out: ModuleFile[] = [];
    for (const name of names) {
      const sibling = join(folder, name);
      if (sibling === path) continue;
      const file = this.moduleFile(parser, sibling);
      if (file) out.push(file);
    }
    return out;
  }

  private moduleFile(parser: Parser, path: string): ModuleFile | undefined {
    let text = this.openText(path);
    if (text === undefined) {
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    }
    const cached = this.module.get(path);
    if (cached?.text === text) return cached;
    cached?.tree.delete();
    const tree = parser.parse(text);
    if (!tree) return undefined;
    const file = { text, tree };
    this.module.set(path, file);
    return file;
  }
}
