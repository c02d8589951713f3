import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFindings } from '../../shared/src/findings/parseFindings';
import { type FindingsSource, selectFindings } from '../../shared/src/findings/selection';
import { UnusedAccess } from '../../shared/src/findings/unusedAccess';
import { parsePolicyFile } from '../../shared/src/formats/json/jsonSource';
import { parseYamlPolicyFile } from '../../shared/src/formats/yaml/yamlSource';
import { analyzePolicies, type PolicyReader, type PolicyTextAnalysis } from '../../shared/src/policy/analyzePolicyText';
import { fullRefinementScope, verifyRefinement } from '../../shared/src/policy/verifyRefinement';
import { Refiner } from '../../shared/src/refine/refiner';
import { applyEdits } from '../../shared/src/text/textEdit';
import { TerraformSources } from '../../server/src/workspace/terraformSources';
import { repoRoot, testCatalog } from './catalog';

/** The fixture repository of templates: a SAM app, a CloudFormation stack in JSON and YAML, a Terraform module. */
export const templatesRoot = join(repoRoot(), 'test', 'fixtures', 'workspaces', 'templates');

/** Every findings file under `root` (named `*unused-access.json`), read as the server reads them. */
export function findingsUnder(root: string): FindingsSource[] {
  const out: FindingsSource[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('unused-access.json')) {
        const document = parseFindings(readFileSync(path, 'utf8'));
        const principalAccess = document.principals.map((p) => UnusedAccess.fromPrincipal(p, path));
        out.push({ path, document, access: UnusedAccess.intersect(principalAccess), principalAccess });
      }
    }
  };
  walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

const terraform = new TerraformSources(() => undefined);

/** A reader for a file by its name; Terraform needs `await terraformLoaded()` first. */
export function readerFor(path: string): PolicyReader {
  if (path.endsWith('.tf')) return terraform.reader(path)!;
  return /\.ya?ml$/.test(path) ? parseYamlPolicyFile : parsePolicyFile;
}

export async function terraformLoaded(): Promise<void> {
  await terraform.load();
}

/** Analyses a file of the repository at `root` against its findings, each policy against its own principals'. */
export function analyzeFile(path: string, text = readFileSync(path, 'utf8'), root = templatesRoot): PolicyTextAnalysis {
  const sources = findingsUnder(root);
  return analyzePolicies(text, readerFor(path), (policy) => new Refiner(testCatalog(), selectFindings(sources, path, policy.source.context).access()));
}

/** The refined text of a file, after checking it the way the server and the CLI do. */
export function refineFile(path: string, text = readFileSync(path, 'utf8'), root = templatesRoot): string {
  const analysis = analyzeFile(path, text, root);
  const refined = applyEdits(text, analysis.edits);
  const problems = verifyRefinement(analysis, refined, fullRefinementScope(analysis.refinements));
  if (problems.length > 0) throw new Error(`${path}: the refinement does not re-check: ${problems.join('; ')}`);
  return refined;
}

export function fixturePath(relative: string): string {
  return join(templatesRoot, relative);
}

