/**
 * Role names that open infrastructure files spell as literals, offered first by the principal picker.
 * A quick scan of the text, not the server's parse: a name it misses is still typed by hand, and a name
 * it offers wrongly is one the user does not pick (fetch would say the role does not exist).
 */

/** What IAM allows in a role name. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** The role names a document's text defines, by its file name: CloudFormation or SAM templates and Terraform files. */
export function rolesInDocument(fileName: string, text: string): string[] {
  if (/\.tf$/i.test(fileName)) return terraformRoles(text);
  if (/\.(json|ya?ml|template)$/i.test(fileName)) return templateRoles(text);
  return [];
}

/**
 * `RoleName: NAME` (YAML) or `"RoleName": "NAME"` (JSON) in a template that declares IAM roles.
 * Expressions (`!Sub`, `{"Ref": …}`, `${…}`) are not names and are skipped.
 */
export function templateRoles(text: string): string[] {
  if (!/AWS::IAM::Role/.test(text)) return [];
  const names: string[] = [];
  for (const match of text.matchAll(/^[ \t-]*"?RoleName"?[ \t]*:[ \t]*(["']?)([^"'\s,}#]+)\1[ \t]*,?[ \t]*(#.*)?$/gm)) {
    if (ROLE_NAME.test(match[2]!)) names.push(match[2]!);
  }
  return unique(names);
}

/**
 * The literal `name` of each `resource "aws_iam_role"` block, read at the block's own level (an
 * `inline_policy { name = … }` inside it names a policy, not the role).
 */
export function terraformRoles(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/^[ \t]*resource[ \t]+"aws_iam_role"[ \t]+"[^"]*"[ \t]*\{/gm)) {
    const body = blockBody(text, match.index + match[0].length);
    for (const line of topLevelLines(body)) {
      const name = /^[ \t]*name[ \t]*=[ \t]*"([^"$]*)"[ \t]*(#.*)?$/.exec(line)?.[1];
      if (name !== undefined && ROLE_NAME.test(name)) names.push(name);
    }
  }
  return unique(names);
}

/** The text from `start` (just after a `{`) to its matching `}`, skipping braces inside strings. */
function blockBody(text: string, start: number): string {
  let depth = 1;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{') {
      depth++;
    } else if (c === '}' && --depth === 0) {
      return text.slice(start, i);
    }
  }
  return text.slice(start);
}

/** The lines of a block body that are not inside a nested block. */
function topLevelLines(body: string): string[] {
  const lines: string[] = [];
  let depth = 0;
  for (const line of body.split('\n')) {
    if (depth === 0) lines.push(line);
    const code = line.replace(/"(\\.|[^"\\])*"/g, '""');
    depth += (code.match(/\{/g)?.length ?? 0) - (code.match(/\}/g)?.length ?? 0);
    if (depth < 0) depth = 0;
  }
  return lines;
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
