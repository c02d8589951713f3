import type { Catalog } from '../../../shared/src/catalog/catalog';
import { UnusedAccess } from '../../../shared/src/findings/unusedAccess';
import { Refiner } from '../../../shared/src/refine/refiner';
import type { LoadedFindings } from './findingsFiles';

/**
 * One refiner per set of findings files, so that its tries and memos serve every policy those
 * findings cover. Whoever changes a findings file clears it.
 */
export class RefinerCache {
  private readonly refiners = new Map<string, Refiner>();

  constructor(private readonly catalog: Catalog) {}

  get(findings: readonly LoadedFindings[]): Refiner {
    const key = findings.map((f) => f.path).join('\0');
    let refiner = this.refiners.get(key);
    if (!refiner) {
      refiner = new Refiner(this.catalog, UnusedAccess.intersect(findings.map((f) => f.access)));
      this.refiners.set(key, refiner);
    }
    return refiner;
  }

  clear(): void {
    this.refiners.clear();
  }
}
