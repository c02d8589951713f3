import { runCli } from './cli/main';

// `iam-refine`: the bundle lives in dist/, beside the catalogue it loads.
void runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  distDir: __dirname,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((status) => {
  process.exitCode = status;
});
