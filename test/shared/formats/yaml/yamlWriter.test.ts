import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { parseYamlSource } from '../../../../shared/src/formats/yaml/yamlTree';
import { YamlWriter } from '../../../../shared/src/formats/yaml/yamlWriter';
import { property, type SourceNode } from '../../../../shared/src/policy/sourceTree';
import { applyEdits, type TextEdit } from '../../../../shared/src/text/textEdit';

type Path = readonly (string | number)[];

function at(node: SourceNode | undefined, path: Path): SourceNode {
  let n = node;
  for (const step of path) n = typeof step === 'number' ? n?.children?.[step] : n && property(n, step);
  assert.ok(n, `no node at ${path.join('.')}`);
  return n;
}

/** Edits `text` with a writer for it; the result must parse without errors. */
function edit(text: string, f: (writer: YamlWriter, node: (...path: Path) => SourceNode) => TextEdit[]): string {
  const { roots, syntaxErrors } = parseYamlSource(text);
  assert.deepEqual(syntaxErrors, [], 'the input parses');
  const out = applyEdits(text, f(new YamlWriter(text), (...path) => at(roots[0], path)));
  assert.deepEqual(parseYamlSource(out).syntaxErrors, [], `the result parses:\n${out}`);
  return out;
}

const changes = (...entries: [number, string[]][]): Map<number, string[]> => new Map(entries);

/** The JavaScript value of a YAML text, by the yaml package itself. */
function read(text: string): unknown {
  const [doc] = parseAllDocuments(text);
  assert.ok(doc && !('empty' in doc));
  assert.deepEqual(doc.errors, []);
  return doc.toJS();
}

const BLOCK = `Statement:
  - Effect: Allow
    Action:
      - s3:GetObject      # read
      - s3:Get*
      - ec2:Describe*
    Resource: '*'
`;

test('block lists: one entry replaced by several takes their lines, at the same columns', () => {
  const out = edit(BLOCK, (w, n) => w.editList(n('Statement', 0, 'Action'), changes([1, ['s3:GetBucketTagging', 's3:GetObjectAcl']])));
  assert.equal(out, `Statement:
  - Effect: Allow
    Action:
      - s3:GetObject      # read
      - s3:GetBucketTagging
      - s3:GetObjectAcl
      - ec2:Describe*
    Resource: '*'
`);
});

test('block lists: a removed entry goes with its line and its comment; the others stay byte-identical', () => {
  const action = ['Statement', 0, 'Action'];
  const first = edit(BLOCK, (w, n) => w.editList(n(...action), changes([0, []])));
  assert.equal(first, BLOCK.replace('      - s3:GetObject      # read\n', ''));
  const middle = edit(BLOCK, (w, n) => w.editList(n(...action), changes([1, []])));
  assert.equal(middle, BLOCK.replace('      - s3:Get*\n', ''));
  const last = edit(BLOCK, (w, n) => w.editList(n(...action), changes([2, []])));
  assert.equal(last, BLOCK.replace('      - ec2:Describe*\n', ''));
  const allButOne = edit(BLOCK, (w, n) => w.editList(n(...action), changes([0, []], [2, []])));
  assert.equal(allButOne, `Statement:
  - Effect: Allow
    Action:
      - s3:Get*
    Resource: '*'
`);
  // A comment line above an entry stays; one below it, indented deeper, is the entry's.
  const commented = `Action:
  # reads
  - s3:GetObject
    # still about GetObject
  - s3:ListBucket
`;
  assert.equal(edit(commented, (w, n) => w.editList(n('Action'), changes([0, []]))), `Action:
  # reads
  - s3:ListBucket
`);
});

test('block lists: removing every entry leaves an empty list, not a null', () => {
  const out = edit(BLOCK, (w, n) => w.editList(n('Statement', 0, 'Action'), changes([0, []], [1, []], [2, []])));
  assert.equal(out, `Statement:
  - Effect: Allow
    Action: []
    Resource: '*'
`);
});

