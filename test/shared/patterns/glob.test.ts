import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseActionPattern } from '../../../shared/src/patterns/actionPattern';
import { Glob } from '../../../shared/src/patterns/glob';

test('* matches any run, also empty; ? exactly one character; case-insensitive', () => {
  const g = new Glob('s3:Get*');
  assert.ok(g.matches('s3:get'));
  assert.ok(g.matches('s3:getobject'));
  assert.ok(!g.matches('s3:listbucket'));
  assert.ok(new Glob('S3:GETOBJECT').matches('s3:getobject'));
  assert.ok(new Glob('s3:GetObjec?').matches('s3:getobject'));
  assert.ok(!new Glob('s3:GetObjec?').matches('s3:getobjec'));
  assert.ok(!new Glob('s3:GetObjec?').matches('s3:getobjectacl'));
  assert.ok(new Glob('s3:*Object*').matches('s3:putobjectacl'));
  assert.ok(new Glob('s3:*Object').matches('s3:getobject'));
  assert.ok(!new Glob('s3:*Object').matches('s3:getobjectacl'));
  assert.ok(new Glob('*').matches('anything:atall'));
  assert.ok(new Glob('s3:*a*b*c').matches('s3:xaxbxbxc'));
  assert.ok(!new Glob('s3:*a*b*c').matches('s3:xaxbxbxcx'));
});

test('prefix containment: prefix* allows nothing the pattern does not', () => {
  assert.ok(new Glob('s3:Get*').coversAllExtensionsOf('s3:getobject'));
  assert.ok(new Glob('s3:Get*').coversAllExtensionsOf('s3:get'));
  assert.ok(!new Glob('s3:Get*').coversAllExtensionsOf('s3:ge'));
  assert.ok(new Glob('s3:*Object*').coversAllExtensionsOf('s3:getobject'));
  assert.ok(!new Glob('s3:*Object*').coversAllExtensionsOf('s3:get'));
  // GetObjectAcl ends in something other than "Object": s3:GetObject* would allow more than s3:*Object.
  assert.ok(!new Glob('s3:*Object').coversAllExtensionsOf('s3:getobject'));
  assert.ok(!new Glob('s3:Get?*').coversAllExtensionsOf('s3:get'));
  assert.ok(new Glob('s3:Get?*').coversAllExtensionsOf('s3:getx'));
  assert.ok(!new Glob('s3:GetObjec?').coversAllExtensionsOf('s3:getobject'));
  assert.ok(new Glob('*').coversAllExtensionsOf('s3:'));
  assert.ok(new Glob('s*:*').coversAllExtensionsOf('s3:'));
  assert.ok(!new Glob('s*:Get*').coversAllExtensionsOf('s3:'));
  // Only the union of states is universal here: "" accepts the empty rest, "?*" every other one.
  assert.ok(new Glob('a*?*').coversAllExtensionsOf('ab'));
  assert.ok(!new Glob('a*?*').coversAllExtensionsOf('a'));
});

test('malformed actions are reported, not guessed at', () => {
  const message = (text: string): string | undefined => {
    const parsed = parseActionPattern(text);
    return parsed.ok ? undefined : parsed.message;
  };
  assert.equal(message('GetObject'), 'Action "GetObject" has no service prefix: expected "service:action".');
  assert.equal(message('s3 :GetObject'), 'Action "s3 :GetObject" contains white space.');
  assert.equal(message(':GetObject'), 'Action ":GetObject" has an empty service prefix.');
  assert.equal(message('s3:'), 'Action "s3:" has an empty action name.');
  assert.equal(message('s3:Get:Object'), 'Action "s3:Get:Object" has more than one colon.');
  assert.equal(message('s3:Get.Object'), 'Action "s3:Get.Object" has an invalid character in "Get.Object".');
  assert.equal(message('s_3:GetObject'), 'Action "s_3:GetObject" has an invalid service prefix "s_3".');
  assert.equal(message(''), 'Empty action: expected "service:action".');
  assert.equal(message('*'), undefined);
  assert.equal(message('S3:get*'), undefined);
  const parsed = parseActionPattern('S3:Get*');
  assert.ok(parsed.ok && parsed.pattern.service === 's3' && parsed.pattern.singleService);
  const multi = parseActionPattern('s*:Get*');
  assert.ok(multi.ok && !multi.pattern.singleService);
});

test('a state on the trailing stars is universal at once; the accept state alone is not', () => {
  const get = new Glob('s3:Get*');
  assert.ok(get.atTrailingStar(get.advance(get.start(), 's3:getobject')));
  assert.ok(!get.atTrailingStar(get.advance(get.start(), 's3:ge')));
  const star = new Glob('*');
  assert.ok(star.atTrailingStar(star.advance(star.start(), 'ec2:')));
  const exact = new Glob('s3:GetObject');
  const done = exact.advance(exact.start(), 's3:getobject');
  assert.ok(exact.accepts(done) && !exact.atTrailingStar(done) && !exact.isUniversal(done));
  const infix = new Glob('s3:*Object');
  assert.ok(!infix.atTrailingStar(infix.advance(infix.start(), 's3:getobject')));
});
