import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadedTerraformParser, loadTerraformParser } from '../../../../server/src/workspace/terraformParser';

test('the Terraform grammar loads once; afterwards the parser is at hand synchronously', async () => {
  const [first, second] = await Promise.all([loadTerraformParser(), loadTerraformParser()]);
  assert.equal(first, second);
  assert.equal(await loadTerraformParser(), first);
  assert.equal(loadedTerraformParser(), first);
  const tree = first.parse('resource "aws_iam_role" "r" {\n  name = "r"\n}\n');
  assert.ok(tree);
  try {
    assert.equal(tree.rootNode.type, 'config_file');
    assert.equal(tree.rootNode.hasError, false);
  } finally {
    tree.delete();
  }
});
