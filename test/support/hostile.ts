// The hostile input: a findings file of 100,000 made-up S3 actions (1.6 MB) beside a 50-statement
// policy of broad S3 wildcards. A findings file is text in a repository that anyone who opens a
// pull request can write; this is what one could hold.

export const MADE_UP = 100_000;

const KINDS = ['Fake', 'Object', 'Bucket', 'Thing'];

/** The made-up actions: a quarter each of Get…Fake…, Get…Object…, Get…Bucket…, Get…Thing…. */
export function hostileFindings(indent?: number): string {
  const actions = Array.from({ length: MADE_UP }, (_, i) => `Get${KINDS[i % 4]}${i.toString(36)}`);
  return JSON.stringify([{ serviceNamespace: 's3', actions }], null, indent);
}

/** 50 statements, each of `s3:Get*`, `s3:*Object*`, `s3:Get?ucket*` and `s3:*`. */
export function hostilePolicy(): string {
  const statements = Array.from({ length: 50 }, (_, i) => ({
    Sid: `S${i}`, Effect: 'Allow', Action: ['s3:Get*', 's3:*Object*', 's3:Get?ucket*', 's3:*'], Resource: '*',
  }));
  return `${JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2)}\n`;
}
