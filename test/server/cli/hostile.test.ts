import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, workspace } from '../../support/cli';
import { MADE_UP, hostileFindings, hostilePolicy } from '../../support/hostile';

// A findings file is text in a repository that anyone who opens a pull request can write. One of
// 100,000 made-up S3 actions beside a 50-statement policy of broad S3 wildcards: the refinement is
// still verified, and the --json report stays a size a reader can use.

function hostile(): string {
  return workspace({ '.git/': '', 'unused-access.json': hostileFindings(), 'policy.json': hostilePolicy() });
}

interface Change { action: string; unusedCount: number; unused: string[] }
interface Report { files: { policies: { statements: { changes: Change[] }[] }[] }[] }

test('--json over 100,000 made-up unused actions: every change counts them all and names the first 20', () => {
  const result = runCli(['--json', 'policy.json'], hostile());
  assert.equal(result.status, 1, result.stderr);
  // Last, after what the size limits say of a refinement this large.
  assert.equal(result.stderr.split('\n').at(-2),
    'policy.json: 50 unused actions removed, 150 wildcards narrowed (11,250,000 unused actions excluded)');
  // Every one of the 11,250,000 exclusions would be about 400 MB of report.
  assert.ok(result.stdout.length < 1_000_000, `${result.stdout.length} characters`);
  const statements = (JSON.parse(result.stdout) as Report).files[0]!.policies[0]!.statements;
  assert.equal(statements.length, 50);
  for (const statement of statements) {
    assert.deepEqual(statement.changes.map((c) => [c.action, c.unusedCount, c.unused.length]), [
      ['s3:Get*', MADE_UP, 20], ['s3:*Object*', MADE_UP / 4, 20], ['s3:Get?ucket*', MADE_UP / 4, 20], ['s3:*', MADE_UP, 20],
    ]);
  }
  // In name order.
  assert.deepEqual(statements[0]!.changes[0]!.unused.slice(0, 2), ['s3:GetBucket1002', 's3:GetBucket1006']);
});
