/**
 * Need-to-know, generated: random worlds of users, case teams, sensitivities and links (fast-check),
 * and for every route the server declares and every signed-in user it lets in, the answers are
 * checked against a model computed here from the links alone:
 *
 * - no answer contains the id, name, text or title of a record hidden from that user;
 * - for a route that names a record by `:id`, a hidden record and an id never used get the same
 *   status, code, path and wording;
 * - for a write that references a record, a hidden one and an unknown one are refused alike.
 *
 * A route added later without a decision fails here: a route with `:id` must declare its record
 * kind (the server refuses to start otherwise), and a write without `:id` must be listed below
 * with the references it takes (or as taking none).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isAllowed } from '../../src/api/auth/access.ts';
import { GUARDED_KINDS, may, needsToKnow, type GuardedKind } from '../../src/domain/policy.ts';
import type { UserRole } from '../../src/domain/vocabularies.ts';
import { assignToAllegation } from '../../src/services/access.service.ts';
import { SYSTEM, type Actor } from '../../src/services/context.ts';
import { fileEvidence } from '../../src/services/evidence.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeFacility, makePerson, makeProceeding, makeSource } from '../support/factories.ts';
import { bearerHeaders, makeUser, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

const ROLES: UserRole[] = ['admin', 'analyst', 'documenter', 'monitor', 'viewer'];
const SENSITIVITIES = ['public', 'internal', 'confidential', 'restricted'] as const;

/**
 * Writes without `:id` and the references their body takes, with a body that names `id` in each.
 * Every signed-in write route without `:id` must be here: `[]` means it takes no reference to a
 * record need-to-know guards.
 */
const REFERENCE_PROBES: Record<string, Array<(id: string) => unknown>> = {
  'POST /api/v1/allegations': [
    (id) => ({ title: 'probe', acts: [{ kind: 'beating' }], victims: [{ personId: id }] }),
    (id) => ({ title: 'probe', acts: [{ kind: 'beating', victimId: id }] }),
    (id) => ({ title: 'probe', acts: [{ kind: 'beating' }], perpetrators: [{ personId: id }] }),
    (id) => ({ title: 'probe', acts: [{ kind: 'beating' }], sources: [{ sourceId: id, relation: 'reports' }] }),
  ],
  'POST /api/v1/proceedings': [
    (id) => ({ allegationId: id, kind: 'criminal_case', body: 'Prosecutor', openedOn: '2022-02-01' }),
    (id) => ({ kind: 'criminal_case', body: 'Prosecutor', openedOn: '2022-02-01', sourceId: id }),
  ],
  'POST /api/v1/statements': [
    (id) => ({ speakerLabel: 'probe', sourceId: id, stance: 'denial', gist: 'probe' }),
    (id) => ({ speakerLabel: 'probe', speakerPersonId: id, stance: 'denial', gist: 'probe' }),
  ],
  'POST /api/v1/reported-figures': [
    (id) => ({
      value: 1,
      counts: 'complaints',
      countsLabel: 'probe',
      scope: 'probe',
      speakerLabel: 'probe',
      sourceId: id,
    }),
  ],
  'POST /api/v1/extractions': [(id) => ({ text: 'probe text', sourceId: id })],
  'POST /api/v1/captures': [(id) => ({ url: 'http://127.0.0.1:9/probe', allegationId: id })],
  'POST /api/v1/evidence': [], // multipart: allegationId and sourceId are checked by the same resolver (test/api/need-to-know-regressions.test.ts)
  'POST /api/v1/people': [],
  'POST /api/v1/sources': [],
  'POST /api/v1/facilities': [],
  'POST /api/v1/areas': [],
  'POST /api/v1/organizations': [],
  'POST /api/v1/visits': [],
  'POST /api/v1/users': [],
  'POST /api/v1/auth/tokens': [],
  'POST /api/v1/auth/logout': [],
  'POST /api/v1/auth/totp': [],
  'POST /api/v1/auth/totp/confirm': [],
  'PUT /api/v1/auth/second-factor-policy': [],
  'POST /api/v1/witness/heads': [], // a partner's signed head: names no record; witness tokens only
  'POST /api/v1/admin/verify': [], // checks the whole chain: names no record; admins only
};
/** Routes not called here: they end the caller's own session. */
const NOT_CALLED = new Set(['POST /api/v1/auth/logout']);

