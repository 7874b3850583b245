import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/services/context.ts';
import { assignToAllegation } from '../../src/services/access.service.ts';
import { SYSTEM } from '../../src/services/context.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { advanceAllegation, makeAllegation, makeSource } from '../support/factories.ts';
import { bearerHeaders, makeUser, manualClock, openAuthServer, type AuthTestServer } from './auth-fixture.ts';

type Headers = Record<string, string>;
type Proposal = {
  id: string;
  allegationId: string;
  toStatus: string;
  status: string;
  proposer: { id: string; username: string };
  expiresAt: string;
};
const DAY = 86_400_000;

describeEachDialect('two-analyst proposal routes', (dialect) => {
  let server: AuthTestServer;
  const time = manualClock();
  let lead: Actor & { username: string };
  let second: Actor & { username: string };
  let outsider: Actor & { username: string };
  let documenter: Actor & { username: string };
  const auth = new Map<Actor, Headers>();

  const call = (who: Actor, method: 'GET' | 'POST', url: string, payload?: object) =>
    server.app.inject({ method, url, headers: auth.get(who)!, ...(payload ? { payload } : {}) });
  const auditSeq = async () =>
    Number((await server.svc.store.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq);
  const status = async (id: string) =>
    (
      await server.svc.store.db
        .selectFrom('allegation')
        .select('verification_status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).verification_status;

  /** A restricted allegation under verification, with two independent sources; the lead and the second analyst on its team. */
  async function restrictedCase(): Promise<string> {
    const { svc } = server;
    const a = await makeSource(svc, { kind: 'relative_report', title: "Mother's call", outlet: 'phone call' });
    const b = await makeSource(svc, {
      kind: 'social_media_post',
      title: "Sister's post",
      url: 'https://social.example/p/1',
    });
    const id = await makeAllegation(
      svc,
      {
        sensitivity: 'restricted',
        consent: ['record'],
        sources: [
          { sourceId: a, relation: 'reports' },
          { sourceId: b, relation: 'corroborates' },
        ],
      },
      lead,
    );
    await assignToAllegation(svc, SYSTEM, id, second.id);
    await advanceAllegation(svc, id, 'under_verification');
    return id;
  }

  /** Expects `res` to be refused with `status`, `code` and `path`, and that nothing was written since `before`. */
  async function refused(
    res: { statusCode: number; json(): unknown; body: string },
    before: number,
    want: { status: number; code: string; path?: string },
  ) {
    expect(res.statusCode, res.body).toBe(want.status);
    expect(res.json()).toMatchObject({ code: want.code, ...(want.path ? { path: want.path } : {}) });
    expect(await auditSeq()).toBe(before);
  }

  beforeAll(async () => {
    server = await openAuthServer(dialect, { clock: time.clock });
    const { svc } = server;
    lead = await makeUser(svc, 'analyst');
    second = await makeUser(svc, 'analyst');
    outsider = await makeUser(svc, 'analyst');
    documenter = await makeUser(svc, 'documenter');
    for (const u of [lead, second, outsider, documenter]) auth.set(u, await bearerHeaders(svc, u));
  });
  afterAll(async () => server?.dispose());

  it('one analyst proposes, another approves with proposalId; the list shows it approved; the chain verifies', async () => {
    const id = await restrictedCase();
    const res = await call(lead, 'POST', `/api/v1/allegations/${id}/proposals`, {
      to: 'corroborated',
      reason: 'Two independent sources',
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json<Proposal>();
    expect(p).toMatchObject({
      allegationId: id,
      toStatus: 'corroborated',
      status: 'open',
      proposer: { id: lead.id, username: lead.username },
    });
    expect(Date.parse(p.expiresAt) - time.now().getTime()).toBe(14 * DAY);

    const listed = await call(second, 'GET', `/api/v1/allegations/${id}/proposals`);
    expect(listed.json<{ items: Proposal[] }>().items.map((x) => [x.id, x.status])).toEqual([[p.id, 'open']]);

    const ok = await call(second, 'POST', `/api/v1/allegations/${id}/transitions`, {
      to: 'corroborated',
      reason: 'Agreed',
      proposalId: p.id,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ id, status: 'corroborated' });
    expect(
      (await call(lead, 'GET', `/api/v1/allegations/${id}/proposals`)).json<{ items: Proposal[] }>().items[0]!.status,
    ).toBe('approved');
    const log = await server.svc.store.db
      .selectFrom('audit_entry')
      .select(['actor', 'action', 'entity_type'])
      .where('entity_id', 'in', [id, p.id])
      .orderBy('seq')
      .execute();
    expect(log.slice(-3)).toEqual([
      { actor: lead.id, action: 'propose', entity_type: 'allegation_proposal' },
      { actor: second.id, action: 'transition:under_verification->corroborated', entity_type: 'allegation' },
      { actor: second.id, action: 'approve', entity_type: 'allegation_proposal' },
    ]);
    expect(await verifyStore(server.svc.store)).toMatchObject({ ok: true });
  });

  it('answers an outsider about a hidden allegation exactly as about a random id, on every proposal route', async () => {
    const id = await restrictedCase();
    const p = (
      await call(lead, 'POST', `/api/v1/allegations/${id}/proposals`, { to: 'corroborated', reason: 'r' })
    ).json<Proposal>();
    const requests: Array<[method: 'GET' | 'POST', path: string, body?: object]> = [
      ['GET', '/proposals'],
      ['POST', '/proposals', { to: 'corroborated', reason: 'r' }],
      ['POST', `/proposals/${p.id}/withdraw`, {}],
      ['POST', '/transitions', { to: 'corroborated', reason: 'r', proposalId: p.id }],
    ];
    const before = await auditSeq();
    for (const [method, path, body] of requests) {
      const hidden = await call(outsider, method, `/api/v1/allegations/${id}${path}`, body);
      const random = await call(outsider, method, `/api/v1/allegations/no-such-allegation${path}`, body);
      expect(hidden.statusCode, path).toBe(404);
      const {
        requestId: _a,
        message: hiddenMessage,
        ...hiddenBody
      } = hidden.json<{ requestId: string; message: string }>();
      const {
        requestId: _b,
        message: randomMessage,
        ...randomBody
      } = random.json<{ requestId: string; message: string }>();
      expect(hiddenBody, path).toEqual(randomBody);
      expect(hiddenMessage.replace(id, 'X'), path).toBe(randomMessage.replace('no-such-allegation', 'X'));
    }
    expect(await auditSeq()).toBe(before);
  });

  it('refuses self-approval, another allegation’s proposal, another target, an expired one, with stable codes and nothing written', async () => {
    const id = await restrictedCase();
    const other = await restrictedCase();
    const p = (
      await call(lead, 'POST', `/api/v1/allegations/${id}/proposals`, { to: 'corroborated', reason: 'r' })
    ).json<Proposal>();
    const foreign = (
      await call(lead, 'POST', `/api/v1/allegations/${other}/proposals`, { to: 'corroborated', reason: 'r' })
    ).json<Proposal>();
    const approve = (who: Actor, body: object) =>
      call(who, 'POST', `/api/v1/allegations/${id}/transitions`, { reason: 'r', ...body });
    let before = await auditSeq();
    await refused(await approve(lead, { to: 'corroborated', proposalId: p.id }), before, {
      status: 403,
      code: 'proposal.self_approval',
      path: 'proposalId',
    });
    await refused(await approve(second, { to: 'corroborated', proposalId: foreign.id }), before, {
      status: 422,
      code: 'proposal.mismatch',
      path: 'proposalId',
    });
    await refused(await approve(second, { to: 'corroborated', proposalId: 'no-such-proposal' }), before, {
      status: 422,
      code: 'proposal.mismatch',
      path: 'proposalId',
    });
    await refused(await approve(second, { to: 'partially_corroborated', proposalId: p.id }), before, {
      status: 422,
      code: 'proposal.mismatch',
      path: 'proposalId',
    });
    await refused(await approve(second, { to: 'corroborated' }), before, {
      status: 422,
      code: 'state.guard_failed',
      path: 'proposalId',
    });
    await refused(await approve(second, { to: 'corroborated', proposalId: p.id, proposedBy: lead.username }), before, {
      status: 400,
      code: 'validation.invalid',
      path: 'proposedBy',
    });
    time.advance(15 * DAY);
    before = await auditSeq();
    await refused(await approve(second, { to: 'corroborated', proposalId: p.id }), before, {
      status: 409,
      code: 'proposal.expired',
      path: 'proposalId',
    });
    expect(await status(id)).toBe('under_verification');
  });

  it('checks who proposes and what: analysts only, a two-analyst step, a reason; one open per step; the proposer withdraws', async () => {
    const id = await restrictedCase();
    const url = `/api/v1/allegations/${id}/proposals`;
    const before = await auditSeq();
    await refused(await call(documenter, 'POST', url, { to: 'corroborated', reason: 'r' }), before, {
      status: 403,
      code: 'auth.forbidden',
    });
    await refused(await call(lead, 'POST', url, { to: 'nonsense', reason: 'r' }), before, {
      status: 400,
      code: 'validation.invalid',
      path: 'to',
    });
    await refused(await call(lead, 'POST', url, { to: 'corroborated' }), before, {
      status: 400,
      code: 'validation.invalid',
      path: 'reason',
    });
    await refused(await call(lead, 'POST', url, { to: 'uncorroborated', reason: 'r' }), before, {
      status: 400,
      code: 'validation.invalid',
      path: 'to',
    });
    await refused(await call(lead, 'POST', url, { to: 'inconsistent', reason: 'r' }), before, {
      status: 422,
      code: 'state.guard_failed',
      path: 'facts.hasContradictingSource',
    });

    const p = (await call(lead, 'POST', url, { to: 'corroborated', reason: 'r' })).json<Proposal>();
    const mid = await auditSeq();
    await refused(await call(second, 'POST', url, { to: 'corroborated', reason: 'r' }), mid, {
      status: 409,
      code: 'proposal.already_open',
      path: 'to',
    });
    await refused(await call(second, 'POST', `${url}/${p.id}/withdraw`, {}), mid, {
      status: 403,
      code: 'proposal.not_proposer',
      path: 'proposalId',
    });
    await refused(await call(lead, 'POST', `${url}/no-such-proposal/withdraw`, {}), mid, {
      status: 404,
      code: 'record.not_found',
      path: 'proposalId',
    });
    const w = await call(lead, 'POST', `${url}/${p.id}/withdraw`, { reason: 'one source is a repost of the other' });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json()).toMatchObject({
      id: p.id,
      status: 'withdrawn',
      decisionReason: 'one source is a repost of the other',
    });
    const after = await auditSeq();
    await refused(
      await call(second, 'POST', `/api/v1/allegations/${id}/transitions`, { to: 'corroborated', proposalId: p.id }),
      after,
      { status: 409, code: 'proposal.not_open', path: 'proposalId' },
    );
  });
});
