import { randomBytes } from 'node:crypto';
import { Migrator, type Migration } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SAFEGUARD_CHECKS } from '../../src/domain/vocabularies.ts';
import { makeServices, SYSTEM, type Actor, type Services } from '../../src/services/context.ts';
import { createArea } from '../../src/services/facility.service.ts';
import { transitionRecommendationStatus } from '../../src/services/recommendation.service.ts';
import { createVisit, transitionVisit } from '../../src/services/visit.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { openStore } from '../../src/store/database.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import * as core from '../../src/store/migrations/0001-core.ts';
import * as search from '../../src/store/migrations/0002-search.ts';
import * as auth from '../../src/store/migrations/0003-auth.ts';
import * as evidence from '../../src/store/migrations/0004-evidence.ts';
import { describeEachDialect, freshDatabaseConfig } from '../support/databases.ts';
import { makeFacility, makeSource, makeStatement, openTestServices, registerActors } from '../support/factories.ts';
import { fakeClock } from '../support/store.ts';

const monitor: Actor = { id: 'user:monitor', role: 'monitor' };
const analyst: Actor = { id: 'user:analyst', role: 'analyst' };

const ALL_ANSWERED = Object.fromEntries(SAFEGUARD_CHECKS.map((c, i) => [c.id, i % 2 ? 'yes' : 'partial']));

