import type { PolicyWriter } from '../../policy/policyWriter';
import type { SourcePolicy } from '../../policy/policySource';
import { property, type SourceNode } from '../../policy/sourceTree';
import type { PolicyContext, PrincipalRef } from '../../findings/policyContext';
import { statementPolicy } from '../statementPolicies';

/** A CloudFormation (or SAM) template: a `Resources` map whose entries have a `Type`. */
export function isTemplate(root: SourceNode): boolean {
  if (root.type !== 'object') return false;
  const resources = property(root, 'Resources');
  if (resources?.type !== 'object') return false;
  return (resources.children ?? []).some((r) => property(r.children?.[1] ?? r, 'Type')?.type === 'string');
}

interface Resource {
  readonly id: string;
  readonly type: string;
  readonly properties?: SourceNode;
}

/** Resource types whose inline `Policies` hold documents, and what kind of principal they are. */
const PRINCIPAL_TYPES: Record<string, { kind: PrincipalRef['kind']; nameKey: string }> = {
  'AWS::IAM::Role': { kind: 'role', nameKey: 'RoleName' },
  'AWS::IAM::User': { kind: 'user', nameKey: 'UserName' },
  'AWS::IAM::Group': { kind: 'group', nameKey: 'GroupName' },
};

/** Policy resources with a `PolicyDocument` of their own, and the properties that attach them. */
const POLICY_TYPES: Record<string, readonly { key: string; kind: PrincipalRef['kind']; many: boolean }[]> = {
  'AWS::IAM::Policy': [
    { key: 'Roles', kind: 'role', many: true },
    { key: 'Users', kind: 'user', many: true },
    { key: 'Groups', kind: 'group', many: true },
  ],
  'AWS::IAM::ManagedPolicy': [
    { key: 'Roles', kind: 'role', many: true },
    { key: 'Users', kind: 'user', many: true },
    { key: 'Groups', kind: 'group', many: true },
  ],
  'AWS::IAM::RolePolicy': [{ key: 'RoleName', kind: 'role', many: false }],
  'AWS::IAM::UserPolicy': [{ key: 'UserName', kind: 'user', many: false }],
  'AWS::IAM::GroupPolicy': [{ key: 'GroupName', kind: 'group', many: false }],
};

/** SAM resources whose `Policies` may hold policy documents, for a role SAM generates unless `Role` names one. */
const SAM_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Serverless::StateMachine']);

/**
 * The identity policies of a template, each with the resource that holds it and the principals it
 * is attached to. Trust policies (`AssumeRolePolicyDocument`) and resource policies (bucket, queue,
 * key policies) are not identity policies: unused-access findings say nothing about them.
 */
export function templatePolicies(root: SourceNode, text: string, writer: PolicyWriter): SourcePolicy[] {
  const resources = readResources(root);
  const byId = new Map(resources.map((r) => [r.id, r]));
  const refs = new References(text, byId);
  const out: SourcePolicy[] = [];
  const add = (document: SourceNode | undefined, context: PolicyContext): void => {
    if (document?.type !== 'object') return;
    const policy = statementPolicy(document, writer, context);
    if (policy) out.push(policy);
  };
  for (const resource of resources) {
    const props = resource.properties;
    if (!props) continue;
    const principal = PRINCIPAL_TYPES[resource.type];
    const attachments = POLICY_TYPES[resource.type];
    if (principal) {
      const principals = resource.type === 'AWS::IAM::Group' ? refs.groupMembers(resource) : [refs.principal(resource)];
      for (const item of listItems(property(props, 'Policies'))) {
        if (item.type === 'object') add(property(item, 'PolicyDocument'), { resourceId: resource.id, principals });
      }
    } else if (attachments) {
      const principals = attachments.flatMap((a) => {
        const value = property(props, a.key);
        return (a.many ? listItems(value) : value ? [value] : []).flatMap((v) => refs.resolve(v, a.kind));
      });
      principals.push(...refs.attachedBy(resource.id));
      add(property(props, 'PolicyDocument'), { resourceId: resource.id, principals: unique(principals) });
    } else if (SAM_TYPES.has(resource.type)) {
      const role = property(props, 'Role');
      const principals = role ? refs.resolve(role, 'role') : [{ kind: 'role' as const, id: resource.id }];
      const policies = property(props, 'Policies');
      for (const item of policies?.type === 'object' ? [policies] : listItems(policies)) add(item, { resourceId: resource.id, principals });
    }
  }
  return out.sort((a, b) => a.node.offset - b.node.offset);
}

