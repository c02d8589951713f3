import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFindings } from '../../../shared/src/findings/parseFindings';
import type { Problem, Severity } from '../../../shared/src/text/problem';
import { spanOf } from './helpers';

const SHAPES =
  'Expected one of: a list of {"serviceNamespace", "actions"} entries; an Access Analyzer finding ' +
  '(get-finding-v2 output, with "findingDetails"), a list of them, or {"findings": [...]}; an IAM ' +
  'last-accessed report (get-service-last-accessed-details output, with "ServicesLastAccessed"), a list ' +
  'of them, or {"findings": [...]}; AWS\'s recommendation (get-finding-recommendation or Security Hub\'s ' +
  'GetRecommendedPolicyV2 output) or a list of them; or {"appliesTo": [...], "findings": ...} around any of these';

function problem(
  severity: Severity,
  code: string,
  message: string,
  span: { offset: number; length: number },
  path?: (string | number)[],
): Problem {
  return path ? { severity, code, message, span, path } : { severity, code, message, span };
}

const error = (code: string, message: string, span: Problem['span'], path?: (string | number)[]) =>
  problem('error', code, message, span, path);

/** A get-finding-v2 response around the given findingDetails entries (JSON text). */
function finding(details: string): string {
  return `{"id": "f1", "findingType": "UnusedPermission", "resource": "arn:aws:iam::1:role/R", "findingDetails": [${details}]}`;
}

const DETAIL = ['findingDetails', 0, 'unusedPermissionDetails'];

// --- Text that is not JSON ---

test('empty text is an error', () => {
  assert.deepEqual(parseFindings(''), {
    format: 'empty',
    principals: [],
    problems: [error('findings-empty', `The findings file is empty. ${SHAPES}`, { offset: 0, length: 0 })],
  });
});

test('whitespace-only text is an error spanning the whitespace', () => {
  assert.deepEqual(parseFindings(' \n\t ').problems, [
    error('findings-empty', `The findings file is empty. ${SHAPES}`, { offset: 0, length: 4 }),
  ]);
});

test('truncated JSON: one problem per unclosed bracket, at the end, and nothing is used', () => {
  const text = '[{"serviceNamespace": "s3", "actions": ["GetObject"';
  const end = { offset: text.length, length: 0 };
  assert.deepEqual(parseFindings(text), {
    format: 'empty',
    principals: [],
    problems: [
      error('findings-json', 'The text ends too early: expected ] to close the array', end),
      error('findings-json', 'The text ends too early: expected } to close the object', end),
      error('findings-json', 'The text ends too early: expected ] to close the array', end),
    ],
  });
});

test('a missing comma between array elements', () => {
  const text = '[{"serviceNamespace": "s3", "actions": ["GetObject" "PutObject"]}]';
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [error('findings-json', 'Expected a comma or closing bracket', spanOf(text, '"PutObject"'))]);
  assert.deepEqual(doc.principals, []);
});

test('a missing comma between properties', () => {
  const text = '{"findingType": "UnusedPermission" "findingDetails": []}';
  assert.deepEqual(parseFindings(text).problems, [
    error('findings-json', 'Expected a comma or closing brace', spanOf(text, '"findingDetails"')),
  ]);
});

test('single quotes, a missing colon and a missing value', () => {
  const quoted = "[{'serviceNamespace': \"s3\"}]";
  assert.deepEqual(parseFindings(quoted).problems[0], error(
    'findings-json',
    'Unexpected "\'serviceNamespace\'"; expected a JSON value (strings need double quotes)',
    spanOf(quoted, "'serviceNamespace'"),
  ));
  const colon = '[{"serviceNamespace" "s3"}]';
  assert.deepEqual(parseFindings(colon).problems, [
    error('findings-json', 'Expected a colon after the property name', spanOf(colon, '"s3"')),
  ]);
  const value = '[{"serviceNamespace": }]';
  assert.deepEqual(parseFindings(value).problems, [error('findings-json', 'Expected a value', spanOf(value, '}'))]);
});

