import type { Catalog } from '../../../shared/src/catalog/catalog';
import type { FindingsParseOptions } from '../../../shared/src/findings/model';
import type { Refiner } from '../../../shared/src/refine/refiner';
import type { FindingsSelection } from '../../../shared/src/findings/selection';
import { LineIndex, type Position } from '../../../shared/src/text/problem';
import type { FileSystem } from '../service/fileSystem';
import { readFindings, type LoadedFindings } from './findingsFiles';
import { RefinerCache } from './refinerCache';

/** A findings file as last read, and the version policies are refined against. */
interface Entry {
  latest: LoadedFindings;
  /**
   * For an open document, the last version that parsed: while a findings file is being edited it
   * is often not JSON for a moment, and policies keep the last good findings instead of losing them
   * all. On disk, the file as it is: a broken file there is what a reload would read too.
   */
  effective: LoadedFindings;
}

/** The workspace's findings files, from disk and from open documents (whose unsaved text wins). */
export class FindingsIndex {
  private readonly disk = new Map<string, Entry>();
  private readonly open = new Map<string, Entry>();
  private readonly refiners: RefinerCache;

  /** How each file is parsed: the settings of the folder it sits in may differ. */
  private options: (path: string) => FindingsParseOptions = () => ({});

  constructor(catalog: Catalog, private readonly fs: FileSystem) {
    this.refiners = new RefinerCache(catalog);
  }

  /** Re-reads everything with new options. */
  reset(paths: readonly string[], options: (path: string) => FindingsParseOptions): void {
    this.options = options;
    this.disk.clear();
    for (const path of paths) this.readDisk(path);
    for (const [path, entry] of [...this.open]) this.open.set(path, this.entry(path, entry.latest.text, undefined));
    this.refiners.clear();
  }

  /** A findings file changed on disk (or appeared); a file that cannot be read is gone. */
  readDisk(path: string): void {
    let text: string;
    try {
      text = this.fs.readFile(path);
    } catch {
      this.delete(path);
      return;
    }
    this.disk.set(path, this.entry(path, text, undefined));
    this.refiners.clear();
  }

  delete(path: string): void {
    this.disk.delete(path);
    this.refiners.clear();
  }

  setOpen(path: string, text: string): void {
    this.open.set(path, this.entry(path, text, this.open.get(path) ?? this.disk.get(path)));
    this.refiners.clear();
  }

  close(path: string): void {
    this.open.delete(path);
    this.refiners.clear();
  }

  /** The latest parse of a findings file, for its own diagnostics. */
  latest(path: string): LoadedFindings | undefined {
    return (this.open.get(path) ?? this.disk.get(path))?.latest;
  }

  /** Whether policies are refined against an older version of the file than its latest, which cannot be read. */
  isStale(path: string): boolean {
    const entry = this.open.get(path) ?? this.disk.get(path);
    return entry !== undefined && entry.effective !== entry.latest;
  }

  /** A findings file in the version policies are refined against. */
  effective(path: string): LoadedFindings | undefined {
    return (this.open.get(path) ?? this.disk.get(path))?.effective;
  }

  /** Every findings file, in the version policies are refined against. */
  all(): LoadedFindings[] {
    const paths = new Set([...this.disk.keys(), ...this.open.keys()]);
    return [...paths].sort().map((p) => (this.open.get(p) ?? this.disk.get(p))!.effective);
  }

  refiner(selection: FindingsSelection<LoadedFindings>): Refiner {
    return this.refiners.get(selection);
  }

  private entry(path: string, text: string, previous: Entry | undefined): Entry {
    const latest = readFindings(path, text, this.options(path));
    const unreadable = latest.document.problems.some((p) => p.code === 'findings-json');
    return { latest, effective: unreadable && previous ? previous.effective : latest };
  }
}

/**
 * Why a findings file cannot be read, when it cannot: nothing in it could be read and it has
 * errors (not JSON, of no known shape, empty). Its first error, and where that is.
 */
export function unreadableReason(findings: LoadedFindings): { reason: string; at: Position } | undefined {
  if (findings.document.principals.length > 0) return undefined;
  const error = findings.document.problems.find((p) => p.severity === 'error');
  if (!error) return undefined;
  const at = new LineIndex(findings.text).position(error.span.offset);
  return { reason: `line ${at.line + 1}: ${error.message.replace(/\.$/, '')}`, at };
}
