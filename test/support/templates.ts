import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { READERS } from '../../shared/src/formats/readers';
import { formatOfPath } from '../../shared/src/formats/registry';
import type { PolicyReader, PolicyTextAnalysis } from '../../shared/src/policy/analyzePolicyText';
import { applyEdits } from '../../shared/src/text/textEdit';
import type { PolicyDocumentState } from '../../server/src/language/documentState';
import { nodeFileSystem } from '../../server/src/service/fileSystem';
import { createPolicyService } from '../../server/src/service/policyService';
import { DEFAULT_SETTINGS } from '../../server/src/service/settings';
import { TerraformSources } from '../../server/src/workspace/terraformSources';
import { repoRoot, testCatalog } from './catalog';

/** The fixture repository of templates: a SAM app, a CloudFormation stack in JSON and YAML, a Terraform module. */
export const templatesRoot = join(repoRoot(), 'test', 'fixtures', 'workspaces', 'templates');

const terraform = new TerraformSources(nodeFileSystem, () => undefined);

/** The reader of a file's format, by its name; Terraform needs `await terraformLoaded()` first. */
export function readerFor(path: string): PolicyReader {
  const format = formatOfPath(path);
  if (!format) throw new Error(`${path}: no policy format has this file name`);
  const read = READERS[format]({ terraform: terraform.reader(path) });
  if (!read) throw new Error(`${path}: the ${format} reader is not loaded yet`);
  return read;
}

export async function terraformLoaded(): Promise<void> {
  await terraform.load();
}

/**
 * A file of the repository at `root` as the server and the CLI analyse it: through the policy
 * service, with `root` as the workspace folder, each policy against its own principals' findings.
 */
export function analyzeState(path: string, text = readFileSync(path, 'utf8'), root = templatesRoot): PolicyDocumentState {
  const service = createPolicyService({ catalog: testCatalog(), fs: nodeFileSystem });
  service.configure({ folders: [{ path: root, settings: DEFAULT_SETTINGS }] });
  const state = service.analyzeFile(path, text, formatOfPath(path) ?? 'json');
  if (!state) throw new Error(`${path}: its reader is not loaded yet`);
  const problems = service.refinementProblems(state, state.analysis.edits);
  if (problems.length > 0) throw new Error(`${path}: the refinement does not re-check: ${problems.join('; ')}`);
  return state;
}

export function analyzeFile(path: string, text?: string, root?: string): PolicyTextAnalysis {
  return analyzeState(path, text, root).analysis;
}

/** The refined text of a file, after checking it the way the server and the CLI do. */
export function refineFile(path: string, text?: string, root?: string): string {
  const state = analyzeState(path, text, root);
  return applyEdits(state.text, state.analysis.edits);
}

export function fixturePath(relative: string): string {
  return join(templatesRoot, relative);
}
