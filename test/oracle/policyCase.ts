/**
 * Plain-data policy cases for the property tests, the policy text built from them, and the
 * fast-check generators that make them. Generated values are plain objects (statements, principals,
 * a format) so that fast-check's counterexamples read like a policy and a findings file.
 */
import fc from 'fast-check';
import type { PrincipalSpec, ServiceSpec, Universe } from './expand';

export interface StatementSpec {
  effect: 'Allow' | 'Deny';
  key: 'Action' | 'NotAction';
  patterns: string[];
  /** Written as a string, not an array, when there is a single pattern. */
  asString: boolean;
  sid: boolean;
}

export interface FormatSpec {
  /** pretty*: one entry a line; inline: pretty statements with one-line lists; oneline: one line. */
  layout: 'pretty2' | 'pretty4' | 'tabs' | 'inline' | 'oneline';
  crlf: boolean;
  /** JSONC: comments (line comments where lines allow, block comments otherwise). */
  comments: boolean;
  /** JSONC: trailing commas after the last entry and the last statement. */
  trailingCommas: boolean;
  /** `"Statement": {…}` instead of an array when there is one statement. */
  singleObject: boolean;
}

export interface PolicyCase {
  statements: StatementSpec[];
  /** One principal, or several whose findings are intersected (a policy shared by roles). */
  principals: PrincipalSpec[];
  format: FormatSpec;
  /** Seeds the random probes of the containment oracle. */
  seed: number;
}

/** Unique per statement, so that statements can be found again after the edit. */
export function resourceOf(index: number): string {
  return `arn:aws:s3:::bucket-${index}/*`;
}

/** Whether the text is JSONC rather than plain JSON. */
export function isJsonc(format: FormatSpec): boolean {
  return format.comments || format.trailingCommas;
}

/** The policy text of a case, in the case's format. */
export function buildPolicyText(c: PolicyCase): string {
  const f = c.format;
  const eol = f.crlf ? '\r\n' : '\n';
  const q = (s: string): string => JSON.stringify(s);
  const tc = f.trailingCommas ? ',' : '';
  const single = f.singleObject && c.statements.length === 1;

  if (f.layout === 'oneline') {
    const stmts = c.statements.map((s, i) => {
      const list = s.asString && s.patterns.length === 1
        ? q(s.patterns[0]!)
        : `[${s.patterns.map((p, j) => q(p) + (f.comments && j % 2 === 0 ? ` /* n${i}.${j} */` : '')).join(', ')}${tc}]`;
      const sid = s.sid ? `"Sid": ${q(`S${i}`)}, ` : '';
      return `{${sid}"Effect": ${q(s.effect)}, ${q(s.key)}: ${list}, "Resource": ${q(resourceOf(i))}}`;
    });
    const statement = single ? stmts[0]! : `[${stmts.join(', ')}${tc}]`;
    return `${f.comments ? '/* policy */ ' : ''}{"Version": "2012-10-17", "Statement": ${statement}}${eol}`;
  }

  const unit = indentUnit(f);
  const lines: string[] = [];
  if (f.comments) lines.push('// A generated policy');
  lines.push('{');
  lines.push(`${unit}"Version": "2012-10-17",${f.comments ? ' // the policy language version' : ''}`);
  const base = single ? unit : unit + unit;
  lines.push(`${unit}"Statement": ${single ? '' : `[${eol}${base}`}{`);
  c.statements.forEach((s, i) => {
    const ind = base + unit;
    if (i > 0) lines.push(`${base}{`);
    if (s.sid) lines.push(`${ind}"Sid": ${q(`S${i}`)},`);
    lines.push(`${ind}"Effect": ${q(s.effect)},`);
    if (s.asString && s.patterns.length === 1) {
      lines.push(`${ind}${q(s.key)}: ${q(s.patterns[0]!)},${f.comments ? ' // a single pattern' : ''}`);
    } else if (f.layout === 'inline') {
      const items = s.patterns.map((p, j) => q(p) + (f.comments && j % 2 === 1 ? ' /* note */' : ''));
      lines.push(`${ind}${q(s.key)}: [${items.join(', ')}${tc}],`);
    } else {
      lines.push(`${ind}${q(s.key)}: [`);
      if (f.comments && i % 2 === 0) lines.push(`${ind}${unit}/* entries of statement ${i} */`);
      s.patterns.forEach((p, j) => {
        const last = j === s.patterns.length - 1;
        const comma = last ? tc : ',';
        lines.push(`${ind}${unit}${q(p)}${comma}${f.comments && j % 2 === 0 ? ` // note ${i}.${j}` : ''}`);
      });
      lines.push(`${ind}],`);
    }
    lines.push(`${ind}"Resource": ${q(resourceOf(i))}`);
    const lastStatement = i === c.statements.length - 1;
    lines.push(`${base}}${lastStatement ? (single ? '' : tc) : ','}`);
  });
  if (!single) lines.push(`${unit}]`);
  lines.push('}');
  return lines.join(eol) + eol;
}

/** One level of indentation in a pretty layout. */
export function indentUnit(f: FormatSpec): string {
  return f.layout === 'pretty4' ? '    ' : f.layout === 'tabs' ? '\t' : '  ';
}

// ---------------------------------------------------------------------------------------------
// Generators.

/** Services with many actions and typical policies, drawn most often. */
/** Plain objects in counterexamples, without `__proto__: null`. */
const NO_NULL_PROTO = { noNullPrototype: true };

export const FOCUS_SERVICES = ['s3', 'ec2', 'iam', 'lambda', 'dynamodb', 'sqs', 'kms'];

export interface PatternOptions {
  /** Weight of the bare global `*`. */
  global: number;
  /** Weight of wildcards in the service part (`s*:Get*`). */
  wildService: number;
}

export const DEFAULT_PATTERNS: PatternOptions = { global: 0, wildService: 1 };

function weighted<T>(...items: [T, number][]): fc.Arbitrary<T> {
  return fc.oneof(...items.filter(([, w]) => w > 0).map(([v, weight]) => ({ arbitrary: fc.constant(v), weight })));
}

/** Random upper/lower case, as IAM ignores case: mostly as written. */
function recase(text: string, mode: 'as-is' | 'lower' | 'upper' | 'mixed', seed: number): string {
  if (mode === 'lower') return text.toLowerCase();
  if (mode === 'upper') return text.toUpperCase();
  if (mode === 'as-is') return text;
  let s = seed >>> 0;
  return [...text].map((c) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 16) & 1 ? c.toUpperCase() : c.toLowerCase();
  }).join('');
}

