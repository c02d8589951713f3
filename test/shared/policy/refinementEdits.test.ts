import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePolicyText } from '../../../shared/src/formats/json/jsonSource';
import { refinementEdits } from '../../../shared/src/policy/refinementEdits';
import { applyEdits } from '../../../shared/src/text/textEdit';
import { refinerFor, refineText, type UnusedSpec } from '../../support/engine';

// lambda's Invoke actions are InvokeAsync, InvokeFunction and InvokeFunctionUrl: small, stable cases.
const ASYNC_UNUSED: UnusedSpec = { lambda: ['InvokeAsync', 'AddPermission'] };
const FUNCTION_UNUSED: UnusedSpec = { lambda: ['InvokeFunction', 'AddPermission'] };

function assertStable(text: string, spec: UnusedSpec): void {
  assert.deepEqual(analyzePolicyText(text, refinerFor(spec)).edits, [], 'refining again changes nothing');
}

test('comments, key order and untouched entries stay byte-identical; a removed entry takes its own comment', () => {
  const text = `// deploy role
{
  "Version": "2012-10-17", /* fixed */
  "Statement": [
    {
      "Sid": "Lambda",
      "Effect": "Allow",
      "Action": [
        "lambda:AddPermission", // used by the old pipeline
        "lambda:Invoke*",       // callers
        "lambda:GetFunction"
      ],
      "Resource": "*"
    }
  ]
}
`;
  const refined = refineText(text, ASYNC_UNUSED);
  assert.equal(refined, `// deploy role
{
  "Version": "2012-10-17", /* fixed */
  "Statement": [
    {
      "Sid": "Lambda",
      "Effect": "Allow",
      "Action": [
        "lambda:InvokeFunction*",       // callers
        "lambda:GetFunction"
      ],
      "Resource": "*"
    }
  ]
}
`);
  assertStable(refined, ASYNC_UNUSED);
});

test('tabs and CRLF line endings carry into the replacement', () => {
  const text = '{\r\n\t"Statement": [{\r\n\t\t"Effect": "Allow",\r\n\t\t"Action": [\r\n\t\t\t"lambda:Invoke*",\r\n\t\t\t"s3:ListBucket"\r\n'
    + '\t\t],\r\n\t\t"Resource": "*"\r\n\t}]\r\n}\r\n';
  const refined = refineText(text, FUNCTION_UNUSED);
  assert.equal(refined, '{\r\n\t"Statement": [{\r\n\t\t"Effect": "Allow",\r\n\t\t"Action": [\r\n'
    + '\t\t\t"lambda:InvokeAsync",\r\n\t\t\t"lambda:InvokeFunctionUrl",\r\n\t\t\t"s3:ListBucket"\r\n'
    + '\t\t],\r\n\t\t"Resource": "*"\r\n\t}]\r\n}\r\n');
  assertStable(refined, FUNCTION_UNUSED);
});

test('a one-line policy stays on one line, with its own separators', () => {
  const text = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
    + '"Action":["lambda:AddPermission","lambda:Invoke*","s3:ListBucket"],"Resource":"*"}]}';
  const refined = refineText(text, FUNCTION_UNUSED);
  assert.equal(refined, '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
    + '"Action":["lambda:InvokeAsync","lambda:InvokeFunctionUrl","s3:ListBucket"],"Resource":"*"}]}');
  assertStable(refined, FUNCTION_UNUSED);
});

test('removing the last entries of an inline list takes the separator before them', () => {
  const text = '{"Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket", "lambda:InvokeFunction", "lambda:AddPermission"], '
    + '"Resource": "*"}]}';
  assert.equal(refineText(text, FUNCTION_UNUSED), '{"Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "*"}]}');
});

test('an Action string stays a string when one pattern replaces it, and becomes an array only when it must', () => {
  const text = `{
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "lambda:Invoke*",
      "Resource": "*"
    }
  ]
}`;
  assert.equal(refineText(text, ASYNC_UNUSED), text.replace('"lambda:Invoke*"', '"lambda:InvokeFunction*"'));
  const refined = refineText(text, FUNCTION_UNUSED);
  assert.equal(refined, `{
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "lambda:InvokeAsync",
        "lambda:InvokeFunctionUrl"
      ],
      "Resource": "*"
    }
  ]
}`);
  assertStable(refined, FUNCTION_UNUSED);
  const inline = '{"Statement": {"Effect": "Allow", "Action": "lambda:Invoke*", "Resource": "*"}}';
  assert.equal(refineText(inline, FUNCTION_UNUSED),
    '{"Statement": {"Effect": "Allow", "Action": ["lambda:InvokeAsync", "lambda:InvokeFunctionUrl"], "Resource": "*"}}');
});

test('removing the last entry drops the comma before it, unless the list uses trailing commas', () => {
  const text = `{
  "Statement": [{
    "Effect": "Allow",
    "Action": [
      "s3:ListBucket",
      "lambda:AddPermission"
    ]
  }]
}`;
  assert.equal(refineText(text, FUNCTION_UNUSED), `{
  "Statement": [{
    "Effect": "Allow",
    "Action": [
      "s3:ListBucket"
    ]
  }]
}`);
  const trailing = text.replace('"lambda:AddPermission"\n', '"lambda:AddPermission",\n');
  assert.equal(refineText(trailing, FUNCTION_UNUSED), `{
  "Statement": [{
    "Effect": "Allow",
    "Action": [
      "s3:ListBucket",
    ]
  }]
}`);
});