describeEachDialect('visit and recommendation workflow', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  let facility: string;
  let basement: string;

  const visitRow = (id: string) =>
    svc.store.db.selectFrom('visit').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const recRow = (id: string) =>
    svc.store.db.selectFrom('recommendation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const plan = async (extra: Record<string, unknown> = {}) =>
    (
      await createVisit(svc, monitor, {
        facilityId: facility,
        body: 'NPM',
        visitDate: '2022-03-01',
        visitType: 'ad_hoc',
        mode: 'unannounced',
        team: ['monitor A'],
        recommendations: [{ text: 'Install CCTV in the semi-basement', addressee: 'MVD', deadline: '2022-06-01' }],
        ...extra,
      })
    ).id;
  const conduct = (id: string, extra: Record<string, unknown> = {}) =>
    transitionVisit(svc, monitor, id, {
      to: 'conducted',
      startedAt: '2022-03-01T09:00:00Z',
      endedAt: '2022-03-01T15:30:00Z',
      areaIds: [basement],
      registersExamined: ['custody register'],
      refusedAccess: [],
      ...extra,
    });

  beforeEach(async () => {
    const t = await openTestServices(dialect);
    svc = t.svc;
    dispose = t.dispose;
    await registerActors(svc, monitor, analyst);
    facility = await makeFacility(svc, { name: 'LA-155/18' });
    basement = (
      await createArea(svc, SYSTEM, {
        facilityId: facility,
        level: 'room',
        label: 'Semi-basement',
        externalId: 'area-basement',
      })
    ).id;
  });
  afterEach(async () => dispose());

  it('runs a visit from planned to closed, keeping what each step records, each step one audited change', async () => {
    const id = await plan();
    const reply = await makeStatement(svc, { speakerLabel: 'MVD', stance: 'denial' });
    expect(await conduct(id, { areaIds: ['area-basement', basement] })).toEqual({ status: 'conducted', version: 2 });
    let v = await visitRow(id);
    expect(v).toMatchObject({
      status: 'conducted',
      started_at: '2022-03-01T09:00:00Z',
      ended_at: '2022-03-01T15:30:00Z',
      area_ids: JSON.stringify([basement]),
      registers_examined: '["custody register"]',
      refused_access: '[]',
    });
    expect(
      await transitionVisit(svc, monitor, id, {
        to: 'findings_drafted',
        safeguards: ALL_ANSWERED,
        findings: 'No CCTV in the semi-basement',
        version: 2,
      }),
    ).toEqual({ status: 'findings_drafted', version: 3 });
    await transitionVisit(svc, monitor, id, { to: 'report_sent', responseDue: '2022-04-01' });
    await transitionVisit(svc, monitor, id, {
      to: 'response_received',
      replyStatementId: reply,
      reason: 'the ministry answered',
    });
    await transitionVisit(svc, monitor, id, { to: 'closed' });
    v = await visitRow(id);
    expect(v).toMatchObject({
      status: 'closed',
      response_due: '2022-04-01',
      reply_statement_id: reply,
      findings: 'No CCTV in the semi-basement',
      version: 6,
    });
    expect(JSON.parse(v.safeguards)).toEqual(ALL_ANSWERED);

    const log = await svc.store.db
      .selectFrom('audit_entry')
      .select(['action', 'actor', 'reason'])
      .where('entity_type', '=', 'visit')
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(log.map((e) => e.action)).toEqual([
      'create',
      'transition:planned->conducted',
      'transition:conducted->findings_drafted',
      'transition:findings_drafted->report_sent',
      'transition:report_sent->response_received',
      'transition:response_received->closed',
    ]);
    expect(log[4]).toMatchObject({ actor: monitor.id, reason: 'the ministry answered' });
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('refuses a step whose guard fails, naming the field, and changes nothing', async () => {
    const id = await plan();
    const before = await visitRow(id);
    await expect(conduct(id, { registersExamined: undefined })).rejects.toMatchObject({
      code: 'state.guard_failed',
      path: 'registersExamined',
    });
    await expect(conduct(id, { endedAt: '2022-03-01T08:00:00Z' })).rejects.toMatchObject({
      code: 'state.guard_failed',
      path: 'endedAt',
    });
    await expect(conduct(id, { areaIds: [], refusedAccess: [] })).rejects.toMatchObject({
      code: 'state.guard_failed',
      path: 'areaIds',
    });
    await expect(transitionVisit(svc, monitor, id, { to: 'cancelled' })).rejects.toMatchObject({
      code: 'state.guard_failed',
      path: 'cancellationReason',
    });
    await conduct(id);
    await expect(
      transitionVisit(svc, monitor, id, { to: 'findings_drafted', safeguards: { cctv: 'no' } }),
    ).rejects.toMatchObject({ code: 'state.guard_failed', path: expect.stringMatching(/^safeguards\./) });
    expect((await visitRow(id)).safeguards).toBe(before.safeguards);
    await expect(transitionVisit(svc, monitor, id, { to: 'report_sent' })).rejects.toMatchObject({
      code: 'state.transition_not_allowed',
    });
  });

  it('refuses steps the table does not have, and roles other than monitor', async () => {
    const id = await plan();
    await expect(transitionVisit(svc, monitor, id, { to: 'closed' })).rejects.toMatchObject({
      code: 'state.transition_not_allowed',
      path: 'status',
    });
    await expect(transitionVisit(svc, analyst, id, { to: 'cancelled', cancellationReason: 'x' })).rejects.toMatchObject(
      { code: 'state.transition_not_allowed', details: expect.objectContaining({ role: 'analyst' }) },
    );
    expect(
      await transitionVisit(svc, monitor, id, {
        to: 'cancelled',
        cancellationReason: 'facility closed for quarantine',
      }),
    ).toMatchObject({ status: 'cancelled' });
    expect((await visitRow(id)).cancellation_reason).toBe('facility closed for quarantine');
  });

  it('refuses a stale version with record.conflict, and areas of another facility', async () => {
    const id = await plan();
    await expect(conduct(id, { version: 7 })).rejects.toMatchObject({ code: 'record.conflict', path: 'version' });
    const elsewhere = (
      await createArea(svc, SYSTEM, { facilityId: await makeFacility(svc), level: 'room', label: 'Cell 1' })
    ).id;
    await expect(conduct(id, { areaIds: [basement, elsewhere] })).rejects.toMatchObject({
      code: 'validation.invalid',
      path: 'areaIds.1',
    });
    await expect(conduct(id, { areaIds: ['no-such-area'] })).rejects.toMatchObject({
      code: 'reference.missing',
      path: 'areaIds.0',
    });
    await expect(transitionVisit(svc, monitor, 'no-such-visit', { to: 'closed' })).rejects.toMatchObject({
      code: 'record.not_found',
    });
    await expect(transitionVisit(svc, monitor, id, { to: 'nowhere' })).rejects.toMatchObject({
      code: 'validation.invalid',
      path: 'to',
    });
    expect((await visitRow(id)).version).toBe(1);
  });

  it("follows a recommendation up; the authority's claim never verifies itself", async () => {
    const visit = await plan();
    const rec = `${visit}:r001`;
    const reply = await makeStatement(svc, { speakerLabel: 'MVD', stance: 'neutral' });
    const claimSource = await makeSource(svc, { kind: 'official_statement', title: 'MVD: CCTV installed' });
    const claim = await makeStatement(svc, { speakerLabel: 'MVD', sourceId: claimSource, gist: 'CCTV installed' });

    await expect(transitionRecommendationStatus(svc, monitor, rec, { to: 'accepted' })).rejects.toMatchObject({
      code: 'state.guard_failed',
      path: 'replyStatementId',
    });
    expect(
      await transitionRecommendationStatus(svc, monitor, rec, { to: 'accepted', replyStatementId: reply, version: 1 }),
    ).toEqual({ status: 'accepted', version: 2 });
    await transitionRecommendationStatus(svc, monitor, rec, { to: 'reported_implemented', claimStatementId: claim });
    await expect(
      transitionRecommendationStatus(svc, monitor, rec, { to: 'implemented_verified', evidenceSourceId: claimSource }),
    ).rejects.toMatchObject({ code: 'state.guard_failed', path: 'evidenceSourceId' });
    await expect(
      transitionRecommendationStatus(svc, monitor, rec, { to: 'implemented_verified', followUpVisitId: visit }),
    ).rejects.toMatchObject({ code: 'validation.invalid', path: 'followUpVisitId' });
    const later = await plan({ visitDate: '2022-07-01', visitType: 'follow_up', recommendations: [] });
    await expect(
      transitionRecommendationStatus(svc, monitor, rec, { to: 'implemented_verified', followUpVisitId: later }),
    ).rejects.toMatchObject({
      code: 'validation.invalid',
      path: 'followUpVisitId',
      message: expect.stringContaining('planned'),
    });
    await conduct(later);
    await expect(
      transitionRecommendationStatus(svc, monitor, rec, {
        to: 'implemented_verified',
        followUpVisitId: later,
        version: 2,
      }),
    ).rejects.toMatchObject({ code: 'record.conflict' });
    expect(
      await transitionRecommendationStatus(svc, monitor, rec, {
        to: 'implemented_verified',
        followUpVisitId: later,
        reason: 'seen on the follow-up visit',
      }),
    ).toMatchObject({ status: 'implemented_verified' });
    expect(await recRow(rec)).toMatchObject({
      status: 'implemented_verified',
      reply_statement_id: reply,
      claim_statement_id: claim,
      follow_up_visit_id: later,
      evidence_source_id: null,
    });
    await expect(transitionRecommendationStatus(svc, analyst, rec, { to: 'in_progress' })).rejects.toMatchObject({
      code: 'state.transition_not_allowed',
    });
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('records non-implementation only on a finding or evidence, and a renewed commitment after it', async () => {
    const visit = await plan();
    const rec = `${visit}:r001`;
    await transitionRecommendationStatus(svc, monitor, rec, {
      to: 'accepted',
      replyStatementId: await makeStatement(svc),
    });
    await expect(transitionRecommendationStatus(svc, monitor, rec, { to: 'not_implemented' })).rejects.toMatchObject({
      code: 'state.guard_failed',
      path: 'findingId',
    });
    const later = await plan({ visitDate: '2022-07-01', recommendations: [] });
    await conduct(later);
    await expect(
      transitionRecommendationStatus(svc, monitor, rec, { to: 'not_implemented', findingId: later }),
    ).rejects.toMatchObject({ code: 'validation.invalid', path: 'findingId' });
    await transitionVisit(svc, monitor, later, {
      to: 'findings_drafted',
      safeguards: ALL_ANSWERED,
      findings: 'Still no CCTV',
    });
    await transitionRecommendationStatus(svc, monitor, rec, { to: 'not_implemented', findingId: later });
    await expect(transitionRecommendationStatus(svc, monitor, rec, { to: 'in_progress' })).rejects.toMatchObject({
      code: 'state.guard_failed',
      path: 'commitmentStatementId',
    });
    await transitionRecommendationStatus(svc, monitor, rec, {
      to: 'in_progress',
      commitmentStatementId: await makeStatement(svc, { stance: 'admission' }),
    });
    expect(await recRow(rec)).toMatchObject({ status: 'in_progress', finding_id: later });
  });
});

describeEachDialect('migration 0005 on a database that already has visits', (dialect) => {
  it('accounts for the added columns in the audit log, so verify still passes', async () => {
    const fresh = await freshDatabaseConfig(dialect);
    const store = await openStore(fresh.config, { migrate: false });
    try {
      const before: Record<string, Migration> = {
        '0001-core': core,
        '0002-search': search,
        '0003-auth': auth,
        '0004-evidence': evidence,
      };
      const migrator = new Migrator({
        db: store.db,
        provider: { getMigrations: async () => before },
        migrationTableName: 'vigil_migration',
        migrationLockTableName: 'vigil_migration_lock',
      });
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const svc = makeServices(store, new Keyring(randomBytes(32)), { clock: fakeClock() });
      const facility = await makeFacility(svc);
      await createVisit(svc, SYSTEM, {
        facilityId: facility,
        body: 'NPM',
        visitDate: '2022-03-01',
        visitType: 'ad_hoc',
        mode: 'unannounced',
        team: ['A'],
        recommendations: [
          { text: 'Fix it', addressee: 'MVD', deadline: '2022-06-01' },
          { text: 'And this', addressee: 'MVD', deadline: '2022-06-01' },
        ],
      });
      // (verify reads every table the current code knows, so it runs once the schema is current)
      await migrateToLatest(store.db);
      expect(await verifyStore(store)).toMatchObject({ ok: true });
      const migrated = await store.db
        .selectFrom('audit_entry')
        .select(['entity_type', 'actor', 'reason'])
        .where('action', '=', 'migrate')
        .execute();
      expect(migrated.map((e) => e.entity_type).sort()).toEqual(['recommendation', 'recommendation', 'visit']);
      expect(migrated[0]).toMatchObject({ actor: 'system', reason: 'schema 0005-visit-conduct: columns added' });
      // The new columns work on the old rows.
      const v = await store.db.selectFrom('visit').select(['id', 'registers_examined']).executeTakeFirstOrThrow();
      expect(v.registers_examined).toBeNull();
    } finally {
      await store.close();
      await fresh.drop();
    }
  });
});
