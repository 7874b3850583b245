import type { ExpressionBuilder } from 'kysely';
import type { AuditEntry } from '../domain/entities/audit-entry.ts';
import { VigilError } from '../domain/errors.ts';
import type { Database } from '../store/schema.ts';
import { may } from './policy.ts';
import type { Actor, Services } from './context.ts';

/** One line of a record's history, with the actor's username when the actor is a user. */
export type HistoryEntry = AuditEntry & { actorName: string | null };

type Row = Database['audit_entry'];

function toEntry(r: Row, names: Map<string, string>): HistoryEntry {
  return {
    seq: Number(r.seq), at: r.at, actor: r.actor, actorName: names.get(r.actor) ?? null, action: r.action,
    entityType: r.entity_type, entityId: r.entity_id, stateHash: r.state_hash, reason: r.reason, prevHash: r.prev_hash, hash: r.hash,
  };
}

/** A record and its parts: ids of parts are the record's id, a colon and a number (`<id>:001`), so a range finds them. */
function idOrParts(eb: ExpressionBuilder<Database, 'audit_entry'>, id: string) {
  return eb.or([eb('entity_id', '=', id), eb.and([eb('entity_id', '>=', `${id}:`), eb('entity_id', '<', `${id};`)])]);
}

/** {@link idOrParts} of one entity type, so the (entity_type, entity_id) index serves it. */
function withParts(eb: ExpressionBuilder<Database, 'audit_entry'>, type: string, id: string) {
  return eb.and([eb('entity_type', '=', type), idOrParts(eb, id)]);
}

async function entries(svc: Services, where: (eb: ExpressionBuilder<Database, 'audit_entry'>) => ReturnType<ExpressionBuilder<Database, 'audit_entry'>['or']>): Promise<HistoryEntry[]> {
  const rows = await svc.store.db.selectFrom('audit_entry').selectAll().where(where).orderBy('seq').execute();
  const actors = [...new Set(rows.map((r) => r.actor))];
  const users = actors.length
    ? await svc.store.db.selectFrom('app_user').select(['id', 'username']).where('id', 'in', actors).execute()
    : [];
  const names = new Map(users.map((u) => [u.id, u.username]));
  return rows.map((r) => toEntry(r as Row, names));
}

/** Who changed what and when, for any record and its parts (acts, links, stages), read from the audit log. */
export async function recordHistory(svc: Services, id: string): Promise<HistoryEntry[]> {
  return entries(svc, (eb) => idOrParts(eb, id));
}

/**
 * The history of an allegation as its case page shows it: the allegation and its acts, people
 * and source links, its case team, its two-analyst proposals, its proceedings and their stages, its evidence items and their
 * custody events. Need-to-know applies: an allegation `actor` may not see is `record.not_found`.
 */
export async function allegationHistory(svc: Services, actor: Actor, key: string): Promise<HistoryEntry[]> {
  const db = svc.store.db;
  const a = await db
    .selectFrom('allegation')
    .select(['id', 'sensitivity'])
    .where((eb) => eb.or([eb('id', '=', key), eb('external_id', '=', key)]))
    .executeTakeFirst();
  if (!a || !(await may(db, actor, 'read', 'allegation', a.id))) throw new VigilError('record.not_found', `no allegation "${key}"`, { path: 'id' });
  const [proceedings, items, team, proposals] = await Promise.all([
    db.selectFrom('proceeding').select('id').where('allegation_id', '=', a.id).execute(),
    db.selectFrom('evidence_item').select('id').where('allegation_id', '=', a.id).execute(),
    db.selectFrom('allegation_assignment').select('id').where('allegation_id', '=', a.id).execute(),
    db.selectFrom('allegation_proposal').select('id').where('allegation_id', '=', a.id).execute(),
  ]);
  const itemIds = items.map((i) => i.id);
  const custody = itemIds.length ? await db.selectFrom('custody_event').select('id').where('evidence_item_id', 'in', itemIds).execute() : [];
  return entries(svc, (eb) => {
    const byId = (type: string, ids: string[]) => (ids.length ? [eb.and([eb('entity_type', '=', type), eb('entity_id', 'in', ids)])] : []);
    return eb.or([
      eb.and([eb('entity_type', '=', 'allegation'), eb('entity_id', '=', a.id)]),
      ...['allegation_act', 'allegation_person', 'allegation_source'].map((t) => withParts(eb, t, a.id)),
      ...byId('allegation_assignment', team.map((t) => t.id)),
      ...byId('allegation_proposal', proposals.map((p) => p.id)),
      ...byId('proceeding', proceedings.map((p) => p.id)),
      ...proceedings.map((p) => withParts(eb, 'proceeding_stage', p.id)),
      ...byId('evidence_item', itemIds),
      ...byId('custody_event', custody.map((c) => c.id)),
    ]);
  });
}
