import type { Catalog } from '../../../shared/src/catalog/catalog';
import type { ActionRef } from '../../../shared/src/refine/trie';
import type { LoadedFindings } from '../workspace/findingsFiles';
import { analysedOn } from './findingsAge';

/** At most this many newer actions are named. */
const NAMED = 10;

/**
 * What the findings cannot have seen, among the actions a wildcard or its replacement still
 * allows: actions the catalogue learned after the findings were analysed are never called unused
 * by them, so they stay allowed whatever they are. Only actions a download added can be dated
 * (between a catalogue that lacked them and the first that had them); of the bundled catalogue's
 * actions nobody can tell when they were added, and a findings file without a date says nothing.
 * Undefined when there is nothing to say.
 */
export function newerActionsNote(allowed: readonly ActionRef[], catalog: Catalog, findings: readonly LoadedFindings[]): string | undefined {
  const dated = allowed.flatMap((action) => {
    const between = action.catalog && catalog.addedBetween(action.catalog);
    return between ? [{ action, lacked: between[0], seen: between[1] }] : [];
  });
  if (dated.length === 0) return undefined;
  const times = findings.map(analysedOn);
  const name = (d: (typeof dated)[number]): string => `\`${d.action.full}\` (added after ${d.lacked}, by ${d.seen})`;
  if (times.some((t) => t === undefined)) {
    return `**Newer than the bundled catalogue** (${dated.length}): ${list(dated.map(name))}. The findings carry no date, `
      + 'so whether their analysis could see these cannot be told; they stay allowed unless the findings name them.';
  }
  // The oldest analysis binds: an action it could not see is in use by its verdict.
  const analysed = new Date(Math.min(...(times as number[]))).toISOString().slice(0, 10);
  const certain = dated.filter((d) => d.lacked >= analysed);
  const possible = dated.filter((d) => d.lacked < analysed && d.seen > analysed);
  const lines: string[] = [];
  if (certain.length > 0) {
    lines.push(`**Newer than the findings** (analysed ${analysed}; ${certain.length}): ${list(certain.map(name))}. `
      + `The findings could not call ${certain.length === 1 ? 'it unused: it stays' : 'these unused: they stay'} allowed. `
      + 'Fetch the findings again to judge them.');
  }
  if (possible.length > 0) {
    lines.push(`**Perhaps newer than the findings** (analysed ${analysed}; ${possible.length}): ${list(possible.map(name))}. `
      + 'Added around the time of the analysis: whether it could see them cannot be told.');
  }
  return lines.length > 0 ? lines.join('\n\n') : undefined;
}

function list(items: readonly string[]): string {
  const more = items.length - NAMED;
  return more > 0 ? `${items.slice(0, NAMED).join(', ')}, and ${more} more` : items.join(', ');
}
