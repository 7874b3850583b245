import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { demoLines } from '../../src/demo/la-155-18.ts';
import { SAFEGUARD_CHECKS } from '../../src/domain/vocabularies.ts';
import { makeServices, SYSTEM, type Services } from '../../src/services/context.ts';
import { csvColumns, csvRow, exportRecords } from '../../src/services/export.service.ts';
import { formatRejected, importRecords, linesOf, type Rejected } from '../../src/services/import.service.ts';
import { readCsv } from '../../src/services/import-reader.ts';
import { revealIdentity } from '../../src/services/person.service.ts';
import { transitionRecommendationStatus } from '../../src/services/recommendation.service.ts';
import { createVisit, transitionVisit } from '../../src/services/visit.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { describeEachDialect } from '../support/databases.ts';
import { fakeClock, openTestStore } from '../support/store.ts';

const CASE = [
  {
    type: 'person',
    externalId: 'p-victim',
    roles: ['victim'],
    custody: 'in_custody',
    identity: { name: 'Тестовый Человек', contacts: '+7 700 000 0000' },
  },
  {
    type: 'source',
    externalId: 's-post',
    kind: 'relative_report',
    title: 'Relative reports beating',
    language: 'ru',
    content: 'Родственник сообщает о пытках в подвале.',
  },
  {
    type: 'allegation',
    externalId: 'a-1',
    title: 'Beating in the semi-basement',
    facilityId: 'demo:la-155-18:facility:kz-almaty-la-155-18',
    areaId: 'demo:la-155-18:area:semi-basement-rooms',
    period: { start: '2022-01-21', end: '2022-01-31', precision: 'part_of_month', text: 'end of January' },
    acts: [{ kind: 'beating', victimId: 'p-victim' }, { kind: 'forced_signature' }],
    victims: [{ personId: 'p-victim' }],
    sources: [{ sourceId: 's-post', relation: 'reports' }],
    consent: ['record'],
    sensitivity: 'confidential',
  },
  // Workflow state an export must carry: the original first here, but ids are random, so the export must order it itself.
  {
    type: 'allegation',
    externalId: 'a-orig',
    title: 'Beating at intake',
    consent: ['record'],
    verificationStatus: 'triage',
  },
  {
    type: 'allegation',
    externalId: 'a-dup',
    title: 'Beating at intake (second report)',
    consent: ['record'],
    verificationStatus: 'duplicate',
    duplicateOf: 'a-orig',
  },
  {
    type: 'allegation',
    externalId: 'a-held',
    title: 'Threats after complaint',
    consent: ['record'],
    verificationStatus: 'on_hold_safety',
    priorStatus: 'triage',
    urgent: true,
    risk: 'high',
  },
  {
    type: 'proceeding',
    externalId: 'pr-1',
    kind: 'criminal_case',
    allegationId: 'a-1',
    body: 'Prosecutor of Almaty',
    reference: 'in-2022-17',
    openedOn: '2022-02-02',
    stages: [
      {
        to: 'registration_refused',
        onDate: '2022-02-03',
        sourceId: 's-post',
        decidedBy: 'procedural_prosecutor',
        details: { refusalKind: 'redirected_to_internal_inquiry' },
      },
    ],
  },
  {
    type: 'proceeding',
    externalId: 'pr-2',
    kind: 'internal_inquiry',
    parentId: 'pr-1',
    allegationId: 'a-1',
    body: 'Prosecutor of Almaty',
    openedOn: '2022-02-03',
  },
  {
    type: 'visit',
    externalId: 'v-1',
    facilityId: 'demo:la-155-18:facility:kz-almaty-la-155-18',
    body: 'Public monitoring commission',
    visitDate: '2022-03-01',
    visitType: 'ad_hoc',
    mode: 'unannounced',
    team: ['monitor A'],
    safeguards: { cctv: 'partial' },
    recommendations: [{ text: 'Install CCTV in the semi-basement', addressee: 'MVD', deadline: '2022-06-01' }],
  },
];

