import { readFileSync } from 'node:fs';
import { accessLevelLine } from './accessLevels';
import { join } from 'node:path';
import type { Range } from 'vscode-languageserver-protocol';
import type { Catalog } from '../../shared/src/catalog/catalog';
import { repoRoot } from './catalog';

/** The article's recommended policy, in the original's formatting, plus S3's newer Get actions. */
export const ARTICLE_REFINED = `{
  "Version": "2012-10-17",
  "Statement": [
   {
      "Effect": "Allow",
      "Action": [
        "lambda:Invoke*"
      ],
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:my-lambda"
   },
  {
    "Effect" : "Allow",
    "Action" : [
      "s3:GetAccess*",
      "s3:GetAccountPublicAccessBlock",
      "s3:GetBucketAbac",
      "s3:GetBucketMetadataTableConfiguration",
      "s3:GetDataAccess",
      "s3:GetJobTagging",
      "s3:GetMulti*",
      "s3:GetObject*",
      "s3:GetStorage*",
      "s3:List*"
    ],
    "Resource" : "*"
  }
 ]
}
`;

/** The article's fixture workspace: its policy and its findings. */
export const ARTICLE_DIR = join(repoRoot(), 'test', 'fixtures', 'workspaces', 'article');

const NEVER = 'never used in the tracking period';
const range = (line: number, from: number, to: number): Range => ({ start: { line, character: from }, end: { line, character: to } });

/** The Lambda actions of the article's policy: [its line, the action, its line in unused-access.json]. */
export const ARTICLE_LAMBDA = [
  [6, 'lambda:AddPermission', 11],
  [7, 'lambda:GetFunctionConfiguration', 10],
  [8, 'lambda:UpdateFunctionConfiguration', 7],
  [9, 'lambda:UpdateFunctionCode', 4],
  [10, 'lambda:CreateFunction', 8],
  [11, 'lambda:DeleteFunction', 9],
  [12, 'lambda:ListVersionsByFunction', 6],
  [13, 'lambda:GetFunction', 5],
] as const;

/** The diagnostics of the article's policy, as a user sees them: where, how severe, which code, what. */
export const ARTICLE_DIAGNOSTICS = [
  ...ARTICLE_LAMBDA.map(([line, action]) => ({
    range: range(line, 8, 8 + action.length + 2), severity: 2, code: 'unused-action', source: 'iam-policy-refiner',
    message: `Unused action ${action}: ${NEVER}.`,
  })),
  {
    range: range(21, 6, 15), severity: 2, code: 'overbroad-wildcard', source: 'iam-policy-refiner',
    message: 's3:Get* allows 22 unused actions (of 63).',
  },
];

/** The title of "Refine the whole policy" on the article's policy. */
export const ARTICLE_WHOLE_POLICY = 'Refine the whole policy: 8 unused actions removed, 1 wildcard narrowed (22 unused actions excluded) '
  + '(406 of 6,144 characters)';

/**
 * The hover on the article's `s3:Get*`, built from the catalogue and the findings file,
 * independently of the server: its actions, the unused ones (20, then "…and N more"), those in
 * use, the replacement, and `footer`.
 */
export function articleGetHover(catalog: Catalog, footer: string): string {
  const text = readFileSync(join(ARTICLE_DIR, 'unused-access.json'), 'utf8');
  const findings = JSON.parse(text) as { serviceNamespace: string; actions: string[] }[];
  const unused = new Set(findings.find((e) => e.serviceNamespace === 's3')!.actions.map((n) => n.toLowerCase()));
  const get = catalog.actions('s3').filter((a) => a.name.startsWith('Get'));
  const unusedActions = get.filter((a) => unused.has(a.name.toLowerCase())).map((a) => a.full);
  const used = get.filter((a) => !unused.has(a.name.toLowerCase())).map((a) => a.full);
  const code = (text: string): string => `\`${text}\``;
  const replacement = ['s3:GetAccess*', 's3:GetAccountPublicAccessBlock', 's3:GetBucketAbac', 's3:GetBucketMetadataTableConfiguration',
    's3:GetDataAccess', 's3:GetJobTagging', 's3:GetMulti*', 's3:GetObject*', 's3:GetStorage*'];
  // What to act on first; then every unused action, the verdict said once; then those in use.
  return [
    `**${code('s3:Get*')}** allows 63 known actions, 22 of them unused.`,
    `**Recommended replacement** (9 patterns): ${replacement.map(code).join(', ')}`,
    // Each pattern with its quotes and comma; the compact form (s3:GetAcc*, …) allows the same actions in fewer.
    `**Size:** ${replacement.reduce((n, p) => n + p.length + 3, 0)} characters in words (9 patterns), 120 compact (9 patterns); `
      + 'the replacement above is in words.',
    `**Unused** (22), ${NEVER}: ${unusedActions.map(code).join(', ')}`,
    `In use (41): ${used.slice(0, 20).map(code).join(', ')}, and 21 more`,
    accessLevelLine(get),
    footer,
  ].join('\n\n');
}