/** Which kind of record each kind of reference probe names. */
const PROBE_KINDS: Record<string, GuardedKind[]> = {
  'POST /api/v1/allegations': ['person', 'person', 'person', 'source'],
  'POST /api/v1/proceedings': ['allegation', 'source'],
  'POST /api/v1/statements': ['source', 'person'],
  'POST /api/v1/reported-figures': ['source'],
  'POST /api/v1/extractions': ['source'],
  'POST /api/v1/captures': ['allegation'],
};

interface WorldSpec {
  users: UserRole[];
  allegations: Array<{ sensitivity: (typeof SENSITIVITIES)[number]; team: number[] }>;
  /** Each person: the allegations naming them (at most one need-to-know one, see below). */
  people: number[][];
  sources: number[][];
  proceedings: number[];
  /** Evidence items: under an allegation (`a`) or under a source only (`s`). */
  items: Array<{ under: 'a' | 's'; index: number }>;
}

/**
 * Worlds as Vigil lets them come about: naming a record needs read access to it, so a record is
 * linked to need-to-know cases only by their teams; here, to at most one such case (with any
 * number of others), which keeps the model's "visible to any of its teams" exact.
 */
const worldArb: fc.Arbitrary<WorldSpec> = fc
  .record({
    users: fc.array(fc.constantFrom(...ROLES), { minLength: 3, maxLength: 5 }),
    allegations: fc.array(
      fc.record({ sensitivity: fc.constantFrom(...SENSITIVITIES), team: fc.uniqueArray(fc.nat(4), { maxLength: 3 }) }),
      { minLength: 2, maxLength: 5 },
    ),
    people: fc.array(fc.uniqueArray(fc.nat(4), { maxLength: 3 }), { minLength: 1, maxLength: 4 }),
    sources: fc.array(fc.uniqueArray(fc.nat(4), { maxLength: 2 }), { minLength: 1, maxLength: 3 }),
    proceedings: fc.array(fc.nat(4), { maxLength: 3 }),
    items: fc.array(fc.record({ under: fc.constantFrom('a' as const, 's' as const), index: fc.nat(4) }), {
      maxLength: 3,
    }),
  })
  .map((w) => {
    const n = w.allegations.length;
    const onePrivate = (links: number[]) => {
      const seen = [...new Set(links.map((i) => i % n))];
      const priv = seen.filter((i) => needsToKnow(w.allegations[i]!.sensitivity));
      return seen.filter((i) => !needsToKnow(w.allegations[i]!.sensitivity) || i === priv[0]);
    };
    return {
      ...w,
      allegations: w.allegations.map((a) => ({ ...a, team: a.team.filter((u) => u < w.users.length) })),
      people: w.people.map(onePrivate),
      sources: w.sources.map(onePrivate),
      proceedings: w.proceedings.map((i) => i % n),
      items: w.items.map((it) => ({
        under: it.under,
        index: it.under === 'a' ? it.index % n : it.index % w.sources.length,
      })),
    };
  });

/** A word no other record shares (search must not find a hidden record by a near match either). */
const word = () =>
  randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 10)
    .padEnd(10, 'q');

interface Built {
  users: Array<Actor & { username: string }>;
  ids: Record<GuardedKind, string[]>;
  /** For each record id: the allegations (indexes) it is linked to, and its canary words. */
  links: Map<string, number[]>;
  canary: Map<string, string>;
  allegationIds: string[];
}

