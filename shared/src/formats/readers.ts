import type { PolicyReader } from '../policy/analyzePolicyText';
import type { SourceFormat } from '../policy/policySource';
import { parsePolicyFile } from './json/jsonSource';
import { parseYamlPolicyFile } from './yaml/yamlSource';

/** What a format's reader needs from its host: Terraform's grammar is WebAssembly only the host loads. */
export interface ReaderHost {
  /** The Terraform reader for the file at hand; undefined while the grammar loads. */
  readonly terraform: PolicyReader | undefined;
}

/**
 * How to read a text of each format (registry.ts says which files are of which format); undefined
 * while a reader is not available yet. A new `SourceFormat` without a reader does not compile.
 */
export const READERS: { readonly [F in SourceFormat]: (host: ReaderHost) => PolicyReader | undefined } = {
  json: () => parsePolicyFile,
  yaml: () => parseYamlPolicyFile,
  terraform: (host) => host.terraform,
};
