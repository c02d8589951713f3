import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

/**
 * The Terraform grammar, loaded on first use and then kept: WebAssembly compiles once per process
 * (about 30 ms). A failure is kept too, so that every later caller gets the same clear error
 * instead of retrying a load that cannot work.
 */
let loading: Promise<Parser> | undefined;
let loaded: Parser | undefined;

export function loadTerraformParser(): Promise<Parser> {
  loading ??= load().then(
    (parser) => {
      loaded = parser;
      return parser;
    },
    (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`The Terraform grammar could not be loaded: ${reason}`);
    },
  );
  return loading;
}

/** The parser once `loadTerraformParser` has resolved; undefined before, and after a failure. */
export function loadedTerraformParser(): Parser | undefined {
  return loaded;
}

async function load(): Promise<Parser> {
  const runtime = wasmFile('web-tree-sitter.wasm', () => join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm'));
  const grammar = wasmFile('tree-sitter-terraform.wasm', () =>
    join(dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')), 'tree-sitter-terraform.wasm'));
  await Parser.init({ locateFile: () => runtime });
  const language = await Language.load(grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/**
 * A WebAssembly file: beside the running bundle (the build copies both into `dist/`), else in its
 * package (when running from compiled sources, as the tests do).
 */
function wasmFile(name: string, fromPackage: () => string): string {
  const beside = join(__dirname, name);
  if (existsSync(beside)) return beside;
  let path: string;
  try {
    path = fromPackage();
  } catch {
    throw new Error(`${name} is neither beside ${__dirname} nor in node_modules.`);
  }
  if (!existsSync(path)) throw new Error(`${name} is neither beside ${__dirname} nor at ${path}.`);
  return path;
}
