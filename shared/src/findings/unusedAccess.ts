import type { Span } from '../text/problem';
import type { PrincipalFindings } from './model';

/** Where a verdict of "unused" comes from: for related information and hovers. */
export interface UnusedOrigin {
  /** The findings file, as the caller names it (a path or URI). */
  file?: string;
  resource?: string;
  analyzedAt?: string;
  lastAccessed?: string;
  span?: Span;
}

interface ServiceVerdict {
  /** Set when the whole service is unused, with the origins that say so. */
  whole?: UnusedOrigin[];
  /** Lower-case name → spelling and origins. */
  actions: Map<string, { name: string; origins: UnusedOrigin[] }>;
}

/**
 * The actions that count as unused for one policy. When several principals or findings files apply,
 * only what all of them call unused counts: a policy shared by several roles is never cut below what
 * any of them uses.
 */
export class UnusedAccess {
  private constructor(
    private readonly byService: Map<string, ServiceVerdict>,
    /**
     * Every action any of the findings names, unused or not, by service and lower-case name. An
     * action one principal calls unused and another does not is still a real action: it must keep
     * its place among the actions a wildcard allows, even when its verdict is intersected away.
     */
    private readonly named: Map<string, Map<string, string>>,
  ) {}

  static readonly none = new UnusedAccess(new Map(), new Map());

  /** The findings of one principal: everything it reports is unused for it. */
  static fromPrincipal(principal: PrincipalFindings, file?: string): UnusedAccess {
    const byService = new Map<string, ServiceVerdict>();
    const named = new Map<string, Map<string, string>>();
    for (const entry of principal.services) {
      const service = entry.service.toLowerCase();
      const verdict: ServiceVerdict = byService.get(service) ?? { actions: new Map() };
      byService.set(service, verdict);
      if (entry.whole) {
        (verdict.whole ??= []).push(originOf(file, principal, entry.lastAccessed, entry.span));
      }
      for (const action of entry.actions) {
        const key = action.name.toLowerCase();
        if (!named.has(service)) named.set(service, new Map());
        if (!named.get(service)!.has(key)) named.get(service)!.set(key, action.name);
        const origin = originOf(file, principal, action.lastAccessed, action.span);
        const slot = verdict.actions.get(key);
        // A literal of one: an empty array grown by push reserves room for 16, for each of 100,000 actions.
        if (slot) slot.origins.push(origin);
        else verdict.actions.set(key, { name: action.name, origins: [origin] });
      }
    }
    return new UnusedAccess(byService, named);
  }

  /** Only what every one of `sets` calls unused; no sets means nothing is unused. */
  static intersect(sets: readonly UnusedAccess[]): UnusedAccess {
    if (sets.length === 0) return UnusedAccess.none;
    return sets.slice(1).reduce((acc, next) => acc.intersectWith(next), sets[0]!);
  }

  get isEmpty(): boolean {
    return this.byService.size === 0;
  }

  /** Services that have anything unused, lower-case. */
  services(): IterableIterator<string> {
    return this.byService.keys();
  }

  /** Whether the findings call anything of this service unused. */
  hasService(service: string): boolean {
    return this.byService.has(service);
  }

  isWholeServiceUnused(service: string): boolean {
    return this.byService.get(service)?.whole !== undefined;
  }

  /** Origins of the verdict when `service:name` is unused, else undefined. */
  verdict(service: string, name: string): UnusedOrigin[] | undefined {
    const entry = this.byService.get(service);
    if (!entry) return undefined;
    return entry.actions.get(name.toLowerCase())?.origins ?? entry.whole;
  }

  /** Services any of the findings mention, unused here or not. */
  namedServices(): IterableIterator<string> {
    return this.named.keys();
  }

  /** Every action name any of the findings mention for a service, unused here or not. */
  namedActions(service: string): string[] {
    return [...(this.named.get(service)?.values() ?? [])];
  }

  private intersectWith(other: UnusedAccess): UnusedAccess {
    const out = new Map<string, ServiceVerdict>();
    for (const [service, mine] of this.byService) {
      const theirs = other.byService.get(service);
      if (!theirs) continue;
      const verdict: ServiceVerdict = { actions: new Map() };
      if (mine.whole && theirs.whole) verdict.whole = [...mine.whole, ...theirs.whole];
      // An action stays unused where each side lists it or calls its whole service unused.
      const keep = (a: ServiceVerdict, b: ServiceVerdict): void => {
        for (const [key, slot] of a.actions) {
          const match = b.actions.get(key)?.origins ?? b.whole;
          if (!match) continue;
          const existing = verdict.actions.get(key);
          verdict.actions.set(key, existing ?? { name: slot.name, origins: [...slot.origins, ...match] });
        }
      };
      keep(mine, theirs);
      keep(theirs, mine);
      if (verdict.whole || verdict.actions.size > 0) out.set(service, verdict);
    }
    const named = new Map<string, Map<string, string>>();
    for (const source of [this.named, other.named]) {
      for (const [service, names] of source) {
        const merged = named.get(service) ?? new Map<string, string>();
        for (const [key, name] of names) if (!merged.has(key)) merged.set(key, name);
        named.set(service, merged);
      }
    }
    return new UnusedAccess(out, named);
  }
}

/** The most recent use among the origins, if any says when. */
export function lastAccessed(origins: readonly UnusedOrigin[]): string | undefined {
  let latest: string | undefined;
  for (const o of origins) if (o.lastAccessed && (!latest || o.lastAccessed > latest)) latest = o.lastAccessed;
  return latest;
}

/**
 * An origin with only the fields that are known. Built up rather than cleaned with `delete`: that
 * turns an object into a hash table, and a findings file of 100,000 actions has 100,000 origins.
 */
function originOf(
  file: string | undefined, principal: PrincipalFindings, lastAccessed: string | undefined, span: Span | undefined,
): UnusedOrigin {
  const origin: UnusedOrigin = {};
  if (file !== undefined) origin.file = file;
  if (principal.resource !== undefined) origin.resource = principal.resource;
  if (principal.analyzedAt !== undefined) origin.analyzedAt = principal.analyzedAt;
  if (lastAccessed !== undefined) origin.lastAccessed = lastAccessed;
  if (span !== undefined) origin.span = span;
  return origin;
}
