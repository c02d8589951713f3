import type { PrincipalRef } from '../../findings/policyContext';
import { hclStringValue } from './hclString';
import { addressOf, attributesOf, blocksOf, type HclBlock, type HclNode } from './hclTree';

type Kind = PrincipalRef['kind'];

/** The resource and data types that are principals. */
const PRINCIPAL_TYPES: Record<string, Kind> = { aws_iam_role: 'role', aws_iam_user: 'user', aws_iam_group: 'group' };

/** Resources holding one policy for one principal, and the attribute that names it. */
const INLINE_POLICY_TYPES: Record<string, { attribute: string; kind: Kind }> = {
  aws_iam_role_policy: { attribute: 'role', kind: 'role' },
  aws_iam_user_policy: { attribute: 'user', kind: 'user' },
  aws_iam_group_policy: { attribute: 'group', kind: 'group' },
};

/** Resources attaching managed policies: the attributes naming principals, and those naming policies. */
const ATTACHMENT_TYPES: Record<string, { principals: readonly { attribute: string; kind: Kind }[]; policies: string }> = {
  aws_iam_role_policy_attachment: { principals: [{ attribute: 'role', kind: 'role' }], policies: 'policy_arn' },
  aws_iam_user_policy_attachment: { principals: [{ attribute: 'user', kind: 'user' }], policies: 'policy_arn' },
  aws_iam_group_policy_attachment: { principals: [{ attribute: 'group', kind: 'group' }], policies: 'policy_arn' },
  aws_iam_policy_attachment: {
    principals: [{ attribute: 'roles', kind: 'role' }, { attribute: 'users', kind: 'user' }, { attribute: 'groups', kind: 'group' }],
    policies: 'policy_arn',
  },
  aws_iam_role_policy_attachments_exclusive: { principals: [{ attribute: 'role_name', kind: 'role' }], policies: 'policy_arns' },
  aws_iam_user_policy_attachments_exclusive: { principals: [{ attribute: 'user_name', kind: 'user' }], policies: 'policy_arns' },
  aws_iam_group_policy_attachments_exclusive: { principals: [{ attribute: 'group_name', kind: 'group' }], policies: 'policy_arns' },
};

/** What one file of a module says about principals and attachments. */
export interface ModuleFacts {
  /** Principal resources and data sources by address, with their literal `name`. */
  readonly principals: ReadonlyMap<string, PrincipalRef>;
  /** For each policy holder (a policy resource, or a role with inline policies): the principals it is attached to. */
  readonly attached: ReadonlyMap<string, readonly PrincipalRef[]>;
  /** For each `aws_iam_policy_document`: the holders (and other documents) that use its JSON. */
  readonly documentUsers: ReadonlyMap<string, readonly string[]>;
  /** Documents used as a role's `assume_role_policy`. */
  readonly trustDocuments: ReadonlySet<string>;
  /** Group memberships (`aws_iam_group_membership`, `aws_iam_user_group_membership`): which user is in which group. */
  readonly memberships: readonly { readonly group: PrincipalRef; readonly user: PrincipalRef }[];
}

