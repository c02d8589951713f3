import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFindings } from '../../../shared/src/findings/parseFindings';
import type { FindingsDocument, UnusedService } from '../../../shared/src/findings/model';
import { fixture, spanOf } from './helpers';

const NOW = new Date('2024-07-01T00:00:00Z');

/** Services as `service: names` (or `service: *` when whole) for compact comparisons. */
function summary(doc: FindingsDocument): Record<string, string[]>[] {
  return doc.principals.map((p) =>
    Object.fromEntries(p.services.map((s: UnusedService) => [s.service, s.whole ? ['*'] : s.actions.map((a) => a.name)])),
  );
}

test('the article example list is read as one principal with its lambda and s3 actions', () => {
  const text = fixture('article-list.json');
  const doc = parseFindings(text);
  assert.equal(doc.format, 'unused-actions-list');
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.principals.length, 1);
  const [principal] = doc.principals;
  assert.equal(principal!.resource, undefined);
  assert.equal(principal!.analyzedAt, undefined);
  assert.deepEqual(summary(doc), [
    {
      lambda: [
        'UpdateFunctionCode',
        'GetFunction',
        'ListVersionsByFunction',
        'UpdateFunctionConfiguration',
        'CreateFunction',
        'DeleteFunction',
        'GetFunctionConfiguration',
        'AddPermission',
      ],
      s3: [
        'GetBucketLocation',
        'GetBucketWebsite',
        'GetBucketPolicyStatus',
        'GetAccelerateConfiguration',
        'GetBucketPolicy',
        'GetBucketRequestPayment',
        'GetReplicationConfiguration',
        'GetBucketLogging',
        'GetBucketObjectLockConfiguration',
        'GetBucketNotification',
        'GetLifecycleConfiguration',
        'GetAnalyticsConfiguration',
        'GetBucketCORS',
        'GetInventoryConfiguration',
        'GetBucketPublicAccessBlock',
        'GetEncryptionConfiguration',
        'GetBucketAcl',
        'GetBucketVersioning',
        'GetBucketOwnershipControls',
        'GetBucketTagging',
        'GetIntelligentTieringConfiguration',
        'GetMetricsConfiguration',
      ],
    },
  ]);
  const [lambda, s3] = principal!.services;
  assert.deepEqual(lambda!.span, spanOf(text, '"lambda"'));
  assert.equal(lambda!.whole, false);
  assert.deepEqual(lambda!.actions[0], { name: 'UpdateFunctionCode', span: spanOf(text, '"UpdateFunctionCode"') });
  assert.deepEqual(s3!.actions.at(-1), { name: 'GetMetricsConfiguration', span: spanOf(text, '"GetMetricsConfiguration"') });
});

test('a list entry without actions, or with an empty list, marks the whole service unused', () => {
  const doc = parseFindings(
    '[{"serviceNamespace": "ec2"}, {"serviceNamespace": "sns", "actions": []}, {"serviceNamespace": "sqs", "actions": null}]');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(summary(doc), [{ ec2: ['*'], sns: ['*'], sqs: ['*'] }]);
});

test('list entries accept prefixed names and objects, and merge duplicates and repeated services', () => {
  const text = '[{"serviceNamespace": "s3", "actions": ["s3:GetObject", "S3:PutObject"]},' +
    ' {"serviceNamespace": "S3", "actions": ["getobject", {"action": "ListBucket", "lastAccessed": "2024-01-01T00:00:00Z"}]}]';
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.principals[0]!.services, [
    {
      service: 's3',
      whole: false,
      span: spanOf(text, '"s3"'),
      actions: [
        { name: 'GetObject', span: spanOf(text, '"s3:GetObject"') },
        { name: 'PutObject', span: spanOf(text, '"S3:PutObject"') },
        { name: 'ListBucket', span: spanOf(text, '"ListBucket"'), lastAccessed: '2024-01-01T00:00:00Z' },
      ],
    },
  ]);
});

