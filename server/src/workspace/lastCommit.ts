import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';

/**
 * When each policy file was last changed in its Git history (the committer date of the last commit
 * that touched it). A checkout, a copy or an edit not yet committed leaves it as it was, unlike the
 * time on disk: this is the last change the workspace records. Asked without waiting: the first
 * question about a file starts `git log` and answers undefined; `onKnown` says when the answer is in.
 */
export class LastCommitTimes {
  private readonly known = new Map<string, number | undefined>();
  private readonly asking = new Map<string, Promise<void>>();

  constructor(private readonly onKnown: (path: string) => void, private readonly git = 'git') {}

  /** The time in ms, or undefined while it is being asked or when the file has no history (no Git, not committed). */
  get(path: string): number | undefined {
    if (this.known.has(path)) return this.known.get(path);
    if (!this.asking.has(path)) this.ask(path);
    return undefined;
  }

  /** Settles once every question asked so far is answered. */
  async settled(): Promise<void> {
    while (this.asking.size > 0) await Promise.all(this.asking.values());
  }

  /** A commit, a checkout or a rebase may have moved it: asked again on the next question. */
  forget(path: string): void {
    this.known.delete(path);
  }

  private ask(path: string): void {
    const args = ['log', '-1', '--format=%ct', '--', basename(path)];
    this.asking.set(path, new Promise((resolve) => {
      execFile(this.git, args, { cwd: dirname(path), timeout: 10_000, windowsHide: true }, (error, stdout) => {
        this.asking.delete(path);
        const seconds = Number(stdout.trim());
        // Not a repository, no git, or never committed: nothing is known, and nothing is said.
        const time = !error && stdout.trim() !== '' && Number.isFinite(seconds) ? seconds * 1000 : undefined;
        this.known.set(path, time);
        if (time !== undefined) this.onKnown(path);
        resolve();
      });
    }));
  }
}