/** Reads the facts of one file from its top-level blocks. */
export function moduleFacts(blocks: readonly HclBlock[], text: string): ModuleFacts {
  const principals = new Map<string, PrincipalRef>();
  const attached = new Map<string, PrincipalRef[]>();
  const documentUsers = new Map<string, string[]>();
  const trustDocuments = new Set<string>();
  const memberships: { group: PrincipalRef; user: PrincipalRef }[] = [];
  const attach = (holder: string, principal: PrincipalRef | undefined): void => {
    if (principal) push(attached, holder, principal);
  };
  const useDocument = (value: HclNode | undefined, user: string): void => {
    const document = value && documentReference(value, text);
    if (document) push(documentUsers, document, user);
  };

  for (const block of blocks) {
    const address = addressOf(block);
    const type = block.labels[0];
    if (!address || !type) continue;
    const attributes = attributesOf(block.body, text);
    const principalKind = PRINCIPAL_TYPES[type];
    if (principalKind) {
      const name = attributes.get('name')?.value;
      const literal = name && stringLiteral(name, text);
      const self: PrincipalRef = literal ? { kind: principalKind, id: address, name: literal } : { kind: principalKind, id: address };
      principals.set(address, self);
      if (block.type !== 'resource' || type !== 'aws_iam_role') continue;
      for (const inline of blocksOf(block.body, text).filter((b) => b.type === 'inline_policy')) {
        attach(address, self);
        useDocument(attributesOf(inline.body, text).get('policy')?.value, address);
      }
      for (const arn of listElements(attributes.get('managed_policy_arns')?.value)) {
        const policy = policyReference(arn, text);
        if (policy) attach(policy, self);
      }
      const trust = attributes.get('assume_role_policy')?.value;
      const trustDocument = trust && documentReference(trust, text);
      if (trustDocument) trustDocuments.add(trustDocument);
      continue;
    }
    if (block.type === 'data') {
      if (type !== 'aws_iam_policy_document') continue;
      // A document merged into another (`source_policy_documents`) is attached wherever that one is.
      for (const key of ['source_policy_documents', 'override_policy_documents']) {
        for (const element of listElements(attributes.get(key)?.value)) useDocument(element, address);
      }
      for (const key of ['source_json', 'override_json']) useDocument(attributes.get(key)?.value, address);
      continue;
    }
    const inlinePolicy = INLINE_POLICY_TYPES[type];
    if (inlinePolicy) {
      const target = attributes.get(inlinePolicy.attribute)?.value;
      attach(address, target && principalReference(target, inlinePolicy.kind, text));
      useDocument(attributes.get('policy')?.value, address);
      continue;
    }
    if (type === 'aws_iam_policy') {
      useDocument(attributes.get('policy')?.value, address);
      continue;
    }
    if (type === 'aws_iam_group_membership' || type === 'aws_iam_user_group_membership') {
      const [one, many] = type === 'aws_iam_group_membership' ? ['group', 'users'] as const : ['user', 'groups'] as const;
      const single = attributes.get(one)?.value;
      const list = attributes.get(many)?.value;
      const first = single && principalReference(single, one, text);
      for (const element of first && list ? listOrOne(list) : []) {
        const other = principalReference(element, one === 'group' ? 'user' : 'group', text);
        if (other) memberships.push(one === 'group' ? { group: first!, user: other } : { group: other, user: first! });
      }
      continue;
    }
    const attachment = ATTACHMENT_TYPES[type];
    if (attachment) {
      const policyValue = attributes.get(attachment.policies)?.value;
      const policies = policyValue ? listOrOne(policyValue).map((p) => policyReference(p, text)) : [];
      for (const { attribute, kind } of attachment.principals) {
        const value = attributes.get(attribute)?.value;
        for (const target of value ? listOrOne(value) : []) {
          const principal = principalReference(target, kind, text);
          for (const policy of policies) if (policy) attach(policy, principal);
        }
      }
    }
  }
  return { principals, attached, documentUsers, trustDocuments, memberships };
}

/** The facts of every file of a module, joined: who is attached to what, whichever file says so. */
export class Attachments {
  private readonly principals = new Map<string, PrincipalRef>();
  private readonly attached = new Map<string, PrincipalRef[]>();
  private readonly documentUsers = new Map<string, string[]>();
  private readonly trustDocuments = new Set<string>();
  private readonly memberships: { readonly group: PrincipalRef; readonly user: PrincipalRef }[] = [];

  constructor(files: readonly ModuleFacts[]) {
    for (const file of files) {
      this.memberships.push(...file.memberships);
      for (const [address, principal] of file.principals) if (!this.principals.has(address)) this.principals.set(address, principal);
      for (const [holder, refs] of file.attached) for (const ref of refs) push(this.attached, holder, ref);
      for (const [document, users] of file.documentUsers) for (const user of users) push(this.documentUsers, document, user);
      for (const document of file.trustDocuments) this.trustDocuments.add(document);
    }
  }

  isTrustDocument(address: string): boolean {
    return this.trustDocuments.has(address);
  }

