import { UnusedAccess } from '../../shared/src/findings/unusedAccess';
import { analyzePolicyText } from '../../shared/src/formats/json/jsonSource';
import { Refiner } from '../../shared/src/refine/refiner';
import { applyEdits } from '../../shared/src/text/textEdit';
import { testCatalog } from './catalog';

/** `{ s3: ['GetObject'], sqs: '*' }`: listed actions unused; `'*'` for a whole unused service. */
export type UnusedSpec = Record<string, string[] | '*'>;

export function unusedFrom(spec: UnusedSpec): UnusedAccess {
  return UnusedAccess.fromPrincipal({
    services: Object.entries(spec).map(([service, actions]) => ({
      service,
      whole: actions === '*',
      actions: actions === '*' ? [] : actions.map((name) => ({ name })),
    })),
  });
}

export function refinerFor(spec: UnusedSpec): Refiner {
  return new Refiner(testCatalog(), unusedFrom(spec));
}

/** The text after applying every refinement, as `iam-refine --write` would leave it. */
export function refineText(text: string, spec: UnusedSpec): string {
  return applyEdits(text, analyzePolicyText(text, refinerFor(spec)).edits);
}
