import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LspTestClient } from '../../support/lspClient';

// The server asks Git when each open policy's file was last committed: findings analysed before
// that no longer describe the policy, and the policy says so once Git has answered.

const ROLE = 'arn:aws:iam::111122223333:role/app';

function repository(analyzedAt: string, committed: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'iam-refine-lsp-git-'));
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }] };
  writeFileSync(join(dir, 'policy.json'), `${JSON.stringify(policy, null, 2)}\n`);
  writeFileSync(join(dir, 'unused-access.json'), JSON.stringify({
    id: 'f1', resource: ROLE, resourceType: 'AWS::IAM::Role', findingType: 'UnusedPermission', status: 'ACTIVE', analyzedAt,
    findingDetails: [{ unusedPermissionDetails: { serviceNamespace: 's3', actions: [{ action: 'PutObject' }] } }],
  }));
  const env = { ...process.env, GIT_AUTHOR_DATE: committed, GIT_COMMITTER_DATE: committed, GIT_AUTHOR_NAME: 'a',
    GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@example.com' };
  for (const args of [['init', '-q'], ['add', 'policy.json'], ['commit', '-q', '-m', 'policy']]) {
    execFileSync('git', args, { cwd: dir, env });
  }
  return dir;
}

test('a policy committed after its findings were analysed gets stale-findings once Git has answered', async () => {
  const dir = repository(new Date(Date.now() - 5 * 86_400_000).toISOString(), new Date(Date.now() - 86_400_000).toISOString());
  const client = await LspTestClient.start([dir], { severity: { 'stale-findings': 'warning' } });
  try {
    const uri = await client.open(join(dir, 'policy.json'));
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'stale-findings'));
    const day = (offset: number): string => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.message]), [
      ['stale-findings', `The findings in unused-access.json were analysed on ${day(5)}, before this file's last commit on ${day(1)}: `
        + 'what the policy allows since may be in use. Fetch them again.'],
      ['unused-action', `Unused action s3:PutObject: never used in the tracking period by role app.`],
    ]);
  } finally {
    await client.stop();
  }
});
