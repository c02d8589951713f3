import type { Catalog } from '../../../shared/src/catalog/catalog';
import type { FindingsSelection, FindingsSource } from '../../../shared/src/findings/selection';
import { Refiner } from '../../../shared/src/refine/refiner';

/**
 * One refiner per selection of findings, so that its tries and memos serve every policy those
 * findings cover. Whoever changes a findings file clears it.
 */
export class RefinerCache {
  private readonly refiners = new Map<string, Refiner>();

  constructor(private readonly catalog: Catalog) {}

  get(selection: FindingsSelection<FindingsSource>): Refiner {
    let refiner = this.refiners.get(selection.key);
    if (!refiner) {
      refiner = new Refiner(this.catalog, selection.access());
      this.refiners.set(selection.key, refiner);
    }
    return refiner;
  }

  clear(): void {
    this.refiners.clear();
  }
}
