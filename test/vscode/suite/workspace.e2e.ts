// "Refine All Policies in the Workspace" over test/fixtures/workspaces/multi: two teams' policies in
// different folders, each with its own findings file (an unused-actions list, an Access Analyzer
// finding), and a package.json that is no policy. run.mjs opens it beside the article (multi-root).
//
// What the two policies must become, worked out by hand:
//   team-a/policy.json  sqs:DeleteQueue is unused: removed. ssm:GetParameter* allows GetParameter,
//                       GetParameterHistory, GetParameters, GetParametersByPath; GetParameterHistory is
//                       unused, so it becomes ["ssm:GetParameter", "ssm:GetParameters*"] (a string
//                       becomes a list when the replacement needs several patterns).
//   team-b/role.json    (a get-role-policy response: the policy is nested) s3:DeleteObject is unused:
//                       removed; the cloudwatch statement's only action is in a wholly unused service:
//                       the statement goes, and with it the comma before it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ARTICLE_REFINED } from '../../support/article';
import {
  activateExtension, codeOf, diskText, hasWorkspaceFolder, ourDiagnostics, revertAndCloseAll, revertToDisk, waitFor,
  waitForCodeAction, waitForDiagnosticsWhere, workspaceUri,
} from './helpers';

const TEAM_A_REFINED = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Queues",
      "Effect": "Allow",
      "Action": [
        "sqs:SendMessage",
        "sqs:ReceiveMessage"
      ],
      "Resource": "arn:aws:sqs:us-east-1:123456789012:orders"
    },
    {
      "Sid": "Parameters",
      "Effect": "Allow",
      "Action": [
        "ssm:GetParameter",
        "ssm:GetParameters*"
      ],
      "Resource": "arn:aws:ssm:us-east-1:123456789012:parameter/orders/*"
    }
  ]
}
`;

const TEAM_B_REFINED = `{
  "RoleName": "billing-reports",
  "PolicyName": "reports",
  "PolicyDocument": {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": [
          "s3:GetObject",
          "s3:PutObject"
        ],
        "Resource": "arn:aws:s3:::billing-reports/*"
      }
    ]
  }
}
`;

interface WorkspaceRefinementResult {
  files: string[];
  summary: string;
  applied: boolean;
  report?: string;
  saved?: boolean;
}

/** What refineWorkspace refines here: multi's two files, and the templates folder's five when it is open. */
const REFINED_WITH_TEMPLATES = '5 unused statements removed, 11 unused actions removed, 4 wildcards narrowed (6 unused actions excluded)';
const REFINED_MULTI = '1 unused statement removed, 2 unused actions removed, 1 wildcard narrowed (1 unused action excluded)';
const TEMPLATE_FILES = ['cfn/stack.json', 'cfn/stack.yaml', 'sam-app/template.yaml', 'terraform/iam.tf', 'terraform/main.tf'];

suite('workspace: Refine All Policies in the Workspace (multi: team-a, team-b)', () => {
  const teamA = () => workspaceUri('team-a/policy.json', 'multi');
  const teamB = () => workspaceUri('team-b/role.json', 'multi');
  const packageJson = () => workspaceUri('package.json', 'multi');
  /** How VS Code names a file of the multi folder: with the folder's name when several are open. */
  const shown = (relative: string) => ((vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `multi/${relative}` : relative);
  let originals: Map<string, string>;
  let templateOriginals: Map<string, string>;

  suiteSetup(async function () {
    if (!hasWorkspaceFolder('multi')) {
      this.skip(); // run.mjs --workspace article alone
      return;
    }
    await revertAndCloseAll();
    originals = new Map();
    for (const uri of [teamA(), teamB(), packageJson()]) originals.set(uri.toString(), await diskText(uri));
    templateOriginals = new Map();
    if (hasWorkspaceFolder('templates')) {
      for (const f of TEMPLATE_FILES) {
        const uri = workspaceUri(f, 'templates');
        templateOriginals.set(uri.toString(), await diskText(uri));
      }
    }
    await activateExtension();
  });

  suiteTeardown(async () => {
    if (hasWorkspaceFolder('multi')) await revertAndCloseAll();
  });

  test('team-a/policy.json, open: its own findings apply (sqs:DeleteQueue unused, ssm:GetParameter* over-broad)', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(teamA()));
    const diagnostics = await waitForDiagnosticsWhere(teamA(), 'two of them', (d) => d.length === 2);
    assert.deepEqual(diagnostics.map((d) => [codeOf(d), d.message]), [
      ['unused-action', 'Unused action sqs:DeleteQueue: never used in the tracking period.'],
      ['overbroad-wildcard', 'ssm:GetParameter* allows 1 unused action (of 4).'],
    ]);
  });

  test('the article policy, refined in the editor and not saved, is not refined again', async function () {
    if (!hasWorkspaceFolder('article')) this.skip();
    const article = workspaceUri('policy.json', 'article');
    const document = await revertToDisk(article);
    await vscode.window.showTextDocument(document);
    const action = await waitForCodeAction(article, new vscode.Range(6, 9, 6, 9), /^Refine the whole policy/);
    assert.ok(action.edit);
    assert.equal(await vscode.workspace.applyEdit(action.edit), true);
    assert.equal(document.getText(), ARTICLE_REFINED);
    assert.equal(document.isDirty, true);
    await waitForDiagnosticsWhere(article, 'none left', (d) => d.length === 0);
  });

  test('refineWorkspace { confirm: false }: the summary, the two files (and the templates folder\'s five when it is open), applied',
    async () => {
    const result = await vscode.commands.executeCommand<WorkspaceRefinementResult>('iamPolicyRefiner.refineWorkspace', { confirm: false });
    // run.mjs opens test/fixtures/workspaces/templates too by default: the command refines the whole workspace,
    // so its five template files count as well (their exact refinements: test/shared/formats/fixtureRepository.test.ts).
    const templates = hasWorkspaceFolder('templates');
    const files = templates ? 7 : 2;
    assert.deepEqual(result, {
      files: [
        shown('team-a/policy.json'), shown('team-b/role.json'),
        ...(templates ? TEMPLATE_FILES.map((f) => `templates/${f}`) : []),
      ],
      summary: `${files} policy files: ${templates ? REFINED_WITH_TEMPLATES : REFINED_MULTI}`,
      applied: true,
      // What the message after applying says (with a "Save All" button, not pressed here).
      report: `Refined ${files} policy files: ${templates ? REFINED_WITH_TEMPLATES : REFINED_MULTI}`,
    });
  });

  test('the texts afterwards: both policies refined exactly, in the editor, not on disk', async () => {
    const a = await vscode.workspace.openTextDocument(teamA());
    const b = await vscode.workspace.openTextDocument(teamB());
    assert.equal(a.getText(), TEAM_A_REFINED);
    assert.equal(b.getText(), TEAM_B_REFINED);
    assert.equal(a.isDirty, true);
    assert.equal(b.isDirty, true);
    assert.equal(await diskText(teamA()), originals.get(teamA().toString()));
    assert.equal(await diskText(teamB()), originals.get(teamB().toString()));
  });

  test('package.json (no policy) and the article\'s unsaved refinement are left as they were', async () => {
    assert.equal(vscode.workspace.textDocuments.find((d) => d.uri.toString() === packageJson().toString())?.isDirty ?? false, false);
    assert.equal(await diskText(packageJson()), originals.get(packageJson().toString()));
    if (hasWorkspaceFolder('article')) {
      const article = await vscode.workspace.openTextDocument(workspaceUri('policy.json', 'article'));
      assert.equal(article.getText(), ARTICLE_REFINED);
    }
  });

  test('nothing is left to report in either policy', async () => {
    await waitForDiagnosticsWhere(teamA(), 'none left', (d) => d.length === 0);
    await waitFor('no diagnostics on team-b/role.json', () => (ourDiagnostics(teamB()).length === 0 ? true : undefined),
      { describe: () => JSON.stringify(ourDiagnostics(teamB()).map((d) => d.message)) });
  });

  test('a second run finds nothing to refine', async () => {
    const result = await vscode.commands.executeCommand<WorkspaceRefinementResult>('iamPolicyRefiner.refineWorkspace', { confirm: false });
    assert.deepEqual(result, { files: [], summary: 'no policy needs refining', applied: false });
  });

  test('Show Findings for team-b/role.json (the context menu passes its URI): prod.unused-access.json', async () => {
    const findings = workspaceUri('team-b/prod.unused-access.json', 'multi');
    const uris = await vscode.commands.executeCommand<string[]>('iamPolicyRefiner.showFindings', teamB());
    assert.deepEqual(uris?.map((u) => vscode.Uri.parse(u).toString()), [findings.toString()]);
    await waitFor('prod.unused-access.json to be the active editor',
      () => (vscode.window.activeTextEditor?.document.uri.toString() === findings.toString() ? true : undefined),
      { describe: () => vscode.window.activeTextEditor?.document.uri.toString() ?? 'no active editor' });
  });

  test('refineWorkspace { confirm: false, save: true } on the policies back on disk: every refined file saved, and only those',
    async () => {
    // Back to the texts on disk, except the article's unsaved refinement, which is not refined again.
    for (const d of vscode.workspace.textDocuments) {
      if (d.isDirty && d.uri.toString() !== workspaceUri('policy.json', 'article').toString()) await revertToDisk(d.uri);
    }
    const result = await vscode.commands.executeCommand<WorkspaceRefinementResult>('iamPolicyRefiner.refineWorkspace',
      { confirm: false, save: true });
    const templates = hasWorkspaceFolder('templates');
    const uris = [teamA(), teamB(), ...(templates ? TEMPLATE_FILES.map((f) => workspaceUri(f, 'templates')) : [])];
    const saved = new Map<string, string>();
    try {
      for (const uri of uris) saved.set(uri.toString(), await diskText(uri));
      assert.equal(result.applied, true);
      assert.equal(result.saved, true);
      assert.equal(result.report, `Refined ${uris.length} policy files: ${templates ? REFINED_WITH_TEMPLATES : REFINED_MULTI}`);
      for (const uri of uris) {
        const document = await vscode.workspace.openTextDocument(uri);
        assert.equal(document.isDirty, false, `${uri.toString()} is still dirty`);
        assert.equal(saved.get(uri.toString()), document.getText(), `${uri.toString()} on disk is not what the editor holds`);
      }
      assert.equal(saved.get(teamA().toString()), TEAM_A_REFINED);
      assert.equal(saved.get(teamB().toString()), TEAM_B_REFINED);
      // Nothing else was saved: the article's refinement is still only in its editor.
      if (hasWorkspaceFolder('article')) {
        const article = await vscode.workspace.openTextDocument(workspaceUri('policy.json', 'article'));
        assert.equal(article.isDirty, true);
        assert.notEqual(await diskText(article.uri), ARTICLE_REFINED);
      }
    } finally {
      // The fixture copies go back to their texts, for whatever runs after (the UI scenario, a --keep look).
      for (const uri of uris) {
        const original = originals.get(uri.toString()) ?? templateOriginals.get(uri.toString());
        if (original !== undefined) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(original));
      }
    }
  });
});
