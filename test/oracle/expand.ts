/**
 * An independent, brute-force model of what IAM action patterns allow. It shares no code with the
 * engine's pattern matching or refinement: patterns become anchored, case-insensitive regular
 * expressions, and a pattern's meaning is the set of "universe" actions its expression matches.
 *
 * The universe is every catalogue action plus the action names the findings of a test introduce
 * (actions newer than the catalogue). Sets of actions are keyed by the lower-cased `service:name`.
 */

const REGEX_META = /[\\^$.|+()[\]{}]/g;

/** IAM wildcard semantics as a RegExp: `*` any run (also empty), `?` one character, case-insensitive. */
export function patternRegExp(pattern: string): RegExp {
  let source = '';
  for (const c of pattern) {
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else source += c.replace(REGEX_META, (m) => `\\${m}`);
  }
  return new RegExp(`^${source}$`, 'is');
}

export interface UniverseAction {
  /** Service prefix, lower-case. */
  readonly service: string;
  readonly name: string;
  /** `service:Name`. */
  readonly full: string;
  /** `full`, lower-cased: the key of every set. */
  readonly lower: string;
}

export interface NamedAction {
  service: string;
  name: string;
}

/** Every action a test may reason about, by service. */
export class Universe {
  private constructor(
    private readonly byService: ReadonlyMap<string, readonly UniverseAction[]>,
    private readonly byLower: ReadonlyMap<string, UniverseAction>,
    /** Actions added to a catalogue universe, kept apart so that adding them copies little. */
    private readonly extra: ReadonlyMap<string, UniverseAction> = new Map(),
  ) {}

  /** The catalogue's actions, read through the public `services()` / `actions()` API. */
  static fromCatalog(catalog: { services(): Iterable<string>; actions(prefix: string): readonly { name: string }[] }): Universe {
    const byService = new Map<string, UniverseAction[]>();
    const byLower = new Map<string, UniverseAction>();
    for (const service of catalog.services()) {
      const list: UniverseAction[] = [];
      for (const a of catalog.actions(service)) addAction(service.toLowerCase(), a.name, list, byLower);
      byService.set(service.toLowerCase(), list);
    }
    return new Universe(byService, byLower);
  }

  /** This universe plus actions named elsewhere (by findings); names already present count once. */
  withActions(extra: Iterable<NamedAction>): Universe {
    const byService = new Map(this.byService);
    const added = new Map(this.extra);
    const copied = new Set<string>();
    for (const { service, name } of extra) {
      const s = service.toLowerCase();
      const lower = `${s}:${name.toLowerCase()}`;
      if (this.byLower.has(lower) || added.has(lower)) continue;
      if (!copied.has(s)) {
        byService.set(s, [...(byService.get(s) ?? [])]);
        copied.add(s);
      }
      addAction(s, name, byService.get(s) as UniverseAction[], added);
    }
    return new Universe(byService, this.byLower, added);
  }

  services(): string[] {
    return [...this.byService.keys()];
  }

  actionsOf(service: string): readonly UniverseAction[] {
    return this.byService.get(service.toLowerCase()) ?? [];
  }

  get(lower: string): UniverseAction | undefined {
    return this.byLower.get(lower) ?? this.extra.get(lower);
  }

  has(lower: string): boolean {
    return this.get(lower) !== undefined;
  }

  *all(): IterableIterator<UniverseAction> {
    yield* this.byLower.values();
    yield* this.extra.values();
  }

  get size(): number {
    return this.byLower.size + this.extra.size;
  }

  /** The services a pattern can reach: its service part, matched against every service name. */
  servicesOf(pattern: string): string[] {
    if (pattern === '*') return this.services();
    const colon = pattern.indexOf(':');
    if (colon < 0) return [];
    const servicePart = pattern.slice(0, colon);
    if (!/[*?]/.test(servicePart)) return this.byService.has(servicePart.toLowerCase()) ? [servicePart.toLowerCase()] : [];
    const re = patternRegExp(servicePart);
    return this.services().filter((s) => re.test(s));
  }

  /** The universe actions one pattern allows. */
  matches(pattern: string): Set<string> {
    const re = patternRegExp(pattern);
    const out = new Set<string>();
    for (const service of this.servicesOf(pattern)) {
      for (const a of this.actionsOf(service)) if (re.test(a.full)) out.add(a.lower);
    }
    return out;
  }

  /** The union of what the patterns allow. */
  matchesAny(patterns: readonly string[]): Set<string> {
    const out = new Set<string>();
    // Patterns with a literal service are tested only against that service's actions.
    const byService = new Map<string, RegExp[]>();
    const wild: string[] = [];
    for (const p of patterns) {
      const colon = p.indexOf(':');
      const servicePart = colon < 0 ? p : p.slice(0, colon);
      if (p === '*' || /[*?]/.test(servicePart)) wild.push(p);
      else {
        const key = servicePart.toLowerCase();
        const list = byService.get(key) ?? [];
        list.push(patternRegExp(p));
        byService.set(key, list);
      }
    }
    for (const [service, res] of byService) {
      for (const a of this.actionsOf(service)) if (res.some((re) => re.test(a.full))) out.add(a.lower);
    }
    for (const p of wild) for (const a of this.matches(p)) out.add(a);
    return out;
  }

