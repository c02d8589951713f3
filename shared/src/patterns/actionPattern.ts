import { Glob } from './glob';

/** An entry of an `Action` or `NotAction` list, checked and ready to match. */
export interface ActionPattern {
  /** As written. */
  readonly text: string;
  /** The service part, lower-case; `*` for the bare global wildcard. */
  readonly service: string;
  /** The action part as written; `*` for the bare global wildcard. */
  readonly name: string;
  /** Matches `service:name` strings, case-insensitively. */
  readonly glob: Glob;
  /** True when the service part has no wildcard: the pattern touches one service only. */
  readonly singleService: boolean;
}

export type ParsedPattern = { ok: true; pattern: ActionPattern } | { ok: false; message: string };

const SERVICE = /^[a-z0-9*?-]+$/i;
const NAME = /^[A-Za-z0-9*?_-]+$/;

const parsed = new Map<string, ParsedPattern>();

/**
 * Checks an action string against IAM's grammar; a malformed one is reported, never guessed at.
 * Results are shared by text: a document is parsed again on every keystroke, with the same actions.
 */
export function parseActionPattern(text: string): ParsedPattern {
  let result = parsed.get(text);
  if (!result) {
    // A bound on what a long editing session can accumulate.
    if (parsed.size >= 20000) parsed.clear();
    result = checkActionPattern(text);
    parsed.set(text, result);
  }
  return result;
}

function checkActionPattern(text: string): ParsedPattern {
  if (text === '*') {
    return { ok: true, pattern: { text, service: '*', name: '*', glob: new Glob('*'), singleService: false } };
  }
  const fail = (message: string): ParsedPattern => ({ ok: false, message });
  if (text.length === 0) return fail('Empty action: expected "service:action".');
  if (/\s/.test(text)) return fail(`Action "${text}" contains white space.`);
  const colon = text.indexOf(':');
  if (colon < 0) return fail(`Action "${text}" has no service prefix: expected "service:action".`);
  if (text.indexOf(':', colon + 1) >= 0) return fail(`Action "${text}" has more than one colon.`);
  const service = text.slice(0, colon);
  const name = text.slice(colon + 1);
  if (service.length === 0) return fail(`Action "${text}" has an empty service prefix.`);
  if (name.length === 0) return fail(`Action "${text}" has an empty action name.`);
  if (!SERVICE.test(service)) return fail(`Action "${text}" has an invalid service prefix "${service}".`);
  if (!NAME.test(name)) return fail(`Action "${text}" has an invalid character in "${name}".`);
  return {
    ok: true,
    pattern: {
      text,
      service: service.toLowerCase(),
      name,
      glob: new Glob(text),
      singleService: !/[*?]/.test(service),
    },
  };
}
