/**
 * Need-to-know in SQL: the two facts the policy (src/domain/policy.ts) needs about a record, for
 * one record ({@link guardOf}) or as a condition on every row of a list ({@link visibleCondition}).
 * Both are built from the same description of which allegations a record is linked to
 * ({@link guardAllegations}), so a list and a read by id can never disagree.
 *
 * Links followed:
 * - allegation: itself;
 * - person: allegations naming them (victim, alleged perpetrator, witness) or an act's victim;
 * - source: allegations citing it, evidence items of an allegation taken from it, proceeding
 *   stages of an allegation's proceeding that rest on it;
 * - evidence item: its allegation, and its source's links; custody event: its item's;
 * - proceeding: its allegation and its parent's;
 * - extraction: its source's links; proposed fact: its extraction's, and the record it became.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { NEED_TO_KNOW_SENSITIVITIES, type Guard, type GuardedKind } from '../../domain/policy.ts';
import type { Database } from '../schema.ts';

type Handle = Kysely<Database> | Transaction<Database>;

/** A set of record ids in SQL: one value or column (`eq`), or a subquery (`in`). */
type IdSet = { op: 'eq'; expr: RawBuilder<unknown> } | { op: 'in'; select: RawBuilder<unknown> };

const one = (expr: RawBuilder<unknown>): IdSet => ({ op: 'eq', expr });
const many = (select: RawBuilder<unknown>): IdSet => ({ op: 'in', select });
const match = (column: string, ids: IdSet): RawBuilder<unknown> =>
  ids.op === 'eq' ? sql`${sql.ref(column)} = ${ids.expr}` : sql`${sql.ref(column)} IN (${ids.select})`;

/** A subquery of the ids of the allegations that records in `ids` of `kind` are linked to (one column). */
function guardAllegations(kind: GuardedKind, ids: IdSet): RawBuilder<unknown> {
  switch (kind) {
    case 'allegation':
      return ids.op === 'eq' ? sql`SELECT nk_a.id FROM allegation nk_a WHERE nk_a.id = ${ids.expr}` : ids.select;
    case 'person':
      return sql`SELECT nk_ap.allegation_id FROM allegation_person nk_ap WHERE ${match('nk_ap.person_id', ids)}
        UNION SELECT nk_aa.allegation_id FROM allegation_act nk_aa WHERE ${match('nk_aa.victim_id', ids)}`;
    case 'source':
      return sql`SELECT nk_asr.allegation_id FROM allegation_source nk_asr WHERE ${match('nk_asr.source_id', ids)}
        UNION SELECT nk_ei.allegation_id FROM evidence_item nk_ei WHERE ${match('nk_ei.source_id', ids)} AND nk_ei.allegation_id IS NOT NULL
        UNION SELECT nk_pr.allegation_id FROM proceeding_stage nk_ps JOIN proceeding nk_pr ON nk_pr.id = nk_ps.proceeding_id
          WHERE ${match('nk_ps.source_id', ids)} AND nk_pr.allegation_id IS NOT NULL`;
    case 'evidence_item':
      return sql`SELECT nk_ei.allegation_id FROM evidence_item nk_ei WHERE ${match('nk_ei.id', ids)} AND nk_ei.allegation_id IS NOT NULL
        UNION ${guardAllegations('source', many(sql`SELECT nk_es.source_id FROM evidence_item nk_es WHERE ${match('nk_es.id', ids)} AND nk_es.source_id IS NOT NULL`))}`;
    case 'custody_event':
      return guardAllegations(
        'evidence_item',
        many(sql`SELECT nk_ce.evidence_item_id FROM custody_event nk_ce WHERE ${match('nk_ce.id', ids)}`),
      );
    case 'proceeding':
      return sql`SELECT nk_pr.allegation_id FROM proceeding nk_pr WHERE ${match('nk_pr.id', ids)} AND nk_pr.allegation_id IS NOT NULL
        UNION SELECT nk_pp.allegation_id FROM proceeding nk_pc JOIN proceeding nk_pp ON nk_pp.id = nk_pc.parent_id
          WHERE ${match('nk_pc.id', ids)} AND nk_pp.allegation_id IS NOT NULL`;
    case 'extraction':
      return guardAllegations(
        'source',
        many(
          sql`SELECT nk_ex.source_id FROM extraction nk_ex WHERE ${match('nk_ex.id', ids)} AND nk_ex.source_id IS NOT NULL`,
        ),
      );
    case 'proposed_fact': {
      const fact = (type: string) =>
        many(
          sql`SELECT nk_pf.record_id FROM proposed_fact nk_pf WHERE ${match('nk_pf.id', ids)} AND nk_pf.record_type = ${type}`,
        );
      return sql`${guardAllegations('extraction', many(sql`SELECT nk_pf.extraction_id FROM proposed_fact nk_pf WHERE ${match('nk_pf.id', ids)}`))}
        UNION ${guardAllegations('person', fact('person'))}
        UNION ${guardAllegations('source', fact('source'))}
        UNION ${guardAllegations('allegation', fact('allegation'))}`;
    }
  }
}

