import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cliArguments, defaultFileName, defaultOutPath, parseCommandArgs, principalProblem, regionProblem, resolveOut,
} from '../../../client/src/fetch/fetchArguments';
import { parseFetchArgs } from '../../../server/src/fetch/fetchArgs';

test('principals: role names and IAM ARNs pass; paths without ARN, other services and typos are refused with a reason', () => {
  for (const ok of ['app', 'orders-api-role', 'svc+x=y,z.a@b_c', 'arn:aws:iam::123456789012:role/app',
    'arn:aws:iam::123456789012:role/service-role/app', 'arn:aws:iam::123456789012:user/alice',
    'arn:aws:iam::123456789012:policy/shared', 'arn:aws-us-gov:iam::123456789012:role/app', 'arn:aws:iam::aws:policy/ReadOnlyAccess']) {
    assert.equal(principalProblem(ok), undefined, ok);
  }
  assert.match(principalProblem('') ?? '', /Enter a role name/);
  assert.match(principalProblem('service-role/app') ?? '', /needs a full ARN/);
  assert.match(principalProblem('x'.repeat(65)) ?? '', /1 to 64/);
  assert.match(principalProblem('arn:aws:s3:::bucket') ?? '', /Not an IAM role, user or policy ARN/);
  assert.match(principalProblem('arn:aws:iam::1234:role/app') ?? '', /Not an IAM/);
});

test('regions', () => {
  for (const ok of ['us-east-1', 'eu-central-2', 'us-gov-west-1', 'ap-southeast-4']) assert.equal(regionProblem(ok), undefined, ok);
  for (const bad of ['', 'us-east', 'US-EAST-1', 'useast1']) assert.ok(regionProblem(bad), bad);
});

test('the default file is named as the CLI names it: the role name, or the last part of the ARN', () => {
  assert.equal(defaultFileName('app'), 'app.unused-access.json');
  assert.equal(defaultFileName('arn:aws:iam::123456789012:role/service-role/app'), 'app.unused-access.json');
  assert.equal(defaultFileName('arn:aws:iam::123456789012:policy/shared'), 'shared.unused-access.json');
  assert.equal(defaultOutPath('/work/infra', ['app', 'other']), '/work/infra/app.unused-access.json');
  assert.equal(resolveOut('findings/app.json', '/work'), '/work/findings/app.json');
  assert.equal(resolveOut('/abs/app.json', undefined), '/abs/app.json');
  assert.equal(resolveOut('app.json', undefined), undefined);
});

test('the CLI arguments parse back, with iam-refine fetch\'s own parser, to exactly the request', () => {
  const args = cliArguments({ profile: 'dev', region: 'eu-west-1', source: 'last-accessed', principals: [' app ', '-odd'],
    out: '/work/app.unused-access.json' });
  assert.equal(args[0], 'fetch');
  assert.deepEqual(parseFetchArgs(args.slice(1)), {
    principals: ['app', '-odd'], profile: 'dev', region: 'eu-west-1', source: 'last-accessed', out: '/work/app.unused-access.json',
    appliesTo: [], help: false,
  });
  // The default chain and the profile's region: no --profile, no --region.
  const chain = cliArguments({ profile: undefined, region: undefined, source: 'access-analyzer', principals: ['app'], out: '/w/a.json' });
  assert.deepEqual(chain, ['fetch', '--source', 'access-analyzer', '--out', '/w/a.json', '--', 'app']);
});

test('the command\'s argument: each field checked, one message per mistake', () => {
  assert.deepEqual(parseCommandArgs(undefined), {});
  assert.deepEqual(parseCommandArgs({ profile: '', region: 'eu-west-1', source: 'access-analyzer', principal: 'app', out: 'a.json' }),
    { profile: '', region: 'eu-west-1', source: 'access-analyzer', principal: ['app'], out: 'a.json' });
  assert.deepEqual(parseCommandArgs({ profile: null, principal: ['a', 'b'] }), { profile: null, principal: ['a', 'b'] });
  assert.equal(parseCommandArgs('app'), 'the argument must be an object: { profile, region, source, principal, out }');
  assert.equal(parseCommandArgs({ role: 'app' }), 'unknown field role (known: profile, region, source, principal, out)');
  assert.equal(parseCommandArgs({ profile: 3 }), '"profile" must be a string');
  assert.equal(parseCommandArgs({ region: 'Ireland' }), '"region" must be a region name such as us-east-1');
  assert.equal(parseCommandArgs({ source: 'cloudtrail' }), '"source" must be "access-analyzer" or "last-accessed"');
  assert.equal(parseCommandArgs({ principal: [] }), '"principal" must be a role name or ARN, or a list of them');
  assert.match(String(parseCommandArgs({ principal: 'role/app' })), /^"principal": A role name has/);
  assert.equal(parseCommandArgs({ out: ' ' }), '"out" must be a file path');
});
