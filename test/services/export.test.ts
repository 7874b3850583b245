import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { demoLines } from '../../src/demo/la-155-18.ts';
import { makeServices, SYSTEM, type Services } from '../../src/services/context.ts';
import { csvColumns, csvRow, exportRecords } from '../../src/services/export.service.ts';
import { importRecords, linesOf } from '../../src/services/import.service.ts';
import { readCsv } from '../../src/services/import-reader.ts';
import { revealIdentity } from '../../src/services/person.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { describeEachDialect } from '../support/databases.ts';
import { fakeClock, openTestStore } from '../support/store.ts';

const CASE = [
  { type: 'person', externalId: 'p-victim', roles: ['victim'], custody: 'in_custody', identity: { name: 'Тестовый Человек', contacts: '+7 700 000 0000' } },
  { type: 'source', externalId: 's-post', kind: 'relative_report', title: 'Relative reports beating', language: 'ru', content: 'Родственник сообщает о пытках в подвале.' },
  {
    type: 'allegation', externalId: 'a-1', title: 'Beating in the semi-basement', facilityId: 'demo:la-155-18:facility:kz-almaty-la-155-18',
    areaId: 'demo:la-155-18:area:semi-basement-rooms', period: { start: '2022-01-21', end: '2022-01-31', precision: 'part_of_month', text: 'end of January' },
    acts: [{ kind: 'beating', victimId: 'p-victim' }, { kind: 'forced_signature' }], victims: [{ personId: 'p-victim' }],
    sources: [{ sourceId: 's-post', relation: 'reports' }], consent: ['record'], sensitivity: 'confidential',
  },
  // Workflow state an export must carry: the original first here, but ids are random, so the export must order it itself.
  { type: 'allegation', externalId: 'a-orig', title: 'Beating at intake', consent: ['record'], verificationStatus: 'triage' },
  {
    type: 'allegation', externalId: 'a-dup', title: 'Beating at intake (second report)', consent: ['record'],
    verificationStatus: 'duplicate', duplicateOf: 'a-orig',
  },
  {
    type: 'allegation', externalId: 'a-held', title: 'Threats after complaint', consent: ['record'],
    verificationStatus: 'on_hold_safety', priorStatus: 'triage', urgent: true, risk: 'high',
  },
  {
    type: 'proceeding', externalId: 'pr-1', kind: 'criminal_case', allegationId: 'a-1', body: 'Prosecutor of Almaty', reference: 'in-2022-17', openedOn: '2022-02-02',
    stages: [{ to: 'registration_refused', onDate: '2022-02-03', sourceId: 's-post', decidedBy: 'procedural_prosecutor', details: { refusalKind: 'redirected_to_internal_inquiry' } }],
  },
  { type: 'proceeding', externalId: 'pr-2', kind: 'internal_inquiry', parentId: 'pr-1', allegationId: 'a-1', body: 'Prosecutor of Almaty', openedOn: '2022-02-03' },
  {
    type: 'visit', externalId: 'v-1', facilityId: 'demo:la-155-18:facility:kz-almaty-la-155-18', body: 'Public monitoring commission', visitDate: '2022-03-01',
    visitType: 'ad_hoc', mode: 'unannounced', team: ['monitor A'], safeguards: { cctv: 'partial' },
    recommendations: [{ text: 'Install CCTV in the semi-basement', addressee: 'MVD', deadline: '2022-06-01' }],
  },
];

async function collect(svc: Services, filter = {}) {
  const out: Array<Record<string, unknown>> = [];
  for await (const l of exportRecords(svc, filter)) out.push(l);
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
    expect(dup).toMatchObject({ verificationStatus: 'duplicate', duplicateOf: lines.find((l) => l.externalId === 'a-orig')!.id });
    expect(lines.find((l) => l.externalId === 'a-held')).toMatchObject({ verificationStatus: 'on_hold_safety', priorStatus: 'triage', urgent: true });
    const victim = lines.find((l) => l.externalId === 'p-victim')!;
    expect((await revealIdentity(other, SYSTEM, victim.id as string, 'test')).name).toBe('Тестовый Человек');
  });

  it('re-imports from CSV to the same records', async () => {
    const lines = await collect(svc);
    const cols = csvColumns();
    const csv = stringify([cols, ...lines.map((l) => csvRow(l, cols))]);
    const r = await importRecords(other, SYSTEM, readCsv(Readable.from([csv])));
    expect(r).toMatchObject({ rejected: 0, created: lines.length });
    expect(await collect(other)).toEqual(lines);
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
