import fs from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { createPerson, findPeopleByName, revealIdentity, updatePerson } from '../../src/services/person.service.ts';
import { exportRecords } from '../../src/services/export.service.ts';
import { isVigilError } from '../../src/domain/errors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { openTestServices, registerActors } from '../support/factories.ts';

const CANARY = 'Канарейкина Зульфия Сентинеловна';

describeEachDialect('people and identities', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
  });
  afterEach(async () => dispose());

  it('stores identity fields only as ciphertext and gives pseudonyms in order', async () => {
    const a = await createPerson(svc, SYSTEM, {
      roles: ['victim'],
      identity: {
        name: CANARY,
        birthDate: '1990-05-01',
        contacts: '+7 777 123 4567',
        notes: 'lives at Sentinel street 5',
      },
    });
    const b = await createPerson(svc, SYSTEM, { roles: ['witness'] });
    const rows = await svc.store.db.selectFrom('person').selectAll().orderBy('pseudonym').execute();
    expect(rows.map((r) => r.pseudonym)).toEqual(['V-0001', 'V-0002']);
    const raw = JSON.stringify(rows);
    for (const secret of [CANARY, 'Канарейкина', '1990-05-01', '777 123', 'Sentinel street'])
      expect(raw).not.toContain(secret);
    expect(rows[0]!.name_enc).toMatch(/^v2\.[0-9a-f]{16}\./);
    expect(rows[1]!.name_enc).toBeNull();
    expect(a.id).not.toBe(b.id);
    if (svc.store.config.dialect === 'sqlite') {
      svc.store.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
      const bytes = fs.readFileSync(svc.store.config.file);
      for (const secret of [CANARY, 'Канарейкина', 'Sentinel street', '777 123']) {
        expect(bytes.includes(Buffer.from(secret, 'utf8')), secret).toBe(false);
      }
    }
  });

  it('matches names across Cyrillic and Latin spellings without decrypting', async () => {
    const p = await createPerson(svc, SYSTEM, { roles: ['victim'], identity: { name: 'Нурдилда Ораз' } });
    await createPerson(svc, SYSTEM, { roles: ['victim'], identity: { name: 'Someone Else' } });
    expect(await findPeopleByName(svc, 'Nurdilda Oraz')).toEqual([p.id]);
    expect(await findPeopleByName(svc, 'ORAZ Nurdilda')).toEqual([p.id]);
    expect(await findPeopleByName(svc, 'Nurdilda Oras')).toEqual([]);
  });

  it('matches a name pasted with invisible characters (zero-width space, joiners, soft hyphen) to the typed name', async () => {
    const pasted = await createPerson(svc, SYSTEM, {
      roles: ['victim'],
      identity: { name: 'Нур\u200Bдил\u00ADда О\u200Cр\u200Dаз' },
    });
    expect(await findPeopleByName(svc, 'Нурдилда Ораз')).toEqual([pasted.id]);
    expect(await findPeopleByName(svc, 'Nur\u2060dilda Oraz\uFEFF')).toEqual([pasted.id]);
  });

  it('reveals an identity only with a reason, and audits who saw whose name', async () => {
    const p = await createPerson(svc, SYSTEM, { roles: ['victim'], identity: { name: CANARY } });
    const analyst = { id: 'user:ana', role: 'analyst' as const };
    await registerActors(svc, analyst);
    expect((await revealIdentity(svc, analyst, p.id, 'preparing the complaint')).name).toBe(CANARY);
    const entry = await svc.store.db
      .selectFrom('audit_entry')
      .selectAll()
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      actor: 'user:ana',
      action: 'identity.view',
      entity_id: p.id,
      reason: 'preparing the complaint',
    });
    const err = await revealIdentity(svc, { id: 'user:v', role: 'viewer' }, p.id, 'curious').catch((e) => e);
    expect(isVigilError(err, 'record.not_found')).toBe(true);
    await expect(revealIdentity(svc, analyst, p.id, '  ')).rejects.toThrow(/reason is required/);
  });

  it('refuses a public name for a victim', async () => {
    const err = await createPerson(svc, SYSTEM, { roles: ['victim'], publicName: CANARY }).catch((e) => e);
    expect(err).toMatchObject({ code: 'validation.invalid', path: 'publicName' });
  });

  it('never exports an identity in clear text', async () => {
    await createPerson(svc, SYSTEM, { roles: ['victim'], identity: { name: CANARY, notes: 'Sentinel street' } });
    let text = '';
    for await (const l of exportRecords(svc, SYSTEM, { sealedIdentities: true })) text += JSON.stringify(l);
    expect(text).toContain('sealedIdentity');
    expect(text).not.toContain('Канарейкина');
    expect(text).not.toContain('Sentinel');
  });

  it('updates custody and re-seals a changed name, moving its blind index', async () => {
    const p = await createPerson(svc, SYSTEM, {
      roles: ['victim'],
      identity: { name: 'Нурдилда Ораз', contacts: 'kept' },
    });
    await updatePerson(svc, SYSTEM, p.id, { custody: 'released', identity: { name: 'Another Name' }, version: 1 });
    expect(await findPeopleByName(svc, 'Nurdilda Oraz')).toEqual([]);
    expect(await findPeopleByName(svc, 'another name')).toEqual([p.id]);
    const id = await revealIdentity(svc, SYSTEM, p.id, 'test');
    expect(id).toMatchObject({ name: 'Another Name', contacts: 'kept' });
    await expect(updatePerson(svc, SYSTEM, p.id, { publicName: 'X', version: 2 })).rejects.toMatchObject({
      path: 'publicName',
    });
  });
});
