import type { BuildNode, SourceNode } from '../../policy/sourceTree';

/** A node whose children get it as their parent. */
export function withChildren(node: BuildNode, children: BuildNode[]): SourceNode {
  node.children = children;
  for (const child of children) child.parent = node;
  return node;
}

/** `key = value` as a property node: `[key, value]`, spanning `span`. */
export function propertyNode(start: number, end: number, key: BuildNode, value: BuildNode): BuildNode {
  const node: BuildNode = { type: 'property', offset: start, length: end - start };
  withChildren(node, [key, value]);
  return node;
}

/** An expression node: `value` says how it reads, cut short, on one line. */
export function expressionNode(text: string, start: number, end: number): BuildNode {
  return { type: 'expression', offset: start, length: end - start, value: describeSource(text.slice(start, end)) };
}

const DESCRIPTION_LENGTH = 40;

export function describeSource(source: string): string {
  const flat = source.replace(/\s+/g, ' ').trim();
  return flat.length <= DESCRIPTION_LENGTH ? flat : `${flat.slice(0, DESCRIPTION_LENGTH - 1)}…`;
}
