import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { repoRoot } from '../../support/catalog';
import { runCli, workspace } from '../../support/cli';
import { contributedSettings, manifest as readManifest } from '../../support/manifest';
import { applyReplacements, offsetAt, read, runSarif, type SarifResult, sarifText, templatesRepo } from './codeScanning';

type SarifFix = NonNullable<SarifResult['fixes']>[number];

// iam-refine --format sarif: a log that the official SARIF 2.1.0 schema accepts, whose regions,
// read back from the files by line and column alone, are exactly what the editor squiggles, whose
// fixes give what --write writes, and whose fingerprints survive unrelated edits.

const SCHEMA_DIR = join(repoRoot(), 'test', 'fixtures', 'sarif');

/** The vendored OASIS schema, validated as draft-07 (see test/fixtures/sarif/README.md for why that reads it the same). */
function sarifValidator(): (log: unknown) => string[] {
  const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(schema.$schema, 'http://json-schema.org/draft-04/schema#');
  const text = JSON.stringify(schema);
  // Draft-04's boolean exclusiveMinimum and exclusiveMaximum mean something else in draft-07: there are none.
  assert.ok(!/"exclusive(Minimum|Maximum)"/.test(text));
  const { $schema: _, id, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is not a dependency: the schema's three formats, checked here.
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/') && !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s));
  const validate = ajv.compile({ $schema: 'http://json-schema.org/draft-07/schema#', $id: String(id), ...rest });
  return (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

test('the vendored schema is the one its README names', async () => {
  const { createHash } = await import('node:crypto');
  const bytes = readFileSync(join(SCHEMA_DIR, 'sarif-schema-2.1.0.json'));
  const readme = readFileSync(join(SCHEMA_DIR, 'README.md'), 'utf8');
  assert.ok(readme.includes(createHash('sha256').update(bytes).digest('hex')));
  assert.ok(readme.includes('https://github.com/oasis-tcs/sarif-spec'));
});

test('the template repository as SARIF: schema-valid, one result per diagnostic, each region exactly the text it is about', () => {
  const root = templatesRepo();
  const { status, log, stderr } = runSarif(['.'], root);
  assert.deepEqual(sarifValidator()(log), []);
  assert.equal(status, 1, 'refinements found: the exit status of every other format');
  // Stderr is what it always is: the notes and the summaries.
  assert.match(stderr, /^cfn\/stack\.json:32:17: info: Fn::Join is not known/);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const [run] = log.runs;
  assert.equal(run!.columnKind, 'utf16CodeUnits');
  assert.equal(run!.originalUriBaseIds['%SRCROOT%']!.uri, `${pathToFileURL(root).href}/`);
  assert.deepEqual(run!.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);

  const shape = run!.results.map((r) => {
    const { artifactLocation, region } = r.locations[0]!.physicalLocation;
    return [r.ruleId, r.level, artifactLocation.uri, region.startLine, region.startColumn, region.snippet!.text];
  });
  assert.deepEqual(shape, [
    ['dynamic-value', 'note', 'cfn/stack.json', 32, 17, '{ "Fn::Join": [":", ["athena", "StartQueryExecution"]] }'],
    ['overbroad-wildcard', 'warning', 'cfn/stack.json', 29, 17, '"s3:GetObject*"'],
    ['unused-action', 'warning', 'cfn/stack.json', 30, 17, '"s3:PutObject"'],
    ['unused-action', 'warning', 'cfn/stack.json', 31, 17, '"s3:DeleteObject"'],
    ['unused-statement', 'warning', 'cfn/stack.json', 39, 15, '"Action"'],
    ['unused-action', 'warning', 'cfn/stack.json', 39, 25, '"athena:DeleteWorkGroup"'],
    ['dynamic-value', 'note', 'cfn/stack.yaml', 38, 21, '!Sub "${QueueService}:SendMessage"'],
    ['dynamic-value', 'note', 'cfn/stack.yaml', 44, 17, '!If'],
    ['unused-action', 'warning', 'cfn/stack.yaml', 36, 21, 'dynamodb:DeleteItem'],
    ['unused-action', 'warning', 'cfn/stack.yaml', 37, 21, 'dynamodb:Scan'],
    ['unused-statement', 'warning', 'cfn/stack.yaml', 42, 17, 'Action'],
    ['unused-action', 'warning', 'cfn/stack.yaml', 42, 26, 'kms:Decrypt'],
    ['overbroad-wildcard', 'warning', 'cfn/stack.yaml', 42, 39, '"kms:GenerateDataKey*"'],
    ['unused-action', 'warning', 'cfn/stack.yaml', 76, 17, '\'sqs:PurgeQueue\''],
    ['unused-action', 'warning', 'sam-app/template.yaml', 25, 19, 'dynamodb:DeleteItem'],
    ['overbroad-wildcard', 'warning', 'sam-app/template.yaml', 28, 23, '\'sqs:*\''],
    ['unused-action', 'warning', 'terraform/iam.tf', 4, 16, '"s3:GetObjectTorrent"'],
    ['unused-statement', 'warning', 'terraform/iam.tf', 10, 5, 'actions'],
    ['unused-action', 'warning', 'terraform/iam.tf', 10, 18, '"s3:PutBucketPolicy"'],
    ['dynamic-value', 'note', 'terraform/main.tf', 44, 20, 'var.extra_actions'],
    ['overbroad-wildcard', 'warning', 'terraform/main.tf', 34, 21, '"s3:GetObject*"'],
    ['unused-action', 'warning', 'terraform/main.tf', 34, 54, '"s3:DeleteBucket"'],
    ['unused-statement', 'warning', 'terraform/main.tf', 39, 9, 'Action'],
    ['overbroad-wildcard', 'warning', 'terraform/main.tf', 39, 20, '"sns:*"'],
    ['unused-action', 'warning', 'terraform/main.tf', 63, 13, '"logs:DeleteLogGroup"'],
  ]);

  for (const r of run!.results) {
    const { artifactLocation, region } = r.locations[0]!.physicalLocation;
    assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
    const text = read(root, artifactLocation.uri);
    // Read back by lines and columns alone, the region is the snippet; charOffset and charLength say the same.
    assert.equal(sarifText(text, region), region.snippet!.text, `${artifactLocation.uri}:${region.startLine}`);
    assert.equal(text.slice(region.charOffset, region.charOffset! + region.charLength!), region.snippet!.text);
    // An action's result is on the action itself: the message names what the region holds.
    if (r.ruleId === 'unused-action' || r.ruleId === 'overbroad-wildcard') {
      assert.ok(r.message.text.startsWith(`${region.snippet!.text.replace(/^["']|["']$/g, '')} `)
        || r.message.text.startsWith(`Unused action ${region.snippet!.text.replace(/^["']|["']$/g, '')}:`), r.message.text);
    }
    assert.equal(run!.tool.driver.rules[r.ruleIndex!]!.id, r.ruleId);
  }
  const fingerprints = run!.results.map((r) => r.partialFingerprints['iamPolicyRefiner/v1']);
  assert.equal(new Set(fingerprints).size, fingerprints.length, 'every result has a fingerprint of its own');
});

test('each fix is the editor\'s quick fix; a file\'s fixes, but those inside another\'s, give exactly what --write writes', () => {
  const root = templatesRepo();
  const { log } = runSarif(['.'], root);
  const results = log.runs[0]!.results;
  const byFile = new Map<string, Map<string, SarifFix>>();
  for (const r of results) {
    const uri = r.locations[0]!.physicalLocation.artifactLocation.uri;
    if (!r.fixes) {
      // Only notes about values known at deployment have nothing to fix here.
      assert.equal(r.ruleId, 'dynamic-value');
      continue;
    }
    const [fix] = r.fixes;
    assert.equal(fix!.artifactChanges.length, 1);
    assert.equal(fix!.artifactChanges[0]!.artifactLocation.uri, uri);
    // A statement's removal is the fix of each of its entries too: one edit, however many results it answers.
    const fixes = byFile.get(uri) ?? new Map();
    fixes.set(JSON.stringify(fix!.artifactChanges[0]!.replacements), fix!);
    byFile.set(uri, fixes);
  }
  const sam = results.find((r) => r.locations[0]!.physicalLocation.region.snippet!.text === '\'sqs:*\'')!;
  assert.equal(sam.fixes![0]!.description.text, 'Replace sqs:* with 13 patterns that exclude 3 unused actions');
  const lone = results.find((r) => r.locations[0]!.physicalLocation.region.snippet!.text === '"s3:DeleteBucket"')!;
  assert.equal(lone.fixes![0]!.description.text, 'Remove unused action s3:DeleteBucket');

  const originals = new Map([...byFile.keys()].map((uri) => [uri, read(root, uri)]));
  assert.equal(runCli(['--write', '.'], root).status, 0);
  for (const [uri, fixes] of byFile) {
    const text = originals.get(uri)!;
    const spans = (fix: SarifFix) => fix.artifactChanges[0]!.replacements.map(({ deletedRegion: d }) => [
      offsetAt(text, d.startLine, d.startColumn), offsetAt(text, d.endLine, d.endColumn),
    ] as const);
    // Removing an entry of a statement that is removed as a whole is part of that removal.
    const inside = (fix: SarifFix, other: SarifFix) => fix !== other
      && spans(fix).every(([start, end]) => spans(other).some(([s, e]) => s <= start && end <= e));
    const outermost = [...fixes.values()].filter((f) => ![...fixes.values()].some((other) => inside(f, other)));
    const replacements = outermost.flatMap((f) => f.artifactChanges[0]!.replacements);
    assert.equal(applyReplacements(text, replacements), read(root, uri), uri);
  }
});

test('fingerprints do not change when an unrelated line is inserted at the top of each file; the regions move with it', () => {
  const root = templatesRepo();
  const before = runSarif(['.'], root).log.runs[0]!.results;
  const comments: Record<string, string> = {
    'cfn/stack.json': '// Reviewed by the platform team\n', 'cfn/stack.yaml': '# Reviewed by the platform team\n',
    'sam-app/template.yaml': '# Reviewed by the platform team\n', 'terraform/iam.tf': '# Reviewed by the platform team\n',
    'terraform/main.tf': '# Reviewed by the platform team\n',
  };
  for (const [path, comment] of Object.entries(comments)) writeFileSync(join(root, path), comment + read(root, path));
  const after = runSarif(['.'], root).log.runs[0]!.results;
  assert.equal(after.length, before.length);
  after.forEach((r, i) => {
    const was = before[i]!;
    assert.deepEqual(r.partialFingerprints, was.partialFingerprints);
    assert.equal(r.ruleId, was.ruleId);
    assert.equal(r.locations[0]!.physicalLocation.region.startLine, was.locations[0]!.physicalLocation.region.startLine + 1);
    assert.equal(sarifText(read(root, r.locations[0]!.physicalLocation.artifactLocation.uri), r.locations[0]!.physicalLocation.region),
      was.locations[0]!.physicalLocation.region.snippet!.text);
  });

  // Whereas the same action in another statement is another result: the statement is part of what it is.
  const moved = read(root, 'terraform/iam.tf').replace('sid     = "Read"', 'sid     = "ReadOnly"');
  writeFileSync(join(root, 'terraform/iam.tf'), moved);
  const renamed = runSarif(['terraform/iam.tf'], root).log.runs[0]!.results;
  const torrent = (results: typeof before) => results.find((r) => r.message.text.startsWith('Unused action s3:GetObjectTorrent'))!;
  assert.notDeepEqual(torrent(renamed).partialFingerprints, torrent(before).partialFingerprints);
});

test('rules: one per diagnostic code, described as package.json describes its severity setting, with help in the README', () => {
  const { log } = runSarif(['cfn/stack.yaml'], templatesRepo());
  const driver = log.runs[0]!.tool.driver;
  const manifest = readManifest<{ version: string; repository: { url: string } }>();
  type Severity = { properties: Record<string, { description: string; default: string }> };
  const severity = contributedSettings()['iamPolicyRefiner.severity'] as Severity;
  const severities = severity.properties;
  assert.equal(driver.name, 'iam-refine');
  assert.equal(driver.version, manifest.version);
  const home = manifest.repository.url.replace(/\.git$/, '');
  assert.equal(driver.informationUri, home);
  assert.deepEqual(driver.rules.map((r) => r.id), [...Object.keys(severities), 'findings-file']);
  const level = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as Record<string, string>;
  for (const rule of driver.rules) {
    assert.ok(rule.fullDescription.text.length > rule.shortDescription.text.length / 2, rule.id);
    assert.equal(rule.helpUri, `${home}#diagnostic-codes`);
    const setting = severities[rule.id];
    if (!setting) continue;
    assert.equal(rule.shortDescription.text, setting.description, rule.id);
    assert.equal(rule.defaultConfiguration.level, level[setting.default], rule.id);
  }
  // The anchor is the README's section on the codes.
  assert.match(readFileSync(join(repoRoot(), 'README.md'), 'utf8'), /^### Diagnostic codes$/m);
});

test('a findings file\'s problems, a JSON syntax error and a file that is not there: results and notifications, still schema-valid', () => {
  const policy = '{\n  "Statement": [\n    {"Effect": "Allow", "Action": ["lambda:AddPermission" "s3:GetObject"]}\n  ]\n}\n';
  const root = workspace({
    '.git/': '',
    'unused-access.json': '[{"serviceNamespace": "lambda", "actions": ["AddPermission", "AddPermisson"]}, {"serviceNamespace": 3}]',
    'broken.json': policy,
    'good.json': '{"Statement": [{"Effect": "Allow", "Action": ["lambda:AddPermission", "lambda:Invoke*"], "Resource": "*"}]}\n',
  });
  const { status, log } = runSarif(['broken.json', 'good.json', 'missing.json'], root);
  assert.deepEqual(sarifValidator()(log), []);
  assert.equal(status, 2);
  const run = log.runs[0]!;
  assert.deepEqual(run.invocations[0]!.executionSuccessful, false);
  assert.deepEqual(run.invocations[0]!.toolExecutionNotifications.map((n) => [n.level, n.message.text]),
    [['error', 'missing.json: no such file or folder']]);
  const shape = run.results.map((r) => {
    const { artifactLocation, region } = r.locations[0]!.physicalLocation;
    return [r.ruleId, r.properties?.code, r.level, artifactLocation.uri, region.startLine, region.startColumn, region.snippet!.text];
  });
  // The findings file's first, when the first policy it applies to is read; its parser's problems go under one rule, their
  // own code kept. A policy that does not parse is still analysed, as in the editor.
  assert.deepEqual(shape, [
    ['findings-file', 'findings-type', 'error', 'unused-access.json', 1, 101, '3'],
    ['unknown-action', undefined, 'warning', 'unused-access.json', 1, 62, '"AddPermisson"'],
    ['syntax-error', undefined, 'error', 'broken.json', 3, 59, '"s3:GetObject"'],
    ['unused-action', undefined, 'warning', 'broken.json', 3, 36, '"lambda:AddPermission"'],
    ['unused-action', undefined, 'warning', 'good.json', 1, 47, '"lambda:AddPermission"'],
  ]);
});

test('a policy outside the working folder is named by its file URI', () => {
  const root = templatesRepo();
  const { log } = runSarif([join(root, 'terraform', 'iam.tf')], workspace({}));
  const results = log.runs[0]!.results;
  assert.equal(results.length, 3);
  for (const r of results) {
    assert.deepEqual(r.locations[0]!.physicalLocation.artifactLocation, { uri: pathToFileURL(join(root, 'terraform', 'iam.tf')).href });
  }
});
