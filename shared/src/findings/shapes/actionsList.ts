import type { Node } from 'jsonc-parser';
import type { FindingsCollector } from './collect';
import { readServiceEntry } from './entry';
import type { Ctx, JsonPath } from './json';

/** The article's list: `[{"serviceNamespace": "s3", "actions": ["GetObject", ...]}]`, for one unnamed principal. */
export function readActionsList(ctx: Ctx, items: readonly Node[], path: JsonPath, out: FindingsCollector): void {
  const principal = out.principal(undefined);
  items.forEach((item, i) => readServiceEntry(ctx, item, [...path, i], principal));
}