/**
 * A service the catalogue does not know (yet): its actions exist only where the findings name them.
 * The generators know its names; the oracle's universe and the engine only learn the ones listed.
 */
export const NEW_SERVICE = 'newsvc';
export const NEW_SERVICE_ACTIONS = [
  'GetWidget',
  'GetWidgets',
  'GetWidgetPolicy',
  'PutWidget',
  'PutWidgetPolicy',
  'ListWidgets',
  'DeleteWidget',
];

/** The universe the generators draw names from: the catalogue's plus the new service's. */
export function generatorUniverse(universe: Universe): Universe {
  return universe.withActions(NEW_SERVICE_ACTIONS.map((name) => ({ service: NEW_SERVICE, name })));
}

export function serviceArb(universe: Universe): fc.Arbitrary<string> {
  const others = universe.services().filter((s) => universe.actionsOf(s).length > 0 && s !== NEW_SERVICE).sort();
  const arbs = [
    { arbitrary: fc.constantFrom(...FOCUS_SERVICES), weight: 12 },
    { arbitrary: fc.constantFrom(...others), weight: 3 },
  ];
  if (universe.actionsOf(NEW_SERVICE).length > 0) arbs.push({ arbitrary: fc.constant(NEW_SERVICE), weight: 1 });
  return fc.oneof(...arbs);
}

