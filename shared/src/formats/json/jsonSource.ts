import { type ParseError, parseTree } from 'jsonc-parser';
import { analyzePolicies, type PolicyTextAnalysis } from '../../policy/analyzePolicyText';
import { describeParseError, type PolicyFile, readPolicyFile } from '../../policy/policyDocument';
import type { SourceNode } from '../../policy/sourceTree';
import type { Refiner } from '../../refine/refiner';
import type { Problem } from '../../text/problem';
import { isTemplate, templatePolicies } from '../cloudformation/templatePolicies';
import { findStatementPolicies } from '../statementPolicies';
import { JsonWriter } from './jsonWriter';

/**
 * Reads the policies of a JSON or JSONC text: the identity policies of a CloudFormation template,
 * or, in any other JSON, every object that is a policy.
 */
export function parsePolicyFile(text: string): PolicyFile {
  // A byte-order mark is not JSON; a space keeps every offset where the editor has it.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const errors: ParseError[] = [];
  let root: SourceNode | undefined;
  try {
    root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
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

/** Analyses a JSON/JSONC text whose policies all share one set of findings. */
export function analyzePolicyText(text: string, refiner: Refiner): PolicyTextAnalysis {
  return analyzePolicies(text, parsePolicyFile, () => refiner);
}
