import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/services/context.ts';
import { SYSTEM } from '../../src/services/context.ts';
import { csvColumns, exportRecords } from '../../src/services/export.service.ts';
import { createVisit } from '../../src/services/visit.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  makeAllegation,
  makeFacility,
  makeInternalInquiry,
  makePerson,
  makeProceeding,
  markDuplicate,
} from '../support/factories.ts';
import { bearerHeaders, makeUser, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

const CANARY = 'Zzexport Canaryname';

describeEachDialect('authenticated export over HTTP', (dialect) => {
  let server: AuthTestServer;
  let facility: string;
  let restricted: string;
  let internal: string;
  let hiddenProceedings: string[];
  let lead: Actor;
  let outsider: Actor;
  let admin: Actor;
  let victim: string;
  const auth = new Map<Actor | string, Record<string, string>>();

  const exportAs = (who: Actor | string, query = '') =>
    server.app.inject({ method: 'GET', url: `/api/v1/export${query}`, headers: auth.get(who) ?? {} });
  /** What `vigil export` writes for the same filter, one JSON line each. */
  const cliLines = async (filter = {}) => {
    const out: string[] = [];
    for await (const l of exportRecords(server.svc, SYSTEM, filter)) out.push(JSON.stringify(l));
    return out;
  };
  const linesOf = (body: string) => body.split('\n').filter(Boolean);

  beforeAll(async () => {
    server = await openAuthServer(dialect);
    const { svc } = server;
    lead = await makeUser(svc, 'analyst');
    outsider = await makeUser(svc, 'analyst');
    admin = await makeUser(svc, 'admin');
    for (const u of [lead, outsider, admin]) auth.set(u, await bearerHeaders(svc, u));
    for (const role of ['documenter', 'monitor', 'viewer'] as const) auth.set(role, await bearerHeaders(svc, role));
    facility = await makeFacility(svc, { name: 'SIZO export' });
    victim = await makePerson(svc, { roles: ['victim'], identity: { name: CANARY } });
    restricted = await makeAllegation(
      svc,
      { title: 'Restricted beating', sensitivity: 'restricted', facilityId: facility, victims: [{ personId: victim }] },
      lead,
    );
    internal = await makeAllegation(svc, { title: 'Overcrowding', sensitivity: 'internal', facilityId: facility });
    const parent = await makeProceeding(svc, { allegationId: restricted });
    const child = await makeInternalInquiry(svc, { parentId: parent });
    hiddenProceedings = [parent, child];
    await makeProceeding(svc, { allegationId: internal });
    // A visible report of the same incident, marked as its duplicate: it must not name the hidden one.
    await markDuplicate(
      svc,
      await makeAllegation(svc, {
        title: 'Same beating, reported again',
        sensitivity: 'internal',
        facilityId: facility,
      }),
      restricted,
    );
    await createVisit(svc, SYSTEM, {
      facilityId: facility,
      body: 'NPM',
      visitDate: '2022-03-01',
      visitType: 'ad_hoc',
      mode: 'unannounced',
      team: ['A'],
    });
  });
  afterAll(async () => server?.dispose());

  it('streams JSON Lines as an attachment: the lines `vigil export` writes, without identities, not even sealed', async () => {
    const res = await exportAs(lead);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="vigil-export-\d{4}-\d{2}-\d{2}\.jsonl"$/,
    );
    expect(res.headers['content-length']).toBeUndefined();
    // The lead analyst is on the only restricted case's team: they get everything the console gets.
    expect(linesOf(res.body)).toEqual(await cliLines());
    expect(res.body).not.toContain(CANARY);
    const person = linesOf(res.body)
      .map((l) => JSON.parse(l))
      .find((l) => l.type === 'person');
    expect(person).not.toHaveProperty('sealedIdentity');
  });

  it('never carries a sealed value over the API, not even for an admin', async () => {
    const full: string[] = [];
    for await (const l of exportRecords(server.svc, SYSTEM, { sealedIdentities: true, types: ['person'] }))
      full.push(JSON.stringify(l));
    expect(full.join('\n')).toContain('sealedIdentity');
    for (const who of [lead, admin]) {
      for (const query of ['', '?type=person', '?format=csv&type=person']) {
        const res = await exportAs(who, query);
        expect(res.statusCode).toBe(200);
        expect(res.body).not.toMatch(/\bv2\.[0-9a-f]{16}\./);
        expect(res.body).not.toContain('"sealedIdentity":{');
      }
    }
  });

  it('leaves out the restricted allegations the caller is not assigned to, with their people and proceedings (admins included)', async () => {
    const everything = await cliLines();
    const hidden = new Set([restricted, victim, ...hiddenProceedings]);
    const expected = everything
      .filter((l) => !hidden.has(JSON.parse(l).id))
      .map((l) => {
        const { duplicateOf, ...rest } = JSON.parse(l) as Record<string, unknown>;
        return duplicateOf === restricted ? JSON.stringify(rest) : l;
      });
    expect(expected.length).toBe(everything.length - 4);
    for (const who of [outsider, admin]) {
      const res = await exportAs(who);
      expect(res.statusCode).toBe(200);
      expect(linesOf(res.body)).toEqual(expected);
      expect(res.body).not.toContain('Restricted beating');
      expect(res.body).not.toContain(restricted);
      expect(res.body).not.toContain(victim);
    }
  });

  it('streams CSV with the CLI columns, and filters by type, facility and date', async () => {
    const csv = await exportAs(lead, '?format=csv&type=allegation,proceeding');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/filename="vigil-export-.*\.csv"/);
    const rows = parse(csv.body) as string[][];
    expect(rows[0]).toEqual(csvColumns());
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      'allegation',
      'allegation',
      'allegation',
      'proceeding',
      'proceeding',
      'proceeding',
    ]);

    const outsiderCsv = parse(
      (await exportAs(outsider, '?format=csv&type=allegation&type=proceeding')).body,
    ) as string[][];
    expect(outsiderCsv.length).toBe(1 + 3);

    const visits = await exportAs(lead, `?type=visit&facility=${encodeURIComponent(facility)}`);
    expect(linesOf(visits.body).map((l) => JSON.parse(l).type)).toEqual(['visit']);
    expect(linesOf((await exportAs(lead, '?since=2999-01-01')).body)).toEqual([]);
  });

  it('refuses bad parameters with 4xx before anything is streamed', async () => {
    const bogus = await exportAs(lead, '?type=allegation,bogus');
    expect(bogus.statusCode).toBe(400);
    expect(bogus.json()).toMatchObject({ code: 'validation.invalid', path: 'type' });
    expect((await exportAs(lead, '?format=xml')).json()).toMatchObject({ code: 'validation.invalid', path: 'format' });
    expect((await exportAs(lead, '?since=yesterday')).statusCode).toBe(400);
    expect((await exportAs(lead, '?unknown=1')).statusCode).toBe(400);
    const facilityMissing = await exportAs(lead, '?facility=no-such-facility');
    expect(facilityMissing.statusCode).toBe(422);
    expect(facilityMissing.json()).toMatchObject({ code: 'reference.missing', path: 'facility' });
  });

  it('is for admins and analysts only, and each export is an audit entry', async () => {
    for (const role of ['documenter', 'monitor', 'viewer']) expect((await exportAs(role)).statusCode).toBe(403);
    expect((await exportAs('nobody')).statusCode).toBe(401);
    await exportAs(outsider, '?format=csv&type=visit');
    const entry = await server.svc.store.db
      .selectFrom('audit_entry')
      .select(['actor', 'action', 'entity_type', 'reason'])
      .where('action', '=', 'export')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({
      actor: outsider.id,
      action: 'export',
      entity_type: 'database',
      reason: 'format=csv type=visit',
    });
    // A HEAD reads nothing and logs nothing.
    const count = async () =>
      Number(
        (
          await server.svc.store.db
            .selectFrom('audit_entry')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('action', '=', 'export')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const head = await server.app.inject({
      method: 'HEAD',
      url: '/api/v1/export?format=csv',
      headers: auth.get(outsider)!,
    });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/csv/);
    expect(head.body).toBe('');
    expect(await count()).toBe(before);
  });

  it('sends the body in chunks as it is read, not as one buffered reply', async () => {
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${address}/api/v1/export`, { headers: auth.get(lead)! });
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    expect(linesOf(await res.text())).toEqual(await cliLines());
  });
});