/** One action pattern of a service, of any of the shapes policies use. */
export function patternArb(universe: Universe, service: string, options: PatternOptions = DEFAULT_PATTERNS): fc.Arbitrary<string> {
  const names = universe.actionsOf(service).map((a) => a.name);
  const name = fc.constantFrom(...names);
  const s = service;
  const shapes: { arbitrary: fc.Arbitrary<string>; weight: number }[] = [
    // Exact action.
    { arbitrary: name.map((n) => `${s}:${n}`), weight: 4 },
    // Trailing star, cut anywhere (not only at word boundaries): s3:GetObj*.
    { arbitrary: fc.tuple(name, fc.nat()).map(([n, k]) => `${s}:${n.slice(0, k % (n.length + 1))}*`), weight: 5 },
    // Infix: s3:*Object*.
    {
      arbitrary: fc.tuple(name, fc.nat(), fc.nat()).map(([n, a, b]) => {
        const i = a % n.length;
        const len = 1 + (b % Math.min(8, n.length - i));
        return `${s}:*${n.slice(i, i + len)}*`;
      }),
      weight: 2,
    },
    // A star in the middle: s3:Get*Policy.
    {
      arbitrary: fc.tuple(name, fc.nat(), fc.nat()).map(([n, a, b]) => {
        const i = a % (n.length + 1);
        const j = i + (b % (n.length - i + 1));
        return `${s}:${n.slice(0, i)}*${n.slice(j)}`;
      }),
      weight: 2,
    },
    // Question marks in place of characters, sometimes cut short by a star.
    {
      arbitrary: fc.tuple(name, fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 3 }), fc.option(fc.nat(), { nil: undefined }))
        .map(([n, positions, cut]) => {
          const chars = [...n];
          for (const p of positions) chars[p % chars.length] = '?';
          const body = chars.join('');
          return cut === undefined ? `${s}:${body}` : `${s}:${body.slice(0, 1 + (cut % body.length))}*`;
        }),
      weight: 2,
    },
    // Several stars, each in place of a few characters or none: s3:G*t*Obj*ct.
    {
      arbitrary: fc.tuple(name, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 2, maxLength: 3 })).map(([n, cuts]) => {
        let body = n;
        for (const [at, drop] of cuts) {
          const i = at % (body.length + 1);
          body = `${body.slice(0, i)}*${body.slice(Math.min(body.length, i + (drop % 4)))}`;
        }
        return `${s}:${body.replace(/\*+/g, '*')}`;
      }),
      weight: 2,
    },
    // The whole service.
    { arbitrary: fc.constant(`${s}:*`), weight: 1 },
  ];
  if (options.wildService > 0) {
    // Wildcards in the service part: s*:Get*, s?:GetObject.
    shapes.push({
      arbitrary: fc.tuple(name, fc.nat(), fc.nat(), fc.boolean()).map(([n, a, k, question]) => {
        const servicePart = question
          ? `${s.slice(0, a % s.length)}?${s.slice((a % s.length) + 1)}`
          : `${s.slice(0, 1 + (a % s.length))}*`;
        const cut = k % (n.length + 1);
        return `${servicePart}:${n.slice(0, cut)}${cut < n.length || k % 2 === 0 ? '*' : ''}`;
      }),
      weight: options.wildService,
    });
  }
  if (options.global > 0) shapes.push({ arbitrary: fc.constant('*'), weight: options.global });
  const caseMode = weighted<'as-is' | 'lower' | 'upper' | 'mixed'>(['as-is', 8], ['lower', 1], ['upper', 1], ['mixed', 1]);
  return fc.tuple(fc.oneof(...shapes), caseMode, fc.nat()).map(([p, mode, seed]) => recase(p, mode, seed));
}

export const formatArb: fc.Arbitrary<FormatSpec> = fc.record({
  layout: weighted<FormatSpec['layout']>(['pretty2', 3], ['pretty4', 2], ['tabs', 1], ['inline', 1], ['oneline', 2]),
  crlf: weighted([false, 3], [true, 1]),
  comments: weighted([false, 2], [true, 1]),
  trailingCommas: weighted([false, 4], [true, 1]),
  singleObject: weighted([false, 3], [true, 1]),
}, NO_NULL_PROTO);

export interface StatementOptions {
  patterns: PatternOptions;
  /** Weight of NotAction statements (Allow or Deny); Action statements have weight 4. */
  notAction: number;
  /** Weight of Deny statements; Allow statements have weight 4. */
  deny: number;
  maxStatements: number;
  maxPatterns: number;
}

