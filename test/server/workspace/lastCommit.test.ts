import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LastCommitTimes } from '../../../server/src/workspace/lastCommit';

/** A repository with `policy.json` committed at `date`, and `draft.json` never committed. */
function repository(date: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'iam-refine-git-'));
  const git = (...args: string[]): string => execFileSync('git', args, {
    cwd: dir, encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@example.com',
      GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@example.com' },
  });
  git('init', '-q');
  writeFileSync(join(dir, 'policy.json'), '{}\n');
  git('add', 'policy.json');
  git('commit', '-q', '-m', 'policy');
  writeFileSync(join(dir, 'draft.json'), '{}\n');
  return dir;
}

test('a committed file: its last commit time, announced once it is known; nothing for one never committed or outside Git', async () => {
  const dir = repository('2026-10-05T12:00:00Z');
  const outside = mkdtempSync(join(tmpdir(), 'iam-refine-nogit-'));
  writeFileSync(join(outside, 'policy.json'), '{}\n');
  const paths = [join(dir, 'policy.json'), join(dir, 'draft.json'), join(outside, 'policy.json')];
  const announced: string[] = [];
  const times = new LastCommitTimes((path) => announced.push(path));
  assert.deepEqual(paths.map((p) => times.get(p)), [undefined, undefined, undefined], 'nothing is known before git answers');
  await times.settled();
  assert.deepEqual(paths.map((p) => times.get(p)), [Date.parse('2026-10-05T12:00:00Z'), undefined, undefined]);
  assert.deepEqual(announced, [join(dir, 'policy.json')]);
  // Forgotten (the file changed), it is asked again.
  times.forget(paths[0]!);
  assert.equal(times.get(paths[0]!), undefined);
  await times.settled();
  assert.equal(times.get(paths[0]!), Date.parse('2026-10-05T12:00:00Z'));
});
