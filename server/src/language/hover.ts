import { basename } from 'node:path';
import { type Hover, MarkupKind } from 'vscode-languageserver';
import { FETCH_FINDINGS_COMMAND, SHOW_FINDINGS_COMMAND } from '../../../shared/src/protocol/names';
import type { ActionEntry, PolicyStatement } from '../../../shared/src/policy/policyDocument';
import type { PolicyRefinement, RefinementStyle } from '../../../shared/src/policy/refinePolicy';
import type { ActionPattern } from '../../../shared/src/patterns/actionPattern';
import { patternsSize } from '../../../shared/src/refine/compact';
import type { LoadedFindings } from '../workspace/findingsFiles';
import type { Refiner, UnusedHit } from '../../../shared/src/refine/refiner';
import type { ActionRef } from '../../../shared/src/refine/trie';
import { type PolicyDocumentState, toRange, type UnreadableFindings } from './documentState';
import { unreadableMessage } from './policyDiagnostics';
import { describeComparison, policyComparison } from './awsRecommendation';
import { count, describeVerdict, plural } from './verdicts';
import { describeCatalog } from '../../../shared/src/catalog/liveCatalog';
import { newerActionsNote } from '../catalog/newerActions';
import { type CatalogDetails, serviceReferenceUrl } from '../../../shared/src/catalog/details';
import type { AccessLevel, CatalogAction } from '../../../shared/src/catalog/catalog';

/** Long lists show this many items, then "and N more". */
export const LIST_LIMIT = 20;

export interface HoverOptions {
  /** The client runs the fetch command from a `command:` link: a policy without findings offers it. */
  fetchCommand?: boolean;
  /** The client runs "Show Findings for This Policy" from a link: a long list of unused actions offers it. */
  showFindingsCommand?: boolean;
  /** Resource types, condition keys and dependent actions of single actions; without them the hover leaves them out. */
  details?: CatalogDetails;
}

/** The hover on an action string: what it allows, what of that is unused, and what should replace it. */
export function policyHover(state: PolicyDocumentState, offset: number, options: HoverOptions = {}): Hover | null {
  const found = entryAt(state, offset);
  if (!found?.entry.pattern) return null;
  const { entry } = found;
  const body = entry.pattern!.glob.hasWildcard ? wildcardHover(found, options) : actionHover(found, options.details);
  const comparison = policyComparison(state, found.policy);
  const aws = comparison ? describeComparison(comparison) : '';
  const value = [unreadableNote(found), body, aws, footer(found, options)].filter((part) => part !== '').join('\n\n');
  return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(state.lines, entry.span) };
}

/** An entry under the cursor, with what it is judged against: its policy's refiner and findings. */
interface Found {
  readonly entry: ActionEntry;
  readonly statement: PolicyStatement;
  readonly refinement: PolicyRefinement;
  readonly findings: readonly LoadedFindings[];
  /** The index of its policy in the document. */
  readonly policy: number;
  /** Those of the findings files that cannot be read. */
  readonly unreadable: ReadonlyMap<string, UnreadableFindings>;
}

function entryAt(state: PolicyDocumentState, offset: number): Found | undefined {
  for (const [p, refinement] of state.analysis.refinements.entries()) {
    for (const statement of refinement.policy.statements) {
      for (const entry of statement.entries) {
        if (offset >= entry.span.offset && offset < entry.span.offset + entry.span.length) {
          const findings = state.policyFindings[p] ?? [];
          return { entry, statement, refinement, findings, policy: p, unreadable: state.unreadable };
        }
      }
    }
  }
  return undefined;
}

/**
 * What a wildcard allows, the thing to act on first: how many of its actions are unused and what
 * should replace it; then the unused ones, grouped by what the findings say of them (said once per
 * group), and those in use.
 */