test('indentless block lists keep their dashes under the key', () => {
  const text = `Statement:
- Effect: Allow
  Action:
  - s3:GetObject
  - s3:Get*
  Resource: '*'
`;
  const out = edit(text, (w, n) => [
    ...w.editList(n('Statement', 0, 'Action'), changes([0, []], [1, ['s3:GetObjectAcl', 'iam:PassRole']])),
  ]);
  assert.equal(out, `Statement:
- Effect: Allow
  Action:
  - s3:GetObjectAcl
  - iam:PassRole
  Resource: '*'
`);
  const appended = edit(text, (w, n) => w.appendToList(n('Statement', 0, 'Action'), ['sqs:*']));
  assert.equal(appended, text.replace('  - s3:Get*\n', '  - s3:Get*\n  - sqs:*\n'));
});

test('a nested sequence whose first entry shares the outer dash\'s line', () => {
  const text = '- - s3:GetObject  # first\n  - s3:Get*\n  - sqs:*\n';
  const list = (w: YamlWriter, n: (...path: Path) => SourceNode): SourceNode => n(0);
  assert.equal(edit(text, (w, n) => w.editList(list(w, n), changes([0, []]))), '- - s3:Get*\n  - sqs:*\n');
  assert.equal(edit(text, (w, n) => w.editList(list(w, n), changes([0, []], [1, []]))), '- - sqs:*\n');
  assert.equal(edit(text, (w, n) => w.editList(list(w, n), changes([0, ['a:b', 'c:d']]))),
    '- - a:b\n  - c:d  # first\n  - s3:Get*\n  - sqs:*\n');
});

test('quoting: new entries take the style of the entry they replace, and plain ones are quoted only when they must be', () => {
  const text = `Action:
  - s3:Get*
  - 's3:List*'
  - "s3:Put*"
`;
  const out = edit(text,
    (w, n) => w.editList(n('Action'), changes([0, ['*', 's3:GetObject']], [1, ['s3:ListBucket', '*']], [2, ['*', 's3:PutObject']])));
  assert.equal(out, `Action:
  - '*'
  - s3:GetObject
  - 's3:ListBucket'
  - '*'
  - "*"
  - "s3:PutObject"
`);
  assert.deepEqual(read(out), { Action: ['*', 's3:GetObject', 's3:ListBucket', '*', '*', 's3:PutObject'] });
  // What would not read back as the same string, plain.
  const odd = ['*a', '&a', '!a', '%a', '@a', '`a', '[a', '{a', '- a', '? a', 'a: b', 'a #b', 'true', 'null', '12', '1.5', 'a:', '-', '?'];
  const quoted = edit('Action: [x]\n', (w, n) => w.editList(n('Action'), changes([0, odd])));
  assert.deepEqual(read(quoted), { Action: odd });
  const block = edit('Action:\n  - x\n', (w, n) => w.editList(n('Action'), changes([0, odd])));
  assert.deepEqual(read(block), { Action: odd });
  assert.equal(block.split('\n').filter((line) => line.includes("'")).length, odd.length);
  // In flow lists, flow indicators also need quotes; in block lists they do not.
  const indicators = ['a,b', 'a[b]', 'a{b}'];
  assert.equal(edit('A: [x]\n', (w, n) => w.editList(n('A'), changes([0, indicators]))), "A: ['a,b', 'a[b]', 'a{b}']\n");
  assert.equal(edit('A:\n- x\n', (w, n) => w.editList(n('A'), changes([0, indicators]))), 'A:\n- a,b\n- a[b]\n- a{b}\n');
});

