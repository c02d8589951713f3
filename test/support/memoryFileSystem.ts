import { posix } from 'node:path';
import type { DirectoryEntry, FileStat, FileSystem } from '../../server/src/service/fileSystem';

/** A folder tree held in memory, which a test rewrites between two calls of the service. */
export interface MemoryFileSystem extends FileSystem {
  /** Creates or rewrites a file; its folders exist from then on, and its `modified` changes. */
  write(path: string, text: string): void;
  /** Deletes a file (or an empty folder made with a trailing `/`). */
  remove(path: string): void;
}

interface MemoryFile {
  text: string;
  modified: number;
}

/**
 * A `FileSystem` over `files` (absolute `/`-separated path → text). Folders are those the paths
 * imply; a path ending in `/` makes an empty folder (a `.git/` marking a repository root, say).
 */
export function memoryFileSystem(files: Record<string, string> = {}): MemoryFileSystem {
  const contents = new Map<string, MemoryFile>();
  const emptyFolders = new Set<string>();
  // A counter, not the clock: two writes within one millisecond must still look different.
  let clock = 0;

  const normal = (path: string): string => posix.resolve(path);
  const isFolder = (path: string): boolean => {
    if (emptyFolders.has(path)) return true;
    const prefix = path === '/' ? '/' : `${path}/`;
    for (const other of [...contents.keys(), ...emptyFolders]) if (other.startsWith(prefix)) return true;
    return false;
  };
  const fail = (code: string, what: string, path: string): never => {
    throw Object.assign(new Error(`${code}: ${what}, open '${path}'`), { code, path });
  };

  const fs: MemoryFileSystem = {
    readFile(path) {
      const at = normal(path);
      const file = contents.get(at);
      if (file) return file.text;
      return isFolder(at) ? fail('EISDIR', 'illegal operation on a directory', at) : fail('ENOENT', 'no such file or directory', at);
    },
    stat(path): FileStat | undefined {
      const at = normal(path);
      const file = contents.get(at);
      if (file) return { size: Buffer.byteLength(file.text, 'utf8'), modified: file.modified, isDirectory: false };
      return isFolder(at) ? { size: 0, modified: 0, isDirectory: true } : undefined;
    },
    readDirectory(path): DirectoryEntry[] {
      const at = normal(path);
      const prefix = at === '/' ? '/' : `${at}/`;
      const entries = new Map<string, DirectoryEntry>();
      const add = (other: string, folder: boolean): void => {
        if (!other.startsWith(prefix)) return;
        const rest = other.slice(prefix.length);
        const slash = rest.indexOf('/');
        const name = slash < 0 ? rest : rest.slice(0, slash);
        const isDirectory = folder || slash >= 0;
        entries.set(name, { name, isDirectory, isFile: !isDirectory });
      };
      for (const file of contents.keys()) add(file, false);
      for (const folder of emptyFolders) add(folder, true);
      return [...entries.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
    write(path, text) {
      contents.set(normal(path), { text, modified: ++clock });
    },
    remove(path) {
      const at = normal(path);
      if (!contents.delete(at) && !emptyFolders.delete(at)) fail('ENOENT', 'no such file or directory', at);
    },
  };
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith('/')) emptyFolders.add(normal(path));
    else fs.write(path, text);
  }
  return fs;
}