  /**
   * The principals a policy holder is attached to: its own attachments, and, for a policy
   * document, those of everything that uses its JSON. Deduplicated; in the order found.
   */
  principalsOf(address: string): PrincipalRef[] {
    const seen = new Map<string, PrincipalRef>();
    const visited = new Set<string>();
    const visit = (holder: string): void => {
      if (visited.has(holder)) return;
      visited.add(holder);
      for (const ref of this.attached.get(holder) ?? []) {
        // A group's policies reach the users in it: findings name users, never groups. Without
        // members in the module, the group itself stands in (an `appliesTo` entry can still name it).
        const members = ref.kind === 'group' ? this.membersOf(ref) : [];
        for (const principal of members.length > 0 ? members : [ref]) {
          const key = `${principal.kind}:${principal.id}`;
          // A reference found before its resource was read gets the name the resource gives it.
          if (!seen.has(key)) seen.set(key, this.principals.get(principal.id) ?? principal);
        }
      }
      for (const user of this.documentUsers.get(holder) ?? []) visit(user);
    };
    visit(address);
    return [...seen.values()];
  }

  /** The users the module puts in a group, whether it is named by its resource or by its name. */
  private membersOf(group: PrincipalRef): PrincipalRef[] {
    const name = (ref: PrincipalRef): string | undefined => this.principals.get(ref.id)?.name ?? ref.name;
    const same = (ref: PrincipalRef): boolean => ref.id === group.id || (name(ref) !== undefined && name(ref) === name(group));
    return this.memberships.filter((m) => same(m.group)).map((m) => m.user);
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The value of a plain string literal (no `${…}`); undefined for anything else. */
export function stringLiteral(value: HclNode, text: string): string | undefined {
  return value.type === 'string_lit' ? hclStringValue(text, value.start, value.end) : undefined;
}

function listElements(value: HclNode | undefined): HclNode[] {
  return value?.type === 'tuple' ? [...value.children] : [];
}

function listOrOne(value: HclNode): HclNode[] {
  return value.type === 'tuple' ? listElements(value) : [value];
}

/**
 * A reference as its names, with indexes left out: `aws_iam_role.app[0].name` is
 * `['aws_iam_role', 'app', 'name']`. A string that is nothing but one `${…}` (Terraform 0.11's
 * way) is the reference inside it.
 */
export function traversal(value: HclNode, text: string): string[] | undefined {
  let source = text.slice(value.start, value.end).trim();
  const interpolated = /^"\$\{([^{}"]*)\}"$/.exec(source);
  if (interpolated) source = interpolated[1]!.trim();
  if (!/^[A-Za-z_][\w-]*(\s*(\.\s*[A-Za-z_][\w-]*|\.\s*\d+|\[[^\]]*\]))*$/.test(source)) return undefined;
  return source.replace(/\[[^\]]*\]/g, '').split('.').map((s) => s.trim()).filter((s) => s !== '' && !/^\d+$/.test(s));
}

/** The principal an attribute names: a literal name, or a reference to a principal resource or data source. */
function principalReference(value: HclNode, kind: Kind, text: string): PrincipalRef | undefined {
  const literal = stringLiteral(value, text);
  if (literal !== undefined) return literal === '' ? undefined : { kind, id: literal, name: literal };
  const parts = traversal(value, text);
  if (!parts) return undefined;
  const isData = parts[0] === 'data';
  const type = isData ? parts[1] : parts[0];
  const name = isData ? parts[2] : parts[1];
  if (type === undefined || name === undefined || PRINCIPAL_TYPES[type] !== kind) return undefined;
  return { kind, id: isData ? `data.${type}.${name}` : `${type}.${name}` };
}

/** `aws_iam_policy.P.arn` (or `.id`, which is the ARN too): the managed policy's address. */
function policyReference(value: HclNode, text: string): string | undefined {
  const parts = traversal(value, text);
  if (!parts || parts.length !== 3 || parts[0] !== 'aws_iam_policy' || (parts[2] !== 'arn' && parts[2] !== 'id')) return undefined;
  return `aws_iam_policy.${parts[1]}`;
}

/** `data.aws_iam_policy_document.D.json` (or `.minified_json`): the document's address. */
export function documentReference(value: HclNode, text: string): string | undefined {
  const parts = traversal(value, text);
  if (!parts || parts.length !== 4 || parts[0] !== 'data' || parts[1] !== 'aws_iam_policy_document') return undefined;
  if (parts[3] !== 'json' && parts[3] !== 'minified_json') return undefined;
  return `data.aws_iam_policy_document.${parts[2]}`;
}
