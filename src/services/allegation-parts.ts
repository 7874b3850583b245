import type { z } from 'zod';
import type { AllegationInput } from '../domain/entities/allegation.ts';
import type { Viewer } from '../domain/policy.ts';
import type { AuditedWriter } from '../store/audited-writer.ts';
import {
  insertAllegationPart,
  listAllegationParts,
  removeAllegationPart,
  type ActPart,
  type PartContent,
  type PartKind,
  type PersonPart,
  type SourcePart,
  type StoredPart,
} from '../store/repositories/allegation-part.repository.ts';
import { orNull } from '../store/repositories/json-column.ts';
import { readable } from './policy.ts';
import { resolveOptionalRef, resolveRef } from './references.ts';

type Parts = Partial<Pick<z.output<typeof AllegationInput>, 'acts' | 'victims' | 'perpetrators' | 'sources'>>;

/** Two parts equal in what they say are the same part (their ids and allegation aside). */
function sameContent<K extends PartKind>(a: PartContent[K], b: PartContent[K]): boolean {
  const given = a as unknown as Record<string, unknown>;
  const other = b as unknown as Record<string, unknown>;
  return Object.keys(other).every((k) => (given[k] ?? null) === (other[k] ?? null));
}

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
  const visible = async <K extends PartKind>(kind: K, role?: string): Promise<StoredPart<K>[]> => {
    if (!replace) return [];
    const rows = await listAllegationParts(w.trx, kind, allegationId, role);
    const linked = (r: StoredPart<K>): string | null => {
      const c = r as StoredPart<PartKind>;
      if ('personId' in c) return c.personId;
      if ('victimId' in c) return c.victimId;
      return null;
    };
    return kind === 'source'
      ? readable(w.trx, actor, 'source', rows, (r) => ('sourceId' in r ? String(r.sourceId) : null))
      : readable(w.trx, actor, 'person', rows, linked);
  };
  /** Removes the stored parts not given again, then adds the given ones not stored yet. */
  const replaceWith = async <K extends PartKind>(kind: K, stored: StoredPart<K>[], wanted: PartContent[K][]) => {
    const kept = new Set<string>();
    const toAdd = wanted.filter((v) => {
      const same = stored.find((r) => !kept.has(r.id) && sameContent<K>(r, v));
      if (same) kept.add(same.id);
      return !same;
    });
    for (const r of stored) if (!kept.has(r.id)) await removeAllegationPart(w, kind, r.id);
    for (const v of toAdd) await insertAllegationPart(w, kind, { id: partId(), allegationId, content: v });
  };

  if (parts.victims) {
    const stored = await visible('person', 'victim');
    const wanted: PersonPart[] = [];
    for (const [i, v] of parts.victims.entries()) {
      wanted.push({
        personId: await resolveRef(w.trx, 'person', v.personId, `victims.${i}.personId`, actor),
        role: 'victim',
        perpetratorKind: null,
      });
    }
    await replaceWith('person', stored, wanted);
  }
  if (parts.perpetrators) {
    const stored = await visible('person', 'alleged_perpetrator');
    const wanted: PersonPart[] = [];
    for (const [i, p] of parts.perpetrators.entries()) {
      wanted.push({
        personId: await resolveRef(w.trx, 'person', p.personId, `perpetrators.${i}.personId`, actor),
        role: 'alleged_perpetrator',
        perpetratorKind: orNull(p.perpetratorKind),
      });
    }
    await replaceWith('person', stored, wanted);
  }
  if (parts.acts) {
    const stored = await visible('act');
    const wanted: ActPart[] = [];
    for (const [i, a] of parts.acts.entries()) {
      wanted.push({
        kind: a.kind,
        victimId: await resolveOptionalRef(w.trx, 'person', a.victimId, `acts.${i}.victimId`, actor),
        areaId: await resolveOptionalRef(w.trx, 'area', a.areaId, `acts.${i}.areaId`, actor),
        description: orNull(a.description),
      });
    }
    await replaceWith('act', stored, wanted);
  }
  if (parts.sources) {
    const stored = await visible('source');
    const wanted: SourcePart[] = [];
    for (const [i, s] of parts.sources.entries()) {
      wanted.push({
        sourceId: await resolveRef(w.trx, 'source', s.sourceId, `sources.${i}.sourceId`, actor),
        relation: s.relation,
      });
    }
    await replaceWith('source', stored, wanted);
  }
}
