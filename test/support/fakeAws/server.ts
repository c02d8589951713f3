/**
 * A local HTTP server that answers the AWS operations `iam-refine fetch` makes, in AWS's wire
 * formats, so that the real SDK clients run against it through the standard endpoint variables.
 */
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeAccessAnalyzer, operationOf } from './accessAnalyzer';
import { FakeIam } from './iam';
import { type Fault, SSO_KEY, type World } from './world';
import { type Answer, AwsFault, jsonAnswer, jsonError, xmlAnswer, xmlError } from './wire';

/** One request the server answered, for tests to check what the client asked. */
export interface LoggedRequest {
  readonly service: 'access-analyzer' | 'iam' | 'sts' | 'sso';
  readonly operation: string;
  /** The operation's parameters: query and body together, and the path's id. */
  readonly params: Record<string, unknown>;
  /** The access key the request was signed with. */
  readonly accessKeyId: string | undefined;
  /** The error answered, if any. */
  readonly fault?: string;
}

export interface FakeAws {
  readonly url: string;
  readonly requests: LoggedRequest[];
  /** The operations asked, in order, as `service:Operation`. */
  operations(): string[];
  close(): Promise<void>;
}

export async function startFakeAws(world: World): Promise<FakeAws> {
  const analyzer = new FakeAccessAnalyzer(world);
  const iam = new FakeIam(world);
  const requests: LoggedRequest[] = [];
  const server: Server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const answer = route(world, analyzer, iam, request, body, requests);
      response.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    operations: () => requests.map((r) => `${r.service}:${r.operation}`),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The service a request is for, from the credential scope it was signed with: `…/eu-west-1/iam/aws4_request`. */
function signature(request: IncomingMessage): { service: string | undefined; accessKeyId: string | undefined } {
  const match = /Credential=([^/]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(request.headers.authorization ?? '');
  return { accessKeyId: match?.[1], service: match?.[2] };
}

function route(
  world: World, analyzer: FakeAccessAnalyzer, iam: FakeIam, request: IncomingMessage, body: string, log: LoggedRequest[],
): Answer {
  const { service, accessKeyId } = signature(request);
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (service === 'access-analyzer') {
    const rest = { method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, body: body ? JSON.parse(body) : {} };
    let named: { operation: string; id?: string };
    try {
      named = operationOf(rest);
    } catch (error) {
      log.push({ service, operation: `${rest.method} ${rest.path}`, params: {}, accessKeyId });
      return faultAnswer(error, log, jsonError);
    }
    const params = { ...Object.fromEntries(url.searchParams), ...rest.body, ...(named.id ? { id: named.id } : {}) };
    log.push({ service, operation: named.operation, params, accessKeyId });
    try {
      injectFault(world, named.operation, params);
      return jsonAnswer(analyzer.answer(named.operation, named.id, rest));
    } catch (error) {
      return faultAnswer(error, log, jsonError);
    }
  }
  if (service === 'iam' || service === 'sts') {
    const params = new URLSearchParams(body);
    const operation = params.get('Action') ?? 'Unknown';
    const fields = Object.fromEntries(params);
    log.push({ service, operation, params: fields, accessKeyId });
    try {
      injectFault(world, operation, fields);
      return xmlAnswer(service, operation, iam.answer(operation, params));
    } catch (error) {
      return faultAnswer(error, log, (fault) => xmlError(service, fault));
    }
  }
  if (service === undefined && url.pathname === '/federation/credentials') return ssoCredentials(world, request, url, log);
  return jsonError(new AwsFault('UnrecognizedClientException', 403, `Unsigned request or unknown service ${service}`));
}

/** The SSO portal's GetRoleCredentials: a bearer token in, temporary keys out (REST-JSON, unsigned). */
function ssoCredentials(world: World, request: IncomingMessage, url: URL, log: LoggedRequest[]): Answer {
  log.push({ service: 'sso', operation: 'GetRoleCredentials', params: Object.fromEntries(url.searchParams), accessKeyId: undefined });
  if (!world.ssoAccessToken || request.headers['x-amz-sso_bearer_token'] !== world.ssoAccessToken)
    return faultAnswer(new AwsFault('UnauthorizedException', 401, 'Session token not found or invalid'), log, jsonError);
  return jsonAnswer({ roleCredentials: {
    accessKeyId: SSO_KEY, secretAccessKey: 'fake-sso-secret', sessionToken: 'fake-sso-session', expiration: Date.now() + 3_600_000,
  } });
}

/** Throws the first scripted fault for this operation that still has turns. */
function injectFault(world: World, operation: string, params: Record<string, unknown>): void {
  const fault = world.faults?.find((f: Fault) => f.operation === operation && (f.times === undefined || f.times > 0)
    && (f.when === undefined || JSON.stringify(params).includes(f.when)));
  if (!fault) return;
  if (fault.times !== undefined) fault.times--;
  const message = fault.message ?? `${fault.code} for ${operation}`;
  throw new AwsFault(fault.code, fault.status, message);
}

function faultAnswer(error: unknown, log: LoggedRequest[], answer: (fault: AwsFault) => Answer): Answer {
  const fault = error instanceof AwsFault ? error : new AwsFault('InternalFailure', 500, String(error));
  const last = log.at(-1);
  if (last) log[log.length - 1] = { ...last, fault: fault.code };
  return answer(fault);
}