test('an unclosed string, a bad escape and a raw control character', () => {
  const open = '["abc';
  assert.deepEqual(parseFindings(open).problems, [
    error('findings-json', 'The string is not closed: expected a double quote', spanOf(open, '"abc')),
    error('findings-json', 'The text ends too early: expected ] to close the array', { offset: 5, length: 0 }),
  ]);
  const escape = '[{"serviceNamespace": "s3", "actions": ["Get\\qObject"]}]';
  assert.deepEqual(parseFindings(escape).problems, [
    error(
      'findings-json',
      'Invalid escape in the string: only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX are allowed',
      spanOf(escape, '"Get\\qObject"'),
    ),
  ]);
  const control = '[{"serviceNamespace": "s\u00013"}]';
  assert.deepEqual(parseFindings(control).problems, [
    error('findings-json', 'The string contains the control character U+0001; write it as \\u0001', spanOf(control, '"s\u00013"')),
  ]);
});

test('text after the value and an unclosed comment', () => {
  const after = '[] x';
  assert.deepEqual(parseFindings(after).problems, [
    error('findings-json', 'Unexpected "x"; expected a JSON value (strings need double quotes)', spanOf(after, 'x')),
  ]);
  const comment = '[] /* note';
  assert.deepEqual(parseFindings(comment).problems, [
    error('findings-json', 'The comment is not closed: expected */', spanOf(comment, '/* note')),
  ]);
});

test('a line of garbage is one error, not one per word; garbage on two lines is two', () => {
  const text = '[\n  {"serviceNamespace": "s3", "actions": ["GetObject"]},\n  this is some garbage\n  and more\n]\n';
  assert.deepEqual(parseFindings(text).problems, [
    error('findings-json', 'Unexpected "this is some garbage"; expected a JSON value (strings need double quotes)',
      spanOf(text, 'this is some garbage')),
    error('findings-json', 'Unexpected "and more"; expected a JSON value (strings need double quotes)', spanOf(text, 'and more')),
  ]);
});

test('binary bytes with NUL are refused in one problem', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]).toString('latin1');
  assert.deepEqual(parseFindings(png), {
    format: 'empty',
    principals: [],
    problems: [error('findings-json', 'The file contains NUL bytes: it is binary, not JSON text', { offset: 8, length: 1 })],
  });
});

test('binary bytes without NUL are shown escaped, and a flood of errors is cut short', () => {
  const bytes = '[\u0080\u0081\ufffd]';
  assert.deepEqual(parseFindings(bytes).problems, [
    error('findings-json', 'Unexpected binary data "\\u0080\\u0081\\uFFFD"; a findings file is JSON text', { offset: 1, length: 3 }),
  ]);
  // A line each: one line of garbage would be one error.
  const garbage = Array.from({ length: 80 }, () => '\u0080').join('\n');
  const problems = parseFindings(garbage).problems;
  assert.equal(problems.length, 51);
  assert.deepEqual(problems[0],
    error('findings-json', 'Unexpected binary data "\\u0080"; a findings file is JSON text', { offset: 0, length: 1 }));
  assert.deepEqual(problems[49]!.span, { offset: 98, length: 1 });
  // 80 garbage tokens and the missing value at the end: 81 errors, 50 listed.
  assert.deepEqual(problems[50],
    error('findings-json', '31 more syntax errors after this point were not listed', { offset: 99, length: 0 }));
});

// --- JSON that is not a findings file ---

test('a scalar at the top is not a findings file', () => {
  assert.deepEqual(parseFindings('42').problems, [
    error('findings-shape', `A number is not a recognised findings file. ${SHAPES}`, { offset: 0, length: 2 }, []),
  ]);
  assert.deepEqual(parseFindings('"s3:GetObject"').problems, [
    error('findings-shape', `A string "s3:GetObject" is not a recognised findings file. ${SHAPES}`, { offset: 0, length: 14 }, []),
  ]);
});

test('a policy document is not a findings file', () => {
  const text = '{"Version": "2012-10-17", "Statement": []}';
  assert.deepEqual(parseFindings(text), {
    format: 'empty',
    principals: [],
    problems: [error('findings-shape', `This object is not a recognised findings file. ${SHAPES}`, { offset: 0, length: text.length }, [])],
  });
});

test('an array of bare action names is not a findings file', () => {
  const text = '["s3:GetObject", "s3:PutObject"]';
  assert.deepEqual(parseFindings(text).problems, [
    error('findings-shape', `This array is not a recognised findings file. ${SHAPES}`, { offset: 0, length: text.length }, []),
  ]);
});

// --- Wrong types, each located, with the rest still used ---