export function statementArb(universe: Universe, services: readonly string[], o: StatementOptions): fc.Arbitrary<StatementSpec> {
  const pattern = fc.constantFrom(...services).chain((s) => patternArb(universe, s, o.patterns));
  return fc.record({
    effect: weighted<'Allow' | 'Deny'>(['Allow', 4], ['Deny', o.deny]),
    key: weighted<'Action' | 'NotAction'>(['Action', 4], ['NotAction', o.notAction]),
    patterns: fc.tuple(
      fc.array(pattern, { minLength: 1, maxLength: o.maxPatterns }),
      fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: fc.nat(), weight: 1 }),
    ).map(([patterns, dupe]) => {
      // Now and then a statement lists a pattern twice, in another case: replacements must not repeat it.
      if (dupe === undefined) return patterns;
      const copy = patterns[dupe % patterns.length]!;
      const out = [...patterns];
      out.splice(dupe % (patterns.length + 1), 0, dupe % 2 === 0 ? copy.toLowerCase() : copy);
      return out;
    }),
    asString: weighted([false, 2], [true, 1]),
    sid: fc.boolean(),
  }, NO_NULL_PROTO);
}

const UNKNOWN_SUFFIXES = ['NewThing42', 'V2', 'Zzz', 'X', 's', '2', 'Beta', ''];

/**
 * An action name newer than the catalogue: a real name, or a prefix of one, plus a suffix. A bare
 * prefix (`GetObjec`) ends inside a word: a trie node that is not on a word boundary.
 */
function unknownNameArb(names: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...names), fc.nat(), fc.constantFrom(...UNKNOWN_SUFFIXES))
    .map(([n, k, suffix]) => `${n.slice(0, 1 + (k % n.length))}${suffix}`);
}

/** What the findings of one principal say about one service, drawn from candidate names. */
function serviceSpecArb(service: string, candidates: readonly string[], wholeWeight: number): fc.Arbitrary<ServiceSpec> {
  const sorted = [...candidates].sort();
  const pick = fc.constantFrom(...sorted);
  const sparse = fc.uniqueArray(pick, { maxLength: 6 });
  // Most of the actions under one prefix: where the trie collapses.
  const dense = fc.tuple(pick, fc.nat()).chain(([c, k]) => {
    const prefix = c.slice(0, k % (c.length + 1)).toLowerCase();
    return fc.subarray(sorted.filter((n) => n.toLowerCase().startsWith(prefix)));
  });
  const names = fc.oneof(
    { arbitrary: sparse, weight: 5 },
    { arbitrary: dense, weight: 3 },
    { arbitrary: fc.constant(sorted), weight: 1 },
  );
  // Findings may spell a known action in another case.
  const lowered = fc.array(pick.map((n) => n.toLowerCase()), { maxLength: 1 });
  return fc.record({
    whole: weighted([false, 12], [true, wholeWeight]),
    names,
    unknown: fc.array(unknownNameArb(sorted), { maxLength: 2 }),
    lowered: fc.oneof({ arbitrary: fc.constant<string[]>([]), weight: 6 }, { arbitrary: lowered, weight: 1 }),
  }, NO_NULL_PROTO).map(({ whole, names: picked, unknown, lowered: low }) => ({
    service,
    whole,
    actions: dedupe(whole && picked.length === sorted.length ? [] : [...picked, ...unknown, ...low]),
  }));
}

function dedupe(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => (seen.has(n) ? false : (seen.add(n), true)));
}

export interface PrincipalOptions {
  /** Weights of one, two and three principals (intersected). */
  principals: [number, number, number];
  /** Weight of whole-service entries against 12 for lists. */
  whole: number;
}

/**
 * Principals whose findings touch the candidate services. The first is drawn from the candidates;
 * the others mostly share its names (else the intersection is nearly empty) and add their own.
 */
