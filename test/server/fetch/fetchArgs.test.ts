import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../server/src/cli/args';
import { parseFetchArgs } from '../../../server/src/fetch/fetchArgs';

test('every option, inline or apart, and --applies-to repeated', () => {
  assert.deepEqual(parseFetchArgs(['--profile', 'dev', '--region=eu-west-1', '--source', 'last-accessed', '--out=x.unused-access.json',
    '--applies-to', 'a/*.json', '--applies-to=b/*.json', '--threshold-days', '30', 'app', 'arn:aws:iam::1:role/b']), {
    principals: ['app', 'arn:aws:iam::1:role/b'], profile: 'dev', region: 'eu-west-1', source: 'last-accessed',
    out: 'x.unused-access.json', appliesTo: ['a/*.json', 'b/*.json'], thresholdDays: 30, help: false,
  });
});

test('the defaults: Access Analyzer, no profile or region of its own (the SDK\'s chain decides)', () => {
  assert.deepEqual(parseFetchArgs(['app']), { principals: ['app'], source: 'access-analyzer', appliesTo: [], help: false });
  assert.deepEqual(parseFetchArgs(['--analyzer', 'arn:aws:access-analyzer:eu-west-1:1:analyzer/u', '--', '-odd-name']).principals,
    ['-odd-name']);
  assert.equal(parseFetchArgs(['--help']).help, true, 'help needs no principal');
});

test('usage errors say what is wrong', () => {
  const cases: [string[], string][] = [
    [['--profile'], '--profile needs a value'],
    [['--bogus', 'app'], 'unknown option --bogus'],
    [['--threshold-days', '1.5', '--source', 'last-accessed', 'app'], '--threshold-days takes a whole number of days, not "1.5"'],
    [['--source', 'last-accessed', '--analyzer', 'arn', 'app'],
      '--analyzer is for --source access-analyzer; last-accessed reports need no analyzer'],
  ];
  for (const [args, message] of cases) assert.throws(() => parseFetchArgs(args), new UsageError(message), args.join(' '));
});

test('--list-roles needs no principal, takes --profile and --region, and refuses what only fetching findings uses', () => {
  assert.deepEqual(parseFetchArgs(['--list-roles', '--profile', 'dev', '--region', 'eu-west-1']),
    { principals: [], profile: 'dev', region: 'eu-west-1', source: 'access-analyzer', appliesTo: [], listRoles: true, help: false });
  const cases: [string[], string][] = [
    [['--list-roles', 'app'], '--list-roles lists every role of the account: it takes no PRINCIPAL'],
    [['--list-roles', '--out', 'x.json'], '--list-roles prints roles and writes no file: --out is for fetching findings'],
    [['--list-roles', '--source', 'last-accessed', '--applies-to', '*.json'],
      '--list-roles prints roles and writes no file: --source, --applies-to are for fetching findings'],
  ];
  for (const [args, message] of cases) assert.throws(() => parseFetchArgs(args), new UsageError(message), args.join(' '));
});
