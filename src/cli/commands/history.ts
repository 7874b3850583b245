import { sql } from 'kysely';
import type { AuditEntry } from '../../domain/entities/audit-entry.ts';
import type { Services } from '../../services/context.ts';

/** Who changed what and when, for a record and its parts (acts, links, stages), read from the audit log. */
export async function recordHistory(svc: Services, id: string): Promise<AuditEntry[]> {
  const rows = await svc.store.db
    .selectFrom('audit_entry')
    .selectAll()
    .where((eb) => eb.or([eb('entity_id', '=', id), eb(sql<string>`substr(entity_id, 1, ${id.length + 1})`, '=', `${id}:`)]))
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, entityType: r.entity_type, entityId: r.entity_id,
    stateHash: r.state_hash, reason: r.reason, prevHash: r.prev_hash, hash: r.hash,
  }));
}
