import { splitTokens } from './tokens';

/** The artefact `npm run catalog` writes: names and access levels, per service prefix. */
export interface CatalogData {
  source: string;
  version: string;
  updatedAt: string;
  /** prefix → [service name, "Action:Levels,Action:Levels,…"] in the artefact's order. */
  services: Record<string, [string, string]>;
  /** Where a united catalogue's actions come from (see uniteCatalogs); one source otherwise. */
  sources?: CatalogSource[];
  /**
   * prefix → lower-case action name → [a date whose catalogue lacked it, the date a catalogue first had it]:
   * for actions a later catalogue learned, when they were added, as closely as the catalogues can tell.
   */
  added?: Record<string, Record<string, [string, string]>>;
}

/** One catalogue that went into the catalogue in use. */
export interface CatalogSource {
  /** What it is: the bundled package, or AWS's service reference. */
  name: string;
  version?: string;
  /** `YYYY-MM-DD`: the data's date, or the day the service reference was last checked. */
  date: string;
  /** Where it was read from: the service reference's URL. */
  url?: string;
  services: number;
  actions: number;
}

/** The second artefact: descriptions in the same order as the names. */
export interface DescriptionsData {
  services: Record<string, string[]>;
}

export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

const LEVELS: Record<string, AccessLevel> = {
  L: 'List', R: 'Read', W: 'Write', P: 'Permissions management', T: 'Tagging',
};

export interface CatalogAction {
  /** Service prefix, lower-case. */
  readonly service: string;
  /** Canonical spelling. */
  readonly name: string;
  /** `service:Name`. */
  readonly full: string;
  readonly levels: readonly AccessLevel[];
  /** Words of the name (see splitTokens). */
  readonly tokens: readonly string[];
  /** Position in the service's list, which is also the descriptions' order. */
  readonly index: number;
}

interface ServiceEntry {
  readonly title: string;
  readonly packed: string;
  actions?: readonly CatalogAction[];
  byName?: ReadonlyMap<string, CatalogAction>;
}

/**
 * The known actions of every service. Services are unpacked on first use: most documents touch
 * a handful of services, and start-up stays a single decompress and JSON.parse.
 */
export class Catalog {
  private readonly entries = new Map<string, ServiceEntry>();
  private descriptions: DescriptionsData | undefined;

  constructor(
    readonly data: CatalogData,
    readonly loadDescriptions?: () => DescriptionsData,
  ) {
    for (const [prefix, [title, packed]] of Object.entries(data.services)) {
      this.entries.set(prefix, { title, packed });
    }
  }

  /** Catalogue date, `YYYY-MM-DD`. */
  get date(): string {
    return this.data.updatedAt.slice(0, 10);
  }

  /** The catalogues this one is made of, oldest first. */
  sources(): CatalogSource[] {
    if (this.data.sources) return this.data.sources;
    let actions = 0;
    for (const prefix of this.entries.keys()) actions += this.actionCount(prefix);
    return [{ name: this.data.source, version: this.data.version, date: this.date, services: this.entries.size, actions }];
  }

  /** For an action a later catalogue added: a date it was not there yet, and the date it was first seen. */
  addedBetween(action: CatalogAction): readonly [lacked: string, seen: string] | undefined {
    return this.data.added?.[action.service]?.[action.name.toLowerCase()];
  }

  services(): IterableIterator<string> {
    return this.entries.keys();
  }

  hasService(prefix: string): boolean {
    return this.entries.has(prefix.toLowerCase());
  }

  serviceTitle(prefix: string): string | undefined {
    return this.entries.get(prefix.toLowerCase())?.title;
  }

  actions(prefix: string): readonly CatalogAction[] {
    const entry = this.entries.get(prefix.toLowerCase());
    if (!entry) return [];
    return entry.actions ?? this.unpack(prefix.toLowerCase(), entry).actions!;
  }

  /** How many actions a service has, without unpacking it. */
  actionCount(prefix: string): number {
    const packed = this.entries.get(prefix.toLowerCase())?.packed;
    if (!packed) return 0;
    // Counting separators: unpacking every service to count them all would cost the start-up it saves.
    let count = 1;
    for (let i = packed.indexOf(','); i >= 0; i = packed.indexOf(',', i + 1)) count++;
    return count;
  }

  lookup(service: string, name: string): CatalogAction | undefined {
    const prefix = service.toLowerCase();
    const entry = this.entries.get(prefix);
    if (!entry) return undefined;
    return (entry.byName ?? this.unpack(prefix, entry).byName!).get(name.toLowerCase());
  }

  /** The one-line description, read from the descriptions artefact on first call. */
  describe(action: CatalogAction): string | undefined {
    if (!this.descriptions) {
      if (!this.loadDescriptions) return undefined;
      this.descriptions = this.loadDescriptions();
    }
    return this.descriptions.services[action.service]?.[action.index];
  }

  private unpack(prefix: string, entry: ServiceEntry): ServiceEntry {
    const actions: CatalogAction[] = [];
    const byName = new Map<string, CatalogAction>();
    let index = 0;
    for (const item of entry.packed ? entry.packed.split(',') : []) {
      const colon = item.lastIndexOf(':');
      const name = item.slice(0, colon);
      const levels = [...item.slice(colon + 1)].map((l) => LEVELS[l]!).filter(Boolean);
      const action: CatalogAction = {
        service: prefix, name, full: `${prefix}:${name}`, levels, tokens: splitTokens(name), index: index++,
      };
      actions.push(action);
      byName.set(name.toLowerCase(), action);
    }
    entry.actions = actions;
    entry.byName = byName;
    return entry;
  }
}