function wildcardHover({ entry, statement, refinement, findings, unreadable }: Found, options: HoverOptions): string {
  const refiner = refinement.refiner;
  const pattern = entry.pattern!;
  const expansion = refiner.expand(pattern);
  const verb = statement.effect === 'Deny' ? 'denies' : statement.listKey === 'NotAction' ? 'excludes' : 'allows';
  const allows = `**${code(entry.value)}** ${verb} ${plural(expansion.length, 'known action')}`;
  if (expansion.length === 0) return `${allows}.`;
  const unused: UnusedHit[] = [];
  const used: ActionRef[] = [];
  for (const action of expansion) {
    const hit = refiner.hit(action);
    if (hit) unused.push(hit);
    else used.push(action);
  }
  // Outside Allow + Action, "unused" means nothing: the whole expansion is listed.
  const refined = findings.length > 0 && statement.effect === 'Allow' && statement.listKey === 'Action';
  if (!refined) return [`${allows}.`, levelsLine(expansion), `Actions: ${list(expansion.map((a) => code(a.full)), ', ')}`].join('\n\n');
  const partly = findings.some((f) => unreadable.has(f.path));
  const lines = [unused.length > 0 ? `${allows}, ${count(unused.length)} of them unused.`
    : `${allows}. ${partly ? 'The findings that can be read call none of them unused.' : 'None of them is unused.'}`];
  const replacement = refinement.statements.flatMap((s) => s.entries).find((e) => e.entry === entry)?.replacement;
  if (replacement && replacement.length > 0) {
    lines.push(`**Recommended replacement** (${plural(replacement.length, 'pattern')}): ${list(replacement.map(code), ', ')}`);
    const sizes = formSizes(refiner, pattern, refinement.style);
    if (sizes) lines.push(sizes);
  } else if (replacement) {
    lines.push('**Recommended:** remove it; everything it allows is unused.');
  }
  lines.push(...unusedGroups(unused, options));
  if (used.length > 0) lines.push(`In use (${count(used.length)}): ${list(used.map((a) => code(a.full)), ', ')}`);
  // What stays allowed only because the findings could not see it: actions newer than their analysis.
  const newer = newerActionsNote(used, refiner.catalog, findings);
  if (newer) lines.push(newer);
  // What the findings say comes first; what the wildcard is, after.
  lines.push(levelsLine(expansion));
  return lines.join('\n\n');
}

const ACCESS_LEVELS: readonly AccessLevel[] = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'];

/**
 * How many of `actions` have each access level, in AWS's order (`List 12, Read 40, Write 8`); an
 * action with two levels counts in both, one the catalogue does not know in neither.
 */
export function accessLevelCounts(actions: readonly ActionRef[]): string {
  const levels = new Map<AccessLevel, number>();
  let unknown = 0;
  for (const action of actions) {
    if (!action.catalog) unknown++;
    for (const level of action.catalog?.levels ?? []) levels.set(level, (levels.get(level) ?? 0) + 1);
  }
  const parts = ACCESS_LEVELS.filter((l) => levels.has(l)).map((l) => `${l} ${count(levels.get(l)!)}`);
  if (unknown > 0) parts.push(`${count(unknown)} not in the catalogue`);
  return parts.join(', ');
}

function levelsLine(actions: readonly ActionRef[]): string {
  return `**By access level:** ${accessLevelCounts(actions)}`;
}

/**
 * The characters the replacement takes in each form, when they differ: the word form reads best,
 * the compact form is what a policy near its size limit gets.
 */
function formSizes(refiner: Refiner, pattern: ActionPattern, style: RefinementStyle): string | undefined {
  const words = refiner.analyzePattern(pattern).replacement;
  const compact = refiner.compactReplacement(pattern);
  if (!words || !compact || patternsSize(words) === patternsSize(compact)) return undefined;
  const form = style === 'compact' ? 'the compact form' : 'words';
  return `**Size:** ${count(patternsSize(words))} characters in words (${plural(words.length, 'pattern')}), `
    + `${count(patternsSize(compact))} compact (${plural(compact.length, 'pattern')}); the replacement above is in ${form}.`;
}

/** At most this many unused actions are named in a hover; the findings file has them all. */
const UNUSED_LIMIT = 60;

/** The unused actions, one paragraph per verdict ("never used in the tracking period", "last used …"). */
function unusedGroups(unused: readonly UnusedHit[], options: HoverOptions): string[] {
  const groups = new Map<string, string[]>();
  for (const hit of unused.slice(0, UNUSED_LIMIT)) {
    const verdict = describeVerdict(hit.origins);
    const names = groups.get(verdict) ?? [];
    names.push(code(hit.action.full));
    groups.set(verdict, names);
  }
  const more = unused.length - UNUSED_LIMIT;
  // Cut short, a group's count would read as all there is: the first line and the last give the totals.
  const counted = (names: readonly string[]): string => (more > 0 ? '' : ` (${count(names.length)})`);
  const lines = [...groups].map(([verdict, names]) => `**Unused**${counted(names)}, ${verdict}: ${names.join(', ')}`);
  if (more > 0) {
    const open = options.showFindingsCommand ? ` ([open the findings](command:${SHOW_FINDINGS_COMMAND}))` : '';
    lines.push(`…and ${count(more)} more unused${open}`);
  }
  return lines;
}

