import { afterAll, beforeAll, expect, it } from 'vitest';
import { isVigilError } from '../../src/domain/errors.ts';
import { makeServices, SYSTEM, type Services } from '../../src/services/context.ts';
import { statistics, type StatisticsReport } from '../../src/services/statistics.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  advanceAllegation,
  advanceStage,
  classify,
  makeAllegation,
  makeCaseWithVerdict,
  makeCriminalCase,
  makeFacility,
  makeInternalInquiry,
  makeReportedFigure,
  makeSource,
  makeStatement,
  markDuplicate,
  openTestServices,
  refuseRegistration,
  registerErdr,
  startInvestigation,
} from '../support/factories.ts';

const RUN_AT = '2024-05-01T12:00:00.000Z';

interface World {
  sizo: string;
  ivs: string;
  a: Record<'a1' | 'a2' | 'a3' | 'a4' | 'a5' | 'dup', string>;
  figures: Record<'orazReports' | 'orazInvestigations' | 'orazInquiries' | 'pgCases', string>;
  article: string;
  pgSource: string;
}

/**
 * Allegations (a6 is a duplicate of a1):
 *   a1 SIZO 2022-01-10  beating + electric_shock  torture    received
 *   a2 SIZO 2022-01-25  beating                   cidt       triage
 *   a3 IVS  2022-03     threats                   undetermined received
 *   a4 IVS  2021        beating ×2                undetermined received
 *   a5 —    —           (no acts)                 undetermined received
 * Proceedings:
 *   c1 on a1: complaint → registered_erdr → pre_trial_investigation → terminated
 *   c2 on a2: complaint → registration refused
 *   c3 on a3: complaint → … → verdict: one convicted
 *   c4 on a4: complaint → refused, redirected to an internal inquiry (opens inquiry i1)
 *   c5 (no allegation): complaint → … → verdict: acquitted
 *   i2 on a1: internal inquiry
 */
async function buildWorld(svc: Services): Promise<World> {
  const sizo = await makeFacility(svc, { externalId: 'sizo', name: 'SIZO LA-155/18', aliases: ['СИЗО ЛА-155/18'] });
  const ivs = await makeFacility(svc, { name: 'IVS Shymkent', kind: 'temporary_detention_isolator' });
  const a1 = await makeAllegation(svc, {
    facilityId: sizo,
    period: { start: '2022-01-10', precision: 'day' },
    acts: [{ kind: 'beating' }, { kind: 'electric_shock' }],
  });
  const a2 = await makeAllegation(svc, {
    facilityId: sizo,
    period: { start: '2022-01-25', precision: 'day' },
    acts: [{ kind: 'beating' }],
  });
  const a3 = await makeAllegation(svc, {
    facilityId: ivs,
    period: { start: '2022-03', precision: 'month' },
    acts: [{ kind: 'threats' }],
  });
  const a4 = await makeAllegation(svc, {
    facilityId: ivs,
    period: { start: '2021', precision: 'year' },
    acts: [{ kind: 'beating' }, { kind: 'beating' }],
  });
  const a5 = await makeAllegation(svc, { period: { precision: 'unknown' }, acts: [] });
  const dup = await makeAllegation(svc, {
    facilityId: sizo,
    period: { start: '2022-01-10', precision: 'day' },
    acts: [{ kind: 'beating' }],
  });
  await markDuplicate(svc, dup, a1);
  await classify(svc, a1, 'torture');
  await classify(svc, a2, 'cidt');
  await advanceAllegation(svc, a2, 'triage');

  const c1 = await makeCriminalCase(svc, { allegationId: a1 });
  await registerErdr(svc, c1);
  await startInvestigation(svc, c1);
  await advanceStage(svc, c1, {
    to: 'terminated',
    onDate: '2022-02-20',
    decidedBy: 'investigator',
    details: { terminationGround: 'insufficient_evidence' },
  });
  const c2 = await makeCriminalCase(svc, { allegationId: a2 });
  await refuseRegistration(svc, c2);
  await makeCaseWithVerdict(
    svc,
    [
      { accusedId: 'officer-1', outcome: 'convicted', article: '146-2', sentence: '5 years' },
      { accusedId: 'officer-2', outcome: 'acquitted' },
    ],
    { allegationId: a3 },
  );
  const c4 = await makeCriminalCase(svc, { allegationId: a4 });
  await refuseRegistration(svc, c4, { details: { refusalKind: 'redirected_to_internal_inquiry' } });
  await makeCaseWithVerdict(svc, [{ accusedId: 'officer-3', outcome: 'acquitted' }]);
  await makeInternalInquiry(svc, { allegationId: a1 });

  // What the ministry and the prosecutor published: conflicting, kept apart, never summed.
  const article = await makeSource(svc, {
    title: 'Kazakhstan: The Ministry of Internal Affairs denies existence of torture cells',
    publishedAt: '2022-02',
  });
  const briefing = await makeStatement(svc, {
    sourceId: article,
    speakerLabel: 'Nurdilda Oraz, MVD',
    stance: 'neutral',
    gist: '27 torture reports, 7 investigations, 20 inquiries',
  });
  const oraz = {
    sourceId: article,
    statementId: briefing,
    speakerLabel: 'Nurdilda Oraz, MVD',
    scope: 'Kazakhstan, January events',
    asOf: '2022-01',
    asOfPrecision: 'part_of_month' as const,
    asOfText: 'end of January',
  };
  const orazReports = await makeReportedFigure(svc, {
    ...oraz,
    value: 27,
    counts: 'torture_reports',
    countsLabel: 'reports of torture',
  });
  const orazInvestigations = await makeReportedFigure(svc, {
    ...oraz,
    value: 7,
    counts: 'criminal_investigations',
    countsLabel: 'pre-trial investigations under art. 146',
  });
  const orazInquiries = await makeReportedFigure(svc, {
    ...oraz,
    value: 20,
    counts: 'internal_inquiries',
    countsLabel: 'facts under official inquiry',
  });
  const pgSource = await makeSource(svc, {
    title: 'Prosecutor General: 243 criminal cases',
    outlet: 'Trend',
    publishedAt: '2022-03-14',
  });
  const pgCases = await makeReportedFigure(svc, {
    sourceId: pgSource,
    speakerLabel: 'Prosecutor General',
    value: 243,
    counts: 'criminal_investigations',
    countsLabel: 'criminal cases',
    scope: 'Kazakhstan, complaints of torture after the January events',
    asOf: '2022-03-14',
    asOfPrecision: 'day',
  });
  return {
    sizo,
    ivs,
    a: { a1, a2, a3, a4, a5, dup },
    figures: { orazReports, orazInvestigations, orazInquiries, pgCases },
    article,
    pgSource,
  };
}

