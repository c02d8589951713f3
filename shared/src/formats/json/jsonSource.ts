import { type ParseError, type ParseOptions, parseTree } from 'jsonc-parser';
import { analyzePolicies, type PolicyTextAnalysis } from '../../policy/analyzePolicyText';
import { describeParseError, type PolicyFile, readPolicyFile } from '../../policy/policyDocument';
import type { SourceNode } from '../../policy/sourceTree';
import type { Refiner } from '../../refine/refiner';
import type { Problem } from '../../text/problem';
import { isTemplate, templatePolicies } from '../cloudformation/templatePolicies';
import { findStatementPolicies } from '../statementPolicies';
import { editedTree } from './editedTree';
import { JsonWriter } from './jsonWriter';

const PARSE_OPTIONS: ParseOptions = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

/**
 * Reads the policies of a JSON or JSONC text: the identity policies of a CloudFormation template,
 * or, in any other JSON, every object that is a policy. `previous`, the reading of the text this one
 * was edited from, makes it quicker and changes nothing in what it reads.
 */
export function parsePolicyFile(text: string, previous?: PolicyFile): PolicyFile {
  const source = withoutByteOrderMark(text);
  const errors: ParseError[] = [];
  let root: SourceNode | undefined;
  try {
    // An edit of a text that parsed: only what holds the edit is parsed again.
    const earlier = previous?.format === 'json' && previous.root && previous.syntaxErrors.length === 0 ? previous : undefined;
    root = earlier && editedTree({ text: withoutByteOrderMark(earlier.text), root: earlier.root! }, source, PARSE_OPTIONS);
    root ??= parseTree(source, errors, PARSE_OPTIONS);
  } catch {
    // The parser recurses per nesting level: hostile nesting ends here instead of in the caller.
    const problem = {
      severity: 'error', code: 'json-syntax', message: 'The JSON is nested too deeply to analyse.', span: { offset: 0, length: 0 },
    } as const;
    return readPolicyFile({ format: 'json', text, policies: [], syntaxErrors: [problem] });
  }
  const syntaxErrors: Problem[] = errors.map((e) => ({
    severity: 'error',
    code: 'json-syntax',
    message: describeParseError(e),
    span: { offset: e.offset, length: e.length },
  }));
  const writer = new JsonWriter(text);
  const policies = !root ? [] : isTemplate(root) ? templatePolicies(root, text, writer) : findStatementPolicies(root, writer);
  return readPolicyFile({ format: 'json', text, policies, syntaxErrors }, root);
}

/** A byte-order mark is not JSON; a space keeps every offset where the editor has it. */
function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
}

/** Analyses a JSON/JSONC text whose policies all share one set of findings. */
export function analyzePolicyText(text: string, refiner: Refiner): PolicyTextAnalysis {
  return analyzePolicies(text, parsePolicyFile, () => refiner);
}