test('flow lists: replacements and removals keep the list\'s own separators', () => {
  const text = 'Action: [s3:GetObject, \'s3:Get*\',  "ec2:Describe*"]  # reads\n';
  assert.equal(edit(text, (w, n) => w.editList(n('Action'), changes([1, ['s3:GetBucketTagging', '*']]))),
    'Action: [s3:GetObject, \'s3:GetBucketTagging\', \'*\',  "ec2:Describe*"]  # reads\n');
  assert.equal(edit(text, (w, n) => w.editList(n('Action'), changes([0, []]))), 'Action: [\'s3:Get*\',  "ec2:Describe*"]  # reads\n');
  assert.equal(edit(text, (w, n) => w.editList(n('Action'), changes([1, []]))), 'Action: [s3:GetObject, "ec2:Describe*"]  # reads\n');
  assert.equal(edit(text, (w, n) => w.editList(n('Action'), changes([1, []], [2, []]))), 'Action: [s3:GetObject]  # reads\n');
  assert.equal(edit(text, (w, n) => w.editList(n('Action'), changes([0, []], [1, []], [2, []]))), 'Action: []  # reads\n');
  assert.equal(edit('A: [a, b,]\n', (w, n) => w.editList(n('A'), changes([0, []], [1, []]))), 'A: []\n');
  assert.equal(edit('A: [a,b]\n', (w, n) => w.editList(n('A'), changes([0, ['c', 'd']]))), 'A: [c,d,b]\n');
});

test('flow lists over several lines: entries alone on their lines go with their lines', () => {
  const text = `Action: [
    s3:GetObject,   # read
    s3:Get*,
    ec2:Describe*
  ]
`;
  assert.equal(edit(text, (w, n) => w.editList(n('Action'), changes([0, []]))), text.replace('    s3:GetObject,   # read\n', ''));
  // The new last entry loses the comma the old last one did not have.
  assert.equal(edit(text, (w, n) => w.editList(n('Action'), changes([2, []]))), `Action: [
    s3:GetObject,   # read
    s3:Get*
  ]
`);
  assert.equal(edit(text, (w, n) => w.editList(n('Action'), changes([1, ['a:b', 'c:d']]))), `Action: [
    s3:GetObject,   # read
    a:b,
    c:d,
    ec2:Describe*
  ]
`);
  assert.equal(edit(text, (w, n) => w.appendToList(n('Action'), ['sqs:*'])), `Action: [
    s3:GetObject,   # read
    s3:Get*,
    ec2:Describe*,
    sqs:*
  ]
`);
});

test('appends: block lists grow after the last entry\'s lines, flow lists before their bracket', () => {
  const text = `Statement:
  - Effect: Allow
    NotAction:
      - 'iam:*'      # never
      - 'organizations:*'
        # nor its policies
    # about Resource
    Resource: '*'
  - Effect: Allow
    NotAction: [iam:*, 'sts:*']
    Resource: '*'
  - Effect: Allow
    NotAction: []
`;
  const out = edit(text, (w, n) => [
    ...w.appendToList(n('Statement', 0, 'NotAction'), ['lambda:InvokeAsync', '*']),
    ...w.appendToList(n('Statement', 1, 'NotAction'), ['sqs:*']),
    ...w.appendToList(n('Statement', 2, 'NotAction'), ['sqs:*', 'sns:*']),
  ]);
  assert.equal(out, `Statement:
  - Effect: Allow
    NotAction:
      - 'iam:*'      # never
      - 'organizations:*'
        # nor its policies
      - 'lambda:InvokeAsync'
      - '*'
    # about Resource
    Resource: '*'
  - Effect: Allow
    NotAction: [iam:*, 'sts:*', 'sqs:*']
    Resource: '*'
  - Effect: Allow
    NotAction: [sqs:*, sns:*]
`);
  // At the very end of a text without a final line break.
  assert.equal(edit('A:\n  - a', (w, n) => w.appendToList(n('A'), ['b'])), 'A:\n  - a\n  - b');
  assert.equal(edit('A: [ ]', (w, n) => w.appendToList(n('A'), ['*'])), "A: ['*']");
});

