import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { demoLines } from '../../src/demo/la-155-18.ts';
import { SYSTEM, type Services } from '../../src/services/context.ts';
import { importRecords, linesOf, formatRejected, type Rejected } from '../../src/services/import.service.ts';
import { readCsv, readImportFile, readJsonLines } from '../../src/services/import-reader.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { openTestServices } from '../support/factories.ts';

async function count(
  svc: Services,
  table: 'facility' | 'statement' | 'reported_figure' | 'area' | 'allegation' | 'person' | 'audit_entry',
) {
  const r = await svc.store.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

describeEachDialect('import', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ svc, dispose } = await openTestServices(dialect));
  });
  afterEach(async () => dispose());

  it('loads the LA-155/18 demo case, and loading it twice changes nothing', async () => {
    const first = await importRecords(svc, SYSTEM, linesOf(demoLines()));
    expect(first.rejected).toBe(0);
    expect(first.created).toBe(demoLines().length);
    const entries = await count(svc, 'audit_entry');
    const second = await importRecords(svc, SYSTEM, linesOf(demoLines()));
    expect(second).toMatchObject({ created: 0, existing: demoLines().length, rejected: 0 });
    expect(await count(svc, 'audit_entry')).toBe(entries);
    expect(await count(svc, 'facility')).toBe(1);
    expect(await count(svc, 'statement')).toBe(5);
    expect(await count(svc, 'reported_figure')).toBe(3);
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('names every line without an externalId, whose record a second import creates again', async () => {
    const lines = [
      { type: 'facility', externalId: 'f-keyed', name: 'SYNTHETIC keyed facility', kind: 'pretrial_detention' },
      { type: 'facility', name: 'SYNTHETIC unkeyed facility', kind: 'pretrial_detention' },
      { type: 'source', kind: 'relative_report', title: 'SYNTHETIC unkeyed report' },
    ];
    for (const round of [1, 2]) {
      const unkeyed: number[] = [];
      const s = await importRecords(svc, SYSTEM, linesOf(lines), { onUnkeyed: (n) => unkeyed.push(n) });
      expect([round, s]).toMatchObject([round, { created: round === 1 ? 3 : 2, existing: round === 1 ? 0 : 1 }]);
      expect(s.unkeyed).toBe(2);
      expect(unkeyed).toEqual([2, 3]);
    }
    expect(await count(svc, 'facility')).toBe(3);
  });

  it('rejects bad lines with their field path and commits the good ones', async () => {
    const text = [
      JSON.stringify({ type: 'facility', externalId: 'f1', name: 'SIZO 1', kind: 'pretrial_detention' }),
      '{not json',
      JSON.stringify({ type: 'facility', externalId: 'f2', name: 'X', kind: 'dungeon' }),
      JSON.stringify({ type: 'allegation', externalId: 'a1', title: 'Beating', facilityId: 'nope' }),
      JSON.stringify({
        type: 'allegation',
        externalId: 'a2',
        title: 'Beating',
        facilityId: 'f1',
        acts: [{ kind: 'beatng' }],
      }),
      JSON.stringify({ type: 'spaceship', externalId: 'x' }),
      JSON.stringify({
        type: 'allegation',
        externalId: 'a3',
        title: 'Beating in cell',
        facilityId: 'f1',
        acts: [{ kind: 'beating' }],
        period: { start: '2022-01-20', precision: 'day' },
      }),
      JSON.stringify({
        type: 'proceeding',
        externalId: 'p1',
        kind: 'criminal_case',
        body: 'Prosecutor',
        reference: 'c-1',
        openedOn: '2022-02-01',
        allegationId: 'a3',
        stages: [{ to: 'indictment_sent', onDate: '2022-03-01' }],
      }),
    ].join('\n');
    const rejected: Rejected[] = [];
    const s = await importRecords(svc, SYSTEM, readJsonLines(Readable.from([text])), {
      onReject: (r) => rejected.push(r),
      batchSize: 3,
    });
    expect(s).toMatchObject({ lines: 8, created: 2, rejected: 6 });
    expect(rejected.map(formatRejected)).toEqual([
      expect.stringMatching(/^line 2: \(line\): not valid JSON/),
      expect.stringMatching(/^line 3: kind: unknown facility kind "dungeon"/),
      'line 4: facilityId: no facility "nope"',
      expect.stringMatching(/^line 5: acts\.0\.kind: unknown act kind "beatng"/),
      expect.stringMatching(/^line 6: type: must be one of/),
      expect.stringMatching(/^line 8: stages\.0\.to: .*cannot go from "complaint_filed" to "indictment_sent"/),
    ]);
    expect(await count(svc, 'allegation')).toBe(1);
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('reads CSV with dotted columns and JSON cells', async () => {
    const csv = [
      'type,externalId,name,kind,aliases,cells,title,facilityId,period.start,period.precision,acts',
      'facility,f1,Pre-trial detention centre LA-155/18,pretrial_detention,"[""ЛА-155/18""]",230,,,,,',
      'allegation,a1,,,,,Beating in the semi-basement,f1,2022-01,month,"[{""kind"":""beating""}]"',
      'facility,f2,Bad,pretrial_detention,,many,,,,,',
    ].join('\n');
    const rejected: Rejected[] = [];
    const s = await importRecords(svc, SYSTEM, readCsv(Readable.from([csv])), { onReject: (r) => rejected.push(r) });
    expect(s).toMatchObject({ created: 2, rejected: 1 });
    expect(formatRejected(rejected[0]!)).toBe('line 4: cells: must be a number');
  });

  it('imports the documented example files without a rejected line', async () => {
    for (const [file, format] of [
      ['examples/records.jsonl', 'jsonl'],
      ['examples/records.csv', 'csv'],
    ] as const) {
      const rejected: Rejected[] = [];
      const r = await importRecords(svc, SYSTEM, readImportFile(file, format), { onReject: (x) => rejected.push(x) });
      expect(rejected.map(formatRejected)).toEqual([]);
      expect(r.created).toBeGreaterThan(0);
    }
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });
});
