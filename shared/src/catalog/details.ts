import type { CatalogAction } from './catalog';

/**
 * The third catalogue artefact (`catalog-details.json.br`): per service, in the names' order, one
 * string per action, `resource*,resource|conditionKey,…|service:DependentAction,…` (see
 * scripts/build-catalog.mjs). Only a hover of a single action needs it, so it is read on the first.
 */
export interface DetailsData {
  services: Record<string, string[]>;
}

export interface ResourceTypeDetail {
  readonly name: string;
  /** The action needs a resource of this type (AWS marks it with `*`). */
  readonly required: boolean;
}

/** What AWS's Service Authorization Reference says of an action beyond its description and access level. */
export interface ActionDetails {
  readonly resourceTypes: readonly ResourceTypeDetail[];
  readonly conditionKeys: readonly string[];
  readonly dependentActions: readonly string[];
}

const NONE: ActionDetails = { resourceTypes: [], conditionKeys: [], dependentActions: [] };

/** The details of the bundled catalogue's actions, read once, on first use. */
export class CatalogDetails {
  private data: DetailsData | undefined;

  constructor(private readonly load: () => DetailsData) {}

  /**
   * The details of an action, or undefined for one the bundled catalogue does not have (an action a
   * downloaded catalogue added comes after the bundled ones, past the end of the list).
   */
  of(action: CatalogAction): ActionDetails | undefined {
    this.data ??= this.load();
    const packed = this.data.services[action.service]?.[action.index];
    if (packed === undefined) return undefined;
    if (packed === '') return NONE;
    const [resources = '', keys = '', dependent = ''] = packed.split('|');
    return {
      resourceTypes: split(resources).map((r) => (r.endsWith('*')
        ? { name: r.slice(0, -1), required: true } : { name: r, required: false })),
      conditionKeys: split(keys),
      dependentActions: split(dependent),
    };
  }
}

function split(list: string): string[] {
  return list === '' ? [] : list.split(',');
}

/**
 * The action's entry in AWS's Service Authorization Reference: a service's page is named after the
 * service's name in lower case, letters and digits only (`Amazon S3` → `list_amazons3.html`), and
 * each action's row is anchored `amazons3-GetObject`.
 */
export function serviceReferenceUrl(serviceTitle: string, actionName: string): string {
  const slug = serviceTitle.toLowerCase().replace(/[^a-z0-9]/g, '');
  return `https://docs.aws.amazon.com/service-authorization/latest/reference/list_${slug}.html#${slug}-${actionName}`;
}
