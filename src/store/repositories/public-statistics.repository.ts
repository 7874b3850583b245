/**
 * Aggregates for the public pages: counts only, computed by the database (GROUP BY), over the
 * allegations that count publicly. Nothing here selects a title, a summary, a description, a
 * person or a free-text column; what leaves is ids of facilities, vocabulary ids, dates cut to
 * the month, and counts.
 *
 * Which allegations count publicly (decided here, documented for the public in the service):
 * - not `duplicate` (it repeats another record), `withdrawn` (consent withdrawn or report
 *   retracted: PR5, no later use) or `on_hold_safety` (held because someone is at risk; even a
 *   count moving at a small facility could point at them);
 * - not `restricted` sensitivity (identity, health, sexual violence: named users only);
 * - no victim `in_custody` (PR6: nothing about a victim in custody is published, "even
 *   anonymised"; a count is an anonymised publication, and a count rising at the facility that
 *   holds the victim is exactly the signal PR6 guards against). Such allegations join the counts
 *   once no victim is in custody. This is the one place public code reads `person`: its
 *   `custody` column inside NOT EXISTS, never selected.
 * - every other status counts, verified or not (`received` included): the counts are of
 *   documented allegations, not of proven ones. `confidential` ones count too: a count at
 *   k = 5 names no one.
 *
 * Proceedings (the funnel) count when they belong to no allegation, or to one that passes the
 * rules above apart from the duplicate rule: the official response to a duplicate report is
 * still a real proceeding.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { FunnelCounts } from '../../domain/funnel.ts';
import type { Database } from '../schema.ts';
import { countFunnel } from './statistics.repository.ts';

/** Verification statuses whose allegations never enter a public count. */
const PUBLICLY_UNCOUNTED_STATUSES = ['duplicate', 'withdrawn', 'on_hold_safety'] as const;

/** Sensitivity whose allegations never enter a public count. */
const PUBLICLY_UNCOUNTED_SENSITIVITY = 'restricted';

/** Conditions on `allegation a` for public use, except the duplicate rule. */
function publishableAllegation(): RawBuilder<unknown> {
  const held = PUBLICLY_UNCOUNTED_STATUSES.filter((s) => s !== 'duplicate');
  return sql`a.sensitivity <> ${PUBLICLY_UNCOUNTED_SENSITIVITY}
    AND a.verification_status NOT IN (${sql.join(held.map((s) => sql`${s}`))})
    AND NOT EXISTS (SELECT 1 FROM allegation_person ap JOIN person p ON p.id = ap.person_id
      WHERE ap.allegation_id = a.id AND ap.role = 'victim' AND p.custody = 'in_custody')
    AND NOT EXISTS (SELECT 1 FROM allegation_act x JOIN person p ON p.id = x.victim_id
      WHERE x.allegation_id = a.id AND p.custody = 'in_custody')`;
}

/** Conditions on `allegation a` for an allegation that counts publicly. */
function countedAllegation(): RawBuilder<unknown> {
  return sql`a.verification_status <> 'duplicate' AND ${publishableAllegation()}`;
}

/** Conditions on `proceeding p` for a proceeding the public funnel counts. */
function countedProceeding(): RawBuilder<unknown> {
  return sql`(p.allegation_id IS NULL OR p.allegation_id IN (SELECT a.id FROM allegation a WHERE ${publishableAllegation()}))`;
}

type Count = number | string;
const n = (v: Count | null | undefined): number => Number(v ?? 0);

/** One cell of the finest public breakdown: facility × start month (or year, or unknown) × classification. */
export interface AllegationCell {
  facilityId: string | null;
  /** `2022-01`, `2022` when only the year is known, or null. */
  period: string | null;
  classification: string;
  count: number;
}

/** Counted allegations by facility, start of period (cut to the month) and classification; every public breakdown adds up from these. */
export async function countedAllegationCells(db: Kysely<Database>): Promise<AllegationCell[]> {
  const period = sql`substr(a.period_start, 1, 7)`;
  const r = await sql<{ facility_id: string | null; period: string | null; classification: string; n: Count }>`
    SELECT a.facility_id, ${period} AS period, a.classification, count(*) AS n
    FROM allegation a WHERE ${countedAllegation()}
    GROUP BY a.facility_id, ${period}, a.classification`.execute(db);
  return r.rows.map((x) => ({
    facilityId: x.facility_id,
    period: x.period,
    classification: x.classification,
    count: n(x.n),
  }));
}

/** Counted allegations alleging each act kind (once per allegation, however many such acts). */
export async function countedAllegationsByAct(db: Kysely<Database>): Promise<{ act: string; count: number }[]> {
  const r = await sql<{ kind: string; n: Count }>`
    SELECT x.kind, count(DISTINCT x.allegation_id) AS n
    FROM allegation_act x JOIN allegation a ON a.id = x.allegation_id
    WHERE ${countedAllegation()}
    GROUP BY x.kind`.execute(db);
  return r.rows.map((x) => ({ act: x.kind, count: n(x.n) }));
}

/** Counted proceedings, as the funnel counts them (src/domain/funnel.ts). */
export function countedFunnel(db: Kysely<Database>): Promise<FunnelCounts> {
  return countFunnel(db, countedProceeding());
}
