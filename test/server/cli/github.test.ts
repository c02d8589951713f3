import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeData, escapeProperty } from '../../../server/src/cli/githubReport';
import { runCli, workspace } from '../../support/cli';
import { offsetAt, read, runSarif, templatesRepo } from './codeScanning';

// iam-refine --format github: one workflow command per diagnostic, which GitHub turns into an
// annotation on the pull request's lines. Parsed back here the way GitHub reads them.

interface Annotation {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** Undoes GitHub's escaping (%25 last, so that an escaped %0A stays as written). */
const unescape = (text: string): string => text
  .replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

function parseCommands(stdout: string): Annotation[] {
  assert.ok(stdout.endsWith('\n'));
  return stdout.slice(0, -1).split('\n').map((line) => {
    const match = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
    assert.ok(match, line);
    const properties = Object.fromEntries(match[2]!.split(',').map((pair) => {
      const [key, value] = pair.split('=');
      assert.ok(key && value !== undefined && !pair.slice(key.length + 1).includes('='), pair);
      return [key, unescape(value)];
    }));
    return { command: match[1]!, properties, message: unescape(match[3]!) };
  });
}

test('the template repository as workflow commands: file, line, columns and message of every SARIF result', () => {
  const root = templatesRepo();
  const github = runCli(['--format', 'github', '.'], root);
  assert.equal(github.status, 1);
  const annotations = parseCommands(github.stdout);
  const results = runSarif(['.'], root).log.runs[0]!.results;
  assert.equal(annotations.length, results.length);
  const commands = { error: 'error', warning: 'warning', note: 'notice' } as Record<string, string>;
  annotations.forEach((a, i) => {
    const r = results[i]!;
    const { artifactLocation, region } = r.locations[0]!.physicalLocation;
    assert.equal(a.command, commands[r.level]);
    // endColumn is the column of the last character, so line and columns cover exactly what the editor squiggles.
    assert.deepEqual(a.properties, {
      file: artifactLocation.uri, line: String(region.startLine), col: String(region.startColumn),
      endLine: String(region.endLine), endColumn: String(region.endColumn - 1), title: `iam-refine ${r.ruleId}`,
    });
    assert.equal(a.message, r.message.text);
    const text = read(root, a.properties.file!);
    const start = offsetAt(text, Number(a.properties.line), Number(a.properties.col));
    const end = offsetAt(text, Number(a.properties.endLine), Number(a.properties.endColumn)) + 1;
    assert.equal(text.slice(start, end), region.snippet!.text);
  });
  assert.deepEqual(annotations.slice(0, 3).map((a) => [a.command, a.properties.file, a.properties.line, a.message]), [
    ['notice', 'cfn/stack.json', '32',
      'Fn::Join is not known until deployment and cannot be analysed statically: it is left as it is.'],
    ['warning', 'cfn/stack.json', '29', 's3:GetObject* allows 1 unused action (of 16).'],
    ['warning', 'cfn/stack.json', '30', 'Unused action s3:PutObject: never used in the tracking period by role orders-reports-role.'],
  ]);
});

test('%, CR and LF are escaped in messages, and also : and , in properties, as GitHub documents; errors are ::error', () => {
  const root = workspace({
    '.git/': '',
    'unused-access.json': '[{"serviceNamespace": "lambda", "actions": ["AddPermission"]}]',
    'a,b:c%.json': '{"Statement": [{"Effect": "Allow", "Action": ["s3:Get%Obj\\nect", "lambda:AddPermission"], "Resource": "*"}]}\n',
  });
  const result = runCli(['--format', 'github', 'a,b:c%.json'], root);
  assert.equal(result.stdout,
    '::error file=a%2Cb%3Ac%25.json,line=1,col=47,endLine=1,endColumn=63,title=iam-refine malformed-action'
      + '::Action "s3:Get%25Obj%0Aect" contains white space.\n'
    + '::warning file=a%2Cb%3Ac%25.json,line=1,col=66,endLine=1,endColumn=87,title=iam-refine unused-action'
      + '::Unused action lambda:AddPermission: never used in the tracking period.\n');
  const [error] = parseCommands(result.stdout);
  assert.equal(error!.properties.file, 'a,b:c%.json');
  assert.equal(error!.message, 'Action "s3:Get%Obj\nect" contains white space.');

  assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
  assert.equal(escapeProperty('C:\\a,b%'), 'C%3A\\a%2Cb%25');
});
