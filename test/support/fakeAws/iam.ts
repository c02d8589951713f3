/** IAM's and STS's Query-protocol operations, over the fake world. */
import { type FakePolicy, type World, roleArn, userArn } from './world';
import { AwsFault, page } from './wire';

const CREATED = '2024-01-02T03:04:05Z';
const JOB_CREATED = '2025-03-02T00:00:00.000Z';
const JOB_COMPLETED = '2025-03-02T00:00:05.000Z';

export class FakeIam {
  /** Report jobs by id: whose report, and how many times it was read. */
  private readonly jobs = new Map<string, { arn: string; reads: number }>();

  constructor(private readonly world: World) {}

  answer(operation: string, params: URLSearchParams): Record<string, unknown> {
    const get = (key: string) => params.get(key) ?? undefined;
    switch (operation) {
      case 'GetCallerIdentity':
        return { UserId: 'AIDAFAKEUSER', Account: this.world.account, Arn: `arn:aws:iam::${this.world.account}:user/deployer` };
      case 'GetRole': return { Role: this.role(get('RoleName')) };
      case 'GetUser': return { User: this.user(get('UserName')) };
      case 'ListRoles': return this.listRoles(get('PathPrefix'), get('Marker'), get('MaxItems'));
      case 'ListEntitiesForPolicy': return this.listEntities(get('PolicyArn'), get('Marker'));
      case 'GetGroup': return this.getGroup(get('GroupName'), get('Marker'));
      case 'GenerateServiceLastAccessedDetails': return this.generateReport(get('Arn'), get('Granularity'));
      case 'GetServiceLastAccessedDetails': return this.getReport(get('JobId'), get('Marker'));
      default: throw new AwsFault('InvalidAction', 400, `Could not find operation ${operation} for version 2010-05-08`);
    }
  }

  private get size(): number {
    return this.world.pageSize ?? 100;
  }

  private role(name: string | undefined): Record<string, unknown> {
    const role = this.world.roles?.find((r) => r.name === name);
    if (!role) throw new AwsFault('NoSuchEntity', 404, `The role with name ${name} cannot be found.`);
    return {
      Path: role.path ?? '/', RoleName: role.name, RoleId: `AROA${role.name.toUpperCase()}`, Arn: roleArn(this.world, role.name),
      CreateDate: CREATED, MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: encodeURIComponent('{"Version":"2012-10-17","Statement":[]}'),
    };
  }

  /**
   * The roles whose path starts with the prefix, a page at a time: MaxItems when the client sends it,
   * else the world's page size (IAM's default is 100). The entries are GetRole's without RoleLastUsed,
   * Tags and PermissionsBoundary, which ListRoles never returns.
   */
  private listRoles(prefix: string | undefined, marker: string | undefined, maxItems: string | undefined): Record<string, unknown> {
    const size = maxItems === undefined ? this.size : Number(maxItems);
    if (!Number.isInteger(size) || size < 1 || size > 1000)
      throw new AwsFault('ValidationError', 400, `Value '${maxItems}' at 'maxItems' failed to satisfy constraint: 1 to 1000`);
    const roles = (this.world.roles ?? []).filter((r) => (r.path ?? '/').startsWith(prefix ?? '/')).map((r) => this.role(r.name));
    const { items, next } = page(roles, marker, size);
    return { Roles: items, IsTruncated: next !== undefined, ...(next ? { Marker: next } : {}) };
  }

  private user(name: string | undefined): Record<string, unknown> {
    const user = this.world.users?.find((u) => u.name === name);
    if (!user) throw new AwsFault('NoSuchEntity', 404, `The user with name ${name} cannot be found.`);
    return { Path: user.path ?? '/', UserName: user.name, UserId: `AIDA${user.name.toUpperCase()}`, Arn: userArn(this.world, user.name),
      CreateDate: CREATED };
  }