describeEachDialect('need-to-know, generated over every route', (dialect) => {
  let server: AuthTestServer;
  let facility: string;
  const stats = { worlds: 0, routes: new Set<string>(), requests: 0, hiddenProbes: 0, referenceProbes: 0 };

  beforeAll(async () => {
    server = await openAuthServer(dialect);
    facility = await makeFacility(server.svc, { name: 'Generated facility' });
  });
  afterAll(async () => {
    console.log(
      `[need-to-know generated, ${dialect}] ${stats.worlds} worlds, ${stats.routes.size} routes walked, ${stats.requests} requests, ${stats.hiddenProbes} hidden-vs-missing probes, ${stats.referenceProbes} reference probes`,
    );
    await server?.dispose();
  });

  async function build(w: WorldSpec, tag: string): Promise<Built> {
    const { svc } = server;
    const users = [];
    for (const role of w.users) users.push(await makeUser(svc, role));
    const ids: Record<GuardedKind, string[]> = Object.fromEntries(GUARDED_KINDS.map((k) => [k, []])) as never;
    const links = new Map<string, number[]>();
    const canary = new Map<string, string>();
    const people: string[] = [];
    for (let i = 0; i < w.people.length; i++) {
      const name = `Zz${word()} ${word()}`;
      const id = await makePerson(svc, { roles: ['victim'], identity: { name } });
      people.push(id);
      canary.set(id, name);
    }
    const sources: string[] = [];
    for (let i = 0; i < w.sources.length; i++) {
      const text = `zz${word()}`;
      const id = await makeSource(svc, { kind: 'testimony', title: `zz${word()}`, content: text });
      sources.push(id);
      canary.set(id, text);
    }
    const allegationIds: string[] = [];
    for (const [i, a] of w.allegations.entries()) {
      const title = `zz${word()}`;
      const victims = w.people.flatMap((l, p) => (l.includes(i) ? [{ personId: people[p]! }] : []));
      const cited = w.sources.flatMap((l, s) =>
        l.includes(i) ? [{ sourceId: sources[s]!, relation: 'reports' as const }] : [],
      );
      const id = await makeAllegation(svc, {
        title,
        sensitivity: a.sensitivity,
        facilityId: facility,
        victims,
        sources: cited,
        acts: [{ kind: 'beating', ...(victims[0] ? { victimId: victims[0].personId } : {}) }],
      });
      allegationIds.push(id);
      canary.set(id, title);
      links.set(id, [i]);
      for (const u of a.team) await assignToAllegation(svc, SYSTEM, id, users[u]!.id);
    }
    for (const [p, l] of w.people.entries()) links.set(people[p]!, l);
    for (const [s, l] of w.sources.entries()) links.set(sources[s]!, l);
    ids.allegation = allegationIds;
    ids.person = people;
    ids.source = sources;
    for (const a of w.proceedings) {
      const id = await makeProceeding(svc, { allegationId: allegationIds[a]! });
      ids.proceeding.push(id);
      links.set(id, [a]);
    }
    for (const [n, it] of w.items.entries()) {
      const meta = it.under === 'a' ? { allegationId: allegationIds[it.index]! } : { sourceId: sources[it.index]! };
      const bytes = (async function* () {
        yield Buffer.from(`zzfile${tag}i${n}`);
      })();
      const { id } = await fileEvidence(svc, SYSTEM, bytes, { ...meta, purpose: 'generated' });
      ids.evidence_item.push(id);
      links.set(id, it.under === 'a' ? [it.index] : w.sources[it.index]!);
    }
    return { users, ids, links, canary, allegationIds };
  }

  /** The model: may `user` read the record? From the links alone and the pure rule. */
  function visible(w: WorldSpec, b: Built, user: number, kind: GuardedKind, id: string): boolean {
    const guards = (b.links.get(id) ?? []).filter((i) => needsToKnow(w.allegations[i]!.sensitivity));
    const onTeam = guards.some((i) => w.allegations[i]!.team.includes(user));
    return may(b.users[user]!, 'read', kind, { needToKnow: guards.length > 0, onTeam });
  }

  const shapeOf = (body: string, key: string) => {
    try {
      const { requestId: _r, ...rest } = JSON.parse(body) as Record<string, unknown>;
      return JSON.stringify(rest).split(key).join('KEY');
    } catch {
      return body.split(key).join('KEY');
    }
  };

  it('answers no outsider with a hidden record, by id, in a list or through a reference', async () => {
    const routes = server.app.routeAccess;
    // Every signed-in write without :id has a decision on its references.
    for (const r of routes) {
      if (r.access === 'public' || r.method === 'GET' || r.url.includes(':')) continue;
      expect(
        REFERENCE_PROBES,
        `${r.method} ${r.url} takes a body: list the references it takes in REFERENCE_PROBES`,
      ).toHaveProperty([`${r.method} ${r.url}`]);
    }

    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        const tag = randomUUID().slice(0, 8);
        const b = await build(w, tag);
        stats.worlds++;
        const tokens = await Promise.all(b.users.map((u) => bearerHeaders(server.svc, u)));
        for (const [u, user] of b.users.entries()) {
          const hidden = GUARDED_KINDS.flatMap((kind) =>
            b.ids[kind].filter((id) => !visible(w, b, u, kind, id)).map((id) => ({ kind, id })),
          );
          const words = hidden.flatMap((h) => [h.id, ...(b.canary.has(h.id) ? [b.canary.get(h.id)!] : [])]);
          /** Sends a request; `asked` is the id the request itself names (an error may echo it back). */
          const send = async (method: string, url: string, payload?: unknown, asked?: string) => {
            stats.requests++;
            const res = await server.app.inject({
              method: method as 'GET',
              url,
              headers: tokens[u]!,
              ...(payload === undefined ? {} : { payload: payload as object }),
            });
            const answer = asked === undefined ? res.body : res.body.split(asked).join('');
            for (const word of words)
              expect(answer, `${method} ${url} as ${user.role} shows hidden ${word}`).not.toContain(word);
            return res;
          };
          for (const r of routes) {
            const name = `${r.method} ${r.url}`;
            if (NOT_CALLED.has(name) || !isAllowed(r.access, user.role)) continue;
            stats.routes.add(name);
            const fill = (url: string, id: string) =>
              url.replace(':id', encodeURIComponent(id)).replace(/:(\w+)/g, 'never-used');
            const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : {};
            if (r.url.includes(':id')) {
              const kind = r.record;
              if (kind === undefined || kind === 'none') {
                await send(r.method, fill(r.url, `never-used-${tag}`), body);
                continue;
              }
              for (const h of hidden.filter((x) => x.kind === kind)) {
                stats.hiddenProbes++;
                const missingKey = randomUUID();
                const a = await send(r.method, fill(r.url, h.id), body, h.id);
                const m = await send(r.method, fill(r.url, missingKey), body);
                expect(a.statusCode, `${name}: hidden ${kind} vs an id never used`).toBe(m.statusCode);
                expect(shapeOf(a.body, h.id), `${name}: hidden ${kind} vs an id never used`).toBe(
                  shapeOf(m.body, missingKey),
                );
              }
              continue;
            }
            if (r.method === 'GET') {
              await send('GET', r.url.includes('/search') ? `${r.url}?q=zz${tag}` : r.url);
              continue;
            }
            const probes = REFERENCE_PROBES[name] ?? [];
            for (const [p, probe] of probes.entries()) {
              const kind = PROBE_KINDS[name]![p]!;
              for (const h of hidden.filter((x) => x.kind === kind)) {
                stats.referenceProbes++;
                const missingKey = randomUUID();
                const a = await send(r.method, r.url, probe(h.id), h.id);
                const m = await send(r.method, r.url, probe(missingKey));
                expect(a.statusCode, `${name}: reference to a hidden ${kind}: ${a.body}`).toBe(m.statusCode);
                expect(shapeOf(a.body, h.id)).toBe(shapeOf(m.body, missingKey));
              }
            }
          }
          // Search by each hidden record's own words finds nothing.
          for (const h of hidden) {
            const word = b.canary.get(h.id);
            if (!word || h.kind === 'person') continue;
            const res = await send('GET', `/api/v1/search?q=${encodeURIComponent(word)}`);
            expect(res.json<{ total: number }>().total, `search for hidden ${h.kind}`).toBe(0);
          }
        }
      }),
      { numRuns: 3, endOnFailure: true },
    );
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  }, 600_000);
});
