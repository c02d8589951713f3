import { dirname, join } from 'node:path';
import { Edit, type Parser, type Point, type Tree } from 'web-tree-sitter';
import { BlockReadings, readTerraform } from '../../../shared/src/formats/terraform/terraformPolicies';
import { type PolicyFile, readPolicyFile } from '../../../shared/src/policy/policyDocument';
import { textChange } from '../../../shared/src/text/textEdit';
import type { FileSystem } from '../service/fileSystem';
import { loadedTerraformParser, loadTerraformParser } from './terraformParser';

/**
 * How much text the closed files that keep their trees may have in all (see TerraformSources.forget):
 * a tree takes about 80 times its text in the grammar's WebAssembly memory, which never shrinks.
 */
const CLOSED_TEXT_KEPT = 160_000;

/** A parsed `.tf` file of a module, kept while its text is the same. */
interface ModuleFile {
  readonly text: string;
  readonly tree: Tree;
  /** For a file read from disk: when it was last modified, so that it is read again only when it changes. */
  readonly modified?: number;
}

/**
 * Reads Terraform files. The grammar is loaded once, on the first Terraform file, never before.
 * A policy's attachments may sit in any file of its module (its folder), so the other files are
 * parsed too and kept while their text does not change.
 */
export class TerraformSources {
  private readonly module = new Map<string, ModuleFile>();
  /** The last tree of each file read: the next text of the file is parsed from it, incrementally. */
  private readonly last = new Map<string, ModuleFile>();
  /** What the blocks of each file's last text said: the next text reads only the blocks that changed. */
  private readonly readings = new Map<string, BlockReadings>();
  /** Files closed lately, the oldest first: their trees stay a while, for a file opened again. */
  private readonly closed: string[] = [];

  constructor(private readonly fs: FileSystem, private readonly openText: (path: string) => string | undefined) {}

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
      const tree = this.parse(parser, path, text);
      if (!tree) return readPolicyFile({ format: 'terraform', text, policies: [], syntaxErrors: [] });
      // In a tree with errors, a block of the same text may be read otherwise than before (error
      // recovery looks beyond it): its remembered reading is not used.
      const readings = path === undefined || tree.rootNode.hasError ? undefined : this.readingsOf(path);
      return readPolicyFile(readTerraform(text, tree, siblings, readings));
    };
  }

  /**
   * Parses a file's text, from the tree of its previous text where there is one: a keystroke
   * re-parses the part it touched. Trees live in the grammar's WebAssembly memory, which no
   * garbage collector frees, so each is deleted once a newer one replaces it.
   */
  private parse(parser: Parser, path: string | undefined, text: string): Tree | null {
    if (path !== undefined) this.reopened(path);
    const previous = path === undefined ? undefined : this.last.get(path);
    if (previous?.text === text) return previous.tree;
    if (previous) previous.tree.edit(editBetween(previous.text, text));
    const tree = parser.parse(text, previous?.tree);
    previous?.tree.delete();
    if (path !== undefined) {
      if (tree) this.last.set(path, { text, tree });
      else this.last.delete(path);
    } else {
      // An untitled document's tree has no later text to serve: the caller's read is its last use.
      queueMicrotask(() => tree?.delete());
    }
    return tree;
  }

  private readingsOf(path: string): BlockReadings {
    let readings = this.readings.get(path);
    if (!readings) {
      readings = new BlockReadings();
      this.readings.set(path, readings);
    }
    return readings;
  }

  /**
   * A file is closed. Its tree and readings stay while it is among the files closed last whose
   * texts together are not too long: opened again, its text (the same, or changed on disk
   * meanwhile) is parsed from them, which takes a fraction of a parse from scratch. The trees of
   * files closed before are deleted.
   */
  forget(path: string): void {
    if (!this.last.has(path)) return;
    this.reopened(path);
    this.closed.push(path);
    let kept = 0;
    for (let i = this.closed.length - 1; i >= 0; i--) {
      kept += this.last.get(this.closed[i]!)?.text.length ?? 0;
      if (kept > CLOSED_TEXT_KEPT) {
        for (const old of this.closed.splice(0, i + 1)) this.drop(old);
        break;
      }
    }
  }

  /** Forgets everything parsed: after the workspace changes on disk. */
  clear(): void {
    for (const file of [...this.module.values(), ...this.last.values()]) file.tree.delete();
    this.module.clear();
    this.last.clear();
    this.readings.clear();
    this.closed.length = 0;
  }

  /** A closed file is read again: its tree is the last of an open file again, kept until it is closed. */
  private reopened(path: string): void {
    const at = this.closed.indexOf(path);
    if (at >= 0) this.closed.splice(at, 1);
  }

  private drop(path: string): void {
    this.last.get(path)?.tree.delete();
    this.last.delete(path);
    this.readings.delete(path);
  }

  private siblings(parser: Parser, path: string): ModuleFile[] {
    const folder = dirname(path);
    const names = this.fs.readDirectory(folder).filter((e) => e.isFile && e.name.endsWith('.tf')).map((e) => e.name);
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
    const cached = this.module.get(path);
    let text = this.openText(path);
    let modified: number | undefined;
    if (text === undefined) {
      // Every keystroke in one file of a module asks for the others: a file that did not change is not read again.
      try {
        modified = this.fs.stat(path)?.modified;
        if (modified === undefined) return undefined;
        if (cached?.modified === modified) return cached;
        text = this.fs.readFile(path);
      } catch {
        return undefined;
      }
    }
    if (cached?.text === text) return cached;
    cached?.tree.delete();
    const tree = parser.parse(text);
    if (!tree) return undefined;
    const file = modified === undefined ? { text, tree } : { text, tree, modified };
    this.module.set(path, file);
    return file;
  }
}

/** The one stretch in which two texts differ, as tree-sitter describes an edit. */
function editBetween(before: string, after: string): Edit {
  const { offset, length, newText } = textChange(before, after);
  return new Edit({
    startIndex: offset,
    oldEndIndex: offset + length,
    newEndIndex: offset + newText.length,
    startPosition: pointAt(before, offset),
    oldEndPosition: pointAt(before, offset + length),
    newEndPosition: pointAt(after, offset + newText.length),
  });
}

function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}