test('a statement whose every action is unused is removed with its lines', () => {
  const text = `{
  "Statement": [
    {
      "Sid": "Old",
      "Effect": "Allow",
      "Action": ["lambda:AddPermission", "lambda:InvokeFunction"],
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": "lambda:AddPermission",
      "Resource": "*"
    }
  ]
}`;
  const refined = refineText(text, FUNCTION_UNUSED);
  assert.equal(refined, `{
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "*"
    }
  ]
}`);
  assertStable(refined, FUNCTION_UNUSED);
});

test('a policy whose every statement is unused is not emptied: it is reported for detaching', () => {
  const text = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "lambda:AddPermission", "Resource": "*"}}';
  const analysis = analyzePolicyText(text, refinerFor(FUNCTION_UNUSED));
  assert.deepEqual(analysis.edits, []);
  assert.equal(analysis.refinements[0]!.fullyUnused, true);
  assert.deepEqual(analysis.problems.map((p) => [p.code, p.message, p.span.offset]), [
    ['unused-policy', 'Every action this policy allows is unused: detach the policy rather than edit it.', text.indexOf('"Statement"')],
  ]);
});

test('Deny statements never change', () => {
  const text = '{"Statement": [{"Effect": "Deny", "Action": ["lambda:AddPermission", "lambda:Invoke*"], "Resource": "*"}, '
    + '{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}';
  assert.equal(refineText(text, FUNCTION_UNUSED), text);
});

test('NotAction lists grow at the end, in the list\'s own layout', () => {
  const multi = `{
  "Statement": [{
    "Effect": "Allow",
    "NotAction": [
      "iam:*", // never
      "organizations:*"
    ],
    "Resource": "*"
  }]
}`;
  const spec: UnusedSpec = { lambda: ['InvokeAsync'], sqs: '*' };
  const refined = refineText(multi, spec);
  assert.equal(refined, `{
  "Statement": [{
    "Effect": "Allow",
    "NotAction": [
      "iam:*", // never
      "organizations:*",
      "lambda:InvokeAsync",
      "sqs:*"
    ],
    "Resource": "*"
  }]
}`);
  assertStable(refined, spec);
  const commented = multi.replace('"organizations:*"\n', '"organizations:*" // and never\n');
  assert.equal(refineText(commented, spec), refined.replace('"organizations:*",\n', '"organizations:*", // and never\n'));
  const inline = '{"Statement": {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}}';
  assert.equal(refineText(inline, spec),
    '{"Statement": {"Effect": "Allow", "NotAction": ["iam:*", "lambda:InvokeAsync", "sqs:*"], "Resource": "*"}}');
  const single = '{"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}';
  assert.equal(refineText(single, spec),
    '{"Statement": {"Effect": "Allow", "NotAction": ["iam:*", "lambda:InvokeAsync", "sqs:*"], "Resource": "*"}}');
});

test('a byte-order mark and non-ASCII text survive', () => {
  const text = '\uFEFF{"Statement": [{"Sid": "Zugriff für Lambda – ü", "Effect": "Allow", "Action": ["lambda:Invoke*"], "Resource": "*"}]}';
  assert.equal(refineText(text, ASYNC_UNUSED), text.replace('lambda:Invoke*', 'lambda:InvokeFunction*'));
});

test('a replacement emits nothing the list already has', () => {
  const text = '{"Statement": [{"Effect": "Allow", "Action": ["lambda:InvokeFunction*", "lambda:Invoke*"], "Resource": "*"}]}';
  assert.equal(refineText(text, ASYNC_UNUSED),
    '{"Statement": [{"Effect": "Allow", "Action": ["lambda:InvokeFunction*"], "Resource": "*"}]}');
});

test('one entry at a time: a quick fix touches only its own entry', () => {
  const text = '{"Statement": [{"Effect": "Allow", "Action": ["lambda:AddPermission", "lambda:Invoke*"], "Resource": "*"}]}';
  const analysis = analyzePolicyText(text, refinerFor(FUNCTION_UNUSED));
  const refinement = analysis.refinements[0]!;
  const statement = refinement.statements[0]!;
  const wildcard = statement.entries.find((e) => e.entry.value === 'lambda:Invoke*')!;
  assert.equal(applyEdits(text, refinementEdits(refinement, { statement, entry: wildcard })),
    '{"Statement": [{"Effect": "Allow", "Action": ["lambda:AddPermission", "lambda:InvokeAsync", "lambda:InvokeFunctionUrl"], '
      + '"Resource": "*"}]}');
  const explicit = statement.entries.find((e) => e.entry.value === 'lambda:AddPermission')!;
  assert.equal(applyEdits(text, refinementEdits(refinement, { statement, entry: explicit })),
    '{"Statement": [{"Effect": "Allow", "Action": ["lambda:Invoke*"], "Resource": "*"}]}');
});
