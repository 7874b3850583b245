import { demoLines } from '../../demo/la-155-18.ts';
import type { Services } from '../../services/context.ts';
import { SYSTEM } from '../../services/context.ts';
import { formatRejected, importRecords, linesOf, type ImportSummary } from '../../services/import.service.ts';
import { VigilError } from '../../domain/errors.ts';

/** Loads the LA-155/18 case (idempotent: records carry external ids, so a second load adds nothing). */
export async function loadDemo(svc: Services): Promise<ImportSummary> {
  const problems: string[] = [];
  const summary = await importRecords(svc, SYSTEM, linesOf(demoLines()), {
    onReject: (r) => problems.push(formatRejected(r)),
  });
  if (problems.length > 0) throw new VigilError('validation.invalid', `the demo data does not load: ${problems[0]}`);
  return summary;
}
