import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A folder entry, as much of it as a scan needs. */
export interface DirectoryEntry {
  readonly name: string;
  readonly isDirectory: boolean;
  readonly isFile: boolean;
}

export interface FileStat {
  readonly size: number;
  /** Modification time in milliseconds: a file read before is read again only when it changes. */
  readonly modified: number;
  readonly isDirectory: boolean;
}

/**
 * The file system as the policy service sees it. The server and the CLI pass the disk; tests can
 * pass a folder tree held in memory.
 */
export interface FileSystem {
  /** The text of a file; throws (with Node's `code`, where there is one) when it cannot be read. */
  readFile(path: string): string;
  /** Undefined when nothing is at `path`. */
  stat(path: string): FileStat | undefined;
  /** The entries of a folder; empty when it cannot be read. */
  readDirectory(path: string): DirectoryEntry[];
}

export const nodeFileSystem: FileSystem = {
  readFile: (path) => readFileSync(path, 'utf8'),
  stat(path) {
    try {
      const stat = statSync(path);
      return { size: stat.size, modified: stat.mtimeMs, isDirectory: stat.isDirectory() };
    } catch {
      return undefined;
    }
  },
  readDirectory(path) {
    try {
      return readdirSync(path, { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory(), isFile: e.isFile() }));
    } catch {
      return [];
    }
  },
};

/**
 * Writes a file whole or not at all: beside it first, then renamed over it, so that a write that
 * fails or is interrupted leaves the old file as it was, never a partial one that looks whole. The
 * temporary name (a dot first, `.tmp` last) matches no findings or policy glob. Throws what the disk says.
 */
export function writeFileWhole(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Why a file could not be read, in a word: Node's error code where there is one. */
export function readFailure(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
}