test('serviceNamespace of the wrong type in a finding; the next entry is still used', () => {
  const text = finding(
    '{"unusedPermissionDetails": {"serviceNamespace": 42, "actions": [{"action": "GetObject"}]}},' +
      ' {"unusedPermissionDetails": {"serviceNamespace": "ec2"}}',
  );
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [
    error('findings-type', 'serviceNamespace must be a string, found number', spanOf(text, '42'), [...DETAIL, 'serviceNamespace']),
  ]);
  assert.deepEqual(doc.principals.map((p) => p.services.map((s) => s.service)), [['ec2']]);
});

test('actions that are not an array, and action items of the wrong type', () => {
  const notArray = finding('{"unusedPermissionDetails": {"serviceNamespace": "s3", "actions": "GetObject"}}');
  const a = parseFindings(notArray);
  assert.deepEqual(a.problems, [
    error('findings-type', 'actions must be an array, found string "GetObject"', spanOf(notArray, '"GetObject"'), [...DETAIL, 'actions']),
  ]);
  // A broken action list must not turn into "the whole service is unused"; the role still counts.
  assert.deepEqual(a.principals, [{ resource: 'arn:aws:iam::1:role/R', services: [] }]);

  const items = finding(
    '{"unusedPermissionDetails": {"serviceNamespace": "s3", "actions": [5, {"name": "x"}, {"action": true}, {"action": "PutObject"}]}}',
  );
  const b = parseFindings(items);
  assert.deepEqual(b.problems, [
    error('findings-type', 'actions[0] must be an action name or an object with an "action" field, found number', spanOf(items, '5'),
      [...DETAIL, 'actions', 0]),
    error('findings-missing', 'actions[1] has no "action" field; it was skipped', spanOf(items, '{"name": "x"}'),
      [...DETAIL, 'actions', 1]),
    error('findings-type', 'action must be a string, found boolean', spanOf(items, 'true'), [...DETAIL, 'actions', 2, 'action']),
  ]);
  assert.deepEqual(b.principals[0]!.services[0]!.actions.map((x) => x.name), ['PutObject']);
});

test('findingDetails, its entries and unusedPermissionDetails of the wrong type', () => {
  const notArray = '{"findingType": "UnusedPermission", "findingDetails": {"unusedPermissionDetails": {}}}';
  assert.deepEqual(parseFindings(notArray).problems, [
    error('findings-type', 'findingDetails must be an array, found object', spanOf(notArray, '{"unusedPermissionDetails": {}}'),
      ['findingDetails']),
  ]);
  const text = finding(
    '"x", {"unusedPermissionDetails": []}, {"somethingNew": {}}, {"unusedPermissionDetails": {"serviceNamespace": "s3"}}');
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [
    error('findings-type', 'findingDetails[0] must be an object, found string "x"', spanOf(text, '"x"'), ['findingDetails', 0]),
    error('findings-type', 'unusedPermissionDetails must be an object, found array', spanOf(text, '[]'),
      ['findingDetails', 1, 'unusedPermissionDetails']),
    error(
      'findings-shape',
      'findingDetails[2] has none of the known details: unusedPermissionDetails, unusedIamRoleDetails, ' +
        'unusedIamUserAccessKeyDetails, unusedIamUserPasswordDetails, externalAccessDetails, internalAccessDetails',
      spanOf(text, '{"somethingNew": {}}'),
      ['findingDetails', 2],
    ),
  ]);
  assert.deepEqual(doc.principals.map((p) => [p.resource, p.services.map((s) => s.service)]), [['arn:aws:iam::1:role/R', ['s3']]]);
});

test('resource, id, findingType and lastAccessed of the wrong type', () => {
  const text =
    '{"id": 7, "resource": 12, "findingType": false, "analyzedAt": [], "findingDetails": ' +
    '[{"unusedPermissionDetails": {"serviceNamespace": "s3", "lastAccessed": true}}]}';
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [
    error('findings-type', 'id must be a string, found number', spanOf(text, '7'), ['id']),
    error('findings-type', 'resource must be a string, found number', spanOf(text, '12'), ['resource']),
    error('findings-type', 'findingType must be a string, found boolean', spanOf(text, 'false'), ['findingType']),
    error('findings-type', 'analyzedAt must be a date string, found array', spanOf(text, '[]'), ['analyzedAt']),
    error('findings-type', 'lastAccessed must be a date string, found boolean', spanOf(text, 'true'), [...DETAIL, 'lastAccessed']),
  ]);
  // The service is still used, without the unreadable fields.
  assert.deepEqual(doc.principals, [{ services: [{ service: 's3', whole: true, actions: [], span: spanOf(text, '"s3"') }] }]);
});

