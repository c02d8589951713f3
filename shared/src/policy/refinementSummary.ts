import type { StatementRefinement } from './refinePolicy';

/** What a set of statement refinements does, counted. */
export interface RefinementCounts {
  statements: number;
  actions: number;
  wildcards: number;
  notActions: number;
  /** Unused actions that narrowed wildcards and extended NotAction lists no longer allow. */
  excluded: number;
}

export function countRefinements(statements: Iterable<StatementRefinement>): RefinementCounts {
  const counts: RefinementCounts = { statements: 0, actions: 0, wildcards: 0, notActions: 0, excluded: 0 };
  for (const s of statements) {
    if (s.unused) {
      counts.statements++;
      continue;
    }
    if (s.notAction && s.notAction.additions.length > 0) {
      counts.notActions++;
      counts.excluded += s.notAction.unused.length;
    }
    for (const e of s.entries) {
      if (!e.replacement) continue;
      if (e.replacement.length === 0) counts.actions++;
      else {
        counts.wildcards++;
        counts.excluded += e.unused.length;
      }
    }
  }
  return counts;
}

/**
 * "8 unused actions removed, 1 wildcard narrowed (22 unused actions excluded)"; `brief`, for a tab's
 * title: "8 actions removed, 1 wildcard narrowed".
 */
export function describeCounts(c: RefinementCounts, brief = false): string {
  const unused = brief ? '' : 'unused ';
  const parts = [
    [c.statements, `${unused}statement`, 'removed'],
    [c.actions, `${unused}action`, 'removed'],
    [c.wildcards, 'wildcard', 'narrowed'],
    [c.notActions, 'NotAction list', 'extended'],
  ] as const;
  const text = parts.filter(([n]) => n > 0).map(([n, noun, verb]) => `${count(n, noun)} ${verb}`).join(', ');
  return text + (!brief && c.excluded > 0 ? ` (${count(c.excluded, 'unused action')} excluded)` : '');
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
