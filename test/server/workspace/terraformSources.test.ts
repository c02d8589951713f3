import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import fc from 'fast-check';
import type { PolicyFile } from '../../../shared/src/policy/policyDocument';
import { TerraformSources } from '../../../server/src/workspace/terraformSources';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceNode } from '../../../shared/src/policy/sourceTree';
import { MAIN_TF, PRINCIPALS_TF } from '../../shared/formats/terraform/module';
import { fixturePath } from '../../support/templates';
import { nodeFileSystem } from '../../../server/src/service/fileSystem';

const span = (n: SourceNode): [number, number] => [n.offset, n.length];

/**
 * What a reading found, without parents: policies, statements, entries, problems, errors, and the
 * edits its writers make, which follow the nodes' offsets and links.
 */
function shape(file: PolicyFile): unknown {
  return {
    policies: file.policies.map((p) => ({
      context: p.source.context,
      spans: [span(p.source.node), span(p.source.statementNode), span(p.source.anchor)],
      statements: p.statements.map((s) => ({
        effect: s.effect, key: s.listKey, entries: s.entries.map((e) => [e.value, e.span.offset, e.span.length, e.dynamic]),
      })),
      edits: file.syntaxErrors.length > 0 ? [] : p.statements.flatMap((s) => [
        ...(s.listNode?.type === 'array' && s.listNode.children?.length
          ? p.source.writer.editList(s.listNode, new Map([[0, ['x:Y']]]))
          : []),
        ...p.source.writer.removeStatements(p.source.statementNode, [s.node]),
      ]),
    })),
    problems: file.problems.map((p) => [p.code, p.span.offset, p.span.length]),
    errors: file.syntaxErrors.map((p) => [p.code, p.span.offset, p.span.length]),
  };
}

const sources = new TerraformSources(nodeFileSystem, () => undefined);
before(async () => {
  await sources.load();
});

/**
 * Edits a file of a module over and over, each text read from the previous one's tree and block
 * readings, and checks each reading against one of the same text from scratch.
 */
function checkIncremental(path: string): void {
  const original = readFileSync(path, 'utf8');
  const fresh = new TerraformSources(nodeFileSystem, () => undefined);
  const edit = fc.record({
    at: fc.nat(original.length),
    remove: fc.nat(12),
    insert: fc.constantFrom('', 'x', '"', ']', '\n', '"s3:Get*", ', '{', '}', '# note\n'),
  });
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
}

test('a file re-read after edits, from its previous tree and readings, reads as if read from scratch', () => {
  checkIncremental(fixturePath('terraform/main.tf'));
});

test('every policy form re-read after edits, moved or changed, reads and edits as if read from scratch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam-refine-tf-'));
  writeFileSync(join(dir, 'principals.tf'), PRINCIPALS_TF);
  writeFileSync(join(dir, 'main.tf'), MAIN_TF);
  try {
    checkIncremental(join(dir, 'main.tf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a text that does not parse reads as from scratch, whatever edits led to it', () => {
  // Found by the property above: a quote typed at the top turns the rest into one broken string, and
  // a block of the same text as before no longer reads as it did.
  const dir = mkdtempSync(join(tmpdir(), 'iam-refine-tf-'));
  writeFileSync(join(dir, 'principals.tf'), PRINCIPALS_TF);
  writeFileSync(join(dir, 'main.tf'), MAIN_TF);
  try {
    const path = join(dir, 'main.tf');
    const incremental = new TerraformSources(nodeFileSystem, () => undefined);
    const fresh = new TerraformSources(nodeFileSystem, () => undefined);
    const read = incremental.reader(path)!;
    let text = MAIN_TF;
    read(text);
    for (const [at, remove, insert] of [[85, 2, ''], [1304, 0, '"'], [24, 0, '"']] as const) {
      text = text.slice(0, at) + insert + text.slice(at + remove);
      const got = read(text);
      fresh.clear();
      assert.deepEqual(shape(got), shape(fresh.reader(path)!(text)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('closed files opened again, unchanged or changed on disk meanwhile, read as if read from scratch', () => {
  // Files long enough that only the last few closed keep their trees: the others are read without theirs.
  const long = `${MAIN_TF}\n${'# a long comment line, so that the file is long\n'.repeat(800)}`;
  const dir = mkdtempSync(join(tmpdir(), 'iam-refine-tf-'));
  const paths = Array.from({ length: 12 }, (_, i) => join(dir, `policy${i}.tf`));
  for (const path of paths) writeFileSync(path, long);
  try {
    const incremental = new TerraformSources(nodeFileSystem, () => undefined);
    const fresh = new TerraformSources(nodeFileSystem, () => undefined);
    for (const path of paths) {
      incremental.reader(path)!(long);
      incremental.forget(path);
    }
    paths.forEach((path, i) => {
      const at = long.indexOf('s3:', i * 40);
      const text = i % 3 === 0 ? long : `${long.slice(0, at)}"iam:PassRole", ${long.slice(at - 1)}`;
      fresh.clear();
      assert.deepEqual(shape(incremental.reader(path)!(text)), shape(fresh.reader(path)!(text)), path);
      // Closed again, and opened once more with the first text.
      incremental.forget(path);
      fresh.clear();
      assert.deepEqual(shape(incremental.reader(path)!(long)), shape(fresh.reader(path)!(long)), path);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
