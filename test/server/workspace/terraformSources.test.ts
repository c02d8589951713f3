import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import fc from 'fast-check';
import type { PolicyFile } from '../../../shared/src/policy/policyDocument';
import { TerraformSources } from '../../../server/src/workspace/terraformSources';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../support/templates';

/** What a reading found, without parents: policies, statements, entries, problems, errors. */
function shape(file: PolicyFile): unknown {
  return {
    policies: file.policies.map((p) => ({
      context: p.source.context,
      statements: p.statements.map((s) => ({ effect: s.effect, key: s.listKey, entries: s.entries.map((e) => [e.value, e.span.offset, e.span.length, e.dynamic]) })),
    })),
    problems: file.problems.map((p) => [p.code, p.span.offset, p.span.length]),
    errors: file.syntaxErrors.map((p) => [p.code, p.span.offset, p.span.length]),
  };
}

const sources = new TerraformSources(() => undefined);
before(async () => {
  await sources.load();
});

test('a file re-read after edits, from its previous tree, reads as if parsed from scratch', () => {
  const path = fixturePath('terraform/main.tf');
  const original = readFileSync(path, 'utf8');
  const fresh = new TerraformSources(() => undefined);
  const edit = fc.record({ at: fc.nat(original.length), remove: fc.nat(12), insert: fc.constantFrom('', 'x', '"', ']', '\n', '"s3:Get*", ', '{', '}', '# note\n') });
  fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
    let text = original;
    const incremental = sources.reader(path)!;
    incremental(text);
    for (const e of edits) {
      const at = Math.min(e.at, text.length);
      text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
      const read = incremental(text);
      fresh.clear();
      assert.deepEqual(shape(read), shape(fresh.reader(path)!(text)));
    }
  }), { numRuns: 60 });
});
