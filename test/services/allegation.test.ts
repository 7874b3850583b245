import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  classifyAllegation,
  createAllegation,
  transitionAllegationStatus,
} from '../../src/services/allegation.service.ts';
import { proposeAllegationTransition } from '../../src/services/allegation-proposal.service.ts';
import { makeServices, SYSTEM, type Services } from '../../src/services/context.ts';
import { importRecords, linesOf } from '../../src/services/import.service.ts';
import { advanceProceeding, openProceeding } from '../../src/services/proceeding.service.ts';
import { addUser } from '../../src/services/user.service.ts';
import { findAllegation } from '../../src/store/repositories/allegation.repository.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { describeEachDialect } from '../support/databases.ts';
import { fakeClock, openTestStore } from '../support/store.ts';
import { registerActors } from '../support/factories.ts';

const documenter = { id: 'user:doc', role: 'documenter' as const };
const viewer = { id: 'user:view', role: 'viewer' as const };

describeEachDialect('allegation workflow', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  let ana: { id: string; role: 'analyst' };
  let ben: { id: string; role: 'analyst' };
  beforeEach(async () => {
    const t = await openTestStore(dialect);
    dispose = t.dispose;
    svc = makeServices(t.store, new Keyring(randomBytes(32)), { clock: fakeClock() });
    ana = { id: (await addUser(svc, SYSTEM, { username: 'ana', role: 'analyst' })).id, role: 'analyst' };
    ben = { id: (await addUser(svc, SYSTEM, { username: 'ben', role: 'analyst' })).id, role: 'analyst' };
    await registerActors(svc, documenter, viewer);
    await importRecords(
      svc,
      SYSTEM,
      linesOf([
        { type: 'facility', externalId: 'f', name: 'SIZO', kind: 'pretrial_detention' },
        { type: 'source', externalId: 's1', kind: 'news_article', title: 'Article', url: 'https://news.example/a' },
        { type: 'source', externalId: 's2', kind: 'ngo_report', title: 'Report', url: 'https://ngo.example/r' },
      ]),
    );
  });
  afterEach(async () => dispose());

  async function record(sources = [{ sourceId: 's1', relation: 'reports' }]) {
    return createAllegation(svc, documenter, {
      title: 'Beating during questioning',
      facilityId: 'f',
      acts: [{ kind: 'beating' }],
      sources,
      consent: ['record'],
    });
  }

  it('records an allegation as received; a viewer may not', async () => {
    const { id } = await record();
    expect((await findAllegation(svc.store.db, id, undefined))!.verificationStatus).toBe('received');
    await expect(createAllegation(svc, viewer, { title: 'x' })).rejects.toMatchObject({
      code: 'state.transition_not_allowed',
    });
  });

  it('walks triage → safety check → verification → corroborated with two analysts and two independent sources', async () => {
    const { id } = await record([
      { sourceId: 's1', relation: 'reports' },
      { sourceId: 's2', relation: 'corroborates' },
    ]);
    await transitionAllegationStatus(svc, ana, id, { to: 'triage' });
    await transitionAllegationStatus(svc, ana, id, { to: 'consent_safety_check' });
    await transitionAllegationStatus(svc, ana, id, { to: 'under_verification', risk: 'medium' });
    await expect(transitionAllegationStatus(svc, ana, id, { to: 'corroborated' })).rejects.toMatchObject({
      code: 'state.guard_failed',
      path: 'proposalId',
    });
    const proposal = await proposeAllegationTransition(svc, ana, id, {
      to: 'corroborated',
      reason: 'two independent sources',
    });
    const r = await transitionAllegationStatus(svc, ben, id, {
      to: 'corroborated',
      proposalId: proposal.id,
      reason: 'two independent sources',
    });
    expect(r.status).toBe('corroborated');
    const history = await svc.store.db
      .selectFrom('audit_entry')
      .select(['action', 'actor', 'reason'])
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(history.map((h) => h.action)).toEqual([
      'create',
      'transition:received->triage',
      'transition:triage->consent_safety_check',
      'transition:consent_safety_check->under_verification',
      'transition:under_verification->corroborated',
    ]);
    expect(history[4]).toMatchObject({ actor: ben.id, reason: 'two independent sources' });
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('refuses an illegal transition with a stable code and writes nothing', async () => {
    const { id } = await record();
    const before = await verifyStore(svc.store);
    const err = await transitionAllegationStatus(svc, ana, id, { to: 'corroborated' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'state.transition_not_allowed', path: 'status' });
    expect(await verifyStore(svc.store)).toEqual(before);
  });

  it('refuses a stale version with record.conflict', async () => {
    const { id } = await record();
    await transitionAllegationStatus(svc, ana, id, { to: 'triage', version: 1 });
    await expect(
      transitionAllegationStatus(svc, ana, id, { to: 'on_hold_safety', reason: 'risk', version: 1 }),
    ).rejects.toMatchObject({ code: 'record.conflict' });
  });

  it('keeps the CAT suggestion beside the analyst decision', async () => {
    const { id } = await record();
    const checklist = {
      severity: 'severe',
      intent: 'intentional',
      purpose: 'confession_or_information',
      officialLink: 'direct',
      lawfulSanctionOnly: false,
    };
    const r = await classifyAllegation(svc, ana, id, {
      classification: 'torture',
      rationale: 'beaten to obtain a confession',
      catChecklist: checklist,
    });
    expect(r.suggestion?.suggestion).toBe('torture');
    const a = (await findAllegation(svc.store.db, id, undefined))!;
    expect(a).toMatchObject({ classification: 'torture', classificationRationale: 'beaten to obtain a confession' });
    await expect(
      classifyAllegation(svc, documenter, id, { classification: 'cidt', rationale: 'x' }),
    ).rejects.toMatchObject({ code: 'state.transition_not_allowed' });
  });

  it('follows a complaint to ERDR registration under art. 146 and refuses a skipped stage', async () => {
    const { id } = await record();
    const p = await openProceeding(svc, ana, {
      kind: 'criminal_case',
      allegationId: id,
      body: 'Prosecutor',
      reference: 'c-1',
      openedOn: '2022-02-01',
    });
    await expect(advanceProceeding(svc, ana, p.id, { to: 'trial', onDate: '2022-02-02' })).rejects.toMatchObject({
      code: 'state.transition_not_allowed',
    });
    await expect(
      advanceProceeding(svc, ana, p.id, {
        to: 'registered_erdr',
        onDate: '2022-02-02',
        sourceId: 's1',
        decidedBy: 'investigator',
        details: { article: '146' },
      }),
    ).rejects.toMatchObject({ code: 'state.guard_failed', path: 'details.erdrNumber' });
    const r = await advanceProceeding(svc, ana, p.id, {
      to: 'registered_erdr',
      onDate: '2022-02-02',
      sourceId: 's1',
      decidedBy: 'investigator',
      details: { erdrNumber: '2275', article: '146', part: '2' },
    });
    expect(r.stage).toBe('registered_erdr');
    const row = await svc.store.db
      .selectFrom('proceeding')
      .selectAll()
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ stage: 'registered_erdr', erdr_number: '2275', code_article: '146', code_part: '2' });
  });

  it('marks a duplicate only of an original: not of itself, not of another duplicate; workflow fields are not set at creation', async () => {
    const a = (await record()).id;
    const b = (await record()).id;
    const c = (await record()).id;
    for (const id of [b, c]) await transitionAllegationStatus(svc, ana, id, { to: 'triage' });
    await expect(
      transitionAllegationStatus(svc, ana, b, { to: 'duplicate', duplicateOf: b, reason: 'same' }),
    ).rejects.toMatchObject({ code: 'validation.invalid', path: 'duplicateOf' });
    await transitionAllegationStatus(svc, ana, b, { to: 'duplicate', duplicateOf: a, reason: 'same incident' });
    await expect(
      transitionAllegationStatus(svc, ana, c, { to: 'duplicate', duplicateOf: b, reason: 'same' }),
    ).rejects.toMatchObject({ code: 'state.guard_failed', path: 'duplicateOf' });
    expect((await findAllegation(svc.store.db, b, undefined))!.duplicateOf).toBe(a);
    await expect(
      createAllegation(svc, documenter, { title: 'x', consent: ['record'], urgent: true }),
    ).rejects.toMatchObject({ code: 'validation.invalid', path: 'urgent' });
  });
});