/** A second facility with what visits and their follow-up refer to: areas, the authority's statements, a document. */
const VISIT_WORLD = [
  { type: 'facility', externalId: 'f-ivs', name: 'IVS-2', kind: 'temporary_detention_isolator' },
  { type: 'area', externalId: 'ar-cell', facilityId: 'f-ivs', level: 'cell', label: 'Cell 3' },
  { type: 'area', externalId: 'ar-yard', facilityId: 'f-ivs', level: 'room', label: 'Exercise yard' },
  { type: 'source', externalId: 's-mvd', kind: 'official_statement', title: 'Ministry letters' },
  { type: 'source', externalId: 's-photo', kind: 'visit_report', title: 'Photographs of the installed cameras' },
  {
    type: 'statement',
    externalId: 'st-reply',
    speakerLabel: 'MVD',
    sourceId: 's-mvd',
    stance: 'neutral',
    gist: 'Accepts the recommendations',
  },
  {
    type: 'statement',
    externalId: 'st-claim',
    speakerLabel: 'MVD',
    sourceId: 's-mvd',
    stance: 'neutral',
    gist: 'Cameras installed',
  },
  {
    type: 'statement',
    externalId: 'st-commit',
    speakerLabel: 'MVD',
    sourceId: 's-mvd',
    stance: 'neutral',
    gist: 'Will renovate the yard by 2024',
  },
];

const ALL_ANSWERED = Object.fromEntries(SAFEGUARD_CHECKS.map((c, i) => [c.id, i % 2 ? 'yes' : 'partial']));

/** Resolves an external id the tests gave to the record id it got. */
async function idOf(svc: Services, table: 'statement' | 'source' | 'area', externalId: string): Promise<string> {
  return (
    await svc.store.db.selectFrom(table).select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow()
  ).id;
}

/**
 * Visits taken through their workflow: `visit-a` (sorting first by id) is closed and its
 * recommendations point at `visit-z`, a later follow-up visit, so the export must put `visit-z`
 * first; one recommendation points at its own visit; `visit-m` was cancelled.
 */
async function visitHistory(svc: Services): Promise<void> {
  expect((await importRecords(svc, SYSTEM, linesOf(VISIT_WORLD))).rejected).toBe(0);
  const plan = (id: string, visitDate: string, recommendations: unknown[]) =>
    createVisit(svc, SYSTEM, {
      id,
      externalId: `x-${id}`,
      facilityId: 'f-ivs',
      body: 'NPM',
      visitDate,
      visitType: 'ad_hoc',
      mode: 'unannounced',
      team: ['monitor A'],
      recommendations,
    });
  const rec = (text: string) => ({ text, addressee: 'MVD', deadline: '2022-06-01' });
  await plan('visit-a', '2022-03-01', [
    rec('Install CCTV'),
    rec('Keep a register of injuries'),
    rec('Renovate the yard'),
    rec('Stop night interrogations'),
  ]);
  await plan('visit-m', '2022-05-01', []);
  await plan('visit-z', '2022-09-01', []);
  const conduct = (id: string) =>
    transitionVisit(svc, SYSTEM, id, {
      to: 'conducted',
      startedAt: '2022-03-01T09:00:00Z',
      endedAt: '2022-03-01T15:30:00Z',
      areaIds: ['ar-cell', 'ar-yard'],
      registersExamined: ['custody register'],
      refusedAccess: [],
    });
  await conduct('visit-a');
  await transitionVisit(svc, SYSTEM, 'visit-a', {
    to: 'findings_drafted',
    safeguards: ALL_ANSWERED,
    findings: 'No CCTV in cell 3',
    findingsPublic: 'No CCTV',
  });
  await transitionVisit(svc, SYSTEM, 'visit-a', { to: 'report_sent', responseDue: '2022-04-01' });
  await transitionVisit(svc, SYSTEM, 'visit-a', { to: 'response_received', replyStatementId: 'st-reply' });
  await transitionVisit(svc, SYSTEM, 'visit-a', { to: 'closed' });
  await transitionVisit(svc, SYSTEM, 'visit-m', { to: 'cancelled', cancellationReason: 'Facility under quarantine' });
  await transitionVisit(svc, SYSTEM, 'visit-z', {
    to: 'conducted',
    startedAt: '2022-09-01T10:00:00+05:00',
    endedAt: '2022-09-01T12:00:00+05:00',
    areaIds: ['ar-yard'],
    registersExamined: [],
    refusedAccess: ['cell 3'],
  });
  await transitionVisit(svc, SYSTEM, 'visit-z', {
    to: 'findings_drafted',
    safeguards: ALL_ANSWERED,
    findings: 'Yard unchanged',
  });
  const step = (n: number, input: Record<string, unknown>) =>
    transitionRecommendationStatus(svc, SYSTEM, `visit-a:r00${n}`, input);
  await step(1, { to: 'accepted', replyStatementId: 'st-reply' });
  await step(1, { to: 'reported_implemented', claimStatementId: 'st-claim' });
  await step(1, { to: 'implemented_verified', followUpVisitId: 'visit-z', evidenceSourceId: 's-photo' });
  await step(2, { to: 'accepted', replyStatementId: 'st-reply' });
  await step(2, { to: 'not_implemented', findingId: 'visit-a' });
  await step(3, { to: 'accepted', replyStatementId: 'st-reply' });
  await step(3, { to: 'not_implemented', findingId: 'visit-z' });
  await step(3, { to: 'in_progress', commitmentStatementId: 'st-commit' });
  await step(4, { to: 'rejected', replyStatementId: 'st-reply' });
}

