import type { FetchSource } from './fetchArgs';

/**
 * The IAM actions fetch's calls need, as a policy names them. ListFindingsV2 and GetFindingV2 are
 * allowed by the permissions of their first versions; GetCallerIdentity needs none.
 */
export const ACTIONS = {
  listAnalyzers: 'access-analyzer:ListAnalyzers',
  listFindings: 'access-analyzer:ListFindings',
  getFinding: 'access-analyzer:GetFinding',
  generateRecommendation: 'access-analyzer:GenerateFindingRecommendation',
  getRecommendation: 'access-analyzer:GetFindingRecommendation',
  getRole: 'iam:GetRole',
  getUser: 'iam:GetUser',
  listEntitiesForPolicy: 'iam:ListEntitiesForPolicy',
  getGroup: 'iam:GetGroup',
  listRoles: 'iam:ListRoles',
  generateLastAccessed: 'iam:GenerateServiceLastAccessedDetails',
  getLastAccessed: 'iam:GetServiceLastAccessedDetails',
  getCallerIdentity: 'sts:GetCallerIdentity',
} as const;

/** Resolving principals: role and user names to their ARNs, a managed policy to its roles, users and groups' users. */
const PRINCIPALS = [ACTIONS.getRole, ACTIONS.getUser, ACTIONS.listEntitiesForPolicy, ACTIONS.getGroup];

/** What an identity needs to fetch from each source; the README's policies list the same. */
export const SOURCE_PERMISSIONS: Readonly<Record<FetchSource, readonly string[]>> = {
  'access-analyzer': [ACTIONS.listAnalyzers, ACTIONS.listFindings, ACTIONS.getFinding, ACTIONS.generateRecommendation,
    ACTIONS.getRecommendation, ...PRINCIPALS],
  'last-accessed': [ACTIONS.generateLastAccessed, ACTIONS.getLastAccessed, ...PRINCIPALS],
};

/** What `fetch --list-roles` needs, which the editor's principal picker runs; the README names it beside the policies. */
export const LIST_ROLES_PERMISSIONS: readonly string[] = [ACTIONS.listRoles];