test('replaceScalar: one value stays a scalar in the scalar\'s own quoting', () => {
  const text = `Statement:
  - Effect: Allow
    Action: s3:Get*   # reads
  - Effect: Allow
    Action: "sqs:*"
`;
  const out = edit(text, (w, n) => [
    ...w.replaceScalar(n('Statement', 0, 'Action'), n('Statement', 0), ['s3:GetObject*'], false),
    ...w.replaceScalar(n('Statement', 1, 'Action'), n('Statement', 1), ['sqs:SendMessage'], false),
  ]);
  assert.equal(out, text.replace('s3:Get*', 's3:GetObject*').replace('"sqs:*"', '"sqs:SendMessage"'));
  assert.equal(edit('Action: s3:Get*\n', (w, n) => w.replaceScalar(n('Action'), n(), ['*'], false)), "Action: '*'\n");
});

test('replaceScalar: several values become a block list one level deeper than the key, in the document\'s steps', () => {
  const text = `Resources:
  Role:
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
      Policies:
        - PolicyName: reads
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: s3:Get*   # reads
                Resource: '*'
`;
  const statement = ['Resources', 'Role', 'Properties', 'Policies', 0, 'PolicyDocument', 'Statement', 0];
  const out = edit(text,
    (w, n) => w.replaceScalar(n(...statement, 'Action'), n(...statement), ['s3:GetObject*', 's3:GetBucketTagging'], false));
  assert.equal(out, text.replace('Action: s3:Get*   # reads\n', `Action:
                  - s3:GetObject*
                  - s3:GetBucketTagging   # reads
`));
  // With four-space mappings and no sequence to copy: four spaces.
  const four = 'Policy:\n    Statement:\n        Effect: Allow\n        Action: \'s3:Get*\'\n';
  assert.equal(edit(four,
    (w, n) => w.replaceScalar(n('Policy', 'Statement', 'Action'), n('Policy', 'Statement'), ['s3:GetObject*', '*'], false)),
    "Policy:\n    Statement:\n        Effect: Allow\n        Action:\n            - 's3:GetObject*'\n            - '*'\n");
  // A document that writes its sequences indentless.
  const indentless = 'Statement:\n- Effect: Allow\n  Action: s3:Get*\n  Resource:\n  - arn:a\n';
  assert.equal(edit(indentless, (w, n) => w.replaceScalar(n('Statement', 0, 'Action'), n('Statement', 0), ['a:b', 'c:d'], false)),
    'Statement:\n- Effect: Allow\n  Action:\n  - a:b\n  - c:d\n  Resource:\n  - arn:a\n');
});

test('replaceScalar: keepOriginal keeps the scalar\'s text first; a flow-mapping statement gets a flow list', () => {
  const text = 'Statement:\n  - Effect: Allow\n    Action: "s3:Get*"\n';
  assert.equal(edit(text, (w, n) => w.replaceScalar(n('Statement', 0, 'Action'), n('Statement', 0), ['s3:PutObject'], true)),
    'Statement:\n  - Effect: Allow\n    Action:\n      - "s3:Get*"\n      - "s3:PutObject"\n');
  const flow = 'Statement: [{ Effect: Allow, Action: s3:Get*, Resource: "*" }]\n';
  assert.equal(edit(flow, (w, n) => w.replaceScalar(n('Statement', 0, 'Action'), n('Statement', 0), ['s3:GetObject', '*'], false)),
    'Statement: [{ Effect: Allow, Action: [s3:GetObject, \'*\'], Resource: "*" }]\n');
  assert.equal(edit(flow, (w, n) => w.replaceScalar(n('Statement', 0, 'Action'), n('Statement', 0), ['a:b'], true)),
    'Statement: [{ Effect: Allow, Action: [s3:Get*, a:b], Resource: "*" }]\n');
  // An anchor before the value stays where it is.
  const anchored = 'Statement:\n  - Effect: Allow\n    Action: &a s3:Get*\n';
  assert.equal(edit(anchored, (w, n) => w.replaceScalar(n('Statement', 0, 'Action'), n('Statement', 0), ['a:b', 'c:d'], false)),
    'Statement:\n  - Effect: Allow\n    Action: &a [a:b, c:d]\n');
});

