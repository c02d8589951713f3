// "IAM Policy Refiner: Fetch Unused Access Findings…" against the local AWS fake (test/support/fakeAws),
// in the templates workspace: a CloudFormation template whose role no findings file names yet. The command
// runs iam-refine fetch from the extension's dist/ as a child process, which inherits the extension host's
// environment, as it would a user's AWS variables: the suite points the standard endpoint variables at the
// fake and sets fake keys there, and restores them after. The command's argument answers the pickers, as a
// keybinding or a task would; its return value is the message it shows.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { type FakeAws, startFakeAws } from '../../support/fakeAws/server';
import { type World, roleArn, unusedPermissions } from '../../support/fakeAws/world';
import {
  activateExtension, codeOf, hasWorkspaceFolder, revertAndCloseAll, waitForDiagnosticsWhere, waitForHover, workspaceFolder,
} from './helpers';

const FOLDER = 'templates';
const ACCOUNT = '111122223333';
const ROLE = 'fetch-e2e-role';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  FetchRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ${ROLE}
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: data
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action:
                  - s3:GetObject
                  - s3:PutObject
                Resource: '*'
`;

const ANALYZERS: World['analyzers'] = [{ name: 'unused-access', type: 'ACCOUNT_UNUSED_ACCESS' }];

/** The account's role and its one finding: s3:PutObject is unused. */
function world(analyzers = ANALYZERS): World {
  const w: World = { account: ACCOUNT, roles: [{ name: ROLE }], analyzers };
  return { ...w, findings: [{ id: 'f-e2e', resource: roleArn(w, ROLE), details: unusedPermissions({ s3: ['PutObject'] }) }] };
}

/** What the command returns (and shows). */
interface Outcome {
  status: string;
  message?: string;
  file?: string;
}

/** The AWS variables the suite sets in the extension host, saved to be put back. */
const VARIABLES = ['AWS_ENDPOINT_URL_ACCESSANALYZER', 'AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_STS', 'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED'];

suite('Fetch Unused Access Findings: iam-refine fetch from the editor, against the local AWS fake', () => {
  const saved = new Map<string, string | undefined>();
  let dir: string;
  let template: vscode.Uri;
  let aws: FakeAws | undefined;

  /** Starts a fake serving `w` and points the extension host's AWS variables at it: no machine settings, fake keys. */
  async function useFake(w: World): Promise<FakeAws> {
    await aws?.close();
    aws = await startFakeAws(w);
    const home = mkdtempSync(join(tmpdir(), 'iam-fetch-e2e-home-'));
    for (const name of VARIABLES) delete process.env[name];
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_ACCESSANALYZER: aws.url, AWS_ENDPOINT_URL_IAM: aws.url, AWS_ENDPOINT_URL_STS: aws.url,
      AWS_ACCESS_KEY_ID: 'AKIAFAKEFETCHTEST', AWS_SECRET_ACCESS_KEY: 'fake-secret-key-for-tests', AWS_REGION: 'eu-west-1',
      // No ~/.aws of the machine, and no instance metadata service to ask.
      AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true',
    });
    return aws;
  }

  function fetchFindings(args: Record<string, unknown>): Thenable<Outcome> {
    return vscode.commands.executeCommand<Outcome>('iamPolicyRefiner.fetchFindings', args);
  }

  suiteSetup(async function () {
    if (!hasWorkspaceFolder(FOLDER)) {
      this.skip(); // run.mjs --workspace without templates
      return;
    }
    for (const name of VARIABLES) saved.set(name, process.env[name]);
    await revertAndCloseAll();
    dir = join(workspaceFolder(FOLDER).uri.fsPath, 'fetch-e2e');
    mkdirSync(dir, { recursive: true });
    template = vscode.Uri.file(join(dir, 'template.yaml'));
    writeFileSync(template.fsPath, TEMPLATE);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(template));
    await activateExtension();
  });

  suiteTeardown(async () => {
    await aws?.close();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (!dir) return;
    await revertAndCloseAll();
    // Other suites count the policies and findings files of this folder.
    rmSync(dir, { recursive: true, force: true });
  });

  test('before: the role\'s policy has no findings, and the hover says so', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const document = await vscode.workspace.openTextDocument(template);
    const at = document.positionAt(document.getText().indexOf('s3:PutObject') + 3);
    // The server was told at start that this client runs the fetch command: the hover links to it.
    const offer = /No findings file applies to this policy \(\[fetch findings from AWS…\]\(command:iamPolicyRefiner\.fetchFindings\)\)/;
    await waitForHover(template, at, offer);
  });

  test('the command with every answer given writes the findings file and says what it saved', async () => {
    const fake = await useFake(world());
    const out = join(dir, `${ROLE}.unused-access.json`);
    const outcome = await fetchFindings({ profile: '', region: 'eu-west-1', source: 'access-analyzer', principal: ROLE, out });
    const shown = vscode.workspace.asRelativePath(vscode.Uri.file(out));
    assert.deepEqual(outcome, { status: 'written', message: `Saved 1 finding for ${ROLE} to ${shown}.`, file: out });
    const written = JSON.parse(readFileSync(out, 'utf8')) as { fetched: Record<string, unknown>; findings: { resource: string }[] };
    assert.equal(written.fetched['source'], 'access-analyzer');
    assert.equal(written.fetched['account'], ACCOUNT);
    assert.equal(written.fetched['region'], 'eu-west-1');
    assert.deepEqual(written.fetched['principals'], [{ arn: roleArn(world(), ROLE), findings: 1 }]);
    assert.deepEqual(written.findings.map((f) => f.resource), [roleArn(world(), ROLE)]);
    assert.ok(fake.requests.every((r) => r.accessKeyId === 'AKIAFAKEFETCHTEST'), 'signed with the extension host\'s keys');
    assert.ok(fake.operations().includes('access-analyzer:ListFindingsV2'), fake.operations().join(', '));
  });

  test('then the template\'s policy gets the diagnostics of the new findings file', async () => {
    const diagnostics = await waitForDiagnosticsWhere(template, 's3:PutObject unused by the fetched role',
      (d) => d.some((x) => codeOf(x) === 'unused-action' && x.message.includes('s3:PutObject') && x.message.includes(ROLE)));
    assert.deepEqual(diagnostics.map(codeOf), ['unused-action']);
    const document = await vscode.workspace.openTextDocument(template);
    const at = document.positionAt(document.getText().indexOf('s3:PutObject') + 3);
    await waitForHover(template, at, new RegExp(`Findings: ${ROLE}\\.unused-access\\.json`));
  });

  test('an AWS error: no file is written, and the message is the CLI\'s one line', async () => {
    await useFake(world([]));
    const out = join(dir, 'not-written.unused-access.json');
    const outcome = await fetchFindings({ profile: null, region: 'eu-west-1', source: 'access-analyzer', principal: ROLE, out });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message ?? '', new RegExp(`^Fetch failed: no unused-access analyzer in account ${ACCOUNT}, region eu-west-1: `
      + 'create one with "aws accessanalyzer create-analyzer'));
    assert.ok(!(outcome.message ?? '').includes('\n'), 'one line');
    assert.equal(existsSync(out), false);
  });

  test('a wrong argument is refused before anything runs', async () => {
    const outcome = await fetchFindings({ principal: 'role/with/slashes', region: 'eu-west-1' });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message ?? '', /^iamPolicyRefiner\.fetchFindings: "principal": A role name has 1 to 64/);
  });
});
