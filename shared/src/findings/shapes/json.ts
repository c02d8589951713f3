import type { Node } from 'jsonc-parser';
import { formatJsonPath, type Problem, type Severity, type Span } from '../../text/problem';
import type { FindingsParseOptions } from '../model';

export type JsonPath = readonly (string | number)[];

/** Beyond this many, problems are only counted: a broken 50 MB file must not bury the editor in diagnostics. */
const MAX_PROBLEMS = 1000;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** Collects the problems of one parse. */
export class Ctx {
  private readonly problems: Problem[] = [];
  private dropped = 0;
  private firstDropped: Problem | undefined;
  private worstDropped: Severity = 'info';

  constructor(private parseOptions: FindingsParseOptions) {}

  get options(): FindingsParseOptions {
    return this.parseOptions;
  }

  /** A threshold the file itself chose (a fetched header's) applies unless the reader set one. */
  defaultThreshold(days: number): void {
    if (this.parseOptions.thresholdDays === undefined) this.parseOptions = { ...this.parseOptions, thresholdDays: days };
  }

  report(severity: Severity, code: string, message: string, at: Span, path?: JsonPath): void {
    const problem: Problem = { severity, code, message, span: { offset: at.offset, length: at.length } };
    if (path) problem.path = [...path];
    if (this.problems.length < MAX_PROBLEMS) {
      this.problems.push(problem);
      return;
    }
    this.dropped++;
    this.firstDropped ??= problem;
    if (RANK[severity] > RANK[this.worstDropped]) this.worstDropped = severity;
  }

  error(code: string, message: string, at: Span, path?: JsonPath): void {
    this.report('error', code, message, at, path);
  }

  warning(code: string, message: string, at: Span, path?: JsonPath): void {
    this.report('warning', code, message, at, path);
  }

  info(code: string, message: string, at: Span, path?: JsonPath): void {
    this.report('info', code, message, at, path);
  }

  finish(): Problem[] {
    if (!this.firstDropped) return this.problems;
    const { span, path } = this.firstDropped;
    const summary: Problem = {
      severity: this.worstDropped,
      code: 'findings-too-many-problems',
      message: `${this.dropped} more problems from here on were not listed; only the first ${MAX_PROBLEMS} are shown`,
      span,
    };
    if (path) summary.path = path;
    return [...this.problems, summary];
  }
}

/** A property of an object node, with both its key and its value so problems can point at either. */
export interface Member {
  key: Node;
  value: Node;
}

/** The last property named `key`, as JSON.parse would keep it. */
export function member(object: Node, key: string): Member | undefined {
  if (object.type !== 'object') return undefined;
  let found: Member | undefined;
  for (const property of object.children ?? []) {
    const [k, v] = property.children ?? [];
    if (k && v && k.value === key) found = { key: k, value: v };
  }
  return found;
}

/** Absent and `null` mean the same thing in AWS output (SDKs print nulls that the CLI omits). */
export function present(object: Node, key: string): Member | undefined {
  const m = member(object, key);
  return m && m.value.type !== 'null' ? m : undefined;
}

/** `serviceNamespace`, `actions[2]`, `findingDetails[0].unusedPermissionDetails`: how a message names a value. */
export function label(path: JsonPath): string {
  let start = path.length - 1;
  while (start >= 0 && typeof path[start] !== 'string') start--;
  if (start < 0) return path.length ? `Entry ${formatJsonPath(path)}` : 'The findings file';
  return formatJsonPath(path.slice(start));
}

/** Characters a message must not show raw: controls, C1 controls, replacement and invisible marks. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this matches
export const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\ufeff\ufffd]/;

/** Quotes a value from the file for a message: cut short so a huge value cannot flood it, invisibles escaped. */
export function quote(value: string): string {
  const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
  const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return shown.replace(new RegExp(INVISIBLE.source, 'g'), escape);
}

/** What a value is, for "must be X, found Y" messages. */
export function found(node: Node): string {
  return node.type === 'string' ? `string ${quote(String(node.value))}` : node.type;
}

export function expectObject(ctx: Ctx, node: Node, path: JsonPath): boolean {
  if (node.type === 'object') return true;
  ctx.error('findings-type', `${label(path)} must be an object, found ${found(node)}`, node, path);
  return false;
}

export function expectArray(ctx: Ctx, node: Node, path: JsonPath): Node[] | undefined {
  if (node.type === 'array') return node.children ?? [];
  ctx.error('findings-type', `${label(path)} must be an array, found ${found(node)}`, node, path);
  return undefined;
}

export function expectString(ctx: Ctx, node: Node, path: JsonPath): string | undefined {
  if (node.type === 'string') return node.value as string;
  ctx.error('findings-type', `${label(path)} must be a string, found ${found(node)}`, node, path);
  return undefined;
}

/** A string property that may be absent or null. */
export function optionalString(
  ctx: Ctx,
  object: Node,
  key: string,
  path: JsonPath,
): { value: string; node: Node } | undefined {
  const m = present(object, key);
  if (!m) return undefined;
  const value = expectString(ctx, m.value, [...path, key]);
  return value === undefined ? undefined : { value, node: m.value };
}

/** A time from the findings, with its parsed value for comparisons. */
export interface Stamp {
  text: string;
  time: number;
}

/**
 * Reads an optional timestamp. `'invalid'` is kept apart from `'absent'` because in a last-accessed
 * report a missing time means "never used" while an unreadable one must not be taken for that.
 */
export function timestamp(
  ctx: Ctx,
  object: Node,
  key: string,
  path: JsonPath,
  consequence = 'it was ignored',
): Stamp | 'absent' | 'invalid' {
  const m = present(object, key);
  if (!m) return 'absent';
  const at = [...path, key];
  const { value } = m.value;
  if (m.value.type === 'number') {
    // Raw AWS JSON (cli_timestamp_format = none) carries epoch seconds.
    const date = new Date((value as number) * 1000);
    if (!Number.isNaN(date.getTime())) return { text: date.toISOString(), time: date.getTime() };
  } else if (m.value.type === 'string') {
    const time = Date.parse(value as string);
    if (!Number.isNaN(time)) return { text: value as string, time };
  } else {
    ctx.error('findings-type', `${label(at)} must be a date string, found ${found(m.value)}`, m.value, at);
    return 'invalid';
  }
  const shown = typeof value === 'string' ? quote(value) : String(value);
  ctx.warning('findings-date', `${label(at)} is not a date: ${shown}; ${consequence}`, m.value, at);
  return 'invalid';
}

export function stampOf(value: Stamp | 'absent' | 'invalid'): Stamp | undefined {
  return typeof value === 'object' ? value : undefined;
}
