import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVigilError } from '../../src/domain/errors.ts';
import { demoLines } from '../../src/demo/la-155-18.ts';
import type { Extraction } from '../../src/extract/types.ts';
import { SYSTEM, type Actor, type Services } from '../../src/services/context.ts';
import {
  decideFact,
  flattenExtraction,
  getExtraction,
  listQueue,
  proposeExtraction,
  proposeFromText,
  sourceKindOf,
} from '../../src/services/extraction-review.service.ts';
import { importRecords, linesOf } from '../../src/services/import.service.ts';
import { createPerson } from '../../src/services/person.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import type { AuditedTable } from '../../src/store/schema.ts';
import { describeEachDialect } from '../support/databases.ts';
import { ARTICLE, DENIAL, scenarioExtraction } from '../support/extraction-fixture.ts';
import { openTestServices, registerActors } from '../support/factories.ts';

const ANALYST: Actor = { id: 'user:analyst', role: 'analyst' };
const DOCUMENTER: Actor = { id: 'user:documenter', role: 'documenter' };
const VIEWER: Actor = { id: 'user:viewer', role: 'viewer' };
const RECORD_TABLES: AuditedTable[] = [
  'source',
  'statement',
  'reported_figure',
  'facility',
  'area',
  'organization',
  'person',
];