  /** Every universe action but the ones given. */
  complement(excluded: ReadonlySet<string>): Set<string> {
    const out = new Set<string>();
    for (const a of this.all()) if (!excluded.has(a.lower)) out.add(a.lower);
    return out;
  }
}

function addAction(service: string, name: string, list: UniverseAction[], byLower: Map<string, UniverseAction>): void {
  const full = `${service}:${name}`;
  const lower = full.toLowerCase();
  if (byLower.has(lower)) return;
  const action = { service, name, full, lower };
  list.push(action);
  byLower.set(lower, action);
}

/** A statement as JSON: what `Effect` plus `Action` or `NotAction` allow over the universe. */
export interface StatementJson {
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
}

export function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * The actions a statement grants (for Allow) or takes away (for Deny): for `Action` the union of
 * the matches, for `NotAction` the universe minus them.
 */
export function allowedByStatement(statement: StatementJson, universe: Universe): Set<string> {
  if (statement.Action !== undefined) return universe.matchesAny(listOf(statement.Action));
  if (statement.NotAction !== undefined) return universe.complement(universe.matchesAny(listOf(statement.NotAction)));
  return new Set();
}

// ---------------------------------------------------------------------------------------------
// What the findings call unused, computed independently of UnusedAccess.

export interface ServiceSpec {
  service: string;
  /** The whole service is unused. */
  whole: boolean;
  actions: string[];
}

/** One principal's findings, as plain data. */
export interface PrincipalSpec {
  services: ServiceSpec[];
}

/** Every action name the findings mention, as universe candidates. */
export function namedActions(principals: readonly PrincipalSpec[]): NamedAction[] {
  return principals.flatMap((p) => p.services.flatMap((s) => s.actions.map((name) => ({ service: s.service, name }))));
}

function unusedFor(principal: PrincipalSpec, action: UniverseAction): boolean {
  return principal.services.some((s) => s.service.toLowerCase() === action.service
    && (s.whole || s.actions.some((n) => n.toLowerCase() === action.name.toLowerCase())));
}

/**
 * The universe actions the findings call unused: when several principals share the policy, only
 * what every one of them calls unused (listed by name, case-insensitively, or whole service).
 */
export function unusedSet(principals: readonly PrincipalSpec[], universe: Universe): Set<string> {
  const out = new Set<string>();
  if (principals.length === 0) return out;
  const services = new Set(principals[0]!.services.map((s) => s.service.toLowerCase()));
  for (const service of services) {
    for (const a of universe.actionsOf(service)) if (principals.every((p) => unusedFor(p, a))) out.add(a.lower);
  }
  return out;
}

/** Whether every principal calls the whole service unused. */
export function wholeServiceUnused(principals: readonly PrincipalSpec[], service: string): boolean {
  return principals.length > 0
    && principals.every((p) => p.services.some((s) => s.service.toLowerCase() === service.toLowerCase() && s.whole));
}

// ---------------------------------------------------------------------------------------------
// Small set helpers with readable failure output.

export function difference(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

export function intersection(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...a].filter((x) => b.has(x)).sort();
}

export function minus(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a].filter((x) => !b.has(x)));
}

/**
 * For Allow + NotAction: allowed = universe − excluded, so "allowed after = allowed before − unused"
 * is "excluded after = excluded before ∪ unused" (the unused are universe actions). Compared on the
 * excluded side, which is small, and reported in terms of what the statement allows.
 */
export function notActionLawProblem(
  excludedBefore: ReadonlySet<string>,
  excludedAfter: ReadonlySet<string>,
  unused: ReadonlySet<string>,
): string | undefined {
  const expected = new Set([...excludedBefore, ...unused]);
  const dropped = difference(excludedAfter, expected);
  const stillAllowed = difference(expected, excludedAfter);
  if (dropped.length === 0 && stillAllowed.length === 0) return undefined;
  const show = (xs: string[]): string => `${xs.length} [${xs.slice(0, 12).join(', ')}${xs.length > 12 ? ', …' : ''}]`;
  return `drops used actions ${show(dropped)}; still allows unused or un-excludes ${show(stillAllowed)}`;
}

/** A short description of how two sets differ, or undefined when they are equal. */
export function setDiff(actual: ReadonlySet<string>, expected: ReadonlySet<string>, limit = 12): string | undefined {
  const extra = difference(actual, expected);
  const missing = difference(expected, actual);
  if (extra.length === 0 && missing.length === 0) return undefined;
  const show = (xs: string[]): string => `${xs.length} [${xs.slice(0, limit).join(', ')}${xs.length > limit ? ', …' : ''}]`;
  return `unexpected ${show(extra)}; missing ${show(missing)}`;
}
