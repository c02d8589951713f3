import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseWhole, parseYamlSource } from '../../../../shared/src/formats/yaml/yamlTree';
import { property, type SourceNode } from '../../../../shared/src/policy/sourceTree';
import { repoRoot } from '../../../support/catalog';

/** The node at a path of keys and indexes. */
function at(node: SourceNode | undefined, ...path: (string | number)[]): SourceNode {
  let n = node;
  for (const step of path) n = typeof step === 'number' ? n?.children?.[step] : n && property(n, step);
  assert.ok(n, `no node at ${path.join('.')}`);
  return n;
}

function parse(text: string): SourceNode {
  const { roots, syntaxErrors } = parseYamlSource(text);
  assert.deepEqual(syntaxErrors, []);
  assert.equal(roots.length, 1);
  return roots[0]!;
}

const source = (text: string, node: SourceNode): string => text.slice(node.offset, node.offset + node.length);

/** Every child points at its parent, and lies within it. */
function assertLinked(node: SourceNode): void {
  for (const child of node.children ?? []) {
    assert.equal(child.parent, node);
    assert.ok(child.offset >= node.offset && child.offset + child.length <= node.offset + node.length,
      `${child.type} at ${child.offset} within its ${node.type}`);
    assertLinked(child);
  }
}

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: !Sub "\${AWS::StackName}-reader"
      Roles: [!Ref Role]
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Sid: Read   # the bucket
            Effect: Allow
            Action:
              - s3:GetObject
              - 's3:List*'
              - "s3:Get*"
            Resource: !GetAtt Bucket.Arn
          - Effect: Allow
            Action: !If
              - IsProd
              - s3:PutObject
              - !Ref AWS::NoValue
            Resource: !Sub [ "arn:aws:s3:::\${B}/*", { B: !Ref Bucket } ]
            Condition: &cond
              StringEquals: { aws:RequestedRegion: us-east-1 }
          - Effect: Deny
            Action: '*'
            Condition: *cond
            NotResource: !Custom
`;

test('a CloudFormation template: short-form intrinsics and aliases are expressions spanning tag and value', () => {
  const root = parse(TEMPLATE);
  assertLinked(root);
  const props = at(root, 'Resources', 'Policy', 'Properties');
  const name = at(props, 'ManagedPolicyName');
  assert.equal(name.type, 'expression');
  assert.equal(name.value, '!Sub');
  assert.equal(source(TEMPLATE, name), '!Sub "${AWS::StackName}-reader"');
  const roles = at(props, 'Roles');
  assert.equal(roles.type, 'array');
  assert.deepEqual([at(roles, 0).type, at(roles, 0).value, source(TEMPLATE, at(roles, 0))], ['expression', '!Ref', '!Ref Role']);

  const statements = at(props, 'PolicyDocument', 'Statement');
  assert.equal(statements.type, 'array');
  assert.equal(statements.children?.length, 3);
  const actions = at(statements, 0, 'Action');
  assert.deepEqual(actions.children?.map((a) => [a.type, a.value, source(TEMPLATE, a)]), [
    ['string', 's3:GetObject', 's3:GetObject'],
    ['string', 's3:List*', "'s3:List*'"],
    ['string', 's3:Get*', '"s3:Get*"'],
  ]);
  assert.equal(source(TEMPLATE, at(statements, 0, 'Resource')), '!GetAtt Bucket.Arn');
  // A statement item spans its mapping, from its first key to its last value: no comment, no line break.
  assert.equal(source(TEMPLATE, at(statements, 0)).split('\n').at(-1), '            Resource: !GetAtt Bucket.Arn');

  const conditional = at(statements, 1, 'Action');
  assert.deepEqual([conditional.type, conditional.value, conditional.children], ['expression', '!If', undefined]);
  assert.equal(source(TEMPLATE, conditional),
    '!If\n              - IsProd\n              - s3:PutObject\n              - !Ref AWS::NoValue');
  assert.equal(source(TEMPLATE, at(statements, 1, 'Resource')), '!Sub [ "arn:aws:s3:::${B}/*", { B: !Ref Bucket } ]');
  // An anchored node is itself; the alias that repeats it is never resolved.
  assert.equal(at(statements, 1, 'Condition').type, 'object');
  const alias = at(statements, 2, 'Condition');
  assert.deepEqual([alias.type, alias.value, source(TEMPLATE, alias)], ['expression', '*cond', '*cond']);
  // An unknown tag without a value.
  const custom = at(statements, 2, 'NotResource');
  assert.deepEqual([custom.type, custom.value, source(TEMPLATE, custom)], ['expression', '!Custom', '!Custom']);
  assert.deepEqual([at(statements, 2, 'Action').value, source(TEMPLATE, at(statements, 2, 'Action'))], ['*', "'*'"]);
});

test('every short-form intrinsic parses, in scalar, sequence and mapping form', () => {
  const text = `A: !Ref X