test('a get-finding-v2 response keeps resource, analyzedAt, lastAccessed and marks whole services', () => {
  const text = fixture('finding-unused-permission.json');
  const doc = parseFindings(text);
  assert.equal(doc.format, 'access-analyzer-finding');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.principals, [
    {
      resource: 'arn:aws:iam::123456789012:role/MyRole',
      analyzedAt: '2024-07-01T10:00:00+00:00',
      services: [
        {
          service: 'lambda',
          whole: false,
          span: spanOf(text, '"lambda"'),
          lastAccessed: '2024-05-06T07:08:09+00:00',
          actions: [
            // The prefixed and the lower-case spelling are one action; the first spelling and span win.
            { name: 'UpdateFunctionCode', span: spanOf(text, '"lambda:UpdateFunctionCode"'), lastAccessed: '2024-02-03T04:05:06+00:00' },
            { name: 'CreateFunction', span: spanOf(text, '"CreateFunction"') },
          ],
        },
        { service: 'dynamodb', whole: true, span: spanOf(text, '"dynamodb"'), actions: [] },
        { service: 'sqs', whole: true, span: spanOf(text, '"SQS"'), lastAccessed: '2023-12-24T00:00:00+00:00', actions: [] },
      ],
    },
  ]);
});

test('{"findings": [...]} merges responses for one resource and keeps other resources apart', () => {
  const text = fixture('findings-merged.json');
  const doc = parseFindings(text);
  assert.equal(doc.format, 'access-analyzer-finding');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(
    doc.principals.map((p) => [p.resource, p.analyzedAt]),
    [
      ['arn:aws:iam::123456789012:role/MyRole', '2024-07-02T10:00:00+00:00'],
      ['arn:aws:iam::123456789012:role/OtherRole', '2024-07-03T10:00:00+00:00'],
    ],
  );
  // ec2 is whole in the second response, and whole wins over the first response's action.
  assert.deepEqual(summary(doc), [
    { s3: ['GetBucketAcl', 'GetBucketCORS', 'GetBucketTagging'], ec2: ['*'] },
    { s3: ['PutObject'] },
  ]);
  assert.deepEqual(doc.principals[0]!.services[0]!.actions[0]!.span, spanOf(text, '"s3:GetBucketAcl"'));
});

test('a top-level array of responses is read like {"findings": [...]}', () => {
  const text = fixture('findings-merged.json');
  const inner = text.slice(text.indexOf('['), text.lastIndexOf(']') + 1);
  const padded = ' '.repeat(text.indexOf('[')) + inner;
  const fromArray = parseFindings(padded);
  const fromObject = parseFindings(text);
  assert.equal(fromArray.format, 'access-analyzer-finding');
  assert.deepEqual(fromArray.principals, fromObject.principals);
});

test('other finding types are noted, partial pages warned about, resolved findings skipped', () => {
  const text = fixture('findings-mixed.json');
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [
    {
      severity: 'info',
      code: 'findings-other-type',
      message:
        'Finding role-finding reports an unused IAM role (arn:aws:iam::123456789012:role/Forgotten), not unused permissions; nothing to '
          + 'refine',
      span: spanOf(text, '"UnusedIAMRole"'),
      path: [0, 'findingType'],
    },
    {
      severity: 'info',
      code: 'findings-other-type',
      message:
        'Finding key-finding reports an unused IAM user access key (arn:aws:iam::123456789012:user/alice), not unused permissions; '
          + 'nothing to refine',
      span: spanOf(text, '"unusedIamUserAccessKeyDetails"'),
      path: [1, 'findingDetails', 0, 'unusedIamUserAccessKeyDetails'],
    },
    {
      severity: 'warning',
      code: 'findings-partial-page',
      message:
        'Finding page-1 (arn:aws:iam::123456789012:role/Paged) is one page of a longer result: nextToken says more ' +
        'findingDetails exist. Only this page is used; fetch the remaining pages and add them to this file',
      span: spanOf(text, '"eyJwYWdlIjoyfQ=="'),
      path: [2, 'nextToken'],
    },
    {
      severity: 'info',
      code: 'findings-inactive',
      message: 'Finding resolved-finding (arn:aws:iam::123456789012:role/Paged) is RESOLVED, so the actions it lists are not flagged',
      span: spanOf(text, '"RESOLVED"'),
      path: [3, 'status'],
    },
  ]);
  // The partial page is still used; the resolved finding's kms:Encrypt is not.
  assert.deepEqual(summary(doc), [{ kms: ['Decrypt'] }]);
  assert.equal(doc.principals[0]!.resource, 'arn:aws:iam::123456789012:role/Paged');
});

