import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ACTIONS, LIST_ROLES_PERMISSIONS, SOURCE_PERMISSIONS } from '../../../server/src/fetch/permissions';
import { repoRoot, testCatalog } from '../../support/catalog';

test('every action fetch names is a real IAM action', () => {
  const catalog = testCatalog();
  const unknown = Object.values(ACTIONS).filter((action) => {
    const [service, name] = action.split(':');
    return catalog.lookup(service!, name!) === undefined;
  });
  assert.deepEqual(unknown, []);
});

test('the README\'s policy for each source allows exactly what that source calls', () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Fetching findings from AWS'));
  for (const [source, actions] of Object.entries(SOURCE_PERMISSIONS)) {
    const heading = section.indexOf(`\`--source ${source}\` needs`);
    assert.ok(heading >= 0, `a policy for ${source}`);
    const block = /```json\n([\s\S]*?)```/.exec(section.slice(heading))![1]!;
    const policy = JSON.parse(block) as { Statement: { Effect: string; Action: string[]; Resource: string }[] };
    assert.deepEqual(policy.Statement.flatMap((s) => s.Action).sort(), [...actions].sort(), source);
  }
});

test('the README names what the editor\'s role search (fetch --list-roles) needs, in its fetching section', () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const start = readme.indexOf('### Fetching findings from AWS');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  for (const action of LIST_ROLES_PERMISSIONS) assert.ok(section.includes(`\`${action}\``), `the README names \`${action}\``);
});
