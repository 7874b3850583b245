/**
 * What partners delivered here (0013): the key each partner's token was first seen with
 * (`witness_pin`), their signed heads (`witness_head`, one per instance and sequence), and the
 * heads refused as contradicting them (`witness_alarm`). Not records of this instance's chain:
 * a partner's head carries its own signature, and writing one never appends an audit entry.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { SignedHead } from '../audit-signature.ts';
import type { Database, WitnessPinTable } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type WitnessPinRow = Selectable<WitnessPinTable>;

/** A held head and when it arrived. */
export interface HeldHead {
  head: SignedHead;
  receivedAt: string;
}

type HeadColumns = {
  instance: string;
  seq: number | string;
  hash: string;
  at: string;
  public_key: string;
  signature: string;
};

function headOf(r: HeadColumns): SignedHead {
  return {
    instance: r.instance,
    seq: Number(r.seq),
    hash: r.hash,
    at: r.at,
    key: r.public_key,
    signature: r.signature,
  };
}

function columnsOf(h: SignedHead) {
  return { instance: h.instance, seq: h.seq, hash: h.hash, at: h.at, public_key: h.key, signature: h.signature };
}

/**
 * The pin of a token, made from `first` when there is none yet. Locks the pin row on PostgreSQL,
 * so two heads from one partner are judged one after the other (SQLite has one writer anyway).
 */
export async function pinFor(
  trx: Transaction<Database>,
  dialect: 'sqlite' | 'postgres',
  tokenId: string,
  first: { instance: string; key: string; at: string },
): Promise<{ pin: WitnessPinRow; created: boolean }> {
  const inserted = await trx
    .insertInto('witness_pin')
    .values({ token_id: tokenId, instance: first.instance, public_key: first.key, pinned_at: first.at })
    .onConflict((oc) => oc.column('token_id').doNothing())
    .executeTakeFirst();
  let q = trx.selectFrom('witness_pin').selectAll().where('token_id', '=', tokenId);
  if (dialect === 'postgres') q = q.forUpdate();
  const pin = await q.executeTakeFirstOrThrow();
  return { pin, created: Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 };
}

/** The pin of a token, if it delivered a head already. */
export async function readPin(db: Db, tokenId: string): Promise<WitnessPinRow | undefined> {
  return db.selectFrom('witness_pin').selectAll().where('token_id', '=', tokenId).executeTakeFirst();
}

/** Any key an instance's held heads were signed with other than `key` (a fingerprint collision: refused like a changed key). */
export async function otherKeyOf(db: Db, instance: string, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('witness_head')
    .select('public_key')
    .where('instance', '=', instance)
    .where('public_key', '!=', key)
    .limit(1)
    .executeTakeFirst();
  return row?.public_key;
}

/** The held head of an instance at a sequence. */
export async function heldAt(db: Db, instance: string, seq: number): Promise<SignedHead | undefined> {
  const row = await db
    .selectFrom('witness_head')
    .selectAll()
    .where('instance', '=', instance)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row ? headOf(row) : undefined;
}

/** The latest held head of an instance. */
export async function latestHeld(db: Db, instance: string): Promise<HeldHead | undefined> {
  const row = await db
    .selectFrom('witness_head')
    .selectAll()
    .where('instance', '=', instance)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { head: headOf(row), receivedAt: row.received_at } : undefined;
}

/** Held heads of an instance with a sequence below `before`, newest first, at most `limit`. */
export async function heldBefore(db: Db, instance: string, before: number, limit: number): Promise<SignedHead[]> {
  const rows = await db
    .selectFrom('witness_head')
    .selectAll()
    .where('instance', '=', instance)
    .where('seq', '<', before)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(headOf);
}

/** Stores a partner's head. */
export async function insertHeld(db: Db, tokenId: string, h: SignedHead, receivedAt: string): Promise<void> {
  await db
    .insertInto('witness_head')
    .values({ ...columnsOf(h), token_id: tokenId, received_at: receivedAt })
    .execute();
}

/** How many alarms a token has caused. */
export async function alarmCount(db: Db, tokenId: string): Promise<number> {
  const row = await db
    .selectFrom('witness_alarm')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('token_id', '=', tokenId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Keeps a refused head as an alarm. */
export async function insertAlarm(
  db: Db,
  a: { id: string; tokenId: string; kind: string; head: SignedHead; receivedAt: string; message: string },
): Promise<void> {
  await db
    .insertInto('witness_alarm')
    .values({
      id: a.id,
      token_id: a.tokenId,
      kind: a.kind,
      ...columnsOf(a.head),
      received_at: a.receivedAt,
      message: a.message,
    })
    .execute();
}

/** An alarm as it is reported. */
export interface HeldAlarm {
  kind: string;
  head: SignedHead;
  receivedAt: string;
  message: string;
}

/** The latest alarms raised by a token or about an instance, newest first. */
export async function alarmsFor(db: Db, tokenId: string, instance: string, limit: number): Promise<HeldAlarm[]> {
  const rows = await db
    .selectFrom('witness_alarm')
    .selectAll()
    .where((eb) => eb.or([eb('token_id', '=', tokenId), eb('instance', '=', instance)]))
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ kind: r.kind, head: headOf(r), receivedAt: r.received_at, message: r.message }));
}

/** Every pinned partner token: its name, prefix, pinned instance, latest held head and alarm count (for `vigil witness status`). */
export async function heldSummary(db: Db): Promise<
  Array<{
    tokenName: string;
    prefix: string;
    revoked: boolean;
    pin: WitnessPinRow;
    latest: HeldHead | undefined;
    alarms: number;
  }>
> {
  const pins = await db
    .selectFrom('witness_pin')
    .innerJoin('api_token', 'api_token.id', 'witness_pin.token_id')
    .select([
      'witness_pin.token_id',
      'witness_pin.instance',
      'witness_pin.public_key',
      'witness_pin.pinned_at',
      'api_token.name',
      'api_token.prefix',
      'api_token.revoked_at',
    ])
    .orderBy('witness_pin.pinned_at')
    .orderBy('witness_pin.token_id')
    .execute();
  const out = [];
  for (const p of pins) {
    out.push({
      tokenName: p.name,
      prefix: p.prefix,
      revoked: p.revoked_at !== null,
      pin: { token_id: p.token_id, instance: p.instance, public_key: p.public_key, pinned_at: p.pinned_at },
      latest: await latestHeld(db, p.instance),
      alarms: await alarmCount(db, p.token_id),
    });
  }
  return out;
}