test('unused password findings and the CLI NextToken spelling are recognised too', () => {
  const text = JSON.stringify({
    id: 'pw',
    findingType: 'UnusedIAMUserPassword',
    resource: 'arn:aws:iam::123456789012:user/bob',
    findingDetails: [{ unusedIamUserPasswordDetails: { lastAccessed: '2023-01-01T00:00:00Z' } }],
    NextToken: 'abc',
  });
  const doc = parseFindings(text);
  assert.deepEqual(
    doc.problems.map((p) => [p.severity, p.code, p.span]),
    [
      ['warning', 'findings-partial-page', spanOf(text, '"abc"')],
      ['info', 'findings-other-type', spanOf(text, '"UnusedIAMUserPassword"')],
    ],
  );
  assert.match(doc.problems[1]!.message, /^Finding pw reports an unused IAM user password \(arn:aws:iam::123456789012:user\/bob\)/);
  assert.deepEqual(doc.principals, []);
});

test('an empty or null nextToken is not a partial page', () => {
  const doc = parseFindings(
    '{"findingType": "UnusedPermission", "nextToken": "", "NextToken": null, "findingDetails": [{"unusedPermissionDetails": '
      + '{"serviceNamespace": "s3"}}]}',
  );
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(summary(doc), [{ s3: ['*'] }]);
});

test('list-findings-v2 summaries (no findingDetails) are warned about', () => {
  const text = '{"findings": [{"id": "f1", "findingType": "UnusedPermission", "resource": "arn:aws:iam::1:role/R", "status": "ACTIVE"}]}';
  const doc = parseFindings(text);
  assert.equal(doc.format, 'access-analyzer-finding');
  assert.deepEqual(doc.problems, [
    {
      severity: 'warning',
      code: 'findings-no-details',
      message:
        'Finding f1 (arn:aws:iam::1:role/R) has no findingDetails, so it names no actions. list-findings-v2 prints only ' +
        'summaries; save the output of get-finding-v2 for each finding instead',
      span: spanOf(text, '"UnusedPermission"'),
      path: ['findings', 0, 'findingType'],
    },
  ]);
  // The role is known to have unused permissions, but not which: it must not be left out when
  // callers intersect principals, so it is kept with nothing flagged.
  assert.deepEqual(doc.principals, [{ resource: 'arn:aws:iam::1:role/R', services: [] }]);
});

test('epoch-second timestamps (raw AWS JSON) become ISO strings', () => {
  const doc = parseFindings(
    '{"findingType": "UnusedPermission", "analyzedAt": 1719828000, "findingDetails": [{"unusedPermissionDetails": {"serviceNamespace": '
      + '"s3", "lastAccessed": 1704067200.5}}]}',
  );
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.principals[0]!.analyzedAt, '2024-07-01T10:00:00.000Z');
  assert.equal(doc.principals[0]!.services[0]!.lastAccessed, '2024-01-01T00:00:00.500Z');
});

test('the last-accessed report without a threshold flags never-used services and actions', () => {
  const text = fixture('last-accessed.json');
  const doc = parseFindings(text, { now: NOW });
  assert.equal(doc.format, 'service-last-accessed');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.principals, [
    {
      analyzedAt: '2024-07-01T10:00:00.000000+00:00',
      services: [
        { service: 'dynamodb', whole: true, span: spanOf(text, '"dynamodb"'), actions: [] },
        {
          service: 's3',
          whole: false,
          span: spanOf(text, '"s3"'),
          lastAccessed: '2024-06-30T08:00:00+00:00',
          actions: [{ name: 'DeleteObject', span: spanOf(text, '"DeleteObject"') }],
        },
      ],
    },
  ]);
});

test('with thresholdDays, services and actions last used before the threshold count as unused', () => {
  const text = fixture('last-accessed.json');
  const doc = parseFindings(text, { thresholdDays: 90, now: NOW });
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.principals[0]!.services, [
    { service: 'dynamodb', whole: true, span: spanOf(text, '"dynamodb"'), actions: [] },
    { service: 'lambda', whole: true, span: spanOf(text, '"lambda"'), lastAccessed: '2024-01-15T12:00:00+00:00', actions: [] },
    {
      service: 's3',
      whole: false,
      span: spanOf(text, '"s3"'),
      lastAccessed: '2024-06-30T08:00:00+00:00',
      actions: [
        { name: 'PutObject', span: spanOf(text, '"PutObject"'), lastAccessed: '2024-02-01T08:00:00+00:00' },
        { name: 'DeleteObject', span: spanOf(text, '"DeleteObject"') },
      ],
    },
  ]);
});