test('list entries of the wrong type or without serviceNamespace are skipped', () => {
  const text = '[{"serviceNamespace": "s3"}, 7, {"actions": ["GetObject"]}, {"serviceNamespace": "sns", "actions": {}}]';
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [
    error('findings-type', 'Entry [1] must be an object, found number', spanOf(text, '7'), [1]),
    error('findings-missing', 'Entry [2] has no "serviceNamespace"; the entry was skipped', spanOf(text, '{"actions": ["GetObject"]}'),
      [2]),
    error('findings-type', 'actions must be an array, found object', spanOf(text, '{}'), [3, 'actions']),
  ]);
  assert.deepEqual(doc.principals[0]!.services.map((s) => [s.service, s.whole]), [['s3', true]]);
});

test('{"findings": [...]} entries that are not findings', () => {
  const text = '{"findings": [5, {"serviceNamespace": "s3"}]}';
  assert.deepEqual(parseFindings(text).problems, [
    error('findings-type', 'findings[0] must be an object, found number', spanOf(text, '5'), ['findings', 0]),
    error(
      'findings-shape',
      'findings[1] is not an Access Analyzer finding: it has neither "findingDetails" nor "findingType"',
      spanOf(text, '{"serviceNamespace": "s3"}'),
      ['findings', 1],
    ),
  ]);
  const notArray = '{"findings": "none"}';
  assert.deepEqual(parseFindings(notArray).problems, [
    error('findings-type', 'findings must be an array, found string "none"', spanOf(notArray, '"none"'), ['findings']),
  ]);
});

test('a last-accessed report with fields of the wrong type', () => {
  const notArray = '{"JobStatus": "COMPLETED", "ServicesLastAccessed": "s3"}';
  assert.deepEqual(parseFindings(notArray).problems, [
    error('findings-type', 'ServicesLastAccessed must be an array, found string "s3"', spanOf(notArray, '"s3"'), ['ServicesLastAccessed']),
  ]);
  const missing = '{"JobStatus": "COMPLETED"}';
  assert.deepEqual(parseFindings(missing).problems, [
    error('findings-missing', 'The report has no "ServicesLastAccessed" list', { offset: 0, length: missing.length }, []),
  ]);
  const text = JSON.stringify({
    JobStatus: 1,
    IsTruncated: 'no',
    ServicesLastAccessed: [
      { ServiceName: 'Amazon S3' },
      { ServiceNamespace: 's3', LastAuthenticated: '2024-06-30T00:00:00Z', TrackedActionsLastAccessed: { ActionName: 'GetObject' } },
      {
        ServiceNamespace: 'sqs',
        LastAuthenticated: '2024-06-30T00:00:00Z',
        TrackedActionsLastAccessed: [{ LastAccessedTime: null }, { ActionName: 'Send*' }, { ActionName: 'ReceiveMessage' }],
      },
    ],
  });
  const doc = parseFindings(text);
  const services = ['ServicesLastAccessed'];
  assert.deepEqual(doc.problems, [
    error('findings-type', 'JobStatus must be a string, found number', spanOf(text, '1'), ['JobStatus']),
    error('findings-type', 'IsTruncated must be true or false, found string "no"', spanOf(text, '"no"'), ['IsTruncated']),
    error('findings-missing', 'ServicesLastAccessed[0] has no "ServiceNamespace"; the entry was skipped',
      spanOf(text, '{"ServiceName":"Amazon S3"}'), [...services, 0]),
    error('findings-type', 'TrackedActionsLastAccessed must be an array, found object', spanOf(text, '{"ActionName":"GetObject"}'),
      [...services, 1, 'TrackedActionsLastAccessed']),
    error('findings-missing', 'TrackedActionsLastAccessed[0] has no "ActionName"; the entry was skipped',
      spanOf(text, '{"LastAccessedTime":null}'), [...services, 2, 'TrackedActionsLastAccessed', 0]),
    error('findings-action', '"Send*" contains a wildcard; findings must name single actions', spanOf(text, '"Send*"'),
      [...services, 2, 'TrackedActionsLastAccessed', 1, 'ActionName']),
  ]);
  assert.deepEqual(doc.principals[0]!.services.map((s) => [s.service, s.actions.map((a) => a.name)]), [['sqs', ['ReceiveMessage']]]);
});