B: !Sub "\${X}"
C: !GetAtt R.Arn
D: !Join [":", [a, b]]
E: !If [Cond, a, b]
F: !Select [0, !GetAZs ""]
G: !Split [",", !ImportValue Out]
H: !FindInMap [M, K, V]
I: !Base64 text
J: !Cidr [10.0.0.0/16, 4, 8]
K: !Equals [a, b]
L: !Not [!Condition C]
M: !And [!Condition C, !Condition D]
N: !Or [!Condition C, !Condition D]
O: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }
P: !ToJsonString { a: b }
Q: !Length [a, b]
R: !GetAtt
  - R
  - Arn
S: !Sub
  - "\${A}"
  - A: !Ref B
`;
  const root = parse(text);
  assertLinked(root);
  for (const p of root.children ?? []) {
    const value = p.children?.[1];
    const line = text.slice(p.offset, p.offset + p.length);
    assert.equal(value?.type, 'expression', line);
    assert.equal(source(text, value!), line.slice(line.indexOf('!')));
    assert.equal(value?.value, line.slice(line.indexOf('!')).split(/\s/)[0]);
  }
});

test('scalars: strings in all styles, core-schema numbers, booleans and null; `Version: 2012-10-17` is a string', () => {
  const text = `Version: 2012-10-17
Quoted: '2012-10-17'
Double: "a\\tb"
Single: 'it''s'
Literal: |
  s3:Get*
  s3:List*

Folded: >-
  one
  two
Int: 12
Hex: 0x1F
Float: 1.5e3
Bool: true
Null: ~
Empty:
Last: x`;
  const root = parse(text);
  assertLinked(root);
  const read = (key: string): [string, unknown, string] => {
    const n = at(root, key);
    return [n.type, n.value, source(text, n)];
  };
  assert.deepEqual(read('Version'), ['string', '2012-10-17', '2012-10-17']);
  assert.deepEqual(read('Quoted'), ['string', '2012-10-17', "'2012-10-17'"]);
  assert.deepEqual(read('Double'), ['string', 'a\tb', '"a\\tb"']);
  assert.deepEqual(read('Single'), ['string', "it's", "'it''s'"]);
  // A block scalar spans its header and its lines, not the blank lines after them.
  assert.deepEqual(read('Literal'), ['string', 's3:Get*\ns3:List*\n', '|\n  s3:Get*\n  s3:List*']);
  assert.deepEqual(read('Folded'), ['string', 'one two', '>-\n  one\n  two']);
  assert.deepEqual(read('Int'), ['number', 12, '12']);
  assert.deepEqual(read('Hex'), ['number', 31, '0x1F']);
  assert.deepEqual(read('Float'), ['number', 1500, '1.5e3']);
  assert.deepEqual(read('Bool'), ['boolean', true, 'true']);
  assert.deepEqual(read('Null'), ['null', null, '~']);
  // No value: a null of no length right after the colon.
  const empty = at(root, 'Empty');
  assert.deepEqual([empty.type, empty.offset, empty.length], ['null', text.indexOf('Empty:') + 'Empty:'.length, 0]);
  assert.equal(source(text, empty.parent!), 'Empty:');
});

test('properties: the key node holds the key text and its exact range; the property spans key to value', () => {
  const text = `"Quoted Key": [a, b]  # comment