const STATEMENTS = `Version: 2012-10-17
Statement:
  # Reads the bucket
  - Sid: Read
    Effect: Allow
    Action: s3:GetObject   # objects
    Resource: '*'
    Condition:
      StringEquals:
        aws:RequestedRegion:
          - eu-west-1
          - eu-west-2
      # more conditions to come

  # Writes
  - Sid: Write
    Effect: Allow
    Action:
      - s3:PutObject
    Resource: '*'

  - Sid: Queue
    Effect: Allow
    Action: sqs:*
`;

test('removeStatements: a statement goes with all its lines, its comments and one blank line', () => {
  const remove = (...indexes: number[]): string =>
    edit(STATEMENTS, (w, n) => w.removeStatements(n('Statement'), indexes.map((i) => n('Statement', i))));
  assert.equal(remove(0), `Version: 2012-10-17
Statement:
  # Writes
  - Sid: Write
    Effect: Allow
    Action:
      - s3:PutObject
    Resource: '*'

  - Sid: Queue
    Effect: Allow
    Action: sqs:*
`);
  assert.equal(remove(1), `Version: 2012-10-17
Statement:
  # Reads the bucket
  - Sid: Read
    Effect: Allow
    Action: s3:GetObject   # objects
    Resource: '*'
    Condition:
      StringEquals:
        aws:RequestedRegion:
          - eu-west-1
          - eu-west-2
      # more conditions to come

  - Sid: Queue
    Effect: Allow
    Action: sqs:*
`);
  assert.equal(remove(2), `Version: 2012-10-17
Statement:
  # Reads the bucket
  - Sid: Read
    Effect: Allow
    Action: s3:GetObject   # objects
    Resource: '*'
    Condition:
      StringEquals:
        aws:RequestedRegion:
          - eu-west-1
          - eu-west-2
      # more conditions to come

  # Writes
  - Sid: Write
    Effect: Allow
    Action:
      - s3:PutObject
    Resource: '*'

`);
  assert.equal(remove(0, 2), `Version: 2012-10-17
Statement:
  # Writes
  - Sid: Write
    Effect: Allow
    Action:
      - s3:PutObject
    Resource: '*'

`);
  assert.equal(remove(0, 1), `Version: 2012-10-17
Statement:
  - Sid: Queue
    Effect: Allow
    Action: sqs:*
`);
});

test('removeStatements: flow statement lists lose the statement and one separator', () => {
  const text = 'Statement: [{Effect: Allow, Action: "s3:*"}, {Effect: Allow, Action: [a, b]}, {Effect: Deny, Action: "*"}]\n';
  assert.equal(edit(text, (w, n) => w.removeStatements(n('Statement'), [n('Statement', 0)])),
    'Statement: [{Effect: Allow, Action: [a, b]}, {Effect: Deny, Action: "*"}]\n');
  assert.equal(edit(text, (w, n) => w.removeStatements(n('Statement'), [n('Statement', 1), n('Statement', 2)])),
    'Statement: [{Effect: Allow, Action: "s3:*"}]\n');
  // What is not a statement of the container is not removed.
  assert.deepEqual(edit(text, (w, n) => w.removeStatements(n('Statement'), [n('Statement', 0, 'Action')])), text);
});

