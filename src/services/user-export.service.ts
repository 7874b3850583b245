import type { ImportType } from '../domain/entities/import-line.ts';
import { runWrite } from '../store/audited-writer.ts';
import { hiddenIds } from '../store/repositories/need-to-know.repository.ts';
import { limitedViewer } from './policy.ts';
import type { Actor, Services } from './context.ts';
import { exportRecords, type ExportFilter } from './export.service.ts';
import { writeContext } from './record-write.ts';

type Line = { type: ImportType } & Record<string, unknown>;

/**
 * The export a signed-in user may take: the same lines as `vigil export` but without identities
 * (not even sealed ones: ciphertext never leaves over the API, whoever asks), less the confidential and restricted allegations the user is not assigned to, and
 * the proceedings (with their sub-proceedings) and evidence items of those allegations. Admins are
 * no exception, as on every read (src/domain/policy.ts). The export itself is an audit
 * entry (`export`, with the filter as its reason), written before the first line.
 */
export async function exportRecordsFor(
  svc: Services,
  actor: Actor,
  asked: ExportFilter,
  format: string,
): Promise<AsyncGenerator<Line>> {
  const filter: ExportFilter = { ...asked, sealedIdentities: false };
  const reason = [
    `format=${format}`,
    filter.types ? `type=${filter.types.join(',')}` : '',
    filter.facilityId ? `facility=${filter.facilityId}` : '',
    filter.since ? `since=${filter.since}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  await runWrite(svc.store, writeContext(svc, actor, reason), async (w) =>
    w.note('export', 'database', filter.facilityId ?? '*'),
  );
  const viewer = limitedViewer(actor);
  if (viewer === undefined) return exportRecords(svc, actor, filter);
  // The rows are chosen by need-to-know in SQL (export.service.ts); a visible allegation that
  // repeats a hidden one must not name it, and its id is looked up only for those lines.
  return withoutHiddenDuplicates(svc, viewer, exportRecords(svc, actor, filter));
}

async function* withoutHiddenDuplicates(
  svc: Services,
  viewer: string,
  lines: AsyncGenerator<Line>,
): AsyncGenerator<Line> {
  for await (const line of lines) {
    if (
      line.type === 'allegation' &&
      typeof line.duplicateOf === 'string' &&
      (await hiddenIds(svc.store.db, 'allegation', [line.duplicateOf], viewer)).size > 0
    ) {
      const { duplicateOf: _hidden, ...shown } = line;
      yield shown as Line;
      continue;
    }
    yield line;
  }
}