test('the threshold is strict: exactly thresholdDays ago is still used', () => {
  const report = (time: string, service = '2024-06-30T00:00:00Z') =>
    JSON.stringify({
      JobStatus: 'COMPLETED',
      ServicesLastAccessed: [
        { ServiceNamespace: 's3', LastAuthenticated: service,
          TrackedActionsLastAccessed: [{ ActionName: 'GetObject', LastAccessedTime: time }] },
      ],
    });
  const options = { thresholdDays: 10, now: NOW };
  assert.deepEqual(summary(parseFindings(report('2024-06-21T00:00:00Z'), options)), [{}]);
  assert.deepEqual(summary(parseFindings(report('2024-06-20T23:59:59Z'), options)), [{ s3: ['GetObject'] }]);
  assert.deepEqual(summary(parseFindings(report('2024-06-21T00:00:00Z', '2024-06-21T00:00:00Z'), options)), [{}]);
  assert.deepEqual(summary(parseFindings(report('2024-06-20T00:00:00Z', '2024-06-20T23:59:59Z'), options)), [{ s3: ['*'] }]);
  // Without `now` the threshold is measured from the current time.
  const aMinuteAgo = new Date(Date.now() - 60_000).toISOString();
  assert.deepEqual(summary(parseFindings(report('2000-01-01T00:00:00Z', aMinuteAgo), { thresholdDays: 10 })), [{ s3: ['GetObject'] }]);
  assert.deepEqual(summary(parseFindings(report(aMinuteAgo, aMinuteAgo), { thresholdDays: 10 })), [{}]);
});

test('an incomplete job, a truncated page and a service-level report are reported', () => {
  const text = JSON.stringify({
    JobStatus: 'IN_PROGRESS',
    JobType: 'SERVICE_LEVEL',
    IsTruncated: true,
    Marker: 'next',
    ServicesLastAccessed: [{ ServiceNamespace: 'iam' }],
  });
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [
    {
      severity: 'warning',
      code: 'findings-job-incomplete',
      message:
        'The report job is IN_PROGRESS, not COMPLETED, so the report may be missing services; ' +
        'run get-service-last-accessed-details again once the job has completed',
      span: spanOf(text, '"IN_PROGRESS"'),
      path: ['JobStatus'],
    },
    {
      severity: 'warning',
      code: 'findings-partial-page',
      message:
        'IsTruncated says this report is one page of a longer list: more services exist. Only this page is used; ' +
        'fetch the remaining pages with --marker and add their services to this file',
      span: spanOf(text, 'true'),
      path: ['IsTruncated'],
    },
    {
      severity: 'info',
      code: 'findings-service-level',
      message:
        'This report is SERVICE_LEVEL, so only wholly unused services are found; ' +
        'generate it with --granularity ACTION_LEVEL to find unused actions too',
      span: spanOf(text, '"SERVICE_LEVEL"'),
      path: ['JobType'],
    },
  ]);
  assert.deepEqual(summary(doc), [{ iam: ['*'] }]);
});

test('an appliesTo wrapper records its globs and reads the findings inside (comments and trailing commas allowed)', () => {
  const text = fixture('wrapper.json');
  const doc = parseFindings(text);
  assert.equal(doc.format, 'unused-actions-list');
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.appliesTo, [
    { glob: 'policies/prod/*.json', span: spanOf(text, '"policies/prod/*.json"') },
    { glob: 'terraform/**/*.tf.json', span: spanOf(text, '"terraform/**/*.tf.json"') },
  ]);
  assert.deepEqual(summary(doc), [{ s3: ['GetObject', 'PutObject'] }]);
});

test('an appliesTo wrapper may hold a single finding, a findings list or a last-accessed report', () => {
  const finding = fixture('finding-unused-permission.json');
  const report = fixture('last-accessed.json');
  const merged = fixture('findings-merged.json');
  const wrap = (inner: string) => `{"appliesTo": ["a.json"], "findings": ${inner}}`;
  assert.equal(parseFindings(wrap(finding)).format, 'access-analyzer-finding');
  assert.deepEqual(parseFindings(wrap(finding)).principals.map((p) => p.resource), ['arn:aws:iam::123456789012:role/MyRole']);
  assert.equal(parseFindings(wrap(report)).format, 'service-last-accessed');
  assert.deepEqual(summary(parseFindings(wrap(report))), summary(parseFindings(report)));
  assert.equal(parseFindings(wrap(merged)).principals.length, 2);
  const empty = parseFindings(wrap('[]'));
  assert.deepEqual([empty.format, empty.principals, empty.problems], ['empty', [], []]);
});

