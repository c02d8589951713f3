import { hclStringValue } from './hclString';
import type { HclNode } from './hclTree';
import type { BuildNode } from '../../policy/sourceTree';
import { expressionNode, propertyNode, withChildren } from './sourceNodes';

/**
 * An HCL value as a source node: literals, tuples and objects as they are written; anything else
 * (a reference, a function call, a conditional, a string with `${…}`, a heredoc) is an expression,
 * because its value is only known when Terraform runs. Never a guess.
 */
export function hclValue(n: HclNode, text: string): BuildNode {
  switch (n.type) {
    case 'string_lit':
      return { type: 'string', offset: n.start, length: n.end - n.start, value: hclStringValue(text, n.start, n.end) };
    case 'numeric_lit':
      return { type: 'number', offset: n.start, length: n.end - n.start, value: Number(text.slice(n.start, n.end)) };
    case 'bool_lit':
      return { type: 'boolean', offset: n.start, length: n.end - n.start, value: text.slice(n.start, n.end) === 'true' };
    case 'null_lit':
      return { type: 'null', offset: n.start, length: n.end - n.start, value: null };
    case 'tuple': {
      const array: BuildNode = { type: 'array', offset: n.start, length: n.end - n.start };
      withChildren(array, n.children.map((c) => hclValue(c, text)));
      return array;
    }
    case 'object': {
      const object: BuildNode = { type: 'object', offset: n.start, length: n.end - n.start };
      const properties: BuildNode[] = [];
      for (const elem of n.children) {
        if (elem.type !== 'object_elem') continue;
        const [key, value] = elem.children;
        if (!key || !value) continue;
        properties.push(propertyNode(elem.start, elem.end, objectKey(key, text), hclValue(value, text)));
      }
      withChildren(object, properties);
      return object;
    }
    default:
      return expressionNode(text, n.start, n.end);
  }
}

/**
 * An object key: a bare name (`Effect = …`) is the string it spells, as is a quoted one
 * (`"Effect" = …`); a key computed from an expression (`(local.k) = …`) is an expression.
 */
function objectKey(n: HclNode, text: string): BuildNode {
  // A bare name is copied as an expression without children, like any traversal.
  const name = text.slice(n.start, n.end);
  if (n.type === 'expression' && n.children.length === 0 && /^[A-Za-z_][\w-]*$/.test(name)) {
    return { type: 'string', offset: n.start, length: n.end - n.start, value: name };
  }
  if (n.type === 'string_lit') {
    return { type: 'string', offset: n.start, length: n.end - n.start, value: hclStringValue(text, n.start, n.end) };
  }
  return expressionNode(text, n.start, n.end);
}
