import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ParseError, parseTree } from 'jsonc-parser';
import { editedTree } from '../../../../shared/src/formats/json/editedTree';
import { parsePolicyFile } from '../../../../shared/src/formats/json/jsonSource';
import type { PolicyFile } from '../../../../shared/src/policy/policyDocument';
import type { SourceNode } from '../../../../shared/src/policy/sourceTree';

// A text edited from one that parsed is read by parsing again only the innermost object or list
// that holds the edit. Checked against the full parse of the edited text, on random policies and
// random edits: from typing inside a string to brackets, quotes and comment marks dropped anywhere.

const OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) >> 8;
}

const ACTIONS = ['s3:GetObject', 's3:Get*', 'ec2:Describe*', 'iam:PassRole', 'lambda:*', 'sqs:Send?essage', 's3:"quoted\\"', 'kms:Decrypt'];

/** A policy, a template or a list of policies, with random layout, comments and trailing commas. */
function randomText(next: () => number): string {
  const gap = (): string => [' ', '', '\n  ', '\n    ', ' /* c */ ', ' // note\n  '][next() % 6]!;
  const trailing = (): string => (next() % 5 === 0 ? ',' : '');
  const statement = (i: number): string => {
    const actions = Array.from({ length: 1 + (next() % 4) }, () => JSON.stringify(ACTIONS[next() % ACTIONS.length]));
    const action = next() % 4 === 0 ? actions[0]! : `[${gap()}${actions.join(`,${gap()}`)}${trailing()}${gap()}]`;
    return `{${gap()}"Sid": "S${i}",${gap()}"Effect": "${next() % 5 === 0 ? 'Deny' : 'Allow'}",${gap()}`
      + `"${next() % 6 === 0 ? 'NotAction' : 'Action'}":${gap()}${action},${gap()}"Resource": "*"${trailing()}${gap()}}`;
  };
  const policy = (): string => {
    const statements = Array.from({ length: 1 + (next() % 5) }, (_, i) => statement(i));
    return `{${gap()}"Version": "2012-10-17",${gap()}"Statement": [${gap()}${statements.join(`,${gap()}`)}${gap()}]${gap()}}`;
  };
  switch (next() % 3) {
    case 0:
      return `${policy()}\n`;
    case 1:
      return `{ "Resources": { "Role": { "Type": "AWS::IAM::Role", "Properties": { "Policies": [ { "PolicyName": "p",${gap()}`
        + `"PolicyDocument": ${policy()} } ] } } } }\n`;
    default:
      return `[${gap()}${policy()},${gap()}{ "other": [1, 2.5, true, null] },${gap()}${policy()}${gap()}]`;
  }
}

const PIECES = ['x', 'Get', '*', '"', '{', '}', '[', ']', ',', ':', '/*', '*/', '//', '\n', ' ', '\\', '"a"', '{}', '[]', ',"k": 1'];

/** One random edit: a stretch of up to four characters replaced by up to two pieces. */
function randomEdit(text: string, next: () => number): string {
  const at = next() % (text.length + 1);
  const removed = next() % 3 === 0 ? 0 : Math.min(next() % 5, text.length - at);
  const inserted = Array.from({ length: next() % 3 }, () => PIECES[next() % PIECES.length]).join('');
  return `${text.slice(0, at)}${inserted}${text.slice(at + removed)}`;
}

/** A node as a full parse gives it, without parents (checked apart). */
function shape(node: SourceNode | undefined): unknown {
  if (!node) return undefined;
  return { type: node.type, offset: node.offset, length: node.length, value: node.value, children: node.children?.map(shape) };
}

function assertParentsAreSet(node: SourceNode): void {
  for (const child of node.children ?? []) {
    assert.equal(child.parent, node);
    assertParentsAreSet(child);
  }
}