export function principalsArb(
  universe: Universe,
  candidates: ReadonlyMap<string, readonly string[]>,
  o: PrincipalOptions,
): fc.Arbitrary<PrincipalSpec[]> {
  const services = [...candidates.keys()].filter((s) => (candidates.get(s)?.length ?? 0) > 0).sort();
  const unrelated = serviceArb(universe).filter((s) => !candidates.has(s))
    .chain((s) => serviceSpecArb(s, universe.actionsOf(s).map((a) => a.name), o.whole));
  const first = fc.tuple(
    services.length > 0 ? fc.subarray(services, { minLength: 1 }) : fc.constant([] as string[]),
    fc.array(unrelated, { maxLength: 1 }),
  ).chain(([chosen, extra]) => fc.tuple(...chosen.map((s) => serviceSpecArb(s, candidates.get(s)!, o.whole)))
    .map((specs) => ({ services: [...specs, ...extra] })));
  const count = weighted<number>([1, o.principals[0]], [2, o.principals[1]], [3, o.principals[2]]);
  return fc.tuple(first, count).chain(([p1, n]) => {
    if (n === 1) return fc.constant([p1]);
    const other = fc.tuple(...p1.services.map((spec) => fc.record({
      keep: weighted([true, 4], [false, 1]),
      shared: fc.subarray(spec.actions),
      own: candidates.has(spec.service) ? serviceSpecArb(spec.service, candidates.get(spec.service)!, o.whole) : fc.constant(spec),
      whole: weighted([false, 3], [true, 1]),
    }, NO_NULL_PROTO).map(({ keep, shared, own, whole }) => (keep
      ? { service: spec.service, whole: whole || (spec.whole && own.whole), actions: dedupe([...shared, ...own.actions]) }
      : undefined))))
      .map((entries) => ({ services: entries.filter((e): e is ServiceSpec => e !== undefined) }));
    return fc.array(other, { minLength: n - 1, maxLength: n - 1 }).map((rest) => [p1, ...rest]);
  });
}

/** Candidate unused names per service: what the statements' patterns reach in the chosen services. */
export function candidatesOf(universe: Universe, services: readonly string[], statements: readonly StatementSpec[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  const chosen = new Set(services);
  const add = (lower: string): void => {
    const a = universe.get(lower)!;
    // Wildcard services reach far; unused names come from the scenario's own services only.
    if (!chosen.has(a.service)) return;
    const set = out.get(a.service) ?? new Set<string>();
    set.add(a.name);
    out.set(a.service, set);
  };
  for (const s of statements) {
    if (s.key === 'NotAction') {
      for (const service of services) for (const a of universe.actionsOf(service)) add(a.lower);
    } else {
      for (const p of s.patterns) {
        if (p === '*') {
          for (const service of services) for (const a of universe.actionsOf(service)) add(a.lower);
        } else {
          for (const lower of universe.matches(p)) add(lower);
        }
      }
    }
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

export interface CaseOptions {
  statements: StatementOptions;
  principals: PrincipalOptions;
  maxServices: number;
}

export function policyCaseArb(catalogUniverse: Universe, o: CaseOptions): fc.Arbitrary<PolicyCase> {
  const universe = generatorUniverse(catalogUniverse);
  return fc.uniqueArray(serviceArb(universe), { minLength: 1, maxLength: o.maxServices })
    .chain((services) => fc.record({
      services: fc.constant(services),
      statements: fc.array(statementArb(universe, services, o.statements), { minLength: 1, maxLength: o.statements.maxStatements }),
      format: formatArb,
      seed: fc.nat(),
    }, NO_NULL_PROTO))
    .chain(({ services, statements, format, seed }) => principalsArb(universe, candidatesOf(universe, services, statements), o.principals)
      .map((principals) => ({ statements, principals, format, seed })));
}

/**
 * The number of runs of a property, scaled by the PROPERTY_RUNS_SCALE environment variable (for a
 * long bug hunt: PROPERTY_RUNS_SCALE=20).
 */
export function runs(n: number): number {
  const scale = Number(process.env.PROPERTY_RUNS_SCALE ?? '1');
  return Math.max(1, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** One pattern of one or two services, with principals whose findings touch what it reaches: a case of one Action entry. */
export function onePatternCaseArb(
  universe: Universe, options: PatternOptions = DEFAULT_PATTERNS,
): fc.Arbitrary<{ pattern: string; principals: PrincipalSpec[]; seed: number }> {
  return fc.uniqueArray(serviceArb(universe), { minLength: 1, maxLength: 2 })
    .chain((services) => fc.constantFrom(...services).chain((s) => patternArb(universe, s, options))
      .chain((pattern) => principalsArb(universe, candidatesOf(universe, services, [
        { effect: 'Allow', key: 'Action', patterns: [pattern], asString: false, sid: false },
      ]), { principals: [3, 1, 0], whole: 1 }).map((principals) => ({ pattern, principals }))))
    .chain((c) => fc.nat().map((seed) => ({ ...c, seed })));
}
