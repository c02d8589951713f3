import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultRegion, profilesOf, readProfiles, sharedFiles } from '../../../client/src/fetch/awsProfiles';

const CONFIG = `# a comment
[default]
region = eu-west-1

[profile dev]
region=us-east-2
s3 =
  max_concurrent_requests = 20
  region = nested-is-not-the-profile's

[profile sso-admin]
sso_session = corp
sso_account_id = 111122223333

[sso-session corp]
sso_region = eu-central-1

[services local]
iam =
  endpoint_url = http://localhost:4566
`;

const CREDENTIALS = `[default]
aws_access_key_id = AKIA...
; another comment
[ci]
aws_access_key_id = AKIA...
region = ap-south-1
[dev]
region = us-west-2
`;

test('profiles of both files: [default] and [profile NAME] in config, every section in credentials; no sso-session or services', () => {
  assert.deepEqual(profilesOf(CONFIG, CREDENTIALS), [
    { name: 'ci', region: 'ap-south-1' },
    { name: 'default', region: 'eu-west-1' },
    // As the SDK merges the two files, the credentials file's region wins over the config file's.
    { name: 'dev', region: 'us-west-2' },
    { name: 'sso-admin' },
  ]);
  assert.deepEqual(profilesOf('', ''), []);
});

test('the files are where the SDK looks: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (with ~/), else ~/.aws', () => {
  assert.deepEqual(sharedFiles({}, '/home/me'), { config: '/home/me/.aws/config', credentials: '/home/me/.aws/credentials' });
  assert.deepEqual(sharedFiles({ AWS_CONFIG_FILE: '~/work/aws-config', AWS_SHARED_CREDENTIALS_FILE: '/etc/aws/creds' }, '/home/me'),
    { config: '/home/me/work/aws-config', credentials: '/etc/aws/creds' });
  assert.equal(sharedFiles({ HOME: '/home/other' }).config, '/home/other/.aws/config');
});

test('reading the files from disk; a missing file has no profiles', () => {
  const home = mkdtempSync(join(tmpdir(), 'iam-profiles-'));
  mkdirSync(join(home, '.aws'));
  writeFileSync(join(home, '.aws', 'config'), CONFIG);
  assert.deepEqual(readProfiles(sharedFiles({}, home)).map((p) => p.name), ['default', 'dev', 'sso-admin']);
  writeFileSync(join(home, 'creds'), CREDENTIALS);
  assert.deepEqual(readProfiles(sharedFiles({ AWS_SHARED_CREDENTIALS_FILE: join(home, 'creds') }, home)).map((p) => p.name),
    ['ci', 'default', 'dev', 'sso-admin']);
  assert.deepEqual(readProfiles(sharedFiles({}, join(home, 'nowhere'))), []);
});

test('the default region: AWS_REGION first, then the profile\'s (without one: AWS_PROFILE\'s, else the default profile\'s)', () => {
  const profiles = profilesOf(CONFIG, CREDENTIALS);
  assert.equal(defaultRegion(profiles, 'ci', { AWS_REGION: 'sa-east-1' }), 'sa-east-1');
  assert.equal(defaultRegion(profiles, 'ci', {}), 'ap-south-1');
  assert.equal(defaultRegion(profiles, undefined, {}), 'eu-west-1');
  assert.equal(defaultRegion(profiles, undefined, { AWS_PROFILE: 'dev' }), 'us-west-2');
  assert.equal(defaultRegion(profiles, 'sso-admin', {}), undefined);
});
