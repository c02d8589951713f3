import { type PolicyFile, readPolicyFile } from '../../policy/policyDocument';
import { isTemplate, templatePolicies } from '../cloudformation/templatePolicies';
import { findStatementPolicies } from '../statementPolicies';
import { parseYamlSource } from './yamlTree';
import { YamlWriter } from './yamlWriter';

/**
 * Reads the policies of a YAML text: the identity policies of a CloudFormation or SAM template, or,
 * in any other YAML, every mapping that is a policy.
 */
export function parseYamlPolicyFile(text: string): PolicyFile {
  const { roots, syntaxErrors } = parseYamlSource(text);
  const writer = new YamlWriter(text);
  const policies = roots.flatMap((root) => (isTemplate(root) ? templatePolicies(root, text, writer) : findStatementPolicies(root, writer)));
  return readPolicyFile({ format: 'yaml', text, policies, syntaxErrors });
}
