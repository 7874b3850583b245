import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { login } from '../../src/services/auth.service.ts';
import { makeServices, SYSTEM, type Actor, type Services } from '../../src/services/context.ts';
import { openIdentityKey, readKeyRecord } from '../../src/services/identity-key.service.ts';
import { beginRotation, resealAll, rotationServices } from '../../src/services/key-rotation.service.ts';
import { revealIdentity } from '../../src/services/person.service.ts';
import { upgradeSealedValues } from '../../src/services/seal-upgrade.service.ts';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../src/services/second-factor.service.ts';
import { holdsSealedData } from '../../src/services/sealed-records.ts';
import { addUser } from '../../src/services/user.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import type { Store } from '../../src/store/database.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makePerson, uniqueLabel } from '../support/factories.ts';
import { sealV1 } from '../support/sealed-v1.ts';
import { manualClock } from '../api/auth-fixture.ts';
import { openTestStore } from '../support/store.ts';

const PASSWORD = 'quiet-lantern-orbit-meadow';
const STEP = 30_000;
const TOTP = { field: 'app_user.totp_secret' } as const;

describeEachDialect('key rotation and TOTP secrets', (dialect) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let dir: string;
  let keyFile: string;
  const time = manualClock();
  const codeAt = (secret: string) =>
    OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secret), timestamp: time.now().getTime() });
  let address = 0;
  const signIn = (svc: Services, username: string, code: string) =>
    login(svc, { username, password: PASSWORD, address: `203.0.113.${++address}`, code });

  beforeEach(async () => {
    ({ store, dispose } = await openTestStore(dialect));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-keytest-'));
    keyFile = path.join(dir, 'vigil.key');
  });
  afterEach(async () => {
    await dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A user with a confirmed TOTP factor; the clock ends past the confirming code's step. */
  async function enrolledUser(svc: Services): Promise<Actor & { username: string; secret: string }> {
    const username = uniqueLabel('analyst').toLowerCase();
    const u = await addUser(svc, SYSTEM, { username, role: 'analyst', password: PASSWORD });
    const actor: Actor = { id: u.id, role: 'analyst' };
    const { secret } = await startTotpEnrolment(svc, actor);
    await confirmTotpEnrolment(svc, actor, { code: codeAt(secret) });
    time.advance(STEP);
    return { ...actor, username, secret };
  }

  it('re-seals TOTP secrets with the people, resumably and audited: each opens under the new key alone and its codes sign in', async () => {
    const oldKey = randomBytes(32);
    const old = makeServices(
      store,
      await openIdentityKey(store, { keyFile, env: { VIGIL_KEY: oldKey.toString('hex') } }),
      { clock: time.clock },
    );
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await makePerson(old, { identity: { name: `Person Number${i}` } }));
    const users = [];
    for (let i = 0; i < 3; i++) users.push(await enrolledUser(old));

    const newKey = randomBytes(32);
    const keys = { old: oldKey, next: newKey };
    await beginRotation(store, keys, { actor: SYSTEM, clock: time.clock });
    // Killed once the first batch of TOTP secrets is committed (3 people in batches of 2, then 2 users).
    const stop = new Error('killed');
    await expect(
      resealAll(rotationServices(store, keys, { clock: time.clock }), SYSTEM, {
        batchSize: 2,
        onProgress: (done) => {
          if (done >= 5) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    const partial = await readKeyRecord(store.db);
    expect(partial?.rotation_cursor).toBe(`user_second_factor:${[...users.map((u) => u.id)].sort()[1]}`);
    const progress: Array<[number, number]> = [];
    const r = await resealAll(rotationServices(store, keys, { clock: time.clock }), SYSTEM, {
      batchSize: 2,
      onProgress: (d, t) => progress.push([d, t]),
    });
    expect(r).toEqual({ resealed: 0, byTable: { user_second_factor: 1 } });
    expect(progress[0]).toEqual([5, 6]);
    expect(progress.at(-1)).toEqual([6, 6]);
    expect(await readKeyRecord(store.db)).toMatchObject({
      fingerprint: new Keyring(newKey).fingerprint,
      next_fingerprint: null,
      rotation_cursor: null,
    });

    // The new key alone opens every secret, bound to its user; the old one opens none.
    const ring = new Keyring(newKey);
    for (const u of users) {
      const row = await store.db
        .selectFrom('user_second_factor')
        .select('totp_secret')
        .where('user_id', '=', u.id)
        .executeTakeFirstOrThrow();
      expect(row.totp_secret.startsWith(`v2.${ring.keyId}.`)).toBe(true);
      expect(ring.open(row.totp_secret, { ...TOTP, recordId: u.id })).toBe(u.secret);
      expect(() => new Keyring(oldKey).open(row.totp_secret, { ...TOTP, recordId: u.id })).toThrow(/another key/);
    }
    const rotated = await store.db
      .selectFrom('audit_entry')
      .select(['entity_type', 'entity_id', 'state_hash'])
      .where('action', '=', 'key.rotate')
      .execute();
    expect(
      rotated
        .filter((e) => e.entity_type === 'app_user')
        .map((e) => e.entity_id)
        .sort(),
    ).toEqual(users.map((u) => u.id).sort());
    expect(rotated.filter((e) => e.entity_type === 'app_user').every((e) => e.state_hash === null)).toBe(true);
    expect(
      rotated
        .filter((e) => e.entity_type === 'person')
        .map((e) => e.entity_id)
        .sort(),
    ).toEqual([...people].sort());

    // Signed in with the new key alone: a code computed from the secret is accepted.
    const next = makeServices(
      store,
      await openIdentityKey(store, { keyFile, env: { VIGIL_KEY: newKey.toString('hex') } }),
      { clock: time.clock },
    );
    for (const u of users) expect((await signIn(next, u.username, codeAt(u.secret))).user.id).toBe(u.id);
    expect(await revealIdentity(next, SYSTEM, people[0]!, 'test')).toMatchObject({ name: 'Person Number0' });
    await expect(openIdentityKey(store, { keyFile, env: { VIGIL_KEY: oldKey.toString('hex') } })).rejects.toMatchObject(
      { code: 'key.mismatch' },
    );
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });

  it('a database whose only sealed value is a TOTP secret refuses to start without its key (key.missing) or with another (key.mismatch)', async () => {
    const master = randomBytes(32);
    const env = { VIGIL_KEY: master.toString('hex') };
    const svc = makeServices(store, await openIdentityKey(store, { keyFile, env }), { clock: time.clock });
    const u = await enrolledUser(svc);
    expect(await store.db.selectFrom('person').select('id').execute()).toEqual([]);
    // Without the recorded fingerprint (a database from before 0009) the sealed secret alone tells.
    await store.db.deleteFrom('key_fingerprint').execute();
    expect(await holdsSealedData(store.db)).toBe(true);
    await expect(openIdentityKey(store, { keyFile, env: {} })).rejects.toMatchObject({ code: 'key.missing' });
    expect(fs.existsSync(keyFile)).toBe(false);
    await expect(
      openIdentityKey(store, { keyFile, env: { VIGIL_KEY: randomBytes(32).toString('hex') } }),
    ).rejects.toMatchObject({ code: 'key.mismatch' });
    expect(await readKeyRecord(store.db)).toBeUndefined();
    const again = makeServices(store, await openIdentityKey(store, { keyFile, env }), { clock: time.clock });
    expect((await signIn(again, u.username, codeAt(u.secret))).user.id).toBe(u.id);
  });

  it('upgrades a TOTP secret sealed as v1 (bound to its user) to v2, so its codes sign in again and a rotation carries it', async () => {
    const master = randomBytes(32);
    const env = { VIGIL_KEY: master.toString('hex') };
    const svc = makeServices(store, await openIdentityKey(store, { keyFile, env }), { clock: time.clock });
    const u = await enrolledUser(svc);
    await store.db
      .updateTable('user_second_factor')
      .set({ totp_secret: sealV1(master, u.secret, `app_user.totp_secret:${u.id}`) })
      .where('user_id', '=', u.id)
      .execute();
    await store.db.deleteFrom('key_fingerprint').execute();
    await expect(
      openIdentityKey(store, { keyFile, env: { VIGIL_KEY: randomBytes(32).toString('hex') } }),
    ).rejects.toMatchObject({ code: 'key.mismatch' });
    const opened = makeServices(store, await openIdentityKey(store, { keyFile, env }), { clock: time.clock });
    const r = await upgradeSealedValues(opened, SYSTEM);
    expect(r).toEqual({ upgraded: 1, copiesRemoved: [], unreadable: [] });
    const note = await store.db.selectFrom('audit_entry').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(note).toMatchObject({ action: 'seal.reseal', entity_type: 'app_user', entity_id: u.id, state_hash: null });
    expect((await signIn(opened, u.username, codeAt(u.secret))).user.id).toBe(u.id);
    time.advance(STEP);

    const next = randomBytes(32);
    await beginRotation(store, { old: master, next }, { actor: SYSTEM, clock: time.clock });
    expect(await resealAll(rotationServices(store, { old: master, next }, { clock: time.clock }), SYSTEM)).toEqual({
      resealed: 0,
      byTable: { user_second_factor: 1 },
    });
    const rotated = makeServices(store, new Keyring(next), { clock: time.clock });
    expect((await signIn(rotated, u.username, codeAt(u.secret))).user.id).toBe(u.id);
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });
});
