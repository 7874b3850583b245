import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAllegation, transitionAllegationStatus } from '../../src/services/allegation.service.ts';
import {
  allegationProposals,
  proposeAllegationTransition,
  withdrawProposal,
} from '../../src/services/allegation-proposal.service.ts';
import { makeServices, SYSTEM, type Actor, type Services } from '../../src/services/context.ts';
import { importRecords, linesOf } from '../../src/services/import.service.ts';
import { addUser, disableUser } from '../../src/services/user.service.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { describeEachDialect } from '../support/databases.ts';
import { openTestStore } from '../support/store.ts';

const DAY = 86_400_000;

describeEachDialect('two-analyst proposals', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  let now: number;
  let ana: Actor;
  let ben: Actor;
  let doc: Actor;
  let allegation: string;
  let other: string;

  beforeEach(async () => {
    const t = await openTestStore(dialect);
    dispose = t.dispose;
    now = Date.parse('2022-02-01T09:00:00.000Z');
    svc = makeServices(t.store, new Keyring(randomBytes(32)), {
      clock: () => {
        now += 1000;
        return new Date(now);
      },
    });
    const user = async (username: string, role: 'analyst' | 'documenter') => ({
      id: (await addUser(svc, SYSTEM, { username, role })).id,
      role,
    });
    ana = await user('ana', 'analyst');
    ben = await user('ben', 'analyst');
    doc = await user('doc', 'documenter');
    await importRecords(
      svc,
      SYSTEM,
      linesOf([
        { type: 'source', externalId: 's1', kind: 'news_article', title: 'Article', url: 'https://news.example/a' },
        { type: 'source', externalId: 's2', kind: 'ngo_report', title: 'Report', url: 'https://ngo.example/r' },
      ]),
    );
    const underVerification = async () => {
      const { id } = await createAllegation(svc, doc, {
        title: 'Beating during questioning',
        acts: [{ kind: 'beating' }],
        consent: ['record'],
        sources: [
          { sourceId: 's1', relation: 'reports' },
          { sourceId: 's2', relation: 'corroborates' },
        ],
      });
      await transitionAllegationStatus(svc, ana, id, { to: 'triage' });
      await transitionAllegationStatus(svc, ana, id, { to: 'consent_safety_check' });
      await transitionAllegationStatus(svc, ana, id, { to: 'under_verification', risk: 'medium' });
      return id;
    };
    allegation = await underVerification();
    other = await underVerification();
  });
  afterEach(async () => dispose());

  const propose = (actor: Actor, id = allegation, to = 'corroborated') =>
    proposeAllegationTransition(svc, actor, id, { to, reason: 'two independent sources' });
  const approve = (actor: Actor, proposalId: string, id = allegation, to = 'corroborated') =>
    transitionAllegationStatus(svc, actor, id, { to, reason: 'agreed', proposalId });
  const status = async (id = allegation) =>
    (
      await svc.store.db
        .selectFrom('allegation')
        .select('verification_status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).verification_status;
  const auditSeq = async () =>
    Number((await svc.store.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq);

  /** Runs `fn`, expects it to fail with `code` (and `path`), and checks that nothing was written. */
  async function refused(fn: () => Promise<unknown>, code: string, path = 'proposalId') {
    const before = await auditSeq();
    await expect(fn()).rejects.toMatchObject({ code, path });
    expect(await auditSeq()).toBe(before);
  }

  it('one analyst proposes, another approves: both are audit entries naming their users, in the transaction of the change', async () => {
    const p = await propose(ana);
    expect(p).toMatchObject({
      allegationId: allegation,
      fromStatus: 'under_verification',
      toStatus: 'corroborated',
      reason: 'two independent sources',
      proposer: { id: ana.id, username: 'ana' },
      status: 'open',
      decidedBy: null,
    });
    expect(Date.parse(p.expiresAt) - Date.parse(p.createdAt)).toBe(14 * DAY);
    expect(await status()).toBe('under_verification');

    const r = await approve(ben, p.id);
    expect(r.status).toBe('corroborated');
    const [listed] = await allegationProposals(svc, allegation);
    expect(listed).toMatchObject({ id: p.id, status: 'approved', decidedBy: { id: ben.id, username: 'ben' } });

    const entries = await svc.store.db
      .selectFrom('audit_entry')
      .select(['seq', 'actor', 'action', 'entity_type', 'entity_id', 'reason', 'at'])
      .where('entity_id', 'in', [allegation, p.id])
      .orderBy('seq')
      .execute();
    const tail = entries.slice(-3);
    expect(tail.map((e) => [e.entity_type, e.action, e.actor])).toEqual([
      ['allegation_proposal', 'propose', ana.id],
      ['allegation', 'transition:under_verification->corroborated', ben.id],
      ['allegation_proposal', 'approve', ben.id],
    ]);
    expect(tail[1]!.at).toBe(tail[2]!.at); // one transaction, one instant
    expect(tail[1]!.reason).toBe('agreed');
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('refuses a self-approval, and writes nothing', async () => {
    const p = await propose(ana);
    await refused(() => approve(ana, p.id), 'proposal.self_approval');
    expect(await status()).toBe('under_verification');
  });

  it('refuses a two-analyst step without a proposal, and one that needs none with a proposal', async () => {
    await refused(
      () => transitionAllegationStatus(svc, ben, allegation, { to: 'corroborated', reason: 'x' }),
      'state.guard_failed',
    );
    const p = await propose(ana);
    await refused(
      () => transitionAllegationStatus(svc, ben, allegation, { to: 'uncorroborated', proposalId: p.id }),
      'validation.invalid',
    );
  });

  it('refuses a proposal for another allegation exactly like an unknown id', async () => {
    const p = await propose(ana, other);
    const foreign = await approve(ben, p.id).catch((e: unknown) => e);
    const unknown = await approve(ben, 'no-such-proposal').catch((e: unknown) => e);
    expect(foreign).toMatchObject({ code: 'proposal.mismatch', path: 'proposalId' });
    expect(unknown).toMatchObject({
      code: 'proposal.mismatch',
      path: 'proposalId',
      message: (foreign as Error).message,
    });
    await refused(() => approve(ben, p.id), 'proposal.mismatch');
  });

  it('refuses a proposal for another target', async () => {
    const p = await propose(ana, allegation, 'corroborated');
    await refused(() => approve(ben, p.id, allegation, 'inconsistent'), 'proposal.mismatch');
  });

  it('refuses an expired proposal; the lifetime is chosen when proposing', async () => {
    const p = await proposeAllegationTransition(
      svc,
      ana,
      allegation,
      { to: 'corroborated', reason: 'r' },
      { lifetimeDays: 2 },
    );
    expect(Date.parse(p.expiresAt) - Date.parse(p.createdAt)).toBe(2 * DAY);
    now += 2 * DAY;
    await refused(() => approve(ben, p.id), 'proposal.expired');
    expect((await allegationProposals(svc, allegation))[0]!.status).toBe('expired');
    // A new proposal for the same step records the old one as expired.
    const again = await propose(ana);
    const list = await allegationProposals(svc, allegation);
    expect(list.map((x) => [x.id, x.status])).toEqual([
      [again.id, 'open'],
      [p.id, 'expired'],
    ]);
  });

  it('refuses when the proposer is no longer an enabled analyst', async () => {
    const p = await propose(ana);
    await disableUser(svc, SYSTEM, 'ana', 'left the organisation');
    await refused(() => approve(ben, p.id), 'proposal.proposer_ineligible');
    // Their proposal no longer blocks the step: a new one supersedes it.
    const q = await propose(ben);
    expect((await allegationProposals(svc, allegation)).find((x) => x.id === p.id)).toMatchObject({
      status: 'superseded',
      decidedBy: { id: ben.id },
    });
    await svc.store.db.updateTable('app_user').set({ role: 'viewer' }).where('id', '=', ben.id).execute();
    const cem: Actor = { id: (await addUser(svc, SYSTEM, { username: 'cem', role: 'analyst' })).id, role: 'analyst' };
    await refused(() => approve(cem, q.id), 'proposal.proposer_ineligible');
  });

  it('only an analyst proposes, only a two-analyst step, from the current status, with its guards met; one open per step', async () => {
    await refused(() => propose(doc), 'state.transition_not_allowed', 'status');
    await refused(() => propose(SYSTEM), 'state.transition_not_allowed', 'role');
    await refused(() => propose(ana, allegation, 'uncorroborated'), 'validation.invalid', 'to');
    // No contradicting source: nobody could approve `inconsistent`, so it is not proposed.
    await refused(() => propose(ana, allegation, 'inconsistent'), 'state.guard_failed', 'facts.hasContradictingSource');
    await refused(
      () => proposeAllegationTransition(svc, ana, allegation, { to: 'corroborated' }),
      'validation.invalid',
      'reason',
    );
    await propose(ana);
    await refused(() => propose(ben), 'proposal.already_open', 'to');
    const partial = await propose(ben, allegation, 'partially_corroborated');
    expect(partial.status).toBe('open');
  });

  it('lets the proposer, and nobody else, withdraw an open proposal', async () => {
    const p = await propose(ana);
    await refused(() => withdrawProposal(svc, ben, allegation, p.id, {}), 'proposal.not_proposer');
    await refused(() => withdrawProposal(svc, ana, other, p.id, {}), 'record.not_found');
    const w = await withdrawProposal(svc, ana, allegation, p.id, { reason: 'a source turned out to be a repost' });
    expect(w).toMatchObject({
      status: 'withdrawn',
      decidedBy: { id: ana.id },
      decisionReason: 'a source turned out to be a repost',
    });
    await refused(() => approve(ben, p.id), 'proposal.not_open');
    await refused(() => withdrawProposal(svc, ana, allegation, p.id, {}), 'proposal.not_open');
  });

  it('supersedes the other open proposals when the allegation moves on, so none can be approved from a status it left', async () => {
    const corroborate = await propose(ana);
    const partial = await propose(ana, allegation, 'partially_corroborated');
    await approve(ben, corroborate.id);
    const list = await allegationProposals(svc, allegation);
    expect(Object.fromEntries(list.map((x) => [x.id, x.status]))).toEqual({
      [corroborate.id]: 'approved',
      [partial.id]: 'superseded',
    });
    await transitionAllegationStatus(svc, ana, allegation, { to: 'under_verification', reason: 'new evidence' });
    await refused(() => approve(ben, partial.id, allegation, 'partially_corroborated'), 'proposal.not_open');
  });

  it('lets Vigil’s own work (system) approve an analyst’s proposal, never make one', async () => {
    const p = await propose(ana);
    expect((await approve(SYSTEM, p.id)).status).toBe('corroborated');
    expect((await allegationProposals(svc, allegation))[0]).toMatchObject({
      status: 'approved',
      decidedBy: { id: 'system', username: null },
    });
  });
});
