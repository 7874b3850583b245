import type { z } from 'zod';
import type { AllegationInput } from '../domain/entities/allegation.ts';
import type { Viewer } from '../domain/policy.ts';
import type { AuditedWriter } from '../store/audited-writer.ts';
import { orNull } from '../store/repositories/json-column.ts';
import { readable } from './policy.ts';
import { resolveOptionalRef, resolveRef } from './references.ts';

type Parts = Partial<Pick<z.output<typeof AllegationInput>, 'acts' | 'victims' | 'perpetrators' | 'sources'>>;
type PartTable = 'allegation_act' | 'allegation_person' | 'allegation_source';
type PartRow = Record<string, unknown> & { id: string };

/** The columns that say what a part is (besides its id and allegation): two parts equal in these are the same part. */
const CONTENT: Record<PartTable, readonly string[]> = {
  allegation_act: ['kind', 'victim_id', 'area_id', 'description'],
  allegation_person: ['person_id', 'role', 'perpetrator_kind'],
  allegation_source: ['source_id', 'relation'],
};

const sameContent = (table: PartTable, a: Record<string, unknown>, b: Record<string, unknown>) =>
  CONTENT[table].every((c) => (a[c] ?? null) === (b[c] ?? null));

/**
 * Writes the parts of an allegation given in `parts` (each an audited record of its own, with an
 * id under the allegation's, so its history is found by the allegation's id). On an update the
 * lists given replace the stored ones; lists left out are kept. A stored part equal to one given
 * stays as it is, so the audit log (and the allegation's history) shows only the parts that were
 * really removed or added, not the whole list dropped and written again.
 */
export async function writeAllegationParts(
  w: AuditedWriter,
  actor: Viewer,
  allegationId: string,
  parts: Parts,
  partId: () => string,
  replace = false,
): Promise<void> {
  // A list given replaces the stored links the actor can see; a link to a person or source that
  // need-to-know hides from them (linked also to a case outside their teams) stays as it is:
  // an edit never removes what the editor could not see.
  const visible = async (table: PartTable, role?: string): Promise<PartRow[]> => {
    if (!replace) return [];
    let q = w.trx.selectFrom(table).selectAll().where('allegation_id', '=', allegationId);
    if (role && table === 'allegation_person') q = (q as any).where('role', '=', role);
    const rows = (await q.orderBy('id').execute()) as unknown as PartRow[];
    const linked = (r: PartRow) => (r.person_id ?? r.victim_id ?? null) as string | null;
    return table === 'allegation_source'
      ? readable(w.trx, actor, 'source', rows, (r) => r.source_id as string)
      : readable(w.trx, actor, 'person', rows, linked);
  };
  /** Removes the stored parts not given again, then adds the given ones not stored yet. */
  const replaceWith = async (table: PartTable, stored: PartRow[], wanted: Array<Record<string, unknown>>) => {
    const kept = new Set<string>();
    const toAdd = wanted.filter((v) => {
      const same = stored.find((r) => !kept.has(r.id) && sameContent(table, r, v));
      if (same) kept.add(same.id);
      return !same;
    });
    for (const r of stored) if (!kept.has(r.id)) await w.remove(table, r.id);
    for (const v of toAdd) await w.insert(table, { id: partId(), allegation_id: allegationId, ...v });
  };

  if (parts.victims) {
    const stored = await visible('allegation_person', 'victim');
    const wanted = [];
    for (const [i, v] of parts.victims.entries()) {
      wanted.push({
        person_id: await resolveRef(w.trx, 'person', v.personId, `victims.${i}.personId`, actor),
        role: 'victim',
        perpetrator_kind: null,
      });
    }
    await replaceWith('allegation_person', stored, wanted);
  }
  if (parts.perpetrators) {
    const stored = await visible('allegation_person', 'alleged_perpetrator');
    const wanted = [];
    for (const [i, p] of parts.perpetrators.entries()) {
      wanted.push({
        person_id: await resolveRef(w.trx, 'person', p.personId, `perpetrators.${i}.personId`, actor),
        role: 'alleged_perpetrator',
        perpetrator_kind: orNull(p.perpetratorKind),
      });
    }
    await replaceWith('allegation_person', stored, wanted);
  }
  if (parts.acts) {
    const stored = await visible('allegation_act');
    const wanted = [];
    for (const [i, a] of parts.acts.entries()) {
      wanted.push({
        kind: a.kind,
        victim_id: await resolveOptionalRef(w.trx, 'person', a.victimId, `acts.${i}.victimId`, actor),
        area_id: await resolveOptionalRef(w.trx, 'area', a.areaId, `acts.${i}.areaId`, actor),
        description: orNull(a.description),
      });
    }
    await replaceWith('allegation_act', stored, wanted);
  }
  if (parts.sources) {
    const stored = await visible('allegation_source');
    const wanted = [];
    for (const [i, s] of parts.sources.entries()) {
      wanted.push({
        source_id: await resolveRef(w.trx, 'source', s.sourceId, `sources.${i}.sourceId`, actor),
        relation: s.relation,
      });
    }
    await replaceWith('allegation_source', stored, wanted);
  }
}