test('an empty array is an empty findings document without problems', () => {
  assert.deepEqual(parseFindings('[]'), { format: 'empty', principals: [], problems: [] });
  assert.deepEqual(parseFindings(' [ ] \n'), { format: 'empty', principals: [], problems: [] });
});

test('{"findings": []} is an Access Analyzer document with nothing in it', () => {
  assert.deepEqual(parseFindings('{"findings": []}'), { format: 'access-analyzer-finding', principals: [], problems: [] });
});

test('a byte-order mark is accepted and spans still count it', () => {
  const text = '\uFEFF[{"serviceNamespace": "s3", "actions": ["GetObject"]}]';
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(doc.principals[0]!.services[0]!.actions[0]!.span, spanOf(text, '"GetObject"'));
});

test('a {"findings": [...]} list with a nextToken is a partial page, still used', () => {
  const text =
    '{"findings": [{"findingType": "UnusedPermission", "findingDetails": [{"unusedPermissionDetails": {"serviceNamespace": "s3"}}]}], '
      + '"nextToken": "p2"}';
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [
    {
      severity: 'warning',
      code: 'findings-partial-page',
      message:
        'This list is one page of a longer result: nextToken says more findings exist. ' +
        'Only this page is used; fetch the remaining pages and add them to this file',
      span: spanOf(text, '"p2"'),
      path: ['nextToken'],
    },
  ]);
  assert.deepEqual(summary(doc), [{ s3: ['*'] }]);
});

test('external access details are noted once per finding, however many entries they have', () => {
  const text = JSON.stringify({
    id: 'ext',
    resource: 'arn:aws:s3:::bucket',
    findingDetails: [{ externalAccessDetails: { isPublic: true } }, { externalAccessDetails: { isPublic: false } }],
  });
  assert.deepEqual(parseFindings(text).problems, [
    {
      severity: 'info',
      code: 'findings-other-type',
      message: 'Finding ext reports external access (arn:aws:s3:::bucket), not unused permissions; nothing to refine',
      span: spanOf(text, '"externalAccessDetails"'),
      path: ['findingDetails', 0, 'externalAccessDetails'],
    },
  ]);
});

test('problems inside an appliesTo wrapper have paths under "findings"', () => {
  const text = '{"appliesTo": ["a.json"], "findings": [{"serviceNamespace": 5}, {"serviceNamespace": "s3"}]}';
  const doc = parseFindings(text);
  assert.deepEqual(doc.problems, [
    {
      severity: 'error',
      code: 'findings-type',
      message: 'serviceNamespace must be a string, found number',
      span: spanOf(text, '5'),
      path: ['findings', 0, 'serviceNamespace'],
    },
  ]);
  assert.deepEqual(summary(doc), [{ s3: ['*'] }]);
});

test('a principal whose findings flag nothing is kept empty; other finding types add no principal', () => {
  const text = JSON.stringify([
    { id: 'a', findingType: 'UnusedPermission', resource: 'arn:aws:iam::1:role/A', status: 'ACTIVE',
      findingDetails: [{ unusedPermissionDetails: { serviceNamespace: 's3' } }] },
    { id: 'b', findingType: 'UnusedPermission', resource: 'arn:aws:iam::1:role/B', status: 'ARCHIVED',
      findingDetails: [{ unusedPermissionDetails: { serviceNamespace: 's3' } }] },
    { id: 'c', findingType: 'UnusedPermission', resource: 'arn:aws:iam::1:role/C', findingDetails: [] },
    { id: 'd', findingType: 'UnusedIAMRole', resource: 'arn:aws:iam::1:role/D', findingDetails: [{ unusedIamRoleDetails: {} }] },
    { id: 'e', resource: 'arn:aws:iam::1:user/e', findingDetails: [{ unusedIamUserPasswordDetails: {} }] },
  ]);
  const doc = parseFindings(text);
  assert.deepEqual(
    doc.principals.map((p) => [p.resource, p.services.map((s) => s.service)]),
    [
      ['arn:aws:iam::1:role/A', ['s3']],
      ['arn:aws:iam::1:role/B', []],
      ['arn:aws:iam::1:role/C', []],
    ],
  );
  assert.deepEqual(
    doc.problems.map((p) => [p.code, p.path]),
    [
      ['findings-inactive', [1, 'status']],
      ['findings-other-type', [3, 'findingType']],
      ['findings-other-type', [4, 'findingDetails', 0, 'unusedIamUserPasswordDetails']],
    ],
  );
});