test('CRLF line endings carry into new lines', () => {
  const text = 'Statement:\r\n  - Effect: Allow\r\n    Action: s3:Get*\r\n    NotAction:\r\n      - a:b  # x\r\n      - c:d\r\n';
  const out = edit(text, (w, n) => [
    ...w.replaceScalar(n('Statement', 0, 'Action'), n('Statement', 0), ['s3:GetObject', 's3:GetObjectAcl'], false),
    ...w.editList(n('Statement', 0, 'NotAction'), changes([0, []], [1, ['e:f', 'g:h']])),
    ...w.appendToList(n('Statement', 0, 'NotAction'), ['i:j']),
  ]);
  assert.equal(out, 'Statement:\r\n  - Effect: Allow\r\n    Action:\r\n      - s3:GetObject\r\n      - s3:GetObjectAcl\r\n'
    + '    NotAction:\r\n      - e:f\r\n      - g:h\r\n      - i:j\r\n');
});

test('a byte-order mark does not shift columns', () => {
  const text = '\ufeffAction: s3:Get*\nResource:\n  - a\n';
  assert.equal(edit(text, (w, n) => w.replaceScalar(n('Action'), n(), ['a:b', 'c:d'], false)),
    '\ufeffAction:\n  - a:b\n  - c:d\nResource:\n  - a\n');
});

// Patterns as IAM writes them, with the characters that need quoting in YAML.
const pattern = fc.stringMatching(/^[A-Za-z0-9:*?_-]{1,10}$/);
const style = fc.constantFrom('plain', 'single', 'double');

/** Writes `value` in a style, falling back to single quotes where the plain form would read otherwise. */
function write(value: string, s: 'plain' | 'single' | 'double', flow: boolean): string {
  if (s === 'double') return JSON.stringify(value);
  const plainReads = (): boolean => {
    const [doc] = parseAllDocuments(flow ? `[${value}]` : `- ${value}`);
    try {
      return !!doc && !('empty' in doc) && doc.errors.length === 0 && JSON.stringify(doc.toJS()) === JSON.stringify([value]);
    } catch {
      return false; // an alias
    }
  };
  return s === 'plain' && plainReads() ? value : `'${value}'`;
}

test('property: edited lists of any layout re-parse and read back as intended', () => {
  const layout = fc.record({
    shape: fc.constantFrom('block', 'flow', 'flow lines'),
    indent: fc.integer({ min: 0, max: 4 }), // 0: indentless
    gap: fc.integer({ min: 1, max: 2 }),
    separator: fc.constantFrom(', ', ',', ' , '),
    trailingComma: fc.boolean(),
    comments: fc.boolean(),
    crlf: fc.boolean(),
  });
  const list = fc.array(fc.tuple(pattern, style), { minLength: 1, maxLength: 6 });
  const edits = fc.array(fc.array(pattern, { maxLength: 3 }), { maxLength: 6 });
  fc.assert(
    fc.property(layout, list, edits, fc.array(pattern, { maxLength: 3 }), (l, entries, replacements, appended) => {
      const eol = l.crlf ? '\r\n' : '\n';
      const pad = ' '.repeat(l.indent);
      const items = entries.map(([v, s]) => write(v, s, l.shape !== 'block'));
      const comment = (i: number): string => (l.comments && i % 2 === 0 ? ` # c${i}` : '');
      const trailing = l.trailingComma ? ',' : '';
      const separator = (i: number): string => (i < items.length - 1 ? ',' : trailing);
      const body =
        l.shape === 'block'
          ? items.map((item, i) => `${eol}    ${pad}-${' '.repeat(l.gap)}${item}${comment(i)}`).join('')
          : l.shape === 'flow'
            ? ` [${items.join(l.separator)}${trailing}]${comment(0)}`
            : ` [${items.map((item, i) => `${eol}      ${pad}${item}${separator(i)}${comment(i)}`).join('')}${eol}    ]`;
      const text = `Statement:${eol}  - Effect: Allow${eol}    Action:${body}${eol}    Resource: '*'${eol}`;
      const change = new Map<number, string[]>();
      replacements.forEach((values, i) => {
        if (i < entries.length) change.set(i, values);
      });
      const expected = entries.flatMap(([v], i) => change.get(i) ?? [v]);
      const edited = edit(text, (w, n) => w.editList(n('Statement', 0, 'Action'), change));
      assert.deepEqual(read(edited), { Statement: [{ Effect: 'Allow', Action: expected, Resource: '*' }] });
      assert.equal(edited.includes('\r\n'), l.crlf);
      // Appending to the edited text, as the refiner does on a second pass.
      const grown = edit(edited, (w, n) => w.appendToList(n('Statement', 0, 'Action'), appended));
      assert.deepEqual(read(grown), { Statement: [{ Effect: 'Allow', Action: [...expected, ...appended], Resource: '*' }] });
    }),
    { numRuns: 400 },
  );
});