/** The console's full export (identities sealed), as `vigil export` writes it. */
async function collect(svc: Services, filter = {}) {
  const out: Array<Record<string, unknown>> = [];
  for await (const l of exportRecords(svc, SYSTEM, { sealedIdentities: true, ...filter })) out.push(l);
  return out;
}

describeEachDialect('export', (dialect) => {
  let svc: Services;
  let other: Services;
  let disposers: Array<() => Promise<void>> = [];
  beforeEach(async () => {
    const key = new Keyring(randomBytes(32));
    const a = await openTestStore(dialect);
    const b = await openTestStore(dialect);
    disposers = [a.dispose, b.dispose];
    svc = makeServices(a.store, key, { clock: fakeClock() });
    other = makeServices(b.store, key, { clock: fakeClock('2023-01-01T00:00:00.000Z') });
    const r = await importRecords(svc, SYSTEM, linesOf([...demoLines(), ...CASE]));
    expect(r.rejected).toBe(0);
  });
  afterEach(async () => {
    for (const d of disposers) await d();
  });

  it('re-imports into an empty database to the same records (JSON Lines)', async () => {
    const lines = await collect(svc);
    expect(lines.length).toBe(demoLines().length + CASE.length);
    expect(JSON.stringify(lines)).not.toContain('Тестовый');
    const r = await importRecords(other, SYSTEM, linesOf(lines));
    expect(r).toMatchObject({ rejected: 0, created: lines.length });
    expect(await collect(other)).toEqual(lines);
    expect(await verifyStore(other.store)).toMatchObject({ ok: true });
    const dup = lines.find((l) => l.externalId === 'a-dup')!;
    expect(dup).toMatchObject({
      verificationStatus: 'duplicate',
      duplicateOf: lines.find((l) => l.externalId === 'a-orig')!.id,
    });
    expect(lines.find((l) => l.externalId === 'a-held')).toMatchObject({
      verificationStatus: 'on_hold_safety',
      priorStatus: 'triage',
      urgent: true,
    });
    const victim = lines.find((l) => l.externalId === 'p-victim')!;
    expect((await revealIdentity(other, SYSTEM, victim.id as string, 'test')).name).toBe('Тестовый Человек');
  });

  it('re-imports a sealed identity only as its own record, under this key', async () => {
    const lines = await collect(svc, { types: ['person'] });
    const victim = lines.find((l) => l.externalId === 'p-victim')! as {
      id: string;
      sealedIdentity: Record<string, string>;
    };
    expect(victim.sealedIdentity.name).toMatch(/^v2\.[0-9a-f]{16}\./);
    // Pasted into a new person, another person or under another instance's key: refused per line, nothing written.
    const foreign = makeServices(other.store, new Keyring(randomBytes(32)), { clock: fakeClock() });
    const rejected: string[] = [];
    const onReject = (r: Rejected) => rejected.push(formatRejected(r));
    const pasted = [
      { type: 'person', externalId: 'p-copy', roles: ['victim'], sealedIdentity: { name: victim.sealedIdentity.name } },
      {
        type: 'person',
        id: 'someone-else',
        roles: ['witness'],
        sealedIdentity: { contacts: victim.sealedIdentity.contacts },
      },
    ];
    expect(await importRecords(other, SYSTEM, linesOf(pasted), { onReject })).toMatchObject({
      created: 0,
      rejected: 2,
    });
    expect(await importRecords(foreign, SYSTEM, linesOf([{ ...victim, type: 'person' }]), { onReject })).toMatchObject({
      created: 0,
      rejected: 1,
    });
    expect(rejected).toEqual([
      'line 1: sealedIdentity.name: does not open for this record: it was sealed for another record or field, or altered',
      'line 2: sealedIdentity.contacts: does not open for this record: it was sealed for another record or field, or altered',
      expect.stringMatching(
        /^line 1: sealedIdentity\.name: sealed under another key \(key id [0-9a-f]{16}\), not this instance's$/,
      ),
    ]);
    expect(await other.store.db.selectFrom('person').select('id').execute()).toEqual([]);
    // A value moved to another field of its own record does not open either.
    const swapped = { ...victim, type: 'person', sealedIdentity: { name: victim.sealedIdentity.contacts } };
    expect(await importRecords(other, SYSTEM, linesOf([swapped]), { onReject })).toMatchObject({ rejected: 1 });
    expect(await importRecords(other, SYSTEM, linesOf([{ ...victim, type: 'person' }]))).toMatchObject({
      created: 1,
      rejected: 0,
    });
    expect(await revealIdentity(other, SYSTEM, victim.id, 'test')).toMatchObject({
      name: 'Тестовый Человек',
      contacts: '+7 700 000 0000',
    });
  });

  it('leaves sealed identities out unless the full export is asked for', async () => {
    const lines: Array<Record<string, unknown>> = [];
    for await (const l of exportRecords(svc, SYSTEM, { types: ['person'] })) lines.push(l);
    expect(lines.find((l) => l.externalId === 'p-victim')).not.toHaveProperty('sealedIdentity');
  });

  it('re-imports from CSV to the same records', async () => {
    const lines = await collect(svc);
    const cols = csvColumns();
    const csv = stringify([cols, ...lines.map((l) => csvRow(l, cols))]);
    const r = await importRecords(other, SYSTEM, readCsv(Readable.from([csv])));
    expect(r).toMatchObject({ rejected: 0, created: lines.length });
    expect(await collect(other)).toEqual(lines);
  });

  it('carries visits through their workflow and their recommendations through follow-up, in an order that re-imports', async () => {
    await visitHistory(svc);
    const lines = await collect(svc);
    const visits = lines.filter((l) => l.type === 'visit');
    expect(visits.findIndex((l) => l.id === 'visit-z')).toBeLessThan(visits.findIndex((l) => l.id === 'visit-a'));
    const [cell, yard, reply, claim, commit, photo] = await Promise.all([
      idOf(svc, 'area', 'ar-cell'),
      idOf(svc, 'area', 'ar-yard'),
      idOf(svc, 'statement', 'st-reply'),
      idOf(svc, 'statement', 'st-claim'),
      idOf(svc, 'statement', 'st-commit'),
      idOf(svc, 'source', 's-photo'),
    ]);
    const a = visits.find((l) => l.id === 'visit-a')!;
    expect(a).toMatchObject({
      status: 'closed',
      startedAt: '2022-03-01T09:00:00Z',
      endedAt: '2022-03-01T15:30:00Z',
      areaIds: [cell, yard],
      registersExamined: ['custody register'],
      refusedAccess: [],
      responseDue: '2022-04-01',
      replyStatementId: reply,
      findings: 'No CCTV in cell 3',
    });
    expect(a.recommendations).toEqual([
      expect.objectContaining({
        status: 'implemented_verified',
        replyStatementId: reply,
        claimStatementId: claim,
        followUpVisitId: 'visit-z',
        evidenceSourceId: photo,
      }),
      expect.objectContaining({ status: 'not_implemented', replyStatementId: reply, findingId: 'visit-a' }),
      expect.objectContaining({ status: 'in_progress', findingId: 'visit-z', commitmentStatementId: commit }),
      expect.objectContaining({ status: 'rejected', replyStatementId: reply }),
    ]);
    expect(visits.find((l) => l.id === 'visit-m')).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'Facility under quarantine',
    });
    expect(visits.find((l) => l.id === 'visit-m')).not.toHaveProperty('startedAt');
    expect(visits.find((l) => l.id === 'visit-z')).toMatchObject({
      status: 'findings_drafted',
      registersExamined: [],
      refusedAccess: ['cell 3'],
    });

    const r = await importRecords(other, SYSTEM, linesOf(lines));
    expect(r).toMatchObject({ rejected: 0, created: lines.length });
    expect(await collect(other)).toEqual(lines);
    expect(await verifyStore(other.store)).toMatchObject({ ok: true });
  });

  it('carries visit workflow state through CSV too', async () => {
    await visitHistory(svc);
    const lines = await collect(svc);
    const cols = csvColumns();
    const csv = stringify([cols, ...lines.map((l) => csvRow(l, cols))]);
    const r = await importRecords(other, SYSTEM, readCsv(Readable.from([csv])));
    expect(r).toMatchObject({ rejected: 0, created: lines.length });
    expect(await collect(other)).toEqual(lines);
    expect(await verifyStore(other.store)).toMatchObject({ ok: true });
  });

  it('exports every visit of a follow-up cycle; the re-import refuses the line that comes too early, loudly', async () => {
    await visitHistory(svc);
    // visit-p's recommendation was found not implemented at visit-q, and visit-q's at visit-p: no order satisfies both.
    for (const id of ['visit-p', 'visit-q']) {
      await createVisit(svc, SYSTEM, {
        id,
        facilityId: 'f-ivs',
        body: 'NPM',
        visitDate: '2022-10-01',
        visitType: 'ad_hoc',
        mode: 'unannounced',
        team: ['monitor A'],
        recommendations: [{ text: 'Install CCTV', addressee: 'MVD', deadline: '2022-12-01' }],
      });
      await transitionVisit(svc, SYSTEM, id, {
        to: 'conducted',
        startedAt: '2022-10-01T09:00:00Z',
        endedAt: '2022-10-01T10:00:00Z',
        areaIds: ['ar-cell'],
        registersExamined: [],
        refusedAccess: [],
      });
      await transitionVisit(svc, SYSTEM, id, { to: 'findings_drafted', safeguards: ALL_ANSWERED, findings: 'No CCTV' });
      await transitionRecommendationStatus(svc, SYSTEM, `${id}:r001`, { to: 'accepted', replyStatementId: 'st-reply' });
    }
    await transitionRecommendationStatus(svc, SYSTEM, 'visit-p:r001', { to: 'not_implemented', findingId: 'visit-q' });
    await transitionRecommendationStatus(svc, SYSTEM, 'visit-q:r001', { to: 'not_implemented', findingId: 'visit-p' });
    const lines = await collect(svc);
    expect(
      lines
        .filter((l) => l.type === 'visit')
        .map((l) => l.id)
        .sort(),
    ).toEqual(
      ['visit-a', 'visit-m', 'visit-p', 'visit-q', 'visit-z', lines.find((l) => l.externalId === 'v-1')!.id].sort(),
    );
    const rejected: Array<{ path: string; message: string }> = [];
    const r = await importRecords(other, SYSTEM, linesOf(lines), {
      onReject: (x) => rejected.push({ path: x.path, message: x.message }),
    });
    expect(r).toMatchObject({ rejected: 2, created: lines.length - 2 });
    expect(rejected).toEqual([
      { path: 'recommendations.0.findingId', message: 'no visit "visit-q"' },
      { path: 'recommendations.0.findingId', message: 'no visit "visit-p"' },
    ]);
  });

  it('refuses the import-only fields outside an import, naming the field', async () => {
    const visit = {
      facilityId: 'demo:la-155-18:facility:kz-almaty-la-155-18',
      body: 'NPM',
      visitDate: '2022-03-01',
      visitType: 'ad_hoc',
      mode: 'unannounced',
      team: ['A'],
    };
    const rec = { text: 'Install CCTV', addressee: 'MVD', deadline: '2022-06-01' };
    for (const [field, value] of Object.entries({
      status: 'conducted',
      startedAt: '2022-03-01T09:00:00Z',
      areaIds: [],
      refusedAccess: [],
      cancellationReason: 'x',
      replyStatementId: 'x',
    })) {
      await expect(createVisit(svc, SYSTEM, { ...visit, [field]: value })).rejects.toMatchObject({
        code: 'validation.invalid',
        path: field,
        message: expect.stringContaining('set by workflow transitions'),
      });
    }
    for (const [field, value] of Object.entries({
      status: 'accepted',
      followUpVisitId: 'x',
      findingId: 'x',
      claimStatementId: 'x',
    })) {
      await expect(
        createVisit(svc, SYSTEM, { ...visit, recommendations: [{ ...rec, [field]: value }] }),
      ).rejects.toMatchObject({ code: 'validation.invalid', path: `recommendations.0.${field}` });
    }
    // The starting states themselves are what planning gives anyway.
    expect(
      (await createVisit(svc, SYSTEM, { ...visit, status: 'planned', recommendations: [{ ...rec, status: 'issued' }] }))
        .created,
    ).toBe(true);
  });

  it('checks the references an imported visit carries', async () => {
    expect((await importRecords(svc, SYSTEM, linesOf(VISIT_WORLD))).rejected).toBe(0);
    const rejected: string[] = [];
    const base = {
      type: 'visit',
      facilityId: 'demo:la-155-18:facility:kz-almaty-la-155-18',
      body: 'NPM',
      visitDate: '2022-03-01',
      visitType: 'ad_hoc',
      mode: 'unannounced',
      team: ['A'],
    };
    const rec = { text: 'Install CCTV', addressee: 'MVD', deadline: '2022-06-01' };
    const r = await importRecords(
      svc,
      SYSTEM,
      linesOf([
        { ...base, status: 'conducted', areaIds: ['ar-cell'] },
        { ...base, status: 'response_received', replyStatementId: 'st-nowhere' },
        { ...base, recommendations: [{ ...rec, status: 'implemented_verified', followUpVisitId: 'v-nowhere' }] },
        { ...base, recommendations: [{ ...rec, status: 'accepted', replyStatementId: 'st-reply' }] },
      ]),
      { onReject: (x) => rejected.push(`${x.lineNo} ${x.path}`) },
    );
    expect(rejected).toEqual(['1 areaIds.0', '2 replyStatementId', '3 recommendations.0.followUpVisitId']);
    expect(r).toMatchObject({ rejected: 3, created: 1 });
  });

  it('filters by type and facility', async () => {
    const facilityId = (await collect(svc, { types: ['facility'] }))[0]!.id as string;
    const lines = await collect(svc, { types: ['allegation', 'statement', 'visit'], facilityId });
    const statements = demoLines().filter((l) => l.type === 'statement' && l.facilityId);
    expect(statements.length).toBeGreaterThan(0);
    expect(lines.map((l) => l.type).sort()).toEqual(['allegation', ...statements.map(() => 'statement'), 'visit']);
    expect(lines.every((l) => l.facilityId === facilityId)).toBe(true);
  });
});
