/**
 * Splits an action name into the words the refinement may put a wildcard after:
 * `GetBucketCORS` → Get, Bucket, CORS; `GetHLSStreamingSessionURL` → Get, HLS, Streaming, Session, URL;
 * `ListBucketsV2` → List, Buckets, V, 2. Acronym runs and digit runs stay whole; any other character
 * (`-`, `_`) is a token of its own, so the tokens always join back to the name.
 */
const TOKEN = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[^A-Za-z0-9]/g;

export function splitTokens(name: string): string[] {
  return name.match(TOKEN) ?? [];
}
