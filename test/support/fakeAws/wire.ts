/**
 * AWS's wire formats, as the SDK reads them: REST-JSON answers and errors (Access Analyzer) and the
 * Query protocol's XML answers and errors (IAM, STS).
 */

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** An AWS API error, answered in the protocol of the service that raised it. */
export class AwsFault extends Error {
  constructor(readonly code: string, readonly status: number, message: string) {
    super(message);
  }
}

let requestCount = 0;

function requestId(): string {
  return `00000000-0000-4000-8000-${String(++requestCount).padStart(12, '0')}`;
}

export function jsonAnswer(value: unknown): Answer {
  return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId() }, body: JSON.stringify(value) };
}

/** REST-JSON errors name their type in `x-amzn-ErrorType`, with the service's namespace after a colon, as AWS sends it. */
export function jsonError(fault: AwsFault): Answer {
  return {
    status: fault.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId(),
      'x-amzn-errortype': `${fault.code}:http://internal.amazon.com/coral/com.amazonaws.accessanalyzer/`,
    },
    body: JSON.stringify({ message: fault.message }),
  };
}

const NAMESPACES: Record<string, string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

/** `<OpResponse><OpResult>…</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>`. */
export function xmlAnswer(service: 'iam' | 'sts', operation: string, result: Record<string, unknown>): Answer {
  const body = `<${operation}Response xmlns="${NAMESPACES[service]}"><${operation}Result>${xmlFields(result)}</${operation}Result>`
    + `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${operation}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}

/** `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>…</ErrorResponse>`. */
export function xmlError(service: 'iam' | 'sts', fault: AwsFault): Answer {
  const type = fault.status >= 500 ? 'Receiver' : 'Sender';
  const body = `<ErrorResponse xmlns="${NAMESPACES[service]}"><Error><Type>${type}</Type><Code>${escape(fault.code)}</Code>`
    + `<Message>${escape(fault.message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`;
  return { status: fault.status, headers: { 'content-type': 'text/xml' }, body };
}

/** Fields as the Query protocol writes them: lists as `<member>` entries, nested structures as elements. */
function xmlFields(value: Record<string, unknown>): string {
  return Object.entries(value).map(([key, field]) => element(key, field)).join('');
}

function element(key: string, value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `<${key}>${value.map((item) => element('member', item)).join('')}</${key}>`;
  if (value !== null && typeof value === 'object') return `<${key}>${xmlFields(value as Record<string, unknown>)}</${key}>`;
  return `<${key}>${escape(String(value))}</${key}>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One page of `items` from the position a token names; tokens are opaque to the client, as AWS's are. */
export function page<T>(items: readonly T[], token: string | undefined, size: number): { items: T[]; next?: string } {
  const start = token === undefined ? 0 : Number(/^page-(\d+)$/.exec(token)?.[1] ?? NaN);
  if (!Number.isInteger(start)) throw new AwsFault('ValidationException', 400, `Invalid pagination token ${token}`);
  const end = start + size;
  return end < items.length ? { items: items.slice(start, end), next: `page-${end}` } : { items: items.slice(start) };
}