function actionHover({ entry, statement, refinement, findings, unreadable }: Found, details?: CatalogDetails): string {
  const refiner = refinement.refiner;
  const pattern = entry.pattern!;
  const [action] = refiner.expand(pattern);
  const catalogAction = action?.catalog;
  if (!catalogAction) {
    const known = action ? ' The findings name it, so it is treated as a real action newer than the catalogue.' : ' Check the spelling.';
    return `**${code(entry.value)}** is not in the action catalogue (${refiner.catalog.date}).${known}`;
  }
  const service = refiner.catalog.serviceTitle(catalogAction.service) ?? catalogAction.service;
  const lines = [`**${code(catalogAction.full)}** · ${service} · ${catalogAction.levels.join(', ')}`];
  const description = refiner.catalog.describe(catalogAction);
  if (description) lines.push(description);
  if (findings.length > 0 && statement.effect === 'Allow' && statement.listKey === 'Action') {
    const hit = refiner.hit(action);
    const readable = findings.some((f) => unreadable.has(f.path)) ? ' that can be read' : '';
    const inUse = `In use: the findings${readable} do not call it unused.${split(findings, action)}`;
    lines.push(hit ? `**Unused:** ${describeVerdict(hit.origins)}.` : inUse);
    // In use perhaps only because the findings are older than the action.
    const newer = hit ? undefined : newerActionsNote([action], refiner.catalog, findings);
    if (newer) lines.push(newer);
  }
  if (details) lines.push(...detailLines(catalogAction, service, details));
  return lines.join('\n\n');
}

/** What the Service Authorization Reference says of an action: resource types, condition keys, dependent actions, and the link. */
function detailLines(action: CatalogAction, service: string, details: CatalogDetails): string[] {
  const link = `[${action.full} in the Service Authorization Reference](${serviceReferenceUrl(service, action.name)})`;
  const known = details.of(action);
  if (!known) return [`Its resource types and condition keys are not in the bundled catalogue: ${link}`];
  const lines: string[] = [];
  const required = known.resourceTypes.some((r) => r.required);
  if (known.resourceTypes.length > 0) {
    const types = known.resourceTypes.map((r) => `${code(r.name)}${r.required ? '\\*' : ''}`).join(', ');
    lines.push(`**Resource types:** ${types}${required ? ' (\\* required)' : ''}`);
  } else {
    lines.push('**Resource types:** none; the action applies to `"Resource": "*"` only.');
  }
  if (known.conditionKeys.length > 0) lines.push(`**Condition keys:** ${list(known.conditionKeys.map(code), ', ')}`);
  if (known.dependentActions.length > 0) lines.push(`**Dependent actions:** ${list(known.dependentActions.map(code), ', ')}`);
  lines.push(link);
  return lines;
}

/**
 * Where several findings files apply and they disagree, which says what: only what all of them call
 * unused counts, so an action one of them calls unused may still be in use.
 */
function split(findings: readonly LoadedFindings[], action: ActionRef): string {
  const unusedIn = findings.filter((f) => f.access.verdict(action.service, action.name) !== undefined);
  if (unusedIn.length === 0) return '';
  const name = (f: LoadedFindings): string => basename(f.path);
  const usedIn = findings.filter((f) => !unusedIn.includes(f));
  return ` ${usedIn.map(name).join(', ')} ${usedIn.length === 1 ? 'finds it used' : 'find it used'}; `
    + `${unusedIn.map(name).join(', ')} ${unusedIn.length === 1 ? 'calls' : 'call'} it unused.`;
}

/** First, when a findings file that applies cannot be read: what is shown may be missing what it says. */
function unreadableNote({ findings, unreadable }: Found): string {
  return findings.flatMap((f) => {
    const problem = unreadable.get(f.path);
    return problem ? [`**⚠ ${unreadableMessage(basename(f.path), problem)}**`] : [];
  }).join('\n\n');
}

function footer({ refinement, findings, unreadable }: Found, options: HoverOptions): string {
  const names = findings.map((f) => {
    const name = unreadable.has(f.path) ? `${basename(f.path)} (cannot be read)` : basename(f.path);
    const analyzed = f.document.principals.find((p) => p.analyzedAt)?.analyzedAt;
    return analyzed ? `${name} (analysed ${analyzed.slice(0, 10)})` : name;
  });
  const fetch = options.fetchCommand ? ` ([fetch findings from AWS…](command:${FETCH_FINDINGS_COMMAND}))` : '';
  const source = names.length > 0 ? `Findings: ${names.join(', ')}` : `No findings file applies to this policy${fetch}`;
  const principals = refinement.policy.source.context?.principals ?? [];
  const owner = principals.length > 0 ? `${principals.map((p) => `${p.kind} ${p.name ?? p.id}`).join(', ')} · ` : '';
  return `_${owner}${source} · action catalogue of ${describeCatalog(refinement.refiner.catalog)}_`;
}

/** The first LIST_LIMIT items, then how many more. */
function list(items: readonly string[], separator: string): string {
  const shown = items.slice(0, LIST_LIMIT).join(separator);
  const more = items.length - LIST_LIMIT;
  if (more <= 0) return shown;
  return separator === '\n' ? `${shown}\n- …and ${more} more` : `${shown}, and ${more} more`;
}

/** Inline code that survives any action text (backticks cannot occur in valid actions). */
function code(text: string): string {
  return `\`${text}\``;
}
