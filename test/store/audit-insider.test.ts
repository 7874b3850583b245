/**
 * An insider with write access to the database file, but not to the instance's signing key,
 * tries to change the record and make the audit chain agree. Each attack is one test; each must
 * end in a break that names where.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { addUser } from '../../src/services/user.service.ts';
import { entryHash } from '../../src/domain/audit-format.ts';
import { signHead } from '../../src/store/audit-signature.ts';
import { runWrite } from '../../src/store/audited-writer.ts';
import { verifyStore as verifySequential } from '../../src/store/audit-verify.ts';
import { stateHash } from '../../src/domain/canonical-json.ts';
import type { Store } from '../../src/store/database.ts';
import { headSignerOf, ephemeralSigningKey } from '../../src/evidence/signing-key.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, openTestServices } from '../support/factories.ts';

type Entry = {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  state_hash: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
};

/** What an insider does by hand: an entry with correct hashes after the current head, and the head moved to it. */
async function appendForged(store: Store, e: Omit<Entry, 'seq' | 'prev_hash' | 'hash'>): Promise<number> {
  const head = await store.db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const base = { ...e, seq: Number(head.seq) + 1, prev_hash: head.hash };
  const hash = entryHash(base);
  await store.db
    .insertInto('audit_entry')
    .values({ ...base, hash })
    .execute();
  await store.db.updateTable('audit_head').set({ seq: base.seq, hash, updated_at: e.at }).where('id', '=', 1).execute();
  return base.seq;
}

/** Verifies with one thread and, on SQLite, with worker threads too: both must find the same break. */
async function verifyStore(
  store: Store,
  ...rest: Parameters<typeof verifySequential> extends [unknown, ...infer R] ? R : never
) {
  const one = await verifySequential(store, ...rest);
  if (store.dialect === 'sqlite') {
    const parallel = await verifySequential(store, rest[0], { ...rest[1], parallelFrom: 1 });
    expect(parallel.ok ? 'ok' : parallel.break).toEqual(one.ok ? 'ok' : one.break);
  }
  return one;
}

async function lastEntry(store: Store): Promise<Entry> {
  const e = await store.db
    .selectFrom('audit_entry')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { ...e, seq: Number(e.seq) } as Entry;
}

