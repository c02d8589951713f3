import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

/** The clients of one fetch, sharing one credential chain, profile and region. */
export interface AwsSession {
  readonly accessAnalyzer: AccessAnalyzerClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  /** The profile in use, for messages: the named one, AWS_PROFILE's, or "default". */
  readonly profile: string;
}

export interface SessionOptions {
  profile?: string;
  region?: string;
}

/**
 * Credentials, region, retries and endpoints all come from the SDK's standard chain: the profile
 * (an SSO one too), the environment's keys, AWS_REGION, AWS_MAX_ATTEMPTS and the AWS_ENDPOINT_URL*
 * variables, so that fetch behaves as the AWS CLI does with the same settings.
 */
export function createSession(options: SessionOptions): AwsSession {
  // The SDK warns on Node 20 that its releases after January 2027 will need Node 22. The bundled SDK
  // is pinned and runs on Node 20; the warning would only bury fetch's one-line messages.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const credentials = fromNodeProviderChain(options.profile === undefined ? {} : { profile: options.profile });
  const config = {
    credentials,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.region === undefined ? {} : { region: options.region }),
  };
  return {
    accessAnalyzer: new AccessAnalyzerClient(config),
    iam: new IAMClient(config),
    sts: new STSClient(config),
    profile: options.profile ?? process.env['AWS_PROFILE'] ?? 'default',
  };
}

/** Closes the clients' connections, so that the process can end as soon as the file is written. */
export function closeSession(session: AwsSession): void {
  session.accessAnalyzer.destroy();
  session.iam.destroy();
  session.sts.destroy();
}

/** A failed AWS call, with the IAM action it needed, so that a denial can name what to allow. */
export class AwsCallError extends Error {
  constructor(readonly action: string, readonly error: unknown) {
    super(`${action}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Makes one AWS call; `action` names the permission it needs, as an IAM policy spells it. */
export async function call<T>(action: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw new AwsCallError(action, error);
  }
}

/** The error's code as AWS names it (`AccessDeniedException`, `NoSuchEntity`, `Throttling`). */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { Code?: unknown; code?: unknown }).Code ?? (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.name;
}

/** The HTTP status of a service's answer, when there was one. */
export function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}