describeEachDialect('statistics service', (dialect) => {
  let svc: Services;
  let stats: Services; // same store, a fixed clock: the report says when the query ran
  let dispose: () => Promise<void>;
  let w: World;

  beforeAll(async () => {
    const t = await openTestServices(dialect);
    ({ svc, dispose } = t);
    stats = makeServices(t.store, svc.keyring, { clock: () => new Date(RUN_AT) });
    w = await buildWorld(svc);
  });
  afterAll(async () => dispose());

  it('counts documented allegations by facility, year, month, act, classification and status', async () => {
    const r = await statistics(stats, SYSTEM, {});
    const al = r.documented.allegations;
    expect(al.total).toBe(5);
    expect(al.duplicatesExcluded).toBe(1);
    expect(al.byFacility).toEqual([
      { facilityId: w.ivs, name: 'IVS Shymkent', count: 2 },
      { facilityId: w.sizo, name: 'SIZO LA-155/18', count: 2 },
      { facilityId: null, name: null, count: 1 },
    ]);
    expect(al.byYear).toEqual([
      { period: '2021', count: 1 },
      { period: '2022', count: 3 },
      { period: null, count: 1 },
    ]);
    expect(al.byMonth).toEqual([
      { period: '2022-01', count: 2 },
      { period: '2022-03', count: 1 },
      { period: null, count: 2 },
    ]);
    expect(al.byAct).toEqual([
      { act: 'beating', label: 'Beating', count: 3 },
      { act: 'electric_shock', label: 'Electric shock', count: 1 },
      { act: 'threats', label: 'Threats', count: 1 },
    ]);
    expect(al.byClassification).toEqual([
      { classification: 'undetermined', label: 'Undetermined', count: 3 },
      { classification: 'cidt', label: 'Cruel, inhuman or degrading treatment', count: 1 },
      { classification: 'torture', label: 'Torture', count: 1 },
    ]);
    expect(al.byStatus).toEqual([
      { status: 'received', label: 'Received', count: 4 },
      { status: 'triage', label: 'Triage', count: 1 },
    ]);
    for (const part of [al.byFacility, al.byYear, al.byMonth, al.byClassification, al.byStatus]) {
      expect(part.reduce((s, x) => s + x.count, 0)).toBe(al.total);
    }
  });

  it('follows proceedings through the funnel from their stage history, inquiries apart (ST5)', async () => {
    const { funnel } = (await statistics(stats, SYSTEM)).documented;
    expect(funnel).toEqual({
      complaints: 5, // c1–c5: every criminal case starts as a complaint
      refused: 2, // c2, c4
      registered: 3, // c1 (later terminated: still registered), c3, c5
      investigated: 3,
      indicted: 2, // c3, c5
      convicted: 1, // c3; c5 ended in acquittal
      internalInquiries: 2, // i1 (opened by c4's redirection), i2
    });
  });

  it('narrows by facility (id or external id) and by period, funnel included', async () => {
    const ivs = await statistics(stats, SYSTEM, { facilityId: w.ivs });
    expect(ivs.filters).toEqual({ from: null, to: null, facilityId: w.ivs });
    expect(ivs.documented.allegations.total).toBe(2);
    expect(ivs.documented.allegations.byFacility).toEqual([{ facilityId: w.ivs, name: 'IVS Shymkent', count: 2 }]);
    expect(ivs.documented.funnel).toEqual({
      complaints: 2,
      refused: 1,
      registered: 1,
      investigated: 1,
      indicted: 1,
      convicted: 1,
      internalInquiries: 1,
    });

    const sizo = await statistics(stats, SYSTEM, { facilityId: 'sizo' });
    expect(sizo.filters.facilityId).toBe(w.sizo);
    expect(sizo.documented.allegations.total).toBe(2);
    expect(sizo.documented.allegations.duplicatesExcluded).toBe(1);
    expect(sizo.documented.funnel).toMatchObject({ complaints: 2, registered: 1, refused: 1, internalInquiries: 1 });

    const january = await statistics(stats, SYSTEM, { from: '2022-01', to: '2022-01' });
    expect(january.documented.allegations.total).toBe(2);
    expect(january.documented.allegations.byMonth).toEqual([{ period: '2022-01', count: 2 }]);
    const y2022 = await statistics(stats, SYSTEM, { from: '2022', to: '2022' });
    expect(y2022.documented.allegations.total).toBe(3);
    expect((await statistics(stats, SYSTEM, { to: '2021-12-31' })).documented.allegations.total).toBe(1);
    expect((await statistics(stats, SYSTEM, { from: '2022-02-01' })).documented.allegations.total).toBe(1);
  });

  it('lists every reported figure apart, with provenance, conflicting ones included (ST1–ST4)', async () => {
    const r = await statistics(stats, SYSTEM);
    expect(r.generatedAt).toBe(RUN_AT);
    expect(r.provenance.documented).toBe(`Vigil records, query run at ${RUN_AT}`);
    // The figures of this file's world, in the report's order (another test may report one more).
    const worldFigures: string[] = Object.values(w.figures);
    expect(r.reported.map((f) => f.id).filter((id) => worldFigures.includes(id))).toEqual([
      w.figures.orazInvestigations,
      w.figures.orazInquiries,
      w.figures.orazReports,
      w.figures.pgCases,
    ]);
    const investigations = r.reported.filter((f) => f.counts === 'criminal_investigations');
    expect(investigations.map((f) => [f.value, f.speakerLabel, f.asOf])).toEqual([
      [7, 'Nurdilda Oraz, MVD', '2022-01'],
      [243, 'Prosecutor General', '2022-03-14'],
    ]);
    expect(r.reported.find((f) => f.id === w.figures.orazReports)).toMatchObject({
      value: 27,
      valueMax: null,
      counts: 'torture_reports',
      countsLabel: 'reports of torture',
      scope: 'Kazakhstan, January events',
      asOf: '2022-01',
      asOfPrecision: 'part_of_month',
      asOfText: 'end of January',
      speakerLabel: 'Nurdilda Oraz, MVD',
      sourceId: w.article,
      sourceTitle: 'Kazakhstan: The Ministry of Internal Affairs denies existence of torture cells',
    });
    expect(r.reported.find((f) => f.id === w.figures.pgCases)).toMatchObject({
      sourceId: w.pgSource,
      statementId: null,
    });
    // ST1: the documented counts are Vigil's own, nothing reported is added in
    expect(r.documented.funnel.registered).toBe(3);
    expect(r.documented.funnel.internalInquiries).toBe(2);
    expect(r.documented.allegations.total).toBe(5);
  });

  it('keeps documented counts unchanged when more figures are reported', async () => {
    const before = await statistics(stats, SYSTEM);
    await makeReportedFigure(svc, {
      value: 190,
      counts: 'torture_victims',
      countsLabel: 'people tortured',
      speakerLabel: 'NGO Coalition against Torture',
      asOf: '2022-12-23',
      asOfPrecision: 'day',
      scope: 'Kazakhstan',
    });
    const after = await statistics(stats, SYSTEM);
    expect(after.documented).toEqual(before.documented);
    expect(after.reported).toHaveLength(before.reported.length + 1);
  });

  it('selects reported figures by their as-of date', async () => {
    const march: StatisticsReport = await statistics(stats, SYSTEM, { from: '2022-03', to: '2022-03' });
    expect(march.reported.map((f) => f.id)).toEqual([w.figures.pgCases]);
  });

  it('refuses bad input with validation.invalid and the field path', async () => {
    for (const [input, path] of [
      [{ from: '2022-13' }, 'from'],
      [{ to: '22' }, 'to'],
      [{ from: '2023', to: '2022-06' }, 'to'],
      [{ facilityId: '' }, 'facilityId'],
      [{ region: 'Almaty' }, '(root)'],
    ] as const) {
      const err = await statistics(stats, SYSTEM, input).catch((e: unknown) => e);
      expect(isVigilError(err, 'validation.invalid'), JSON.stringify(input)).toBe(true);
      expect((err as { path: string }).path).toBe(path);
    }
    const missing = await statistics(stats, SYSTEM, { facilityId: 'nowhere' }).catch((e: unknown) => e);
    expect(isVigilError(missing, 'reference.missing')).toBe(true);
  });
});