/** What a reader of a policy file sees: its policies, statements, entries and problems, where they are. */
function reading(file: PolicyFile): unknown {
  return {
    root: shape(file.root),
    syntaxErrors: file.syntaxErrors,
    problems: file.problems,
    policies: file.policies.map((p) => ({
      node: shape(p.node),
      anchor: shape(p.source.anchor),
      statements: p.statements.map((s) => ({
        index: s.index, sid: s.sid, effect: s.effect, listKey: s.listKey, node: shape(s.node),
        entries: s.entries.map((e) => ({ value: e.value, span: e.span, pattern: e.pattern?.text, dynamic: e.dynamic })),
      })),
    })),
  };
}

describe('editedTree', () => {
  test('random edits of random policies: the tree a full parse gives, or none', () => {
    const next = random(11);
    let reparsed = 0;
    let tried = 0;
    for (let i = 0; i < 400; i++) {
      let text = randomText(next);
      for (let step = 0; step < 8; step++) {
        const edited = randomEdit(text, next);
        const errors: ParseError[] = [];
        const root = parseTree(text, errors, OPTIONS);
        if (root && errors.length === 0) {
          tried++;
          const tree = editedTree({ text, root }, edited, OPTIONS);
          if (tree) {
            reparsed++;
            const full = parseTree(edited, [], OPTIONS);
            assert.deepEqual(shape(tree), shape(full), `${JSON.stringify(text)} → ${JSON.stringify(edited)}`);
            assertParentsAreSet(tree);
          }
        }
        text = edited;
      }
    }
    // Most edits stay inside a statement: the test is not passed by giving up on every edit.
    assert.ok(reparsed > tried / 3, `${reparsed} of ${tried} edits read from the earlier tree`);
  });

  test('typing inside a string, and deleting what was typed', () => {
    const text = '{ "Statement": [ { "Sid": "A", "Action": ["s3:Get*"] }, { "Sid": "B", "Action": "ec2:*" } ] }';
    const at = text.indexOf('"A"') + 2;
    const typed = `${text.slice(0, at)}x${text.slice(at)}`;
    const tree = editedTree({ text, root: parseTree(text)! }, typed, OPTIONS);
    assert.deepEqual(shape(tree), shape(parseTree(typed)));
    assert.deepEqual(shape(editedTree({ text: typed, root: tree! }, text, OPTIONS)), shape(parseTree(text)));
  });

  test('an edit that is no longer one value, or that reaches the top, is left to a full parse', () => {
    const text = '{ "Statement": [ { "Sid": "A" }, { "Sid": "B" } ] }';
    const root = parseTree(text)!;
    for (const edited of [
      text.replace('{ "Sid": "A" }', '{ "Sid": "A" }}'),
      text.replace('"A"', '"A'),
      text.replace('"A" }', '"A" /* }'),
      text.replace('{ "Statement"', '[ "Statement"'),
      `${text} x`,
    ]) {
      assert.equal(editedTree({ text, root }, edited, OPTIONS), undefined, edited);
    }
  });

  test('an unchanged text gives a copy of its tree', () => {
    const text = '{ "Statement": { "Effect": "Allow", "Action": "s3:*" } }';
    const root = parseTree(text)!;
    const tree = editedTree({ text, root }, text, OPTIONS)!;
    assert.notEqual(tree, root);
    assert.deepEqual(shape(tree), shape(root));
  });
});

describe('parsePolicyFile with the reading of the text before the edit', () => {
  test('random edits of random policies and templates: what is read is what a reading from scratch gives', () => {
    const next = random(23);
    for (let i = 0; i < 300; i++) {
      let text = randomText(next);
      let previous = parsePolicyFile(text);
      for (let step = 0; step < 6; step++) {
        const edited = randomEdit(text, next);
        const read = parsePolicyFile(edited, previous);
        assert.deepEqual(reading(read), reading(parsePolicyFile(edited)), `${JSON.stringify(text)} → ${JSON.stringify(edited)}`);
        text = edited;
        previous = read;
      }
    }
  });

  test('a byte-order mark at the start stays where the editor has it', () => {
    const text = '\ufeff{ "Statement": [ { "Effect": "Allow", "Action": ["s3:GetObject"] } ] }';
    const edited = text.replace('GetObject', 'GetObjectAcl');
    assert.deepEqual(reading(parsePolicyFile(edited, parsePolicyFile(text))), reading(parsePolicyFile(edited)));
  });
});
