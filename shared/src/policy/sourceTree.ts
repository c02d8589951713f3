/**
 * A parsed value with its place in the source text: the common shape of JSON, YAML and HCL, so
 * that one reader finds policies, statements and actions in all of them. jsonc-parser's nodes are
 * already of this shape; the YAML and HCL readers build it.
 */
export interface SourceNode {
  /**
   * `expression`: a value that is not a literal and cannot be known without deploying
   * (`!Sub`, `{"Fn::Join": …}`, `var.actions`, `"${local.prefix}:Get*"`).
   */
  readonly type: 'object' | 'array' | 'property' | 'string' | 'number' | 'boolean' | 'null' | 'expression';
  readonly offset: number;
  readonly length: number;
  readonly parent?: SourceNode;
  /** Object: its properties. Property: `[key, value]` (the key a string node). Array: its elements. */
  readonly children?: readonly SourceNode[];
  /** The value of a scalar, or of a key; for an expression, how it reads in the source (`!Sub`). */
  readonly value?: unknown;
}

/** A `SourceNode` while a reader builds it: parents are set once the children are known. */
export interface BuildNode {
  type: SourceNode['type'];
  offset: number;
  length: number;
  parent?: SourceNode;
  children?: SourceNode[];
  value?: unknown;
}

/** The value of a property of an object node. */
export function property(node: SourceNode, key: string): SourceNode | undefined {
  for (const p of node.children ?? []) {
    if (p.type === 'property' && p.children?.[0]?.value === key) return p.children[1];
  }
  return undefined;
}

/**
 * Whether a value is not known statically: an expression, or a CloudFormation intrinsic function
 * written as an object (`{"Ref": …}`, `{"Fn::Sub": …}`), in JSON or in YAML's long form.
 */
export function isDynamic(node: SourceNode): boolean {
  if (node.type === 'expression') return true;
  if (node.type !== 'object' || node.children?.length !== 1) return false;
  const key = node.children[0]?.children?.[0]?.value;
  return typeof key === 'string' && (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::'));
}

/** How a dynamic value reads, for messages: the tag or function name. */
export function describeDynamic(node: SourceNode): string {
  if (node.type === 'expression') return String(node.value ?? 'expression');
  return String(node.children?.[0]?.children?.[0]?.value ?? 'expression');
}

/**
 * A copy of a node and everything under it, moved by `delta` in the text: the reading of a text
 * that has moved because something before it changed. The copy's parent is `parent`; the original
 * is not changed.
 */
export function movedTree(node: SourceNode, delta: number, parent?: SourceNode): SourceNode {
  // Every copy has every field, so that all are of one shape: quicker to make, read and collect.
  const copy: BuildNode = {
    type: node.type, offset: node.offset + delta, length: node.length, parent, children: undefined, value: node.value,
  };
  const children = node.children;
  if (children) {
    const moved: SourceNode[] = new Array<SourceNode>(children.length);
    for (let i = 0; i < children.length; i++) moved[i] = movedTree(children[i]!, delta, copy);
    copy.children = moved;
  }
  return copy;
}
