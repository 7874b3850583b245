import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeServices, SYSTEM } from '../../src/services/context.ts';
import { openIdentityKey, readKeyRecord } from '../../src/services/identity-key.service.ts';
import { findPeopleByName, revealIdentity } from '../../src/services/person.service.ts';
import { upgradeSealedValues } from '../../src/services/seal-upgrade.service.ts';
import { runWrite } from '../../src/store/audited-writer.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import type { Store } from '../../src/store/database.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makePerson } from '../support/factories.ts';
import { sealV1 } from '../support/sealed-v1.ts';
import { fakeClock, openTestStore } from '../support/store.ts';

/** Turns the store into one written before 0009: no fingerprint, identities sealed as v1 (audited, as the old code wrote them). */
async function asBefore0009(
  store: Store,
  master: Buffer,
  people: Array<{ id: string; name: string; notes?: string }>,
): Promise<void> {
  await runWrite(store, { actor: 'system', at: '2022-01-01T00:00:00.000Z' }, async (w) => {
    for (const p of people) {
      await w.update('person', p.id, {
        name_enc: sealV1(master, p.name, 'person.name'),
        notes_enc: p.notes === undefined ? null : sealV1(master, p.notes, 'person.notes'),
      });
    }
  });
  await store.db.deleteFrom('key_fingerprint').execute();
}