// --- Values of the right type that are still wrong ---

test('action names: wildcards, other services, odd characters and empty names', () => {
  const names = ['Get*', 's3:*', 'ec2:RunInstances', 'Get Object', 's3:', '', 'Get.Object', 'List?', 'GetObject'];
  const text = `[{"serviceNamespace": "s3", "actions": ${JSON.stringify(names)}}]`;
  const doc = parseFindings(text);
  const at = (i: number) => [0, 'actions', i];
  assert.deepEqual(doc.problems, [
    error('findings-action', '"Get*" contains a wildcard; findings must name single actions', spanOf(text, '"Get*"'), at(0)),
    error('findings-action', '"s3:*" contains a wildcard; findings must name single actions', spanOf(text, '"s3:*"'), at(1)),
    error('findings-action', '"ec2:RunInstances" names an action of "ec2", but this entry is for "s3"',
      spanOf(text, '"ec2:RunInstances"'), at(2)),
    error('findings-action', '"Get Object" is not an action name: only letters, digits, - and _ may appear', spanOf(text, '"Get Object"'),
      at(3)),
    error('findings-action', '"s3:" has no action name after the prefix', spanOf(text, '"s3:"'), at(4)),
    error('findings-action', 'actions[5] is empty; it must name an action such as "GetObject"', spanOf(text, '""'), at(5)),
    error('findings-action', '"Get.Object" is not an action name: only letters, digits, - and _ may appear', spanOf(text, '"Get.Object"'),
      at(6)),
    error('findings-action', '"List?" contains a wildcard; findings must name single actions', spanOf(text, '"List?"'), at(7)),
  ]);
  assert.deepEqual(doc.principals[0]!.services[0]!.actions.map((a) => a.name), ['GetObject']);
});

test('service namespaces: empty, with a colon or a space; upper case is lower-cased', () => {
  const text = '[{"serviceNamespace": ""}, {"serviceNamespace": "s3:"}, {"serviceNamespace": "s 3"}, {"serviceNamespace": "EC2"}]';
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [
    error('findings-service', 'serviceNamespace is empty; it must name a service prefix such as "s3"', spanOf(text, '""'),
      [0, 'serviceNamespace']),
    error(
      'findings-service',
      'serviceNamespace "s3:" is not a service prefix: only letters, digits and - may appear (like "s3" or "ec2")',
      spanOf(text, '"s3:"'),
      [1, 'serviceNamespace'],
    ),
    error(
      'findings-service',
      'serviceNamespace "s 3" is not a service prefix: only letters, digits and - may appear (like "s3" or "ec2")',
      spanOf(text, '"s 3"'),
      [2, 'serviceNamespace'],
    ),
  ]);
  assert.deepEqual(doc.principals[0]!.services.map((s) => s.service), ['ec2']);
});

test('an empty resource is warned about and treated as absent', () => {
  const text =
    '{"findingType": "UnusedPermission", "resource": "", "findingDetails": [{"unusedPermissionDetails": {"serviceNamespace": "s3"}}]}';
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [
    problem('warning', 'findings-empty', 'resource is empty; the finding is treated as naming no role or user', spanOf(text, '""'),
      ['resource']),
  ]);
  assert.equal(doc.principals[0]!.resource, undefined);
});

test('unreadable dates: dropped in findings, and never taken for "unused" in a last-accessed report', () => {
  const text = finding('{"unusedPermissionDetails": {"serviceNamespace": "s3", "lastAccessed": "nope"}}');
  const a = parseFindings(text);
  assert.deepEqual(a.problems, [
    problem('warning', 'findings-date', 'lastAccessed is not a date: "nope"; it was ignored', spanOf(text, '"nope"'),
      [...DETAIL, 'lastAccessed']),
  ]);
  assert.equal(a.principals[0]!.services[0]!.lastAccessed, undefined);

  const report = JSON.stringify({
    JobStatus: 'COMPLETED',
    ServicesLastAccessed: [
      {
        ServiceNamespace: 's3',
        LastAuthenticated: 'soon',
        TrackedActionsLastAccessed: [{ ActionName: 'GetObject', LastAccessedTime: 'yesterday' }, { ActionName: 'PutObject' }],
      },
    ],
  });
  const b = parseFindings(report);
  const at = ['ServicesLastAccessed', 0];
  assert.deepEqual(b.problems, [
    problem('warning', 'findings-date', 'LastAuthenticated is not a date: "soon"; the service counts as used', spanOf(report, '"soon"'),
      [...at, 'LastAuthenticated']),
    problem(
      'warning',
      'findings-date',
      'LastAccessedTime is not a date: "yesterday"; the action counts as used',
      spanOf(report, '"yesterday"'),
      [...at, 'TrackedActionsLastAccessed', 0, 'LastAccessedTime'],
    ),
  ]);
  // Not whole, and GetObject is not flagged; PutObject was never used.
  assert.deepEqual(b.principals[0]!.services.map((s) => [s.service, s.whole, s.actions.map((x) => x.name)]),
    [['s3', false, ['PutObject']]]);
});

