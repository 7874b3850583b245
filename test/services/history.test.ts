/**
 * An allegation's history says what changed (issue 11): `{ field, from, to }` for the case's own
 * fields and parts, only `{ field, changed: true }` for a person's, in English and Russian words,
 * with usernames; and need-to-know leaves no trace of a person the reader may not see.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAllegation, transitionAllegationStatus } from '../../src/services/allegation.service.ts';
import { updateAllegation } from '../../src/services/allegation-update.service.ts';
import type { Actor, Services } from '../../src/services/context.ts';
import { allegationHistory, recordHistory, type HistoryEntry } from '../../src/services/history.service.ts';
import { revealIdentity, updatePerson } from '../../src/services/person.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { makeUser } from '../api/auth-fixture.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makePerson, makeSource, openTestServices } from '../support/factories.ts';

const OLD_NAME = 'Aigul Canarova-51d';
const NEW_NAME = 'Aigul Canarova-Seitkali-8e2';

const en = (e: HistoryEntry) => ({ label: e.label.en, details: e.details.map((d) => d.en) });
const ru = (e: HistoryEntry) => ({ label: e.label.ru, details: e.details.map((d) => d.ru) });

describeEachDialect('allegation history with changes', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  let ana: Actor & { username: string };
  let victim: string;
  let id: string;

  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
    ana = await makeUser(svc, 'analyst', { username: 'ana' });
    victim = await makePerson(svc, { roles: ['victim'], identity: { name: OLD_NAME } });
    const source = await makeSource(svc, { title: 'Article about the basement' });
    ({ id } = await createAllegation(svc, ana, {
      title: 'Beaten in the basement',
      period: { start: '2022-01-10', precision: 'day' },
      acts: [{ kind: 'beating', victimId: victim }, { kind: 'forced_signature' }],
      victims: [{ personId: victim }],
      sources: [{ sourceId: source, relation: 'reports' }],
      consent: ['record', 'share'],
    }));
    await updateAllegation(svc, ana, id, { title: 'Beaten and threatened in the basement', version: 1 });
    await updateAllegation(svc, ana, id, {
      acts: [{ kind: 'beating', victimId: victim }, { kind: 'threats' }],
      version: 2,
    });
    await updateAllegation(svc, ana, id, { consent: ['record'], version: 3 });
    await transitionAllegationStatus(svc, ana, id, { to: 'triage', reason: 'first look' });
    await updatePerson(svc, ana, victim, { identity: { name: NEW_NAME }, version: 1 });
  });
  afterEach(async () => dispose());

  it('shows each edit of the title, the acts and the consent as { field, from, to }, worded in English and Russian, by username', async () => {
    const h = await allegationHistory(svc, ana, id);
    const title = h.find((e) => e.entityType === 'allegation' && e.changes?.some((c) => c.field === 'title'))!;
    expect(title).toMatchObject({
      action: 'update',
      actor: ana.id,
      actorName: 'ana',
      actorLabel: { en: 'ana', ru: 'ana' },
    });
    expect(title.changes).toEqual([
      { field: 'title', from: 'Beaten in the basement', to: 'Beaten and threatened in the basement' },
    ]);
    expect(en(title)).toEqual({
      label: 'Allegation changed',
      details: ['Title: “Beaten in the basement” → “Beaten and threatened in the basement”'],
    });
    expect(ru(title)).toEqual({
      label: 'Сообщение изменено',
      details: ['Заголовок: «Beaten in the basement» → «Beaten and threatened in the basement»'],
    });

    // The acts edit removed one act and added another; the act given again unchanged was left alone.
    const acts = h.filter((e) => e.entityType === 'allegation_act');
    expect(acts.map((e) => [e.action, e.changes?.find((c) => c.field === 'kind')])).toEqual([
      ['create', { field: 'kind', from: null, to: 'beating' }],
      ['create', { field: 'kind', from: null, to: 'forced_signature' }],
      ['delete', { field: 'kind', from: 'forced_signature', to: null }],
      ['create', { field: 'kind', from: null, to: 'threats' }],
    ]);
    expect(en(acts[0]!)).toEqual({ label: 'Act added', details: ['Act: Beating', 'Victim: V-0001'] });
    expect(en(acts[2]!)).toEqual({ label: 'Act removed', details: ['Act: Forced signature'] });
    expect(ru(acts[3]!)).toEqual({ label: 'Добавлено действие', details: ['Действие: Угрозы жертве, родным'] });

    // Withdrawing a scope reads as a consent change, not a bare update.
    const consent = h.find((e) => e.changes?.some((c) => c.field === 'consent'))!;
    expect(consent.changes).toEqual([{ field: 'consent', from: ['record', 'share'], to: ['record'] }]);
    expect(en(consent)).toEqual({ label: 'Consent withdrawn', details: ['Consent withdrawn: Share with partners'] });
    expect(ru(consent)).toEqual({ label: 'Согласие отозвано', details: ['Согласие отозвано: Передача партнёрам'] });

    const step = h.find((e) => e.action === 'transition:received->triage')!;
    expect(step).toMatchObject({ reason: 'first look', actorName: 'ana' });
    expect(step.changes).toContainEqual({ field: 'verification_status', from: 'received', to: 'triage' });
    expect(en(step)).toMatchObject({
      label: 'Status changed',
      details: expect.arrayContaining(['Status: Received → Triage']),
    });
    expect(ru(step)).toMatchObject({
      label: 'Статус изменён',
      details: expect.arrayContaining(['Статус: Получено → Первичный разбор']),
    });

    // The source link and the victim named at creation carry their values too.
    expect(en(h.find((e) => e.entityType === 'allegation_source')!)).toEqual({
      label: 'Source linked',
      details: ['Source: Article about the basement', 'Relation: Reports'],
    });
    expect(en(h.find((e) => e.entityType === 'allegation_person')!)).toEqual({
      label: 'Victim named: V-0001',
      details: ['Person: V-0001', 'Role: Victim'],
    });
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it("records a person's identity edit only as { field, changed: true }: never the value, in the history or in the raw entry", async () => {
    const h = await allegationHistory(svc, ana, id);
    const edit = h.find((e) => e.entityType === 'person' && e.action === 'update')!;
    expect(edit.changes).toEqual([{ field: 'name', changed: true }]);
    expect(en(edit)).toEqual({ label: 'Person’s record changed: V-0001', details: ['Name: changed'] });
    expect(ru(edit)).toEqual({ label: 'Изменена запись лица: V-0001', details: ['Имя: изменено'] });
    expect(JSON.stringify(h)).not.toMatch(/Canarova/);

    const raw = await svc.store.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('entity_type', '=', 'person')
      .where('action', '=', 'update')
      .executeTakeFirstOrThrow();
    expect(raw.changes).toBe('[{"changed":true,"field":"name"}]');
    expect(JSON.stringify(raw)).not.toMatch(/Canarova/);
    const all = await svc.store.db.selectFrom('audit_entry').select('changes').execute();
    expect(JSON.stringify(all)).not.toMatch(/Canarova/);
    // The person's own history (`vigil history`) says the same.
    expect((await recordHistory(svc, victim)).map((e) => e.changes)).toEqual([
      null,
      [{ field: 'name', changed: true }],
    ]);
  });
});

describeEachDialect('allegation history and need-to-know', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
  });
  afterEach(async () => dispose());

  it('does not tell a colleague outside a case team that a hidden person exists, nor whose identity was revealed', async () => {
    const tea = await makeUser(svc, 'analyst', { username: 'tea' });
    const ben = await makeUser(svc, 'analyst', { username: 'ben' });
    const hidden = await makePerson(svc, { roles: ['victim'], identity: { name: 'Hidden Witness-77' } });
    const seen = await makePerson(svc, { roles: ['victim'] });
    // The hidden person is also the victim of a restricted case whose team is tea alone.
    await createAllegation(svc, tea, {
      title: 'Restricted case',
      sensitivity: 'restricted',
      period: { start: '2022-01-10', precision: 'day' },
      acts: [{ kind: 'beating' }],
      victims: [{ personId: hidden }],
    });
    const open = await makeAllegation(svc, {
      title: 'Internal case',
      acts: [
        { kind: 'beating', victimId: hidden },
        { kind: 'threats', victimId: seen },
      ],
      victims: [{ personId: hidden }, { personId: seen }],
    });
    await revealIdentity(svc, tea, hidden, 'for the complaint');
    await revealIdentity(svc, ben, seen, 'to call the family');
    const pseudonymOfHidden = (
      await svc.store.db.selectFrom('person').select('pseudonym').where('id', '=', hidden).executeTakeFirstOrThrow()
    ).pseudonym;

    const forBen = await allegationHistory(svc, ben, open);
    const text = JSON.stringify(forBen);
    expect(text).not.toContain(hidden);
    expect(text).not.toContain(pseudonymOfHidden);
    expect(forBen.filter((e) => e.entityType === 'allegation_person')).toHaveLength(1);
    expect(
      forBen.filter((e) => e.action === 'identity.view').map((e) => [e.entityId, e.actorName, e.label.en]),
    ).toEqual([[seen, 'ben', 'Identity revealed: V-0002']]);
    // The act whose victim is hidden is there, without its victim.
    expect(forBen.filter((e) => e.entityType === 'allegation_act').map((e) => e.changes)).toEqual([
      [{ field: 'kind', from: null, to: 'beating' }],
      [
        { field: 'kind', from: null, to: 'threats' },
        { field: 'victim_id', from: null, to: seen },
      ],
    ]);

    // The case team of the restricted case sees who was revealed, by whom, and why.
    const forTea = await allegationHistory(svc, tea, open);
    expect(
      forTea.filter((e) => e.action === 'identity.view').map((e) => [e.entityId, e.actorName, e.reason, e.label.ru]),
    ).toEqual([
      [hidden, 'tea', 'for the complaint', `Раскрыта личность: ${pseudonymOfHidden}`],
      [seen, 'ben', 'to call the family', 'Раскрыта личность: V-0002'],
    ]);
    expect(forTea.filter((e) => e.entityType === 'allegation_person')).toHaveLength(2);
    expect(JSON.stringify(forTea)).not.toContain('Hidden Witness');
  });
});
