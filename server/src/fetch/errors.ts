import { AwsCallError, errorCode, httpStatus } from './session';

/** A failure explained for the user in one line that says what to do. */
export class FetchError extends Error {}

const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottledException', 'TooManyRequestsException',
  'RequestLimitExceeded', 'RequestThrottled', 'SlowDown',
]);

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);

const REJECTED = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidSignatureException']);

const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Who is asking, for messages: the profile in use and, once STS has said, the identity's ARN. */
export interface Caller {
  readonly profile: string;
  arn?: string;
}

/** Whether AWS refused the call for want of a permission. */
export function isDenied(error: unknown): boolean {
  return DENIED.has(errorCode(error) ?? '');
}

/** The one line printed for any failure of a fetch. */
export function explain(error: unknown, caller: Caller): string {
  if (error instanceof FetchError) return error.message;
  const cause = error instanceof AwsCallError ? error.error : error;
  const action = error instanceof AwsCallError ? error.action : undefined;
  return explainCredentials(cause, caller.profile) ?? explainService(cause, action, caller) ?? generic(cause, action);
}

/** The credential chain fails before any request is sent, with the SDK's own error names. */
function explainCredentials(error: unknown, profile: string): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name !== 'CredentialsProviderError' && error.name !== 'TokenProviderError') {
    return /Region is missing/i.test(error.message)
      ? 'no AWS region: pass --region REGION, set AWS_REGION, or set "region" in the profile'
      : undefined;
  }
  // Every message of the SDK about a missing, expired or unrefreshable SSO token ends by telling to run it.
  if (/aws sso login/i.test(error.message))
    return `the SSO session of profile "${profile}" has expired or is not logged in: ` +
      `run "aws sso login --profile ${profile}", then try again`;
  if (/could not load credentials from any providers/i.test(error.message)) {
    return profile === 'default' && process.env['AWS_PROFILE'] === undefined
      ? 'no AWS credentials found: pass --profile NAME (or set AWS_PROFILE) for a profile of ~/.aws/config, ' +
          'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'
      : `no AWS credentials for profile "${profile}": check that "aws configure list-profiles" lists it and that it is logged in`;
  }
  return `cannot load AWS credentials for profile "${profile}": ${oneLine(error.message)}`;
}

function explainService(error: unknown, action: string | undefined, caller: Caller): string | undefined {
  const code = errorCode(error);
  if (code === undefined) return undefined;
  const call = action ?? 'an AWS call';
  const profile = caller.profile;
  if (DENIED.has(code))
    return `AWS denied ${call} to ${caller.arn ?? `the identity of profile "${profile}"`}: allow it ` +
      '(the README\'s "Fetching findings from AWS" lists the read-only permissions each source needs)';
  if (THROTTLING.has(code) || httpStatus(error) === 429)
    return `AWS kept throttling ${call} after the SDK's retries: wait a minute and run fetch again ` +
      '(or raise AWS_MAX_ATTEMPTS for more retries)';
  if (EXPIRED.has(code))
    return `the AWS credentials of profile "${profile}" have expired: refresh them (for an SSO profile, ` +
      `run "aws sso login --profile ${profile}") and try again`;
  if (REJECTED.has(code))
    return `AWS rejected the credentials of profile "${profile}" (${code}): check the access keys or the profile, then try again`;
  if (NETWORK.has(code))
    return `cannot reach AWS for ${call} (${code}): check the network, a proxy, and any AWS_ENDPOINT_URL setting`;
  return undefined;
}

function generic(error: unknown, action: string | undefined): string {
  const code = errorCode(error);
  const message = error instanceof Error ? oneLine(error.message) : String(error);
  const what = code && code !== 'Error' && !message.startsWith(code) ? `${code}: ${message}` : message;
  return `${action ?? 'fetch'} failed: ${what}`;
}

/** AWS messages may span lines; the report is one. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** A field AWS always sends; its absence means an answer this tool cannot use, said as such rather than crashing later. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null)
    throw new FetchError(`AWS's answer lacks ${what}: run fetch again, and report it if it persists`);
  return value;
}