describeEachDialect('an insider without the signing key', (dialect) => {
  let svc: Services;
  let store: Store;
  let dispose: () => Promise<void>;
  let analyst: string;
  let outsider: string;
  let allegation: string;

  beforeEach(async () => {
    ({ svc, store, dispose } = await openTestServices(dialect));
    analyst = (await addUser(svc, SYSTEM, { username: 'ana', role: 'analyst' })).id;
    outsider = (await addUser(svc, SYSTEM, { username: 'otto', role: 'documenter' })).id;
    allegation = await makeAllegation(svc, { title: 'Beating in the basement', sensitivity: 'confidential' });
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });
  afterEach(async () => dispose());

  it("edits a record and appends one forged entry in a real user's name: the unsigned entry is named", async () => {
    const last = await lastEntry(store);
    await sql`UPDATE allegation SET title = 'Nothing happened', version = version + 1 WHERE id = ${allegation}`.execute(
      store.db,
    );
    const row = await store.db
      .selectFrom('allegation')
      .selectAll()
      .where('id', '=', allegation)
      .executeTakeFirstOrThrow();
    const seq = await appendForged(store, {
      at: last.at,
      actor: analyst,
      action: 'update',
      entity_type: 'allegation',
      entity_id: allegation,
      state_hash: stateHash('allegation', row),
      reason: 'correction',
    });
    const r = await verifyStore(store);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.break).toMatchObject({ kind: 'unsigned_entries', seq });
      expect(r.break.message).toContain(`entry ${seq} was appended without the instance's key`);
    }
  });

  it('dates the forged entry in the past: time going backwards is named', async () => {
    const seq = await appendForged(store, {
      at: '2021-12-01T10:00:00.000Z',
      actor: analyst,
      action: 'identity.view',
      entity_type: 'person',
      entity_id: 'p-x',
      state_hash: null,
      reason: 'x',
    });
    const r = await verifyStore(store);
    expect(r).toMatchObject({ ok: false, break: { kind: 'time_backwards', seq } });
  });

  it('forges a case-team assignment for a colleague who is not on the case', async () => {
    const last = await lastEntry(store);
    const row = {
      id: 'forged-assignment',
      external_id: null,
      allegation_id: allegation,
      user_id: outsider,
      created_at: last.at,
      updated_at: last.at,
      version: 1,
    };
    await store.db.insertInto('allegation_assignment').values(row).execute();
    const stored = await store.db
      .selectFrom('allegation_assignment')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    const seq = await appendForged(store, {
      at: last.at,
      actor: analyst,
      action: 'assign',
      entity_type: 'allegation_assignment',
      entity_id: row.id,
      state_hash: stateHash('allegation_assignment', stored),
      reason: null,
    });
    expect(await verifyStore(store)).toMatchObject({ ok: false, break: { kind: 'unsigned_entries', seq } });
  });

  it('signs the forged head with a key of their own: the signature is refused, naming the entry', async () => {
    const last = await lastEntry(store);
    const seq = await appendForged(store, {
      at: last.at,
      actor: analyst,
      action: 'identity.view',
      entity_type: 'person',
      entity_id: 'p-x',
      state_hash: null,
      reason: 'x',
    });
    const head = await store.db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
    const own = signHead(headSignerOf(ephemeralSigningKey()), { seq, hash: head.hash, at: last.at });
    await store.db
      .insertInto('audit_signature')
      .values({
        seq,
        hash: own.hash,
        at: own.at,
        key_fingerprint: own.instance,
        public_key: own.key,
        signature: own.signature,
      })
      .execute();
    const r = await verifyStore(store);
    expect(r).toMatchObject({ ok: false, break: { kind: 'signature_invalid', seq } });
    if (!r.ok) expect(r.break.message).toContain(own.instance);
  });

  it('copies a real signature row onto the forged head: it does not check for that head', async () => {
    const last = await lastEntry(store);
    const real = await store.db
      .selectFrom('audit_signature')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const seq = await appendForged(store, {
      at: last.at,
      actor: analyst,
      action: 'identity.view',
      entity_type: 'person',
      entity_id: 'p-x',
      state_hash: null,
      reason: 'x',
    });
    const head = await store.db.selectFrom('audit_head').select('hash').executeTakeFirstOrThrow();
    await store.db
      .insertInto('audit_signature')
      .values({ ...real, seq, hash: head.hash })
      .execute();
    expect(await verifyStore(store)).toMatchObject({ ok: false, break: { kind: 'signature_invalid', seq } });
  });

  it('rewrites an old entry and recomputes every later hash: the first signed head after it no longer matches', async () => {
    const entries = (await store.db.selectFrom('audit_entry').selectAll().orderBy('seq').execute()).map(
      (e) => ({ ...e, seq: Number(e.seq) }) as Entry,
    );
    const target = entries.find((e) => e.entity_type === 'app_user' && e.entity_id === outsider)!;
    let prev = entries[target.seq - 2]!.hash;
    for (const e of entries.slice(target.seq - 1)) {
      const changed = {
        ...e,
        prev_hash: prev,
        reason: e.seq === target.seq ? 'created on request of the ministry' : e.reason,
      };
      const { hash: _old, ...base } = changed;
      const hash = entryHash(base);
      await store.db
        .updateTable('audit_entry')
        .set({ prev_hash: prev, reason: changed.reason, hash })
        .where('seq', '=', e.seq)
        .execute();
      prev = hash;
    }
    await store.db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
    const firstSigned = await store.db
      .selectFrom('audit_signature')
      .select('seq')
      .where('seq', '>=', target.seq)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirstOrThrow();
    const r = await verifyStore(store);
    expect(r).toMatchObject({ ok: false, break: { kind: 'signed_head_mismatch', seq: Number(firstSigned.seq) } });
  });

  it('deletes every signature: no head is signed, and verify says so', async () => {
    await store.db.deleteFrom('audit_signature').execute();
    const r = await verifyStore(store);
    expect(r).toMatchObject({ ok: false, break: { kind: 'unsigned_entries', seq: 1 } });
  });

  it('names an actor who did not exist yet at the time of the entry', async () => {
    const last = await lastEntry(store);
    const seq = await appendForged(store, {
      at: last.at,
      actor: 'f1b7c9d2-0000-4000-8000-000000000000',
      action: 'identity.view',
      entity_type: 'person',
      entity_id: 'p-x',
      state_hash: null,
      reason: 'x',
    });
    expect(await verifyStore(store)).toMatchObject({ ok: false, break: { kind: 'unknown_actor', seq } });
  });

  it('keeps time moving forward for honest writers whose clock runs behind', async () => {
    await runWrite(store, { actor: SYSTEM.id, at: '2020-01-01T00:00:00.000Z' }, async (w) =>
      w.note('identity.view', 'person', 'p-1'),
    );
    const last = await lastEntry(store);
    expect(Date.parse(last.at)).toBeGreaterThan(Date.parse('2020-01-01T00:00:00.000Z'));
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });
});