// --- The appliesTo wrapper ---

test('appliesTo of the wrong type, with bad globs, or empty', () => {
  const inner = '[{"serviceNamespace": "s3"}]';
  const notArray = `{"appliesTo": "*.json", "findings": ${inner}}`;
  const a = parseFindings(notArray);
  assert.deepEqual(a.problems, [
    error('findings-type', 'appliesTo must be an array, found string "*.json"', spanOf(notArray, '"*.json"'), ['appliesTo']),
  ]);
  assert.deepEqual([a.appliesTo, a.principals.length], [[], 1]);

  const bad = `{"appliesTo": [1, "", "ok/*.json"], "findings": ${inner}}`;
  const b = parseFindings(bad);
  assert.deepEqual(b.problems, [
    error('findings-type', 'appliesTo[0] must be a glob string, found number', spanOf(bad, '1'), ['appliesTo', 0]),
    error('findings-empty', 'appliesTo[1] is empty; write a glob such as "policies/*.json"', spanOf(bad, '""'), ['appliesTo', 1]),
  ]);
  assert.deepEqual(b.appliesTo, [{ glob: 'ok/*.json', span: spanOf(bad, '"ok/*.json"') }]);

  const empty = `{"appliesTo": [], "findings": ${inner}}`;
  assert.deepEqual(parseFindings(empty).problems, [
    problem('warning', 'findings-empty', 'appliesTo is empty, so these findings apply to no file', spanOf(empty, '[]'), ['appliesTo']),
  ]);
});

test('a wrapper without findings, with bad findings, or nested in another', () => {
  const missing = '{"appliesTo": ["*.json"]}';
  const a = parseFindings(missing);
  assert.deepEqual(a.problems, [
    error('findings-missing', 'An "appliesTo" wrapper needs a "findings" field', { offset: 0, length: missing.length }, []),
  ]);
  assert.deepEqual(a.appliesTo, [{ glob: '*.json', span: spanOf(missing, '"*.json"') }]);
  assert.equal(a.format, 'empty');

  const scalar = '{"appliesTo": ["*.json"], "findings": true}';
  assert.deepEqual(parseFindings(scalar).problems, [
    error('findings-shape', `A boolean is not a recognised findings file. ${SHAPES}`, spanOf(scalar, 'true'), ['findings']),
  ]);

  const nested = '{"appliesTo": ["*.json"], "findings": {"appliesTo": ["b"], "findings": []}}';
  assert.deepEqual(parseFindings(nested).problems, [
    error('findings-shape', 'An "appliesTo" wrapper cannot be nested in another one', spanOf(nested, '"appliesTo"', 1),
      ['findings', 'appliesTo']),
  ]);
});

test('after 1000 problems the rest are counted in one summary', () => {
  const entries = Array.from({ length: 1500 }, () => '{"serviceNamespace": 1}');
  const text = `[${entries.join(',')}, {"serviceNamespace": "s3"}]`;
  const doc = parseFindings(text);
  assert.equal(doc.problems.length, 1001);
  assert.deepEqual(doc.problems[999]!.path, [999, 'serviceNamespace']);
  // Entry k starts at 1 + 24k, and its value 21 characters later.
  const first = 1 + 1000 * 24 + '{"serviceNamespace": '.length;
  assert.equal(text.slice(first, first + 2), '1}');
  assert.deepEqual(doc.problems[1000], {
    severity: 'error',
    code: 'findings-too-many-problems',
    message: '500 more problems from here on were not listed; only the first 1000 are shown',
    span: { offset: first, length: 1 },
    path: [1000, 'serviceNamespace'],
  });
  // The good entry at the end is still used.
  assert.deepEqual(doc.principals[0]!.services.map((s) => s.service), ['s3']);
});
