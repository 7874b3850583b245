/**
 * The insider's attempts of issue "need-to-know by construction", each as its own test: a
 * signed-in documenter, analyst or monitor who is not on a confidential case's team tries to
 * reach its victim, sources, evidence and counts by every route that once let them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../src/domain/vocabularies.ts';
import { SYSTEM, type Actor } from '../../src/services/context.ts';
import { fileEvidence } from '../../src/services/evidence.service.ts';
import { proposeExtraction } from '../../src/services/extraction-review.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { ARTICLE, scenarioExtraction } from '../support/extraction-fixture.ts';
import { makeAllegation, makeFacility, makePerson, makeSource } from '../support/factories.ts';
import { bearerHeaders, makeUser, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

/** Words that exist only inside the hidden case: no answer to an outsider may contain them. */
const CANARY_NAME = 'Nurdilda Oraz';
const CANARY_TEXT = 'zzkestrel testimony of the basement';

type Json = Record<string, unknown>;

describeEachDialect('need-to-know regressions', (dialect) => {
  let server: AuthTestServer;
  let lead: Actor;
  const outsiders = new Map<UserRole, Actor>();
  const auth = new Map<Actor, { authorization: string }>();
  let facility: string;
  let hiddenCase: string;
  let victim: string;
  let source: string;
  let item: string;

  const call = (who: Actor, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    server.app.inject({ method, url, headers: auth.get(who)!, ...(payload ? { payload } : {}) });
  const outsider = (role: UserRole) => outsiders.get(role)!;
  /** The answer without what differs between any two requests (request id, and the key echoed in the message). */
  const shape = (body: string) => {
    const { requestId: _r, message: _m, ...rest } = JSON.parse(body) as Json;
    return rest;
  };
  /** A hidden id and an id never used get the same status, code and path. */
  const sameAsMissing = async <R extends { statusCode: number; body: string }>(
    send: (id: string) => Promise<R>,
    hidden: string,
  ): Promise<R> => {
    const h = await send(hidden);
    const m = await send(`never-used-${hidden.length}`);
    expect(h.statusCode, h.body).toBe(m.statusCode);
    expect(shape(h.body)).toEqual(shape(m.body));
    expect(h.body).not.toContain(CANARY_NAME);
    expect(h.body).not.toContain(CANARY_TEXT);
    return h;
  };

  beforeAll(async () => {
    server = await openAuthServer(dialect);
    const { svc } = server;
    lead = await makeUser(svc, 'documenter');
    for (const role of ['documenter', 'analyst', 'monitor', 'admin', 'viewer'] as const)
      outsiders.set(role, await makeUser(svc, role));
    for (const a of [lead, ...outsiders.values()]) auth.set(a, await bearerHeaders(svc, a));
    facility = await makeFacility(svc, { name: 'Isolator north' });
    victim = await makePerson(
      svc,
      { roles: ['victim'], custody: 'in_custody', identity: { name: CANARY_NAME, contacts: 'sister +7 700 000 0000' } },
      lead,
    );
    source = await makeSource(svc, { kind: 'testimony', title: 'Statement of the victim', content: CANARY_TEXT }, lead);
    hiddenCase = await makeAllegation(
      svc,
      {
        title: 'Beating in the basement',
        sensitivity: 'confidential',
        facilityId: facility,
        victims: [{ personId: victim }],
        acts: [{ kind: 'beating', victimId: victim }],
        sources: [{ sourceId: source, relation: 'reports' }],
      },
      lead,
    );
    // A file that sits under the source only (as a web capture does), not under the allegation.
    item = (
      await fileEvidence(
        svc,
        SYSTEM,
        (async function* () {
          yield Buffer.from('scan of the medical certificate');
        })(),
        { sourceId: source, purpose: 'scan' },
      )
    ).id;
  });
  afterAll(async () => server?.dispose());

  describe("1. reveal through one's own allegation", () => {
    it('does not list the hidden victim, refuses to name them in a new confidential or restricted allegation, and refuses the reveal', async () => {
      for (const [role, sensitivity] of [
        ['documenter', 'confidential'],
        ['analyst', 'restricted'],
      ] as const) {
        const who = outsider(role);
        const people = await call(who, 'GET', '/api/v1/people?limit=100');
        expect(people.statusCode).toBe(200);
        expect(people.body).not.toContain(victim);
        for (const body of [
          (id: string) => ({
            title: 'My own case',
            sensitivity,
            victims: [{ personId: id }],
            acts: [{ kind: 'beating' }],
          }),
          (id: string) => ({ title: 'My own case', sensitivity, acts: [{ kind: 'beating', victimId: id }] }),
          (id: string) => ({
            title: 'My own case',
            sensitivity,
            perpetrators: [{ personId: id }],
            acts: [{ kind: 'beating' }],
          }),
        ]) {
          const res = await sameAsMissing((id) => call(who, 'POST', '/api/v1/allegations', body(id)), victim);
          expect(res.statusCode).toBe(422);
          expect(res.json()).toMatchObject({ code: 'reference.missing' });
        }
        await sameAsMissing((id) => call(who, 'POST', `/api/v1/people/${id}/identity`, { reason: 'checking' }), victim);
      }
      const linked = await server.svc.store.db
        .selectFrom('allegation_person')
        .select('allegation_id')
        .where('person_id', '=', victim)
        .execute();
      expect(linked.map((l) => l.allegation_id)).toEqual([hiddenCase]);
    });

    it('still opens for the case team', async () => {
      const res = await call(lead, 'POST', `/api/v1/people/${victim}/identity`, { reason: 'preparing the complaint' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ name: CANARY_NAME });
    });
  });

  describe('3. outsiders edit hidden people', () => {
    it('answers a PATCH by a documenter or monitor outside the team as for a missing person, and changes nothing', async () => {
      for (const role of ['documenter', 'monitor', 'analyst'] as const) {
        const res = await sameAsMissing(
          (id) => call(outsider(role), 'PATCH', `/api/v1/people/${id}`, { custody: 'released', version: 1 }),
          victim,
        );
        expect(res.statusCode).toBe(404);
      }
      const row = await server.svc.store.db
        .selectFrom('person')
        .select(['custody', 'version'])
        .where('id', '=', victim)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ custody: 'in_custody', version: 1 });
      await sameAsMissing((id) => call(outsider('analyst'), 'GET', `/api/v1/people/${id}`), victim);
    });
  });

  describe('4. the review queue as an oracle', () => {
    it("does not match a reviewer's fact to a hidden person: a new official is recorded instead of naming the hidden id", async () => {
      const documenter = outsider('documenter');
      const runId = (
        await proposeExtraction(
          server.svc,
          documenter,
          { text: ARTICLE, title: 'MVD denies torture cells' },
          scenarioExtraction(),
          'test',
        )
      ).id;
      const run = (await call(outsider('analyst'), 'GET', `/api/v1/extractions/${runId}`)).json<{
        items: Array<{ id: string; field: string; version: number }>;
      }>();
      const person = run.items.find((f) => f.field === 'people')!;
      const res = await call(outsider('analyst'), 'POST', `/api/v1/proposed-facts/${person.id}/decision`, {
        decision: 'accept',
        version: person.version,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).not.toContain(victim);
      expect(res.body).not.toMatch(/records match/);
      expect(res.json()).toMatchObject({ recordType: 'person' });
      expect(res.json<{ recordId: string }>().recordId).not.toBe(victim);
    });
  });

  describe('5. existence oracle and writes into hidden cases', () => {
    it('answers a proceeding for a hidden allegation as for a random id, and attaches nothing', async () => {
      const body = (id: string) => ({
        allegationId: id,
        kind: 'criminal_case',
        body: 'Prosecutor of Almaty',
        openedOn: '2022-02-01',
      });
      const res = await sameAsMissing(
        (id) => call(outsider('analyst'), 'POST', '/api/v1/proceedings', body(id)),
        hiddenCase,
      );
      expect(res.statusCode).toBe(422);
      const attached = await server.svc.store.db
        .selectFrom('proceeding')
        .select('id')
        .where('allegation_id', '=', hiddenCase)
        .execute();
      expect(attached).toEqual([]);
    });

    it('refuses a duplicate-of pointing at a hidden allegation like one never recorded', async () => {
      const analyst = outsider('analyst');
      const own = await makeAllegation(
        server.svc,
        { title: 'Report seen by all', sensitivity: 'internal', facilityId: facility },
        analyst,
      );
      await call(analyst, 'POST', `/api/v1/allegations/${own}/transitions`, { to: 'triage', reason: 'read' });
      const res = await sameAsMissing(
        (id) =>
          call(analyst, 'POST', `/api/v1/allegations/${own}/transitions`, {
            to: 'duplicate',
            duplicateOf: id,
            reason: 'same incident',
          }),
        hiddenCase,
      );
      expect(res.statusCode).toBe(422);
      const row = await server.svc.store.db
        .selectFrom('allegation')
        .select(['duplicate_of', 'verification_status'])
        .where('id', '=', own)
        .executeTakeFirstOrThrow();
      expect(row.duplicate_of).toBeNull();
    });

    it('answers every read and write on the hidden allegation by id as for a missing one', async () => {
      const who = outsider('admin');
      await sameAsMissing((id) => call(who, 'GET', `/api/v1/allegations/${id}`), hiddenCase);
      await sameAsMissing((id) => call(who, 'GET', `/api/v1/allegations/${id}/history`), hiddenCase);
      await sameAsMissing((id) => call(who, 'GET', `/api/v1/allegations/${id}/evidence`), hiddenCase);
      await sameAsMissing(
        (id) => call(who, 'POST', `/api/v1/allegations/${id}/transitions`, { to: 'triage' }),
        hiddenCase,
      );
      await sameAsMissing(
        (id) => call(outsider('documenter'), 'PATCH', `/api/v1/allegations/${id}`, { title: 'x', version: 1 }),
        hiddenCase,
      );
    });
  });

  describe('6. sources and source-only evidence of a confidential case', () => {
    it('hides them from lists, search, reads by id and edits', async () => {
      for (const role of ['documenter', 'analyst', 'monitor', 'viewer'] as const) {
        const who = outsider(role);
        const list = await call(who, 'GET', '/api/v1/sources?limit=100');
        expect(list.statusCode).toBe(200);
        expect(list.body).not.toContain(source);
        expect(list.body).not.toContain(CANARY_TEXT);
        const hits = await call(who, 'GET', '/api/v1/search?q=zzkestrel');
        expect(hits.statusCode, hits.body).toBe(200);
        expect(hits.json()).toMatchObject({ total: 0 });
        await sameAsMissing((id) => call(who, 'GET', `/api/v1/sources/${id}`), source);
        await sameAsMissing((id) => call(who, 'GET', `/api/v1/evidence/${id}`), item);
        await sameAsMissing((id) => call(who, 'GET', `/api/v1/evidence/${id}/content?purpose=check`), item);
      }
      await sameAsMissing(
        (id) => call(outsider('documenter'), 'PATCH', `/api/v1/sources/${id}`, { title: 'renamed', version: 1 }),
        source,
      );
      await sameAsMissing(
        (id) =>
          call(outsider('monitor'), 'POST', `/api/v1/evidence/${id}/custody`, {
            action: 'transferred',
            recipient: 'someone',
            purpose: 'x',
          }),
        item,
      );
      // A source of the hidden case cannot be cited from a visible record either.
      const cite = await sameAsMissing(
        (id) =>
          call(outsider('documenter'), 'POST', '/api/v1/allegations', {
            title: 'Citing it',
            sensitivity: 'internal',
            acts: [{ kind: 'beating' }],
            sources: [{ sourceId: id, relation: 'reports' }],
          }),
        source,
      );
      expect(cite.statusCode).toBe(422);
    });

    it('shows them to the team', async () => {
      expect((await call(lead, 'GET', `/api/v1/sources/${source}`)).json()).toMatchObject({ content: CANARY_TEXT });
      expect((await call(lead, 'GET', `/api/v1/evidence/${item}`)).statusCode).toBe(200);
      expect((await call(lead, 'GET', '/api/v1/search?q=zzkestrel')).json<{ total: number }>().total).toBeGreaterThan(
        0,
      );
    });
  });

  describe('7. signed-in statistics', () => {
    it('counts only the cases the reader may see', async () => {
      const total = async (who: Actor) => {
        const res = await call(who, 'GET', `/api/v1/statistics?facilityId=${facility}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json<{ documented: { allegations: { total: number } } }>().documented.allegations.total;
      };
      const seenByAll = await total(outsider('analyst'));
      expect(await total(lead)).toBe(seenByAll + 1);
      expect(await total(outsider('admin'))).toBe(seenByAll);
    });
  });

  it('leaves a valid audit chain after every refused attempt', async () => {
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });
});
