import type { ImportType } from '../domain/entities/import-line.ts';
import { runWrite } from '../store/audited-writer.ts';
import { NEED_TO_KNOW_SENSITIVITIES } from '../store/repositories/allegation-access.repository.ts';
import { needsToKnow, needToKnowViewer } from './access.service.ts';
import type { Actor, Services } from './context.ts';
import { exportRecords, type ExportFilter } from './export.service.ts';
import { writeContext } from './record-write.ts';

type Line = { type: ImportType } & Record<string, unknown>;

/**
 * The export a signed-in user may take: the same lines as `vigil export` but without identities
 * (not even sealed ones: ciphertext never leaves over the API, whoever asks), less the confidential and restricted allegations the user is not assigned to, and
 * the proceedings (with their sub-proceedings) and evidence items of those allegations. Admins are
 * no exception, as on every read (src/services/access.service.ts). The export itself is an audit
 * entry (`export`, with the filter as its reason), written before the first line.
 */
export async function exportRecordsFor(svc: Services, actor: Actor, asked: ExportFilter, format: string): Promise<AsyncGenerator<Line>> {
  const filter: ExportFilter = { ...asked, sealedIdentities: false };
  const reason = [`format=${format}`, filter.types ? `type=${filter.types.join(',')}` : '', filter.facilityId ? `facility=${filter.facilityId}` : '', filter.since ? `since=${filter.since}` : '']
    .filter(Boolean).join(' ');
  await runWrite(svc.store, writeContext(svc, actor, reason), async (w) => w.note('export', 'database', filter.facilityId ?? '*'));
  const viewer = needToKnowViewer(actor);
  if (viewer === undefined) return exportRecords(svc, filter);
  // Hidden allegations are few (need-to-know ones outside the user's teams): their ids are held,
  // never the whole list, so memory stays flat like the export itself.
  const rows = await svc.store.db
    .selectFrom('allegation')
    .select('id')
    .where('sensitivity', 'in', [...NEED_TO_KNOW_SENSITIVITIES])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('allegation_assignment').select('allegation_assignment.id')
      .whereRef('allegation_assignment.allegation_id', '=', 'allegation.id').where('allegation_assignment.user_id', '=', viewer))))
    .execute();
  const assigned = new Set((await svc.store.db.selectFrom('allegation_assignment').select('allegation_id').where('user_id', '=', viewer).execute()).map((r) => r.allegation_id));
  return withoutHidden(exportRecords(svc, filter), new Set(rows.map((r) => r.id)), assigned);
}

async function* withoutHidden(lines: AsyncGenerator<Line>, hidden: Set<string>, assigned: ReadonlySet<string>): AsyncGenerator<Line> {
  const droppedProceedings = new Set<string>();
  for await (const line of lines) {
    const id = String(line.id);
    if (line.type === 'allegation') {
      // The line's own sensitivity decides, so one marked restricted after the export began stays out too.
      if (hidden.has(id) || (needsToKnow(String(line.sensitivity)) && !assigned.has(id))) {
        hidden.add(id);
        continue;
      }
      // A visible duplicate of a hidden allegation must not name it.
      if (typeof line.duplicateOf === 'string' && hidden.has(line.duplicateOf)) {
        const { duplicateOf: _hidden, ...shown } = line;
        yield shown as Line;
        continue;
      }
    } else if (typeof line.allegationId === 'string' && hidden.has(line.allegationId)) {
      if (line.type === 'proceeding') droppedProceedings.add(id);
      continue;
    } else if (line.type === 'proceeding' && typeof line.parentId === 'string' && droppedProceedings.has(line.parentId)) {
      droppedProceedings.add(id);
      continue;
    }
    yield line;
  }
}