describeEachDialect('the identity key of a database', (dialect) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let dir: string;
  let keyFile: string;
  beforeEach(async () => {
    ({ store, dispose } = await openTestStore(dialect));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-keytest-'));
    keyFile = path.join(dir, 'vigil.key');
  });
  afterEach(async () => {
    await dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a key file only for a database without sealed data, and records its fingerprint on first use', async () => {
    const ring = await openIdentityKey(store, { keyFile, env: {}, clock: fakeClock() });
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await readKeyRecord(store.db)).toMatchObject({
      purpose: 'identity',
      fingerprint: ring.fingerprint,
      next_fingerprint: null,
    });
    const note = await store.db.selectFrom('audit_entry').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(note).toMatchObject({ action: 'key.fingerprint_recorded', entity_type: 'key', entity_id: ring.keyId });
    expect(JSON.stringify(await store.db.selectFrom('key_fingerprint').selectAll().execute())).not.toContain(
      fs.readFileSync(keyFile, 'utf8').trim(),
    );
    expect((await openIdentityKey(store, { keyFile, env: {} })).fingerprint).toBe(ring.fingerprint);
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });

  it('refuses a missing key (key.missing) and a different one (key.mismatch), writing nothing', async () => {
    const master = randomBytes(32);
    const env = { VIGIL_KEY: master.toString('hex') };
    const svc = makeServices(store, await openIdentityKey(store, { keyFile, env }), { clock: fakeClock() });
    await makePerson(svc, { identity: { name: 'Aigul Sarsenova' } });
    const entries = async () => (await store.db.selectFrom('audit_entry').select('seq').execute()).length;
    const before = await entries();
    await expect(openIdentityKey(store, { keyFile, env: {} })).rejects.toMatchObject({ code: 'key.missing' });
    expect(fs.existsSync(keyFile)).toBe(false);
    await expect(
      openIdentityKey(store, { keyFile, env: { VIGIL_KEY: randomBytes(32).toString('hex') } }),
    ).rejects.toMatchObject({
      code: 'key.mismatch',
      message: expect.stringMatching(
        /^the identity key in VIGIL_KEY \(fingerprint [0-9a-f]{16}\) is not the key this database was sealed with \(fingerprint [0-9a-f]{16}\)$/,
      ),
    });
    // With its record gone, sealed data alone still tells a wrong key from the right one.
    await store.db.deleteFrom('key_fingerprint').execute();
    await expect(openIdentityKey(store, { keyFile, env: {} })).rejects.toMatchObject({ code: 'key.missing' });
    await expect(
      openIdentityKey(store, { keyFile, env: { VIGIL_KEY: randomBytes(32).toString('hex') } }),
    ).rejects.toMatchObject({ code: 'key.mismatch' });
    expect(await entries()).toBe(before);
    expect(await readKeyRecord(store.db)).toBeUndefined();
    expect((await openIdentityKey(store, { keyFile, env })).fingerprint).toBe(svc.keyring.fingerprint);
  });

  it('upgrades a database with v1 values: each re-sealed as v2 for its record, copies removed, resumable, audited', async () => {
    const master = randomBytes(32);
    const env = { VIGIL_KEY: master.toString('hex') };
    const plain = makeServices(store, new Keyring(master), { clock: fakeClock() });
    const people = [];
    for (let i = 0; i < 7; i++)
      people.push({
        id: await makePerson(plain, { roles: ['victim'] }),
        name: `Person Number${i}`,
        notes: i % 2 ? `note ${i}` : undefined,
      });
    await asBefore0009(store, master, people);
    // The old flaw: an insider pasted person 0's sealed name into a person of their own, made later.
    const copy = await makePerson(plain, { roles: ['victim'] });
    const v1Name = (
      await store.db.selectFrom('person').select('name_enc').where('id', '=', people[0]!.id).executeTakeFirstOrThrow()
    ).name_enc;
    await runWrite(store, { actor: 'cli:insider', at: '2022-01-02T00:00:00.000Z' }, (w) =>
      w.update('person', copy, { name_enc: v1Name }),
    );

    await expect(
      openIdentityKey(store, { keyFile, env: { VIGIL_KEY: randomBytes(32).toString('hex') } }),
    ).rejects.toMatchObject({ code: 'key.mismatch' });
    const svc = makeServices(store, await openIdentityKey(store, { keyFile, env }), { clock: fakeClock() });
    await expect(revealIdentity(svc, SYSTEM, people[1]!.id, 'test')).rejects.toMatchObject({
      code: 'crypto.decrypt_failed',
      message: expect.stringContaining('format v1'),
    });

    // Killed after its first batch: the second run finishes the rest.
    const stop = new Error('killed');
    await expect(
      upgradeSealedValues(svc, SYSTEM, {
        batchSize: 3,
        onProgress: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
    const r = await upgradeSealedValues(svc, SYSTEM, { batchSize: 3 });
    expect(r.upgraded).toBe(people.length - 3);
    // The copy went first, in the killed run, so the second found none.
    expect(r.copiesRemoved).toEqual([]);
    expect(
      await store.db
        .selectFrom('audit_entry')
        .select(['entity_id', 'reason'])
        .where('action', '=', 'identity.copy_removed')
        .execute(),
    ).toEqual([{ entity_id: copy, reason: `sealed person.name copied from person ${people[0]!.id} removed` }]);
    expect(r.unreadable).toEqual([]);

    const rows = await store.db.selectFrom('person').select(['id', 'name_enc', 'notes_enc']).execute();
    expect(
      rows.every((x) => [x.name_enc, x.notes_enc].every((v) => v === null || v.startsWith(`v2.${svc.keyring.keyId}.`))),
    ).toBe(true);
    for (const p of people)
      expect(await revealIdentity(svc, SYSTEM, p.id, 'test')).toMatchObject({ name: p.name, notes: p.notes ?? null });
    expect(await revealIdentity(svc, SYSTEM, copy, 'test')).toMatchObject({ name: null });
    expect(await findPeopleByName(svc, 'Person Number3')).toEqual([people[3]!.id]);
    const actions = await store.db
      .selectFrom('audit_entry')
      .select('action')
      .where('action', 'in', ['identity.reseal', 'identity.copy_removed'])
      .execute();
    expect(actions.filter((a) => a.action === 'identity.reseal').length).toBe(people.length);
    expect(actions.filter((a) => a.action === 'identity.copy_removed').length).toBe(1);
    expect(await upgradeSealedValues(svc, SYSTEM)).toEqual({ upgraded: 0, copiesRemoved: [], unreadable: [] });
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });
});
