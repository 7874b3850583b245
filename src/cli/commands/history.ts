import type { Services } from '../../services/context.ts';
import { sql } from 'kysely';

/** One line of a record's history: when, who, what, why. */
export interface HistoryLine {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  reason: string | null;
}

/** Who changed what and when, for a record and its parts (acts, links, stages), read from the audit log. */
export async function recordHistory(svc: Services, id: string): Promise<HistoryLine[]> {
  const rows = await svc.store.db
    .selectFrom('audit_entry')
    .select(['seq', 'at', 'actor', 'action', 'entity_type', 'entity_id', 'reason'])
    .where((eb) => eb.or([eb('entity_id', '=', id), eb(sql<string>`substr(entity_id, 1, ${id.length + 1})`, '=', `${id}:`)]))
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, entity: `${r.entity_type} ${r.entity_id}`, reason: r.reason }));
}
