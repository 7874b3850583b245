import type { z } from 'zod';
import type { AllegationInput } from '../domain/entities/allegation.ts';
import type { Viewer } from '../domain/policy.ts';
import type { AuditedWriter } from '../store/audited-writer.ts';
import { orNull } from '../store/repositories/json-column.ts';
import { readable } from './policy.ts';
import { resolveOptionalRef, resolveRef } from './references.ts';

type Parts = Partial<Pick<z.output<typeof AllegationInput>, 'acts' | 'victims' | 'perpetrators' | 'sources'>>;

/**
 * Writes the parts of an allegation given in `parts` (each an audited record of its own, with an
 * id under the allegation's, so its history is found by the allegation's id). On an update the
 * lists given replace the stored ones; lists left out are kept.
 */
export async function writeAllegationParts(w: AuditedWriter, actor: Viewer, allegationId: string, parts: Parts, partId: () => string, replace = false): Promise<void> {
  // A list given replaces the stored links the actor can see; a link to a person or source that
  // need-to-know hides from them (linked also to a case outside their teams) stays as it is:
  // an edit never removes what the editor could not see.
  const drop = async (table: 'allegation_act' | 'allegation_person' | 'allegation_source', role?: string) => {
    let q = w.trx.selectFrom(table).selectAll().where('allegation_id', '=', allegationId);
    if (role && table === 'allegation_person') q = (q as any).where('role', '=', role);
    const rows = (await q.execute()) as Array<{ id: string; person_id?: string; victim_id?: string | null; source_id?: string }>;
    const linked = (r: (typeof rows)[number]) => r.person_id ?? r.victim_id ?? null;
    const shown = table === 'allegation_source'
      ? await readable(w.trx, actor, 'source', rows, (r) => r.source_id ?? null)
      : await readable(w.trx, actor, 'person', rows, linked);
    for (const r of shown) await w.remove(table, r.id);
  };
  if (parts.victims) {
    if (replace) await drop('allegation_person', 'victim');
    for (const [i, v] of parts.victims.entries()) {
      await w.insert('allegation_person', {
        id: partId(), allegation_id: allegationId, person_id: await resolveRef(w.trx, 'person', v.personId, `victims.${i}.personId`, actor),
        role: 'victim', perpetrator_kind: null,
      });
    }
  }
  if (parts.perpetrators) {
    if (replace) await drop('allegation_person', 'alleged_perpetrator');
    for (const [i, p] of parts.perpetrators.entries()) {
      await w.insert('allegation_person', {
        id: partId(), allegation_id: allegationId, person_id: await resolveRef(w.trx, 'person', p.personId, `perpetrators.${i}.personId`, actor),
        role: 'alleged_perpetrator', perpetrator_kind: orNull(p.perpetratorKind),
      });
    }
  }
  if (parts.acts) {
    if (replace) await drop('allegation_act');
    for (const [i, a] of parts.acts.entries()) {
      await w.insert('allegation_act', {
        id: partId(), allegation_id: allegationId, kind: a.kind,
        victim_id: await resolveOptionalRef(w.trx, 'person', a.victimId, `acts.${i}.victimId`, actor),
        area_id: await resolveOptionalRef(w.trx, 'area', a.areaId, `acts.${i}.areaId`, actor), description: orNull(a.description),
      });
    }
  }
  if (parts.sources) {
    if (replace) await drop('allegation_source');
    for (const [i, s] of parts.sources.entries()) {
      await w.insert('allegation_source', {
        id: partId(), allegation_id: allegationId, source_id: await resolveRef(w.trx, 'source', s.sourceId, `sources.${i}.sourceId`, actor), relation: s.relation,
      });
    }
  }
}
