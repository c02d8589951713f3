import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, workspace } from '../../support/cli';

// A findings file is text in a repository that anyone who opens a pull request can write. One of
// 100,000 made-up S3 actions beside a 50-statement policy of broad S3 wildcards: the refinement is
// still verified, and the --json report stays a size a reader can use.

const MADE_UP = 100_000;
const KINDS = ['Fake', 'Object', 'Bucket', 'Thing'];

function hostile(): string {
  const actions = Array.from({ length: MADE_UP }, (_, i) => `Get${KINDS[i % 4]}${i.toString(36)}`);
  const statements = Array.from({ length: 50 }, (_, i) => ({
    Sid: `S${i}`, Effect: 'Allow', Action: ['s3:Get*', 's3:*Object*', 's3:Get?ucket*', 's3:*'], Resource: '*',
  }));
  return workspace({
    '.git/': '',
    'unused-access.json': JSON.stringify([{ serviceNamespace: 's3', actions }]),
    'policy.json': `${JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2)}\n`,
  });
}

interface Change { action: string; unusedCount: number; unused: string[] }
interface Report { files: { policies: { statements: { changes: Change[] }[] }[] }[] }

test('--json over 100,000 made-up unused actions: every change counts them all and names the first 20', () => {
  const result = runCli(['--json', 'policy.json'], hostile());
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stderr, 'policy.json: 50 unused actions removed, 150 wildcards narrowed (11,250,000 unused actions excluded)\n');
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
