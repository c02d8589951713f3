import { type ParseError, type ParseOptions, parseTree } from 'jsonc-parser';
import { type BuildNode, movedTree, type SourceNode } from '../../policy/sourceTree';
import { textChange } from '../../text/textEdit';

/** A JSON text and its tree, parsed without error. */
export interface ParsedJson {
  readonly text: string;
  readonly root: SourceNode;
}

/**
 * The tree of `text`, made from the tree of a text it was edited from: only the innermost object
 * or list that holds the whole edit is parsed again, and the rest is copied, moved by what the edit
 * added or removed. A keystroke in a policy of three hundred statements then parses one statement,
 * not three hundred. Undefined when that cannot give what a full parse gives (the edit reaches
 * outside every object and list, or their new text is not one valid value): the caller parses it all.
 *
 * The copy is whole, new nodes with new parents, so that nothing is shared with the earlier tree.
 */
export function editedTree(previous: ParsedJson, text: string, options: ParseOptions): SourceNode | undefined {
  const change = textChange(previous.text, text);
  if (change.length === 0 && change.newText.length === 0) return movedTree(previous.root, 0);
  const start = change.offset;
  const endBefore = change.offset + change.length;
  const delta = change.newText.length - change.length;
  const holder = innermostHolder(previous.root, start, endBefore);
  if (!holder) return undefined;
  // The holder's brackets are outside the edit, so its new text runs from the same `{` or `[` to the same `}` or `]`.
  const errors: ParseError[] = [];
  const reparsed = parseTree(text.slice(holder.offset, holder.offset + holder.length + delta), errors, options);
  // One valid value of the same kind, ending at the holder's closing bracket: the text around it
  // is unchanged, so a full parse reads exactly this value there and the rest as before.
  if (errors.length > 0 || !reparsed || reparsed.type !== holder.type || reparsed.length !== holder.length + delta) return undefined;
  return copied(previous.root, holder, delta, reparsed);
}

/** The deepest object or list whose inside, brackets excluded, holds the stretch [start, end) of its text. */
function innermostHolder(root: SourceNode, start: number, end: number): SourceNode | undefined {
  let found: SourceNode | undefined;
  let node: SourceNode | undefined = root;
  while (node) {
    const inside = node.offset < start && end < node.offset + node.length;
    if (!inside) break;
    if (node.type === 'object' || node.type === 'array') found = node;
    node = node.children?.find((child) => child.offset < start && end < child.offset + child.length);
  }
  return found;
}

/**
 * A copy of `node` in the edited text: `holder` replaced by `reparsed` (whose offsets count from
 * the holder's), the nodes that hold it longer by `delta`, and those after it moved by `delta`.
 */
function copied(node: SourceNode, holder: SourceNode, delta: number, reparsed: SourceNode, parent?: SourceNode): SourceNode {
  if (node === holder) return movedTree(reparsed, holder.offset, parent);
  // Nodes nest or are apart: one that does not hold the holder is all before it or all after it.
  if (node.offset + node.length <= holder.offset) return movedTree(node, 0, parent);
  if (node.offset >= holder.offset + holder.length) return movedTree(node, delta, parent);
  const copy: BuildNode = {
    type: node.type, offset: node.offset, length: node.length + delta, parent, children: undefined, value: node.value,
  };
  const children = node.children;
  if (children) {
    const inCopy: SourceNode[] = new Array<SourceNode>(children.length);
    for (let i = 0; i < children.length; i++) inCopy[i] = copied(children[i]!, holder, delta, reparsed, copy);
    copy.children = inCopy;
  }
  return copy;
}
