import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePolicyText } from '../../../shared/src/formats/json/jsonSource';
import { applyEdits } from '../../../shared/src/text/textEdit';
import { refinerFor } from '../../support/engine';

const policy = (...statements: string[][]): string => `${JSON.stringify({
  Version: '2012-10-17',
  Statement: statements.map((Action) => ({ Effect: 'Allow', Action, Resource: '*' })),
}, null, 2)}\n`;

const actionsOf = (text: string): string[][] =>
  (JSON.parse(text) as { Statement: { Action: string[] }[] }).Statement.map((s) => s.Action);

test('one list refined against two sets of findings gets each its own answer', () => {
  const text = policy(['lambda:Invoke*', 'lambda:GetFunction']);
  const asyncUnused = refinerFor({ lambda: ['InvokeAsync'] });
  const functionUnused = refinerFor({ lambda: ['InvokeFunction'] });
  const refined = (refiner: typeof asyncUnused): string[][] => actionsOf(applyEdits(text, analyzePolicyText(text, refiner).edits));
  assert.deepEqual(refined(asyncUnused), [['lambda:InvokeFunction*', 'lambda:GetFunction']]);
  assert.deepEqual(refined(functionUnused), [['lambda:InvokeAsync', 'lambda:InvokeFunctionUrl', 'lambda:GetFunction']]);
  // Asked again, in the other order: what was remembered for one set is never the other's answer.
  assert.deepEqual(refined(asyncUnused), [['lambda:InvokeFunction*', 'lambda:GetFunction']]);
});

test('an entry that is not an action keeps its statement, also beside the same list judged without it', () => {
  const refiner = refinerFor({ lambda: ['InvokeAsync', 'AddPermission'] });
  const unused = ['lambda:InvokeAsync', 'lambda:AddPermission'];
  const text = policy(unused, [...unused, 'lambda'], ['s3:GetObject']);
  const result = actionsOf(applyEdits(text, analyzePolicyText(text, refiner).edits));
  // The first statement goes whole; the second keeps what cannot be read, for a person to decide.
  assert.deepEqual(result, [['lambda'], ['s3:GetObject']]);
});
