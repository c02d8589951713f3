import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Catalog } from '../../shared/src/catalog/catalog';
import { repoRoot } from './catalog';

/** How the stand-in fails a request, as AWS's endpoint or a proxy may. */
export type Failure = 'http-500' | 'hang' | 'invalid-json' | 'wrong-name';

export interface ServiceReferenceOptions {
  /** The bundled catalogue the service files are built from. */
  readonly catalog: Catalog;
  /** The services served (all of the catalogue's by default). */
  readonly services?: readonly string[];
  /** Actions the bundled catalogue lacks, by service (a service it lacks too is served whole). */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

interface File {
  body: string;
  etag: string;
}

const LAST_MODIFIED = 'Tue, 01 Dec 2026 00:00:00 GMT';
const ACCESS: Record<string, string> = {
  List: 'IsList', Write: 'IsWrite', 'Permissions management': 'IsPermissionManagement', Tagging: 'IsTaggingOnly',
};

/**
 * A local stand-in for AWS's service reference (servicereference.us-east-1.amazonaws.com), in its
 * wire format: the index at `/`, a list of { "service", "url" }, and `/v1/<service>/<service>.json`
 * with Name, Actions (Name, Annotations.Properties, Resources, ActionConditionKeys), Resources,
 * ConditionKeys and Version. Files carry an ETag and a Last-Modified and are answered 304 when
 * the request's validators match. `fail` makes a path (or every path) fail in one of AWS's ways.
 */
export class ServiceReferenceServer {
  private readonly server: Server;
  private files = new Map<string, File>();
  /** Requests answered, by status. */
  readonly answered = { ok: 0, notModified: 0, failed: 0 };
  private failure: { mode: Failure; path?: string } | undefined;
  private readonly hanging = new Set<ServerResponse>();

  private constructor(private readonly options: ServiceReferenceOptions) {
    this.server = createServer((request, response) => this.answer(request, response));
  }

  static async start(options: ServiceReferenceOptions): Promise<ServiceReferenceServer> {
    const server = new ServiceReferenceServer(options);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    server.build();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Fails requests for `path` (every request without one) from now on; undefined stops failing. */
  fail(mode: Failure | undefined, path?: string): void {
    this.failure = mode ? { mode, ...(path ? { path } : {}) } : undefined;
  }

  /** Adds actions to a service's file, as AWS publishing new ones: its ETag changes. */
  addActions(service: string, names: readonly string[]): void {
    const extra = { ...this.options.extra, [service]: [...(this.options.extra?.[service] ?? []), ...names] };
    (this.options as { extra?: Record<string, readonly string[]> }).extra = extra;
    this.build();
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private build(): void {
    const { catalog } = this.options;
    const services = [...new Set([...(this.options.services ?? [...catalog.services()]), ...Object.keys(this.options.extra ?? {})])];
    const files = new Map<string, File>();
    const index = services.map((service) => ({ service, url: `${this.url}v1/${service}/${service}.json` }));
    files.set('/', file(JSON.stringify(index)));
    for (const service of services) {
      const actions = [
        ...catalog.actions(service).map((a) => ({ name: a.name, levels: a.levels as readonly string[] })),
        ...(this.options.extra?.[service] ?? []).map((name) => ({ name, levels: [name.startsWith('List') ? 'List' : 'Read'] })),
      ];
      const body = {
        Name: service,
        Actions: actions.map(({ name, levels }) => ({
          Name: name,
          Annotations: {
            Properties: Object.fromEntries(Object.values(ACCESS).map((key) => [key, levels.some((l) => ACCESS[l] === key)])),
          },
          Resources: [{ Name: 'thing' }],
          ActionConditionKeys: [`${service}:ThingTag`],
        })),
        Resources: [{ Name: 'thing', ARNFormats: [`arn:\${Partition}:${service}:::thing/\${Name}`] }],
        ConditionKeys: [{ Name: `${service}:ThingTag`, Types: ['String'] }],
        Version: 'v1.4',
      };
      files.set(`/v1/${service}/${service}.json`, file(JSON.stringify(body)));
    }
    this.files = files;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', this.url).pathname;
    const failure = this.failure && (!this.failure.path || this.failure.path === path) ? this.failure.mode : undefined;
    if (failure === 'hang') {
      // Headers never come: the client's time-out has to end it.
      this.hanging.add(response);
      this.answered.failed++;
      return;
    }
    if (failure === 'http-500') {
      this.answered.failed++;
      response.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
      return;
    }
    const found = this.files.get(path);
    if (!found) {
      this.answered.failed++;
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const headers = { 'content-type': 'application/json', etag: found.etag, 'last-modified': LAST_MODIFIED };
    if (!failure && request.headers['if-none-match'] === found.etag) {
      this.answered.notModified++;
      response.writeHead(304, headers).end();
      return;
    }
    this.answered.ok++;
    let body = found.body;
    if (failure === 'invalid-json') body = body.slice(0, Math.floor(body.length / 2));
    if (failure === 'wrong-name') body = body.replace(/"Name":"[^"]*"/, '"Name":"someotherservice"');
    response.writeHead(200, headers).end(body);
  }
}

function file(body: string): File {
  return { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"` };
}

export interface AsyncCliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `iam-refine` without blocking this process, so that a server in it can answer;
 * `cache` is its XDG_CACHE_HOME (a test never touches the user's cache).
 */
export function runCliAsync(
  args: readonly string[], cwd: string, cache: string, env: Record<string, string> = {},
): Promise<AsyncCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'cli.js'), ...args], {
      cwd, env: { ...process.env, XDG_CACHE_HOME: cache, IAM_REFINE_SERVICE_REFERENCE_URL: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