  private policy(arn: string | undefined): FakePolicy {
    const policy = this.world.policies?.find((p) => p.arn === arn);
    if (!policy) throw new AwsFault('NoSuchEntity', 404, `Policy ${arn} does not exist or is not attachable.`);
    return policy;
  }

  /** Roles, users and groups in one paged list, as IAM pages them together. */
  private listEntities(arn: string | undefined, marker: string | undefined): Record<string, unknown> {
    const policy = this.policy(arn);
    const all = [
      ...(policy.roles ?? []).map((name) => ({ kind: 'role', name })),
      ...(policy.users ?? []).map((name) => ({ kind: 'user', name })),
      ...(policy.groups ?? []).map((name) => ({ kind: 'group', name })),
    ];
    const { items, next } = page(all, marker, this.size);
    const of = (kind: string) => items.filter((e) => e.kind === kind);
    return {
      PolicyGroups: of('group').map((g) => ({ GroupName: g.name, GroupId: `AGPA${g.name.toUpperCase()}` })),
      PolicyUsers: of('user').map((u) => ({ UserName: u.name, UserId: `AIDA${u.name.toUpperCase()}` })),
      PolicyRoles: of('role').map((r) => ({ RoleName: r.name, RoleId: `AROA${r.name.toUpperCase()}` })),
      IsTruncated: next !== undefined,
      ...(next ? { Marker: next } : {}),
    };
  }

  private getGroup(name: string | undefined, marker: string | undefined): Record<string, unknown> {
    const group = this.world.groups?.find((g) => g.name === name);
    if (!group) throw new AwsFault('NoSuchEntity', 404, `The group with name ${name} cannot be found.`);
    const { items, next } = page(group.users.map((user) => this.user(user)), marker, this.size);
    return {
      Group: { Path: '/', GroupName: group.name, GroupId: `AGPA${group.name.toUpperCase()}`,
        Arn: `arn:aws:iam::${this.world.account}:group/${group.name}`, CreateDate: CREATED },
      Users: items,
      IsTruncated: next !== undefined,
      ...(next ? { Marker: next } : {}),
    };
  }

  private generateReport(arn: string | undefined, granularity: string | undefined): Record<string, unknown> {
    if (!arn || !this.world.lastAccessed?.[arn]) throw new AwsFault('NoSuchEntity', 404, `The entity ${arn} cannot be found.`);
    if (granularity !== 'ACTION_LEVEL')
      throw new AwsFault('InvalidInput', 400, `The fake answers ACTION_LEVEL reports only, not ${granularity}.`);
    const id = `job-${this.jobs.size + 1}`;
    this.jobs.set(id, { arn, reads: 0 });
    return { JobId: id };
  }

  private getReport(id: string | undefined, marker: string | undefined): Record<string, unknown> {
    const job = id === undefined ? undefined : this.jobs.get(id);
    if (!job) throw new AwsFault('NoSuchEntity', 404, `The job ${id} cannot be found.`);
    const data = this.world.lastAccessed![job.arn]!;
    job.reads++;
    if (job.reads <= (data.inProgress ?? 0)) {
      return { JobStatus: 'IN_PROGRESS', JobType: 'ACTION_LEVEL', JobCreationDate: JOB_CREATED, ServicesLastAccessed: [],
        IsTruncated: false };
    }
    if (data.failure) {
      return { JobStatus: 'FAILED', JobType: 'ACTION_LEVEL', JobCreationDate: JOB_CREATED, ServicesLastAccessed: [],
        JobCompletionDate: JOB_COMPLETED, Error: { Code: 'InternalFailure', Message: data.failure } };
    }
    const { items, next } = page(data.services, marker, this.size);
    return {
      JobStatus: 'COMPLETED', JobType: 'ACTION_LEVEL', JobCreationDate: JOB_CREATED, ServicesLastAccessed: items,
      JobCompletionDate: JOB_COMPLETED, IsTruncated: next !== undefined, ...(next ? { Marker: next } : {}),
    };
  }
}
