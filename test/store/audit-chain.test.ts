import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runWrite } from '../../src/store/audited-writer.ts';
import { verifyStore, type VerifyResult } from '../../src/store/audit-verify.ts';
import type { Store } from '../../src/store/database.ts';
import { isVigilError } from '../../src/domain/errors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { openTestStore } from '../support/store.ts';

const ctx = { actor: 'cli:test', at: '2022-02-01T09:00:00.000Z' };

function org(id: string, name: string) {
  return { id, external_id: null, name, name_ru: null, kind: 'ministry', aliases: '[]', country: 'KZ' };
}

describeEachDialect('audit chain', (dialect) => {
  let store: Store;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dispose } = await openTestStore(dialect));
    await runWrite(store, ctx, async (w) => {
      await w.insert('organization', org('o1', 'Ministry of Internal Affairs'));
      await w.insert('organization', org('o2', "Prosecutor's Office"));
      await w.update('organization', 'o1', { name_ru: 'МВД' }, { expectedVersion: 1 });
    });
    await runWrite(store, ctx, async (w) => {
      await w.insert('organization', org('o3', 'Commissioner for human rights'));
    });
  });
  afterEach(async () => dispose());

  it('verifies an untouched store', async () => {
    const r = await verifyStore(store);
    expect(r).toMatchObject({ ok: true, entries: 4, records: 3 });
  });

  it('keeps the change and its entry together: a failing transaction writes neither', async () => {
    await expect(
      runWrite(store, ctx, async (w) => {
        await w.insert('organization', org('o4', 'x'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const n = await store.db.selectFrom('organization').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(3);
    expect(await verifyStore(store)).toMatchObject({ ok: true, entries: 4 });
  });

  it('refuses a stale write with record.conflict and bumps the version', async () => {
    const err = await runWrite(store, ctx, (w) =>
      w.update('organization', 'o1', { name: 'y' }, { expectedVersion: 1 }),
    ).catch((e) => e);
    expect(isVigilError(err, 'record.conflict')).toBe(true);
    const row = await runWrite(store, ctx, (w) =>
      w.update('organization', 'o1', { name: 'y' }, { expectedVersion: 2 }),
    );
    expect(row.version).toBe(3);
  });

  it('detects a record changed by SQL outside Vigil', async () => {
    await sql`UPDATE organization SET name = 'Something else' WHERE id = 'o2'`.execute(store.db);
    const r = await verifyStore(store);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.break).toMatchObject({ kind: 'record_altered', entity: 'organization o2' });
  });

  it('detects a record inserted outside Vigil', async () => {
    await sql`INSERT INTO organization (id, name, kind, aliases, created_at, updated_at, version) VALUES ('zz', 'n', 'ngo', '[]', 'x', 'x', 1)`.execute(
      store.db,
    );
    const r = await verifyStore(store);
    if (r.ok) expect.unreachable();
    else expect(r.break).toMatchObject({ kind: 'record_not_in_audit', entity: 'organization zz' });
  });

  it('detects a record deleted outside Vigil', async () => {
    await sql`DELETE FROM organization WHERE id = 'o3'`.execute(store.db);
    const r = await verifyStore(store);
    if (r.ok) expect.unreachable();
    else expect(r.break).toMatchObject({ kind: 'record_deleted_outside', entity: 'organization o3' });
  });

  it('detects a deleted audit entry', async () => {
    await sql`DELETE FROM audit_entry WHERE seq = 2`.execute(store.db);
    const r = await verifyStore(store);
    if (r.ok) expect.unreachable();
    else expect(r.break).toMatchObject({ kind: 'sequence_gap', seq: 2 });
  });

  it('detects reordered audit entries', async () => {
    await sql`UPDATE audit_entry SET seq = 100 WHERE seq = 2`.execute(store.db);
    await sql`UPDATE audit_entry SET seq = 2 WHERE seq = 3`.execute(store.db);
    await sql`UPDATE audit_entry SET seq = 3 WHERE seq = 100`.execute(store.db);
    const r = await verifyStore(store);
    if (r.ok) expect.unreachable();
    else expect(r.break).toMatchObject({ kind: 'previous_hash_mismatch', seq: 2 });
  });

  it('detects an edited audit entry', async () => {
    await sql`UPDATE audit_entry SET actor = 'someone-else' WHERE seq = 3`.execute(store.db);
    const r = await verifyStore(store);
    if (r.ok) expect.unreachable();
    else expect(r.break).toMatchObject({ kind: 'entry_altered', seq: 3 });
  });

  it('detects a truncated tail through the head', async () => {
    await sql`DELETE FROM audit_entry WHERE seq = 4`.execute(store.db);
    const r = await verifyStore(store);
    if (r.ok) expect.unreachable();
    else expect(r.break.kind).toBe('head_mismatch');
  });

  it('serialises concurrent writers into one valid chain', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        runWrite(store, ctx, (w) => w.insert('organization', org(`c${i}`, `org ${i}`))),
      ),
    );
    expect(await verifyStore(store)).toMatchObject({ ok: true, entries: 14, records: 13 });
  });
});

describeEachDialect('audit chain checked by worker threads', (dialect) => {
  it.runIf(dialect === 'sqlite')('finds the same first break as the sequential pass', async () => {
    const { store, dispose } = await openTestStore(dialect);
    try {
      for (let i = 0; i < 5; i++) {
        await runWrite(store, ctx, async (w) => {
          for (let j = 0; j < 20; j++) await w.insert('organization', org(`o${i}-${j}`, `Org ${i}-${j}`));
        });
      }
      const both = async (): Promise<[VerifyResult, VerifyResult]> => [
        await verifyStore(store),
        await verifyStore(store, undefined, { parallelFrom: 1 }),
      ];
      const [seq, par] = await both();
      expect(par).toEqual(seq);
      expect(par).toMatchObject({ ok: true, entries: 100, records: 100 });
      for (const tamper of [
        sql`UPDATE audit_entry SET actor = 'x' WHERE seq = 77`,
        sql`UPDATE audit_entry SET actor = 'user:test' WHERE seq = 77`,
        sql`DELETE FROM audit_entry WHERE seq = 51`,
      ]) {
        await tamper.execute(store.db);
        const [a, b] = await both();
        expect(b.ok).toBe(a.ok);
        if (!a.ok && !b.ok)
          expect({ kind: b.break.kind, seq: b.break.seq }).toEqual({ kind: a.break.kind, seq: a.break.seq });
      }
    } finally {
      await dispose();
    }
  });
});