function readResources(root: SourceNode): Resource[] {
  const resources = property(root, 'Resources');
  const out: Resource[] = [];
  for (const entry of resources?.children ?? []) {
    const id = entry.children?.[0]?.value;
    const body = entry.children?.[1];
    if (typeof id !== 'string' || body?.type !== 'object') continue;
    const type = property(body, 'Type');
    if (type?.type !== 'string') continue;
    const properties = property(body, 'Properties');
    out.push({ id, type: type.value as string, properties: properties?.type === 'object' ? properties : undefined });
  }
  return out;
}

function listItems(node: SourceNode | undefined): readonly SourceNode[] {
  return node?.type === 'array' ? node.children ?? [] : [];
}

function unique(principals: readonly PrincipalRef[]): PrincipalRef[] {
  const seen = new Map<string, PrincipalRef>();
  for (const p of principals) if (!seen.has(`${p.kind}:${p.id}`)) seen.set(`${p.kind}:${p.id}`, p);
  return [...seen.values()];
}

/** Resolves the ways a template names a principal: a literal name, `Ref`, `GetAtt`. */
class References {
  constructor(private readonly text: string, private readonly byId: ReadonlyMap<string, Resource>) {}

  /** A principal resource of the template, with its name where the template spells it. */
  principal(resource: Resource): PrincipalRef {
    const kind = PRINCIPAL_TYPES[resource.type]!;
    const name = resource.properties && property(resource.properties, kind.nameKey);
    return name?.type === 'string'
      ? { kind: kind.kind, id: resource.id, name: name.value as string }
      : { kind: kind.kind, id: resource.id };
  }

  /** The principal a value names: a literal name, or a reference to a resource of the template. */
  resolve(value: SourceNode, kind: PrincipalRef['kind']): PrincipalRef[] {
    if (value.type === 'string') return [{ kind, id: value.value as string, name: value.value as string }];
    const target = this.referencedId(value);
    const resource = target === undefined ? undefined : this.byId.get(target);
    if (resource && PRINCIPAL_TYPES[resource.type]) return [this.principal(resource)];
    if (resource && SAM_TYPES.has(resource.type)) return [{ kind: 'role', id: resource.id }];
    return [];
  }

  /** Principals whose `ManagedPolicyArns` reference the managed policy `id`. */
  attachedBy(id: string): PrincipalRef[] {
    const out: PrincipalRef[] = [];
    for (const resource of this.byId.values()) {
      if (!PRINCIPAL_TYPES[resource.type] || !resource.properties) continue;
      const arns = listItems(property(resource.properties, 'ManagedPolicyArns'));
      if (arns.some((a) => this.referencedId(a) === id)) out.push(this.principal(resource));
    }
    return out;
  }

  /**
   * A group's policies reach the users in it: findings name users, never groups. Without members
   * in the template, the group itself stands in (an `appliesTo` entry can still name it).
   */
  groupMembers(group: Resource): PrincipalRef[] {
    const members: PrincipalRef[] = [];
    for (const resource of this.byId.values()) {
      if (resource.type !== 'AWS::IAM::User' || !resource.properties) continue;
      const groups = listItems(property(resource.properties, 'Groups'));
      if (groups.some((g) => this.referencedId(g) === group.id || (g.type === 'string' && g.value === this.principal(group).name))) {
        members.push(this.principal(resource));
      }
    }
    return members.length > 0 ? members : [this.principal(group)];
  }

  /** The logical id a `Ref` or `GetAtt` points at, in JSON, YAML long form or YAML short form. */
  private referencedId(node: SourceNode): string | undefined {
    if (node.type === 'object' && node.children?.length === 1) {
      const key = node.children[0]?.children?.[0]?.value;
      const arg = node.children[0]?.children?.[1];
      if (key === 'Ref' && arg?.type === 'string') return arg.value as string;
      if (key === 'Fn::GetAtt') {
        if (arg?.type === 'string') return (arg.value as string).split('.')[0];
        const first = arg?.children?.[0];
        if (arg?.type === 'array' && first?.type === 'string') return first.value as string;
      }
      return undefined;
    }
    if (node.type !== 'expression') return undefined;
    // The YAML reader keeps a short-form tag as source text: `!Ref Id`, `!GetAtt Id.Arn`, `!GetAtt [Id, Arn]`.
    const source = this.text.slice(node.offset, node.offset + node.length);
    const match = /^!(Ref|GetAtt)\s+\[?\s*['"]?([A-Za-z0-9]+)/.exec(source);
    return match?.[2];
  }
}