test('property: removing any statements leaves the others, and only them', () => {
  const statement = fc.record({ comment: fc.boolean(), blankAfter: fc.boolean(), condition: fc.boolean(), trailingComment: fc.boolean() });
  const removals = fc.array(fc.boolean(), { minLength: 5, maxLength: 5 });
  fc.assert(
    fc.property(fc.array(statement, { minLength: 2, maxLength: 5 }), fc.boolean(), removals, (statements, indentless, removed) => {
      const dash = indentless ? '' : '  ';
      const lines = ['Version: 2012-10-17', 'Statement:'];
      statements.forEach((s, i) => {
        if (s.comment) lines.push(`${dash}# statement ${i}`);
        lines.push(`${dash}- Sid: S${i}`, `${dash}  Effect: Allow`, `${dash}  Action: [s3:Get*, 'sqs:*']`);
        if (s.condition) lines.push(`${dash}  Condition:`, `${dash}    StringEquals:`, `${dash}      aws:x:`, `${dash}        - a  # a`);
        if (s.trailingComment) lines.push(`${dash}    # more`);
        if (s.blankAfter) lines.push('');
      });
      lines.push('Outputs: {}', '');
      const text = lines.join('\n');
      const gone = statements.map((_, i) => removed[i]!);
      if (gone.every(Boolean)) gone[0] = false;
      const edited = edit(text, (w, n) => w.removeStatements(n('Statement'), gone.flatMap((g, i) => (g ? [n('Statement', i)] : []))));
      const kept = statements.flatMap((_, i) => (gone[i] ? [] : [`S${i}`]));
      const value = read(edited) as { Statement: { Sid: string }[]; Outputs: unknown };
      assert.deepEqual(value.Statement.map((s) => s.Sid), kept);
      assert.deepEqual(value.Outputs, {});
      // Only whole lines go, and never two blank lines where there was at most one.
      const remaining = new Set(text.split('\n'));
      for (const line of edited.split('\n')) assert.ok(remaining.has(line), line);
      if (!text.includes('\n\n\n')) assert.ok(!edited.includes('\n\n\n'), edited);
      for (const [i, s] of statements.entries()) {
        if (s.comment) assert.equal(edited.includes(`# statement ${i}`), !gone[i]);
      }
    }),
    { numRuns: 300 },
  );
});

test('property: a scalar replaced by any values reads back as those values', () => {
  const replacements = fc.array(pattern, { maxLength: 4 });
  fc.assert(
    fc.property(pattern, style, replacements, fc.boolean(), fc.boolean(), (original, s, values, keepOriginal, flow) => {
      const scalar = write(original, s, flow);
      const text = flow
        ? `Statement: [{Effect: Allow, Action: ${scalar}}]\n`
        : `Statement:\n  - Effect: Allow\n    Action: ${scalar}   # c\n    Resource: x\n`;
      const edited = edit(text, (w, n) => w.replaceScalar(n('Statement', 0, 'Action'), n('Statement', 0), values, keepOriginal));
      const items = keepOriginal ? [original, ...values] : values;
      const action = items.length === 1 ? items[0] : items;
      assert.deepEqual(read(edited), { Statement: [{ Effect: 'Allow', Action: action, ...(flow ? {} : { Resource: 'x' }) }] });
    }),
    { numRuns: 300 },
  );
});
