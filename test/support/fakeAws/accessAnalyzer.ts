/** IAM Access Analyzer's REST-JSON operations, over the fake world. */
import { ANALYZED_AT, type FakeFinding, type World, analyzerArn } from './world';
import { AwsFault, page } from './wire';

/** A request as the router hands it over: the path's parts, the query and the JSON body. */
export interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
}

const CREATED_AT = '2024-10-01T00:00:00.000Z';

/** The operation a method and path name, and its id parameter, as the SDK's serializers build them. */
export function operationOf(request: RestRequest): { operation: string; id?: string } {
  const { method, path } = request;
  if (method === 'GET' && path === '/analyzer') return { operation: 'ListAnalyzers' };
  if (method === 'POST' && path === '/findingv2') return { operation: 'ListFindingsV2' };
  const finding = /^\/findingv2\/([^/]+)$/.exec(path);
  if (method === 'GET' && finding) return { operation: 'GetFindingV2', id: decodeURIComponent(finding[1]!) };
  const recommendation = /^\/recommendation\/([^/]+)$/.exec(path);
  const id = recommendation && decodeURIComponent(recommendation[1]!);
  if (method === 'POST' && id) return { operation: 'GenerateFindingRecommendation', id };
  if (method === 'GET' && id) return { operation: 'GetFindingRecommendation', id };
  throw new AwsFault('UnknownOperationException', 404, `No operation at ${method} ${path}`);
}

export class FakeAccessAnalyzer {
  /** Reads of each finding's recommendation since it was generated, by finding id. */
  private readonly recommendationReads = new Map<string, number>();

  constructor(private readonly world: World) {}

  answer(operation: string, id: string | undefined, request: RestRequest): unknown {
    switch (operation) {
      case 'ListAnalyzers': return this.listAnalyzers(request);
      case 'ListFindingsV2': return this.listFindings(request);
      case 'GetFindingV2': return this.getFinding(id!, request);
      case 'GenerateFindingRecommendation': return this.generateRecommendation(id!, request);
      case 'GetFindingRecommendation': return this.getRecommendation(id!, request);
      default: throw new AwsFault('UnknownOperationException', 404, operation);
    }
  }

  private get size(): number {
    return this.world.pageSize ?? 100;
  }

  private listAnalyzers(request: RestRequest): unknown {
    const type = request.query.get('type');
    const all = (this.world.analyzers ?? []).filter((a) => type === null || a.type === type).map((a) => ({
      arn: analyzerArn(this.world, a), name: a.name, type: a.type, createdAt: CREATED_AT, status: a.status ?? 'ACTIVE',
    }));
    const { items, next } = page(all, request.query.get('nextToken') ?? undefined, this.size);
    return { analyzers: items, ...(next ? { nextToken: next } : {}) };
  }

  private analyzer(arn: unknown): void {
    const known = (this.world.analyzers ?? []).some((a) => analyzerArn(this.world, a) === arn);
    if (!known) throw new AwsFault('ResourceNotFoundException', 404, `Analyzer ${String(arn)} not found.`);
  }

  private finding(id: string): FakeFinding {
    const finding = this.world.findings?.find((f) => f.id === id);
    if (!finding) throw new AwsFault('ResourceNotFoundException', 404, `Finding ${id} not found.`);
    return finding;
  }

  /** The filter's `eq` criteria are matched against the summary's fields, as AWS does for resource, status and type. */
  private listFindings(request: RestRequest): unknown {
    this.analyzer(request.body['analyzerArn']);
    const filter = (request.body['filter'] ?? {}) as Record<string, { eq?: string[] }>;
    const summaries = (this.world.findings ?? []).map((f) => summary(this.world, f))
      .filter((s) => Object.entries(filter).every(([key, criterion]) =>
        !criterion.eq || criterion.eq.includes(String((s as Record<string, unknown>)[key]))));
    const { items, next } = page(summaries, request.body['nextToken'] as string | undefined, this.size);
    return { findings: items, ...(next ? { nextToken: next } : {}) };
  }

  private getFinding(id: string, request: RestRequest): unknown {
    this.analyzer(request.query.get('analyzerArn'));
    const finding = this.finding(id);
    const details: Record<string, unknown>[] = finding.findingType === undefined || finding.findingType === 'UnusedPermission'
      ? finding.details.map((d) => ({ unusedPermissionDetails: d }))
      : [{ [`${finding.findingType[0]!.toLowerCase()}${finding.findingType.slice(1).replace('IAM', 'Iam')}Details`]:
        { lastAccessed: '2024-09-01T00:00:00.000Z' } }];
    const { items, next } = page(details, request.query.get('nextToken') ?? undefined, this.size);
    return { ...summary(this.world, finding), findingDetails: items, ...(next ? { nextToken: next } : {}) };
  }

  private generateRecommendation(id: string, request: RestRequest): unknown {
    this.analyzer(request.query.get('analyzerArn'));
    this.finding(id);
    this.recommendationReads.set(id, 0);
    return {};
  }

  private getRecommendation(id: string, request: RestRequest): unknown {
    this.analyzer(request.query.get('analyzerArn'));
    const finding = this.finding(id);
    const reads = this.recommendationReads.get(id);
    if (reads === undefined) throw new AwsFault('ResourceNotFoundException', 404, `No recommendation for finding ${id}.`);
    this.recommendationReads.set(id, reads + 1);
    const recommendation = this.world.recommendations?.[id] ?? { steps: [] };
    const base = { resourceArn: finding.resource, recommendationType: 'UnusedPermissionRecommendation', startedAt: ANALYZED_AT };
    if (reads < (recommendation.inProgress ?? 0)) return { ...base, status: 'IN_PROGRESS' };
    const steps = recommendation.steps.map((step) => ({ unusedPermissionsRecommendedStep: step }));
    const { items, next } = page(steps, request.query.get('nextToken') ?? undefined, this.size);
    return {
      ...base, completedAt: ANALYZED_AT, status: recommendation.status ?? 'SUCCEEDED',
      ...(recommendation.error ? { error: recommendation.error } : {}),
      recommendedSteps: items, ...(next ? { nextToken: next } : {}),
    };
  }
}

function summary(world: World, finding: FakeFinding): Record<string, unknown> {
  return {
    id: finding.id, resource: finding.resource,
    resourceType: finding.resource.includes(':user/') ? 'AWS::IAM::User' : 'AWS::IAM::Role',
    resourceOwnerAccount: world.account, status: finding.status ?? 'ACTIVE', findingType: finding.findingType ?? 'UnusedPermission',
    analyzedAt: finding.analyzedAt ?? ANALYZED_AT, createdAt: CREATED_AT, updatedAt: finding.analyzedAt ?? ANALYZED_AT,
  };
}
