import type { Span } from '../../text/problem';
import type { PolicyRecommendation, PrincipalFindings, UnusedAction, UnusedService } from '../model';
import type { Stamp } from './json';

// Callers pass parse-tree nodes, which must not leak (with their parent links) into the result.
function copySpan({ offset, length }: Span): Span {
  return { offset, length };
}

function later(a: Stamp | undefined, b: Stamp | undefined): Stamp | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.time > a.time ? b : a;
}

export class ServiceFindings {
  private readonly span: Span;
  private whole = false;
  // IAM action names are case-insensitive, so `GetObject` and `getobject` are one action.
  private readonly actions = new Map<string, { name: string; span: Span; lastAccessed: Stamp | undefined }>();

  constructor(
    readonly service: string,
    span: Span,
    private lastAccessed: Stamp | undefined,
  ) {
    this.span = copySpan(span);
  }

  noteLastAccessed(stamp: Stamp | undefined): void {
    this.lastAccessed = later(this.lastAccessed, stamp);
  }

  markWhole(): void {
    this.whole = true;
  }

  addAction(name: string, span: Span, lastAccessed: Stamp | undefined): void {
    const key = name.toLowerCase();
    const known = this.actions.get(key);
    if (known) known.lastAccessed = later(known.lastAccessed, lastAccessed);
    else this.actions.set(key, { name, span: copySpan(span), lastAccessed });
  }

  /** Undefined when nothing valid was found for the service. */
  result(): UnusedService | undefined {
    if (!this.whole && this.actions.size === 0) return undefined;
    const out: UnusedService = { service: this.service, whole: this.whole, actions: [], span: this.span };
    if (this.lastAccessed) out.lastAccessed = this.lastAccessed.text;
    // Listed actions stay beside a whole unused service: they carry their own last-used times.
    for (const { name, span, lastAccessed } of this.actions.values()) {
      const action: UnusedAction = { name, span };
      if (lastAccessed) action.lastAccessed = lastAccessed.text;
      out.actions.push(action);
    }
    return out;
  }
}

export class PrincipalAccumulator {
  private analyzedAt: Stamp | undefined;
  private readonly services = new Map<string, ServiceFindings>();
  private readonly recommendations: PolicyRecommendation[] = [];

  constructor(private readonly resource: string | undefined) {}

  noteAnalyzedAt(stamp: Stamp | undefined): void {
    this.analyzedAt = later(this.analyzedAt, stamp);
  }

  /** The findings for `service`, shared by every entry that names it. */
  service(service: string, span: Span, lastAccessed: Stamp | undefined): ServiceFindings {
    let found = this.services.get(service);
    if (!found) this.services.set(service, (found = new ServiceFindings(service, span, lastAccessed)));
    else found.noteLastAccessed(lastAccessed);
    return found;
  }

  addRecommendation(step: PolicyRecommendation): void {
    this.recommendations.push({ ...step, span: copySpan(step.span) });
  }

  /** Kept even without services: it then says this principal leaves nothing unused. */
  result(): PrincipalFindings {
    const services: UnusedService[] = [];
    for (const service of this.services.values()) {
      const result = service.result();
      if (result) services.push(result);
    }
    const out: PrincipalFindings = { services };
    if (this.resource !== undefined) out.resource = this.resource;
    if (this.analyzedAt) out.analyzedAt = this.analyzedAt.text;
    if (this.recommendations.length > 0) out.recommendations = [...this.recommendations];
    return out;
  }
}

/** Merges everything the document says about each principal, keyed by resource ARN. */
export class FindingsCollector {
  private readonly principals = new Map<string | undefined, PrincipalAccumulator>();
  /** Principals that no ARN names but that must not merge with each other, in order of appearance. */
  private readonly order: PrincipalAccumulator[] = [];

  principal(resource: string | undefined): PrincipalAccumulator {
    let found = this.principals.get(resource);
    if (!found) {
      this.principals.set(resource, (found = new PrincipalAccumulator(resource)));
      this.order.push(found);
    }
    return found;
  }

  /**
   * A principal of its own though no ARN names it: one of several last-accessed reports. Merged with
   * another, its unused access would be added to theirs, where only what all leave unused may count.
   */
  unnamed(): PrincipalAccumulator {
    const principal = new PrincipalAccumulator(undefined);
    this.order.push(principal);
    return principal;
  }

  result(): PrincipalFindings[] {
    return this.order.map((principal) => principal.result());
  }
}
