import { afterAll, beforeAll, expect, it } from 'vitest';
import { keyFingerprintOf } from '../../src/store/audit-signature.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { EARLIER_PAGE } from '../../src/services/witness/held-heads.service.ts';
import { auditHeadSeq } from '../../src/store/repositories/audit-head.repository.ts';
import { insertHeld } from '../../src/store/repositories/witness-held.repository.ts';
import { describeEachDialect } from '../support/databases.ts';
import { headOf, partnerSigner, witnessToken } from '../support/witness.ts';
import { bearerHeaders, makeUser, openAuthServer, sessionHeaders, type AuthTestServer } from './auth-fixture.ts';

type ErrorBody = { code: string; message: string; path?: string };

describeEachDialect('witness routes', (dialect) => {
  let server: AuthTestServer;

  beforeAll(async () => {
    server = await openAuthServer(dialect);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const post = (headers: Record<string, string>, payload: unknown) =>
    server.app.inject({ method: 'POST', url: '/api/v1/witness/heads', headers, payload: payload as object });
  const get = (headers: Record<string, string>, instance: string) =>
    server.app.inject({ method: 'GET', url: `/api/v1/witness/heads/${instance}`, headers });

  it('lets in only tokens with the witness scope, and such a token nowhere else', async () => {
    const head = headOf(partnerSigner(), 1);
    const admin = await makeUser(server.svc, 'admin');
    expect((await post(await bearerHeaders(server.svc, admin), head)).json()).toMatchObject({
      code: 'auth.forbidden',
      message: expect.stringMatching(/witness scope/),
    });
    expect((await post(await bearerHeaders(server.svc, admin), head)).statusCode).toBe(403);
    expect((await post((await sessionHeaders(server.svc, admin.id)).write, head)).statusCode).toBe(403);
    expect((await post({}, head)).statusCode).toBe(401);
    expect((await get(await bearerHeaders(server.svc, 'analyst'), head.instance)).statusCode).toBe(403);

    const witness = await witnessToken(server.svc);
    const elsewhere = await server.app.inject({ method: 'GET', url: '/api/v1/allegations', headers: witness.headers });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json<ErrorBody>().message).toMatch(/witness scope may only/);
    // A public route runs for it as for nobody.
    expect(
      (await server.app.inject({ method: 'GET', url: '/api/v1/public/statistics', headers: witness.headers }))
        .statusCode,
    ).toBe(200);
    expect(
      (await server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: witness.headers })).statusCode,
    ).toBe(403);
  });

  it('makes witness tokens for admins only, and shows the scope', async () => {
    const analyst = await makeUser(server.svc, 'analyst');
    const refused = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: (await sessionHeaders(server.svc, analyst.id)).write,
      payload: { name: 'p', scope: 'witness' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'auth.forbidden', path: 'scope' });
    const admin = await makeUser(server.svc, 'admin');
    const session = await sessionHeaders(server.svc, admin.id);
    const made = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: session.write,
      payload: { name: 'partner B', scope: 'witness' },
    });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ name: 'partner B', scope: 'witness' });
    const bad = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: session.write,
      payload: { name: 'x', scope: 'root' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation.invalid', path: 'scope' });
  });

  it('refuses a malformed head with 400 and the field path', async () => {
    const { headers } = await witnessToken(server.svc);
    const head = headOf(partnerSigner(), 3);
    const cases: Array<[unknown, string]> = [
      [{ ...head, seq: 'three' }, 'seq'],
      [{ ...head, seq: 0 }, 'seq'],
      [{ ...head, hash: 'abc' }, 'hash'],
      [{ ...head, at: 'yesterday' }, 'at'],
      [{ ...head, key: 'short' }, 'key'],
      [{ ...head, instance: 'XYZ' }, 'instance'],
      [{ ...head, signature: undefined }, 'signature'],
      [{ ...head, extra: 1 }, 'extra'],
    ];
    for (const [body, path] of cases) {
      const res = await post(headers, body);
      expect(res.statusCode, path).toBe(400);
      expect(res.json<ErrorBody>(), path).toMatchObject({ code: 'validation.invalid', path });
    }
    expect((await get(headers, 'not-hex')).json()).toMatchObject({ code: 'validation.invalid', path: 'instance' });
  });

  it('refuses a forged signature and keeps nothing of it', async () => {
    const { headers } = await witnessToken(server.svc);
    const partner = partnerSigner();
    const real = headOf(partner, 5);
    const forged = { ...real, hash: headOf(partner, 5, 'forged').hash };
    const res = await post(headers, forged);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'witness.signature_invalid', path: 'signature' });
    // Another key's fingerprint as the instance: the key does not name itself.
    const stolen = { ...real, instance: keyFingerprintOf(partnerSigner().publicKey) };
    expect((await post(headers, stolen)).json()).toMatchObject({ code: 'witness.signature_invalid' });
    expect((await get(headers, real.instance)).json()).toMatchObject({ code: 'record.not_found', path: 'instance' });
  });

  it('holds heads, answers the latest, and keeps contradicting heads as alarms without overwriting', async () => {
    const { headers } = await witnessToken(server.svc);
    const partner = partnerSigner();
    const seqBefore = await auditHeadSeq(server.svc.store.db);

    expect((await post(headers, headOf(partner, 10))).statusCode).toBe(201);
    const again = await post(headers, headOf(partner, 10));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'already_held' });
    expect((await post(headers, headOf(partner, 12))).json()).toMatchObject({ status: 'stored', head: { seq: 12 } });

    const conflict = await post(headers, headOf(partner, 12, 'rewritten'));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({
      code: 'witness.head_conflict',
      path: 'hash',
      message: expect.stringMatching(/entry 12 .* held with hash .*kept as an alarm/),
    });
    const backwards = await post(headers, headOf(partner, 11));
    expect(backwards.statusCode).toBe(409);
    expect(backwards.json()).toMatchObject({ code: 'witness.head_backwards', path: 'seq' });
    // An earlier head held already is no alarm: it is the same head again.
    expect((await post(headers, headOf(partner, 10))).statusCode).toBe(200);

    const held = await get(headers, partner.fingerprint);
    expect(held.statusCode).toBe(200);
    const body = held.json<{
      head: { seq: number; hash: string };
      alarms: Array<{ kind: string; head: { seq: number; hash: string } }>;
    }>();
    expect(body.head).toEqual(headOf(partner, 12));
    expect(body.alarms.map((a) => [a.kind, a.head.seq]).sort()).toEqual([
      ['witness.head_backwards', 11],
      ['witness.head_conflict', 12],
    ]);
    expect(body.alarms.find((a) => a.kind === 'witness.head_conflict')!.head.hash).toBe(
      headOf(partner, 12, 'rewritten').hash,
    );

    // Partners' heads are operational data: no audit entry, and the chain still verifies.
    expect(await auditHeadSeq(server.svc.store.db)).toBe(seqBefore);
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });

  it('answers the earlier held heads page by page', async () => {
    const { headers, id } = await witnessToken(server.svc);
    const partner = partnerSigner();
    expect((await post(headers, headOf(partner, 1))).statusCode).toBe(201);
    expect((await get(headers, partner.fingerprint)).json()).toMatchObject({
      head: { seq: 1 },
      earlier: [],
      nextBefore: null,
    });
    // Many heads, stored directly: a partner pushing for months.
    const many = Array.from({ length: EARLIER_PAGE + 100 }, (_, i) => headOf(partner, i + 2));
    for (const h of many) await insertHeld(server.svc.store.db, id, h, '2026-01-01T00:00:00.000Z');
    const latest = many.at(-1)!;
    const first = (await get(headers, partner.fingerprint)).json<{
      head: { seq: number };
      earlier: unknown[];
      nextBefore: number;
    }>();
    expect(first).toMatchObject({ head: { seq: latest.seq }, earlier: [], nextBefore: latest.seq });
    const seen: number[] = [];
    let before: number | null = first.nextBefore;
    while (before !== null) {
      const page: { json<T>(): T } = await server.app.inject({
        method: 'GET',
        url: `/api/v1/witness/heads/${partner.fingerprint}?before=${before}`,
        headers,
      });
      const body: { earlier: Array<{ seq: number }>; nextBefore: number | null } = page.json();
      expect(body.earlier.length).toBeLessThanOrEqual(EARLIER_PAGE);
      seen.push(...body.earlier.map((h) => h.seq));
      before = body.nextBefore;
    }
    expect(seen).toEqual(Array.from({ length: latest.seq - 1 }, (_, i) => latest.seq - 1 - i));
    const bad = await server.app.inject({
      method: 'GET',
      url: `/api/v1/witness/heads/${partner.fingerprint}?before=soon`,
      headers,
    });
    expect(bad.json()).toMatchObject({ code: 'validation.invalid', path: 'before' });
  });

  it("pins the partner's key on first contact: a head with another key is refused and kept as an alarm", async () => {
    const { headers } = await witnessToken(server.svc);
    const original = partnerSigner();
    const replaced = partnerSigner();
    expect((await post(headers, headOf(original, 20))).statusCode).toBe(201);
    const res = await post(headers, headOf(replaced, 25));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'witness.key_changed',
      path: 'key',
      message: expect.stringContaining(`first seen on`),
    });
    expect(res.json<ErrorBody>().message).toContain(original.fingerprint);

    // The rewritten instance asking for its own heads learns that the token knows another key.
    const asked = await get(headers, replaced.fingerprint);
    expect(asked.statusCode).toBe(409);
    expect(asked.json()).toMatchObject({
      code: 'witness.key_changed',
      path: 'instance',
      message: expect.stringMatching(/held up to entry 20/),
    });
    const held = (await get(headers, original.fingerprint)).json<{
      head: { seq: number };
      alarms: Array<{ kind: string; head: { instance: string } }>;
    }>();
    expect(held.head.seq).toBe(20);
    expect(held.alarms).toEqual([
      expect.objectContaining({
        kind: 'witness.key_changed',
        head: expect.objectContaining({ instance: replaced.fingerprint }),
      }),
    ]);

    // Another partner's token reads nothing of this one.
    const other = await witnessToken(server.svc, 'other partner');
    expect((await get(other.headers, original.fingerprint)).statusCode).toBe(404);
  });
});
