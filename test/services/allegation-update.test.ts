import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAllegation } from '../../src/services/allegation.service.ts';
import { updateAllegation } from '../../src/services/allegation-update.service.ts';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { updateFacility } from '../../src/services/facility.service.ts';
import { importRecords, linesOf } from '../../src/services/import.service.ts';
import { findAllegation } from '../../src/store/repositories/allegation.repository.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { openTestServices, registerActors } from '../support/factories.ts';

const documenter = { id: 'user:doc', role: 'documenter' as const };

describeEachDialect('updating records', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  let id: string;
  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
    await registerActors(svc, documenter);
    await importRecords(
      svc,
      SYSTEM,
      linesOf([
        { type: 'facility', externalId: 'f', name: 'SIZO', kind: 'pretrial_detention', aliases: ['СИЗО'] },
        { type: 'area', externalId: 'basement', facilityId: 'f', level: 'floor', label: 'Basement' },
        { type: 'source', externalId: 's1', kind: 'news_article', title: 'Article' },
      ]),
    );
    ({ id } = await createAllegation(svc, documenter, {
      title: 'Beating',
      facilityId: 'f',
      acts: [{ kind: 'beating' }],
      sources: [{ sourceId: 's1' }],
      consent: ['record'],
    }));
  });
  afterEach(async () => dispose());

  it('changes fields, replaces the acts, keeps what was not sent, and stays verifiable', async () => {
    const r = await updateAllegation(svc, documenter, id, {
      title: 'Beating and threats',
      areaId: 'basement',
      acts: [{ kind: 'beating' }, { kind: 'threats' }],
      version: 1,
    });
    expect(r.version).toBe(2);
    const a = (await findAllegation(svc.store.db, id, undefined))!;
    expect(a).toMatchObject({ title: 'Beating and threats', consent: ['record'], sources: [{ relation: 'reports' }] });
    expect(a.acts.map((x) => x.kind).sort()).toEqual(['beating', 'threats']);
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('refuses an area of another facility, an unknown field and a stale version, writing nothing', async () => {
    await importRecords(
      svc,
      SYSTEM,
      linesOf([{ type: 'facility', externalId: 'g', name: 'IVS', kind: 'temporary_detention_isolator' }]),
    );
    const before = await verifyStore(svc.store);
    await expect(
      updateAllegation(svc, documenter, id, { facilityId: 'g', areaId: 'basement', version: 1 }),
    ).rejects.toMatchObject({ code: 'validation.invalid', path: 'areaId' });
    await expect(updateAllegation(svc, documenter, id, { colour: 'red', version: 1 })).rejects.toMatchObject({
      code: 'validation.invalid',
      path: '(root)',
    });
    await updateAllegation(svc, documenter, id, { title: 'x', version: 1 });
    await expect(updateAllegation(svc, documenter, id, { title: 'y', version: 1 })).rejects.toMatchObject({
      code: 'record.conflict',
    });
    expect((await verifyStore(svc.store)).entries).toBe(before.entries + 1);
  });

  it('lets exactly one of 20 simultaneous editors of the same version win; the others get record.conflict', async () => {
    const editors = Array.from({ length: 20 }, (_, i) => ({ id: `user:${i}`, role: 'documenter' as const }));
    await registerActors(svc, ...editors);
    const results = await Promise.allSettled(
      editors.map((editor, i) => updateAllegation(svc, editor, id, { title: `edit ${i}`, version: 1 })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'record.conflict' });
    expect((await findAllegation(svc.store.db, id, undefined))!.version).toBe(2);
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('updates a facility without resetting its defaults', async () => {
    const f = await svc.store.db
      .selectFrom('facility')
      .selectAll()
      .where('external_id', '=', 'f')
      .executeTakeFirstOrThrow();
    await updateFacility(svc, SYSTEM, f.id, { city: 'Almaty', version: 1 });
    const after = await svc.store.db
      .selectFrom('facility')
      .selectAll()
      .where('id', '=', f.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ city: 'Almaty', aliases: '["СИЗО"]', country: 'KZ', version: 2 });
  });
});
