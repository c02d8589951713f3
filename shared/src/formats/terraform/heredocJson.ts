import { type EmbeddedJson, parseEmbeddedJson } from './embeddedJson';
import type { Stretch } from './hclString';
import type { HclNode } from './hclTree';

/**
 * The JSON of a heredoc (`<<EOF` or `<<-EOF`), in offsets of the Terraform text. Its content is
 * the lines between the opening and the closing marker; `<<-` takes indentation off them, which
 * JSON does not mind, so the text is parsed where it stands. Heredocs have no backslash escapes,
 * only `$${` and `%%{`.
 */
export function heredocJson(heredoc: HclNode, text: string): EmbeddedJson | undefined {
  const markers = heredoc.children.filter((c) => c.type === 'heredoc_identifier');
  const open = markers[0];
  const close = markers[1];
  if (!open || !close) return undefined;
  let start = open.end;
  while (start < close.start && text[start] !== '\n') start++;
  start++;
  let end = close.start;
  while (end > start && text[end - 1] !== '\n') end--;
  if (end < start) return undefined;
  const holes: Stretch[] = heredoc.children
    .filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive')
    .map((c) => ({ start: c.start - start, end: c.end - start }));
  return parseEmbeddedJson({
    text: text.slice(start, end),
    holes,
    toSource: (offset) => offset + start,
    stringValue: unescapeTemplates,
  }, text);
}

function unescapeTemplates(value: string): string {
  return value.includes('$${') || value.includes('%%{') ? value.replace(/([$%])\1\{/g, '$1{') : value;
}
