import { lastAccessed, type UnusedOrigin } from '../../../shared/src/findings/unusedAccess';

/** `arn:aws:iam::123456789012:role/service/MyRole` → `MyRole`. */
export function principalName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.slice(resource.lastIndexOf('/') + 1) || arn;
}

const described = new WeakMap<readonly UnusedOrigin[], string>();

/** "never used in the tracking period by role MyRole", "last used 2024-03-01 by roles A and B". */
export function describeVerdict(origins: readonly UnusedOrigin[]): string {
  let text = described.get(origins);
  if (text === undefined) {
    text = compose(origins);
    described.set(origins, text);
  }
  return text;
}

/** "never used", "last used 2024-03-01": when, without who. */
export function lastUse(origins: readonly UnusedOrigin[]): string {
  const last = lastAccessed(origins);
  return last ? `last used ${last.slice(0, 10)}` : 'never used';
}

function compose(origins: readonly UnusedOrigin[]): string {
  const last = lastAccessed(origins);
  const when = last ? `last used ${last.slice(0, 10)}` : 'never used in the tracking period';
  const names = [...new Set(origins.flatMap((o) => (o.resource ? [o.resource] : [])))];
  if (names.length === 0) return when;
  const kind = names.every((n) => n.includes(':user/')) ? 'user' : 'role';
  const list = names.map(principalName);
  const joined = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
  return `${when} by ${kind}${list.length === 1 ? '' : 's'} ${joined}`;
}

// One formatter for every count: `toLocaleString` looks up the locale at each call, several
// times slower, and diagnostics format hundreds of counts at every keystroke.
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** `1,234`. */
export function count(n: number): string {
  return COUNT_FORMAT.format(n);
}

export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${count(n)} ${n === 1 ? noun : nouns}`;
}
