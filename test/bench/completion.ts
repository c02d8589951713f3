import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CompletionList, CompletionRequest } from 'vscode-languageserver-protocol';
import type { Catalog } from '../../shared/src/catalog/catalog';
import { LspTestClient } from '../support/lspClient';
import { heavyWorkspace, type Measurement } from './server';

// Completion in the 300-statement bench policy: the request as the editor sends it after a
// keystroke (a new version the server has not analysed yet) and again on the same version.

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function completionMeasurements(catalog: Catalog): Promise<Measurement[]> {
  const { dir } = heavyWorkspace(catalog);
  const client = await LspTestClient.start([dir]);
  try {
    const uri = await client.open(join(dir, 'policy.json'));
    await client.diagnostics(uri, (d) => d.length > 0);
    const original = client.text(uri);
    // The middle statement's first action, cut to its service and two letters, as while typing it.
    const middle = original.indexOf('"S150"');
    const start = original.indexOf('"', original.indexOf('"Action"', middle) + 9) + 1;
    const end = original.indexOf('"', start);
    const full = original.slice(start, end);
    const typed = full.slice(0, full.indexOf(':') + 3);
    const position = (text: string): { line: number; character: number } => {
      const before = text.split('\n');
      return { line: before.length - 1, character: before.at(-1)!.length };
    };
    const complete = async (text: string): Promise<number> => {
      const begin = performance.now();
      const list = await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri }, position: position(text),
      }) as CompletionList | null;
      const elapsed = performance.now() - begin;
      if (!list || list.items.length === 0) throw new Error(`no completion for ${typed}`);
      return elapsed;
    };
    const afterKeystroke: number[] = [];
    const sameVersion: number[] = [];
    for (let i = 0; i < 40; i++) {
      // Alternately one letter more and one less: each is a version the server has not seen.
      const text = `${original.slice(0, start)}${typed.slice(0, i % 2 === 0 ? -1 : undefined)}${original.slice(end)}`;
      const shown = i % 2 === 0 ? typed.slice(0, -1) : typed;
      await client.change(uri, text);
      const sample = await complete(`${original.slice(0, start)}${shown}`);
      if (i >= 5) afterKeystroke.push(sample);
      if (i >= 5) sameVersion.push(await complete(`${original.slice(0, start)}${shown}`));
    }
    return [
      // The server validates the new version first (one turn of its event loop): this row is that validation plus the completion.
      {
        what: `Keystroke → completion (\`${typed}\`), the keystroke's own validation included, 300-statement policy`,
        median: median(afterKeystroke),
        budget: '≤ 45 ms',
      },
      { what: 'Completion on an analysed version (300-statement policy)', median: median(sameVersion), budget: '≤ 20 ms' },
    ];
  } finally {
    await client.stop();
  }
}