'single': {x: 1}
? explicit
: value
<<: {m: 1}
plain key with spaces: v
`;
  const root = parse(text);
  assertLinked(root);
  const keys = root.children?.map((p) => {
    const key = p.children![0]!;
    return [key.type, key.value, source(text, key), source(text, p)];
  });
  assert.deepEqual(keys, [
    ['string', 'Quoted Key', '"Quoted Key"', '"Quoted Key": [a, b]'],
    ['string', 'single', "'single'", "'single': {x: 1}"],
    ['string', 'explicit', 'explicit', 'explicit\n: value'],
    ['string', '<<', '<<', '<<: {m: 1}'],
    ['string', 'plain key with spaces', 'plain key with spaces', 'plain key with spaces: v'],
  ]);
  const flowMap = at(root, 'single');
  assert.equal(flowMap.type, 'object');
  assert.deepEqual([at(flowMap, 'x').type, at(flowMap, 'x').value], ['number', 1]);
  // A pair inside a flow sequence is a one-entry mapping.
  const pairs = parse('[a: b, c]');
  assert.deepEqual(pairs.children?.map((c) => c.type), ['object', 'string']);
  assert.equal(at(pairs, 0, 'a').value, 'b');
  assertLinked(pairs);
  // Keys that are not strings read as their text.
  const odd = parse('1: one\n[k]: list\n');
  assert.deepEqual(odd.children?.map((p) => p.children?.[0]?.value), ['1', '[k]']);
});

test('a leading byte-order mark: offsets stay offsets into the text as given', () => {
  const text = '\ufeffStatement:\n  - Effect: Allow\n    Action: s3:Get*\n';
  const root = parse(text);
  const key = root.children![0]!.children![0]!;
  assert.deepEqual([key.offset, source(text, key)], [1, 'Statement']);
  const action = at(root, 'Statement', 0, 'Action');
  assert.equal(action.offset, text.indexOf('s3:Get*'));
  assert.equal(source(text, action), 's3:Get*');
});

test('several documents: one root each, an empty one a null', () => {
  const text = '---\nA: 1\n---\n--- !Ref X\n...\n';
  const { roots, syntaxErrors } = parseYamlSource(text);
  assert.deepEqual(syntaxErrors, []);
  assert.deepEqual(roots.map((r) => [r.type, source(text, r)]), [
    ['object', 'A: 1'],
    ['null', ''],
    ['expression', '!Ref X'],
  ]);
  assert.deepEqual(parseYamlSource('').roots, []);
});

test('syntax errors are located yaml-syntax problems, and the text is still read as far as it goes', () => {
  const text = 'Statement:\n  - Effect: Allow\n    Action: [s3:Get*\n  Resource: x: y\n';
  const { roots, syntaxErrors } = parseYamlSource(text);
  assert.ok(syntaxErrors.length > 0);
  for (const problem of syntaxErrors) {
    assert.equal(problem.severity, 'error');
    assert.equal(problem.code, 'yaml-syntax');
    assert.ok(problem.span.offset >= 0 && problem.span.offset + problem.span.length <= text.length);
    // The message is the parser's sentence, without its code frame.
    assert.doesNotMatch(problem.message, /\n|\^/);
    assert.ok(problem.message.length > 0);
  }
  assert.equal(roots[0]?.type, 'object');

  const duplicate = 'Effect: Allow\nEffect: Deny\n';
  const errors = parseYamlSource(duplicate).syntaxErrors;
  assert.deepEqual(errors.map((e) => [e.code, e.span.offset]), [['yaml-syntax', duplicate.indexOf('Effect', 1)]]);
  assert.match(errors[0]!.message, /unique/);

  const unclosed = 'Action: "s3:Get*\n';
  assert.deepEqual(parseYamlSource(unclosed).syntaxErrors.map((e) => e.code), ['yaml-syntax']);
});

test('warnings are not errors: unknown tags and YAML 1.1 spellings read without problems', () => {
  const { syntaxErrors } = parseYamlSource('A: !NotAnIntrinsic x\nB: !!binary aGVsbG8=\nC: yes\n');
  assert.deepEqual(syntaxErrors, []);
});

/** A tree without parents, to compare two readings of one text. */
function shape(node: SourceNode): unknown {
  return { type: node.type, offset: node.offset, length: node.length, value: node.value, children: node.children?.map(shape) };
}

/** A template large enough to be read section by section: the fixture stack's resources, many times over. */
function largeTemplate(): string {
  const stack = readFileSync(join(repoRoot(), 'test', 'fixtures', 'workspaces', 'templates', 'cfn', 'stack.yaml'), 'utf8');
  const resources = stack.slice(stack.indexOf('Resources:\n') + 'Resources:\n'.length);
  const copies = Array.from({ length: 12 }, (_, i) => `# copy ${i}\n${resources.replace(/^( {2})(\w+):/gm, `$1$2${i}:`)}`);
  return `AWSTemplateFormatVersion: "2010-09-09"\nDescription: >\n  Folded\n  text\nResources:\n${copies.join('\n')}\n`
    + 'Outputs:\n  Queue:\n    Value: !GetAtt OrdersQueue0.Arn\n';
}

test('a large template read section by section gives the tree of the whole parse, before and after an edit', () => {
  const text = largeTemplate();
  assert.ok(text.length > 20_000, `${text.length} characters`);
  assert.deepEqual(parseYamlSource(text).roots.map(shape), parseWhole(text).roots.map(shape));
  const at = text.indexOf('dynamodb:PutItem', text.length / 2);
  const edited = `${text.slice(0, at)}dynamodb:PutItemX${text.slice(at + 'dynamodb:PutItem'.length)}`;
  assert.deepEqual(parseYamlSource(edited).roots.map(shape), parseWhole(edited).roots.map(shape));
  const broken = `${text.slice(0, at)}[dynamodb:PutItem${text.slice(at + 'dynamodb:PutItem'.length)}`;
  const { syntaxErrors } = parseYamlSource(broken);
  assert.deepEqual(syntaxErrors, parseWhole(broken).syntaxErrors,
    'a section that does not parse sends the whole text to the parser, errors and all');
  assert.ok(syntaxErrors.length > 0);
  const aliased = `${text}\nMappings:\n  A: &a { x: 1 }\n  B: *a\n`;
  assert.deepEqual(parseYamlSource(aliased).roots.map(shape), parseWhole(aliased).roots.map(shape));
});
