import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  checkCheckpoint,
  currentCheckpoint,
  readCheckpoint,
  writeCheckpoint,
} from '../../src/store/audit-checkpoint.ts';
import { runWrite } from '../../src/store/audited-writer.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import type { Store } from '../../src/store/database.ts';
import { describeEachDialect } from '../support/databases.ts';
import { openTestStore } from '../support/store.ts';

const ctx = { actor: 'cli:test', at: '2022-02-01T09:00:00.000Z' };
const org = (id: string) => ({
  id,
  external_id: null,
  name: `Org ${id}`,
  name_ru: null,
  kind: 'ministry',
  aliases: '[]',
  country: 'KZ',
});

describeEachDialect('audit checkpoint outside the database', (dialect) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let dir: string;
  beforeEach(async () => {
    ({ store, dispose } = await openTestStore(dialect));
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-cp-'));
    for (const id of ['o1', 'o2', 'o3'])
      await runWrite(store, ctx, async (w) => void (await w.insert('organization', org(id))));
  });
  afterEach(async () => {
    await dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips through a file and passes while the chain only grows', async () => {
    const file = path.join(dir, 'checkpoint.json');
    expect(await readCheckpoint(file)).toBeNull();
    await writeCheckpoint(file, await currentCheckpoint(store, new Date('2022-02-02T00:00:00Z')));
    const cp = (await readCheckpoint(file))!;
    expect(cp).toMatchObject({ seq: 3, at: '2022-02-02T00:00:00.000Z' });
    await runWrite(store, ctx, async (w) => void (await w.insert('organization', org('o4'))));
    expect(await checkCheckpoint(store, cp)).toEqual({ ok: true });
  });

  it('catches a tail cut cleanly (entries, their records, their signed heads and the head row), which the database alone cannot show', async () => {
    const cp = await currentCheckpoint(store, new Date());
    await store.db.deleteFrom('audit_signature').where('seq', '=', 3).execute();
    await store.db.deleteFrom('audit_entry').where('seq', '=', 3).execute();
    await store.db.deleteFrom('organization').where('id', '=', 'o3').execute();
    const prev = await store.db.selectFrom('audit_entry').select('hash').where('seq', '=', 2).executeTakeFirstOrThrow();
    await store.db.updateTable('audit_head').set({ seq: 2, hash: prev.hash }).where('id', '=', 1).execute();
    expect(await verifyStore(store)).toMatchObject({ ok: true });
    expect(await checkCheckpoint(store, cp)).toMatchObject({ ok: false, kind: 'chain_truncated' });
  });

  it('catches a rewritten entry at the checkpoint', async () => {
    const cp = await currentCheckpoint(store, new Date());
    await store.db
      .updateTable('audit_entry')
      .set({ hash: 'f'.repeat(64) })
      .where('seq', '=', 3)
      .execute();
    expect(await checkCheckpoint(store, cp)).toMatchObject({ ok: false, kind: 'chain_rewritten' });
  });

  it('refuses a file that is not a checkpoint, naming it', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, '{"seq": "three"}');
    await expect(readCheckpoint(file)).rejects.toMatchObject({ code: 'config.invalid', path: 'checkpoint' });
  });
});
