/**
 * `changes` in the audit chain (0012): entries written before the column existed keep their bytes
 * and hashes and still verify after the upgrade; the changes of new entries are covered by their
 * hash, so editing them in the database is `entry_altered`, on the sequential and the parallel path.
 */
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src/domain/audit-format.ts';
import { runWrite } from '../../src/store/audited-writer.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.ts';
import { describeEachDialect, freshDatabaseConfig, type FreshDatabase } from '../support/databases.ts';

// The hash as every release before 0012 computed it: RFC 8785 over the nine fields, by the generic
// canonicaliser, independent of the code under test.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (v: unknown) => string;
const oldHash = (e: Record<string, unknown>) => createHash('sha256').update(canonicalize(e)).digest('hex');

const ctx = { actor: 'system', at: '2022-02-01T09:00:00.000Z' };
const org = (id: string, name: string) => ({
  id,
  external_id: null,
  name,
  name_ru: null,
  kind: 'ministry',
  aliases: '[]',
  country: 'KZ',
});

describeEachDialect('audit changes across the 0012 upgrade', (dialect) => {
  let db: FreshDatabase;
  let store: Store;
  const old: Array<{ seq: number; hash: string }> = [];

  beforeEach(async () => {
    db = await freshDatabaseConfig(dialect);
    // A database as the release before 0012 left it: schema up to 0011, entries without changes.
    store = await openStore(db.config, { migrate: false });
    await migrateTo(store.db, '0011-audit-signatures');
    let prev = GENESIS_HASH;
    old.length = 0;
    for (let seq = 1; seq <= 3; seq++) {
      const e = {
        seq,
        at: `2022-01-0${seq}T10:00:00.000Z`,
        actor: 'system',
        action: 'identity.view',
        entity_type: 'person',
        entity_id: `p${seq}`,
        state_hash: null,
        reason: seq === 2 ? 'для жалобы «прокурору»' : null,
        prev_hash: prev,
      };
      const hash = oldHash(e);
      await sql`INSERT INTO audit_entry (seq, at, actor, action, entity_type, entity_id, state_hash, reason, prev_hash, hash)
        VALUES (${e.seq}, ${e.at}, ${e.actor}, ${e.action}, ${e.entity_type}, ${e.entity_id}, ${e.state_hash}, ${e.reason}, ${e.prev_hash}, ${hash})`.execute(
        store.db,
      );
      old.push({ seq, hash });
      prev = hash;
    }
    await sql`UPDATE audit_head SET seq = 3, hash = ${prev}, updated_at = '2022-01-03T10:00:00.000Z' WHERE id = 1`.execute(
      store.db,
    );
    await migrateToLatest(store.db);
    // New entries after the upgrade: a record made and changed (with changes), a note (without).
    await runWrite(store, ctx, async (w) => {
      await w.insert('organization', org('o1', 'Ministry of Internal Affairs'));
      await w.update('organization', 'o1', { name_ru: 'МВД', aliases: '["MVD"]' }, { expectedVersion: 1 });
      w.note('identity.view', 'person', 'p9');
    });
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it('keeps the old entries byte for byte: they verify with the new ones after the upgrade', async () => {
    const rows = await store.db
      .selectFrom('audit_entry')
      .select(['seq', 'hash', 'changes', 'action'])
      .orderBy('seq')
      .execute();
    expect(rows.slice(0, 3).map((r) => ({ seq: Number(r.seq), hash: r.hash }))).toEqual(old);
    expect(rows.map((r) => r.changes)).toEqual([
      null,
      null,
      null,
      null,
      '[{"field":"name_ru","from":null,"to":"МВД"},{"field":"aliases","from":[],"to":["MVD"]}]',
      null,
    ]);
    expect(await verifyStore(store)).toMatchObject({ ok: true, entries: 6, records: 1 });
  });

  it('catches changes edited in the database as entry_altered', async () => {
    await sql`UPDATE audit_entry SET changes = ${'[{"field":"name_ru","from":null,"to":"КНБ"},{"field":"aliases","from":[],"to":["MVD"]}]'} WHERE seq = 5`.execute(
      store.db,
    );
    const r = await verifyStore(store);
    expect(r).toMatchObject({ ok: false, break: { kind: 'entry_altered', seq: 5 } });
    // Removed altogether: the entry no longer has the bytes it was hashed with either.
    await sql`UPDATE audit_entry SET changes = NULL WHERE seq = 5`.execute(store.db);
    expect(await verifyStore(store)).toMatchObject({ ok: false, break: { kind: 'entry_altered', seq: 5 } });
    // And changes added to an old entry are caught as well.
    await sql`UPDATE audit_entry SET changes = '[]' WHERE seq = 2`.execute(store.db);
    expect(await verifyStore(store)).toMatchObject({ ok: false, break: { kind: 'entry_altered', seq: 2 } });
  });

  it.runIf(dialect === 'sqlite')(
    'finds the same on the parallel path, whose workers hash the changes too',
    async () => {
      expect(await verifyStore(store, undefined, { parallelFrom: 1 })).toMatchObject({ ok: true, entries: 6 });
      await sql`UPDATE audit_entry SET changes = '[]' WHERE seq = 5`.execute(store.db);
      expect(await verifyStore(store, undefined, { parallelFrom: 1 })).toMatchObject({
        ok: false,
        break: { kind: 'entry_altered', seq: 5 },
      });
    },
  );
});