async function count(svc: Services, table: AuditedTable): Promise<number> {
  const r = await svc.store.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function counts(svc: Services): Promise<Record<string, number>> {
  return Object.fromEntries(await Promise.all(RECORD_TABLES.map(async (t) => [t, await count(svc, t)] as const)));
}

async function loadDemo(svc: Services): Promise<void> {
  await importRecords(svc, SYSTEM, linesOf(demoLines()));
}

describe('review queue helpers', () => {
  it('flattens an extraction into one fact per item, the layout part by part', () => {
    const facts = flattenExtraction(scenarioExtraction());
    expect(facts.filter((f) => f.field === 'facility_layout').map((f) => f.payload.part)).toEqual([
      'building',
      'cells',
      'room',
      'safeguard',
    ]);
    expect(facts.filter((f) => f.field === 'reported_figures')).toHaveLength(3);
    expect(facts.every((f) => !('span' in f.payload) && !('confidence' in f.payload))).toBe(true);
  });

  it('reads a government site as an official statement, anything else as a news article', () => {
    expect(sourceKindOf('https://www.gov.kz/memleket/entities/qriim/press/news/details/1')).toBe('official_statement');
    expect(sourceKindOf('https://mvd.gov.kz/x')).toBe('official_statement');
    expect(sourceKindOf('https://rus.azattyq.org/a/1.html')).toBe('news_article');
    expect(sourceKindOf(undefined)).toBe('news_article');
  });
});

describeEachDialect('review queue', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
    await registerActors(svc, ANALYST, DOCUMENTER, VIEWER);
  });
  afterEach(async () => dispose());

  const propose = async (actor: Actor = DOCUMENTER, extra: Record<string, unknown> = {}) => {
    const r = await proposeExtraction(
      svc,
      actor,
      { text: ARTICLE, title: 'MVD denies torture cells', url: 'https://example.org/la-155-18', ...extra },
      scenarioExtraction(),
      'test',
    );
    return { ...r, run: await getExtraction(svc, ANALYST, r.id) };
  };
  const factOf = (
    run: Awaited<ReturnType<typeof propose>>['run'],
    field: string,
    pick: (p: Record<string, unknown>) => boolean = () => true,
  ) => {
    const f = run.items.find((i) => i.field === field && pick(i.payload));
    if (!f) throw new Error(`no ${field} fact`);
    return f;
  };
  const accept = (id: string, version = 1, edits?: Record<string, unknown>) =>
    decideFact(svc, ANALYST, id, { decision: 'accept', version, ...(edits ? { edits } : {}) });
  const expectError = async (p: Promise<unknown>, code: string, path?: string) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isVigilError(err), String(err)).toBe(true);
    expect(err).toMatchObject({ code, ...(path ? { path } : {}) });
  };

  it('records nothing before a decision: the run and its facts wait in the queue, audited', async () => {
    await loadDemo(svc);
    const before = await counts(svc);
    const { id, created, facts, run } = await propose();
    expect(created).toBe(true);
    expect(facts).toBe(flattenExtraction(scenarioExtraction()).length);
    expect(await counts(svc)).toEqual(before);
    expect(run).toMatchObject({
      sourceId: null,
      sourceKind: 'news_article',
      language: 'en',
      text: ARTICLE,
      facts: { proposed: facts, accepted: 0 },
    });
    for (const f of run.items) expect(f.words).toBe(ARTICLE.slice(f.span.start, f.span.end));
    expect((await listQueue(svc, ANALYST, { extractionId: id })).length).toBe(facts);
    const audited = await svc.store.db
      .selectFrom('audit_entry')
      .select(['entity_type', 'action'])
      .where('action', '=', 'propose')
      .execute();
    expect(audited.length).toBe(facts + 1);
    // The same text by the same extractor is the same run.
    expect(await proposeExtraction(svc, DOCUMENTER, { text: ARTICLE }, scenarioExtraction(), 'test')).toEqual({
      id,
      created: false,
      facts,
    });
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it("accepting the ministry's denial creates one Statement on the article's Source, keeping the quoted words", async () => {
    await loadDemo(svc);
    const { run } = await propose();
    const denial = factOf(run, 'statements', (p) => p.stance === 'denial');
    const before = await counts(svc);
    const r = await accept(denial.id);
    expect(r).toMatchObject({ status: 'accepted', version: 2, recordType: 'statement' });
    expect(await counts(svc)).toEqual({ ...before, statement: before.statement! + 1, source: before.source! + 1 });

    const st = await svc.store.db
      .selectFrom('statement')
      .selectAll()
      .where('id', '=', r.recordId!)
      .executeTakeFirstOrThrow();
    const mvd = await svc.store.db
      .selectFrom('organization')
      .select('id')
      .where('external_id', '=', 'demo:la-155-18:org:mvd-kz')
      .executeTakeFirstOrThrow();
    expect(st).toMatchObject({
      stance: 'denial',
      quote: DENIAL,
      speaker_organization_id: mvd.id,
      speaker_label: 'Ministry of Internal Affairs of Kazakhstan',
    });
    const source = await svc.store.db
      .selectFrom('source')
      .selectAll()
      .where('id', '=', st.source_id)
      .executeTakeFirstOrThrow();
    expect(source).toMatchObject({
      kind: 'news_article',
      title: 'MVD denies torture cells',
      url: 'https://example.org/la-155-18',
      content: ARTICLE,
      language: 'en',
    });

    const after = await getExtraction(svc, ANALYST, run.id);
    expect(after.sourceId).toBe(source.id);
    const kept = after.items.find((i) => i.id === denial.id)!;
    expect(kept).toMatchObject({
      status: 'accepted',
      recordType: 'statement',
      recordId: st.id,
      decidedBy: ANALYST.id,
      span: denial.span,
    });
    expect(after.text.slice(kept.span.start, kept.span.end)).toBe(DENIAL);
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('accepting the 27/7/20 figures creates reported figures with speaker, as-of date and source (ST2)', async () => {
    const { run } = await propose();
    const briefing = factOf(run, 'statements', (p) => p.speaker === 'Nurdilda Oraz');
    const statement = await accept(briefing.id);
    const [f27, f7, f20] = [27, 7, 20].map((v) => factOf(run, 'reported_figures', (p) => p.value === v));

    // The text gives no year: a figure without an as-of date is not recorded.
    await expectError(accept(f27!.id), 'validation.invalid', 'edits.asOf');
    const r27 = await accept(f27!.id, 1, { asOf: '2022-01', asOfPrecision: 'part_of_month' });
    // Correcting the date fact once gives the others their year.
    const date = factOf(run, 'dates');
    expect(
      await decideFact(svc, ANALYST, date.id, {
        decision: 'edit',
        edits: { iso: '2022-01' },
        reason: 'the January riots were in 2022',
        version: 1,
      }),
    ).toMatchObject({ status: 'edited', recordType: 'source' });
    const r7 = await accept(f7!.id);
    const r20 = await accept(f20!.id);

    const figures = await svc.store.db.selectFrom('reported_figure').selectAll().orderBy('value', 'desc').execute();
    expect(figures.map((f) => [f.value, f.counts, f.as_of, f.speaker_label])).toEqual([
      [27, 'torture_reports', '2022-01', 'Nurdilda Oraz'],
      [20, 'internal_inquiries', '2022-01', 'Nurdilda Oraz'],
      [7, 'criminal_investigations', '2022-01', 'Nurdilda Oraz'],
    ]);
    const sourceId = (await getExtraction(svc, ANALYST, run.id)).sourceId;
    for (const f of figures) {
      expect(f).toMatchObject({
        source_id: sourceId,
        statement_id: statement.recordId,
        scope: 'Kazakhstan',
        as_of_precision: 'part_of_month',
        as_of_text: 'end of January',
      });
    }
    expect([r27.recordId, r7.recordId, r20.recordId].sort()).toEqual(figures.map((f) => f.id).sort());
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('links the facility LA-155/18 to the demo facility instead of duplicating it, and its layout to the demo areas', async () => {
    await loadDemo(svc);
    const { run } = await propose();
    const demo = await svc.store.db
      .selectFrom('facility')
      .select('id')
      .where('external_id', '=', 'demo:la-155-18:facility:kz-almaty-la-155-18')
      .executeTakeFirstOrThrow();
    const before = await counts(svc);
    const r = await accept(factOf(run, 'facilities').id);
    expect(r).toMatchObject({ recordType: 'facility', recordId: demo.id });
    const building = await accept(factOf(run, 'facility_layout', (p) => p.part === 'building').id);
    const room = await accept(factOf(run, 'facility_layout', (p) => p.part === 'room').id);
    const cells = await accept(factOf(run, 'facility_layout', (p) => p.part === 'cells').id);
    const areas = await svc.store.db
      .selectFrom('area')
      .select(['id', 'external_id'])
      .where('facility_id', '=', demo.id)
      .execute();
    const byExt = new Map(areas.map((a) => [a.external_id, a.id]));
    expect(building.recordId).toBe(byExt.get('demo:la-155-18:area:administrative-building'));
    expect(room.recordId).toBe(byExt.get('demo:la-155-18:area:semi-basement-rooms'));
    expect(cells).toMatchObject({ recordType: 'facility', recordId: demo.id });
    // Only the article's Source is new.
    expect(await counts(svc)).toEqual({ ...before, source: before.source! + 1 });
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('creates a facility the registry lacks, then matches it from the next article', async () => {
    const first = await propose();
    const created = await accept(factOf(first.run, 'facilities').id);
    const row = await svc.store.db
      .selectFrom('facility')
      .selectAll()
      .where('id', '=', created.recordId!)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: 'Pre-trial detention center LA-155/18',
      code: 'LA-155/18',
      kind: 'pretrial_detention',
      city: 'Almaty',
    });
    const layout = await accept(factOf(first.run, 'facility_layout', (p) => p.part === 'building').id);
    expect(
      await svc.store.db.selectFrom('area').selectAll().where('id', '=', layout.recordId!).executeTakeFirstOrThrow(),
    ).toMatchObject({
      facility_id: row.id,
      level: 'building',
      label: 'administrative building',
      count: 1,
      floors: '2',
    });

    const other = 'Relatives say a detainee of СИЗО ЛА-155/18 was beaten.';
    const x: Extraction = {
      ...scenarioExtraction(),
      chars: other.length,
      places: [],
      organizations: [],
      people: [],
      legal_refs: [],
      counts: [],
      dates: [],
      statements: [],
      reported_figures: [],
      facility_layout: null,
      accountability_funnel: null,
      facilities: [
        {
          text: 'СИЗО ЛА-155/18',
          kind: 'pretrial_detention',
          code: 'LA-155/18',
          city: null,
          span: { start: other.indexOf('СИЗО'), end: other.indexOf('СИЗО') + 'СИЗО ЛА-155/18'.length },
          confidence: 0.9,
        },
      ],
    };
    const second = await proposeExtraction(svc, DOCUMENTER, { text: other }, x, 'test');
    const fact = (await getExtraction(svc, ANALYST, second.id)).items[0]!;
    expect(fact.words).toBe('СИЗО ЛА-155/18');
    expect(await accept(fact.id)).toMatchObject({ recordType: 'facility', recordId: row.id });
    expect(await count(svc, 'facility')).toBe(1);
  });

  it('matches a person already recorded by the blind index of their name', async () => {
    const known = await createPerson(svc, SYSTEM, { roles: ['official'], identity: { name: 'Ораз Нурдилда' } });
    const { run } = await propose();
    const person = factOf(run, 'people');
    const before = await count(svc, 'person');
    expect(await accept(person.id)).toMatchObject({ recordType: 'person', recordId: known.id });
    expect(await count(svc, 'person')).toBe(before);
  });

  it('records a named official with public name and role, sealed name and blind index', async () => {
    const { run } = await propose();
    const r = await accept(factOf(run, 'people').id);
    const p = await svc.store.db
      .selectFrom('person')
      .selectAll()
      .where('id', '=', r.recordId!)
      .executeTakeFirstOrThrow();
    expect(p).toMatchObject({
      roles: '["official"]',
      public_name: 'Nurdilda Oraz',
      public_role: expect.stringContaining('adviser to the minister'),
    });
    expect(p.name_enc).toMatch(/^v2\./);
    expect(p.name_index).not.toBeNull();
    // The speaker of the briefing is now that person.
    const st = await accept(factOf(run, 'statements', (q) => q.speaker === 'Nurdilda Oraz').id);
    expect(
      await svc.store.db
        .selectFrom('statement')
        .select('speaker_person_id')
        .where('id', '=', st.recordId!)
        .executeTakeFirstOrThrow(),
    ).toEqual({ speaker_person_id: p.id });
  });

  it('links the demo organizations by name and gazetteer, and keeps legal references as facts of the Source', async () => {
    await loadDemo(svc);
    const { run } = await propose();
    const before = await counts(svc);
    const mvd = await accept(factOf(run, 'organizations', (p) => p.canonical === 'mvd_kz').id);
    const po = await accept(factOf(run, 'organizations', (p) => p.kind === 'prosecutor').id);
    const orgs = await svc.store.db.selectFrom('organization').select(['id', 'external_id']).execute();
    const byExt = new Map(orgs.map((o) => [o.external_id, o.id]));
    expect(mvd.recordId).toBe(byExt.get('demo:la-155-18:org:mvd-kz'));
    expect(po.recordId).toBe(byExt.get('demo:la-155-18:org:prosecutors-office'));
    const ref = await accept(factOf(run, 'legal_refs').id);
    expect(ref).toMatchObject({ recordType: 'source', recordId: (await getExtraction(svc, ANALYST, run.id)).sourceId });
    expect(await counts(svc)).toEqual({ ...before, source: before.source! + 1 });
  });

  it('audits a rejection, refuses a stale version, a second decision and a viewer', async () => {
    const { run } = await propose();
    const fact = factOf(run, 'counts');
    await expectError(decideFact(svc, VIEWER, fact.id, { decision: 'reject', version: 1 }), 'auth.forbidden');
    await expectError(decideFact(svc, DOCUMENTER, fact.id, { decision: 'reject', version: 1 }), 'auth.forbidden');
    await expectError(getExtraction(svc, VIEWER, run.id), 'auth.forbidden');

    const before = await counts(svc);
    const r = await decideFact(svc, ANALYST, fact.id, {
      decision: 'reject',
      reason: 'counts cells, not people',
      version: 1,
    });
    expect(r).toEqual({ id: fact.id, status: 'rejected', version: 2, recordType: null, recordId: null });
    expect(await counts(svc)).toEqual(before);
    const entry = await svc.store.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('entity_id', '=', fact.id)
      .where('action', '=', 'reject')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      actor: ANALYST.id,
      entity_type: 'proposed_fact',
      reason: 'counts cells, not people',
    });
    expect((await getExtraction(svc, ANALYST, run.id)).items.find((i) => i.id === fact.id)).toMatchObject({
      status: 'rejected',
      decidedBy: ANALYST.id,
      decisionReason: 'counts cells, not people',
    });

    await expectError(
      decideFact(svc, ANALYST, fact.id, { decision: 'accept', version: 1 }),
      'record.conflict',
      'version',
    );
    await expectError(
      decideFact(svc, ANALYST, fact.id, { decision: 'reject', version: 2 }),
      'state.transition_not_allowed',
    );
    // A rejection can be reconsidered; an acceptance cannot be decided again.
    expect(await accept(fact.id, 2)).toMatchObject({ status: 'accepted', version: 3 });
    await expectError(
      decideFact(svc, ANALYST, fact.id, { decision: 'reject', version: 3 }),
      'state.transition_not_allowed',
    );
    await expectError(decideFact(svc, ANALYST, 'no-such-fact', { decision: 'reject', version: 1 }), 'record.not_found');
    // accept takes the fact as it is; changing it is an edit.
    const other = factOf(run, 'statements');
    await expectError(
      decideFact(svc, ANALYST, other.id, { decision: 'accept', edits: { stance: 'neutral' }, version: 1 }),
      'validation.invalid',
      'edits',
    );
    await expectError(
      decideFact(svc, ANALYST, other.id, { decision: 'edit', edits: { stance: 'shouting' }, version: 1 }),
      'validation.invalid',
      'edits.stance',
    );
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('proposes from the LA-155/18 article with the shipped extractor; accepting its facility links the demo one', async () => {
    await loadDemo(svc);
    const before = await counts(svc);
    const { id, facts } = await proposeFromText(svc, DOCUMENTER, {
      text: ARTICLE,
      title: 'Kazakhstan: The Ministry of Internal Affairs denies existence of torture cells',
    });
    expect(facts).toBeGreaterThan(5);
    expect(await counts(svc)).toEqual(before);
    const run = await getExtraction(svc, ANALYST, id);
    expect(run.extractorVersion).toMatch(/^vigil-extract@/);
    for (const f of run.items) expect(f.words).toBe(ARTICLE.slice(f.span.start, f.span.end));
    const facility = run.items.find((f) => f.field === 'facilities' && f.payload.code === 'LA-155/18');
    expect(facility, 'the extractor proposes LA-155/18').toBeDefined();
    const demo = await svc.store.db
      .selectFrom('facility')
      .select('id')
      .where('external_id', '=', 'demo:la-155-18:facility:kz-almaty-la-155-18')
      .executeTakeFirstOrThrow();
    expect(await accept(facility!.id)).toMatchObject({ recordType: 'facility', recordId: demo.id });
    const denial = run.items.find((f) => f.field === 'statements' && f.payload.stance === 'denial');
    expect(denial, 'the extractor proposes a denial').toBeDefined();
    const st = await accept(denial!.id);
    const row = await svc.store.db
      .selectFrom('statement')
      .selectAll()
      .where('id', '=', st.recordId!)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      stance: 'denial',
      quote: ARTICLE.slice(denial!.span.start, denial!.span.end),
      facility_id: demo.id,
    });
    expect(await counts(svc)).toEqual({ ...before, statement: before.statement! + 1, source: before.source! + 1 });
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });
});