const ntk = () => sql.join([...NEED_TO_KNOW_SENSITIVITIES]);

/** SQL: the record is linked to at least one need-to-know allegation. */
function hiddenByCase(guards: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`EXISTS (SELECT 1 FROM allegation nk_g WHERE nk_g.id IN (${guards}) AND nk_g.sensitivity IN (${ntk()}))`;
}

/** SQL: `userId` is on the team of at least one need-to-know allegation the record is linked to. */
function onTeamOf(guards: RawBuilder<unknown>, userId: string): RawBuilder<unknown> {
  return sql`EXISTS (SELECT 1 FROM allegation_assignment nk_t JOIN allegation nk_g ON nk_g.id = nk_t.allegation_id
    WHERE nk_t.user_id = ${userId} AND nk_g.sensitivity IN (${ntk()}) AND nk_t.allegation_id IN (${guards}))`;
}

/**
 * A condition on the rows of a query: true for the rows `userId` may see (the policy's rule:
 * nothing hides it, or the user is on a team of a case that does). `idColumn` is the row's id,
 * e.g. `person.id`.
 *
 * @example
 *   db.selectFrom('person').selectAll().where(visibleCondition('person', 'person.id', userId))
 */
export function visibleCondition(kind: GuardedKind, idColumn: string, userId: string): RawBuilder<boolean> {
  if (kind === 'allegation') {
    // The direct form, so the planner can use the allegation's own columns.
    return sql<boolean>`(${sql.ref(idColumn.replace(/\.id$/, '.sensitivity'))} NOT IN (${ntk()})
      OR EXISTS (SELECT 1 FROM allegation_assignment nk_t WHERE nk_t.allegation_id = ${sql.ref(idColumn)} AND nk_t.user_id = ${userId}))`;
  }
  const guards = guardAllegations(kind, one(sql.ref(idColumn)));
  return sql<boolean>`(NOT ${hiddenByCase(guards)} OR ${onTeamOf(guards, userId)})`;
}

/** The guard of one record for `userId`. */
export async function guardOf(db: Handle, kind: GuardedKind, id: string, userId: string): Promise<Guard> {
  const guards = guardAllegations(kind, one(sql`${id}`));
  const { rows } = await sql<{ hidden: number | boolean; team: number | boolean }>`SELECT
    CASE WHEN ${hiddenByCase(guards)} THEN 1 ELSE 0 END AS hidden,
    CASE WHEN ${onTeamOf(guards, userId)} THEN 1 ELSE 0 END AS team`.execute(db);
  const r = rows[0];
  return { needToKnow: Number(r?.hidden ?? 0) === 1, onTeam: Number(r?.team ?? 0) === 1 };
}

/** Of `ids` (records of `kind`), those `userId` may not see: one query, for the parts of a page. */
export async function hiddenIds(
  db: Handle,
  kind: GuardedKind,
  ids: readonly string[],
  userId: string | undefined,
): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (userId === undefined || unique.length === 0) return new Set();
  const table = kind;
  const { rows } = await sql<{ id: string }>`SELECT r.id FROM ${sql.table(table)} r
    WHERE r.id IN (${sql.join(unique)}) AND NOT ${visibleCondition(kind, 'r.id', userId)}`.execute(db);
  return new Set(rows.map((r) => r.id));
}
