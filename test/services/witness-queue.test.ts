import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { witnessStatusCommand } from '../../src/cli/commands/witness.ts';
import { heldHeadFor } from '../../src/services/witness/held-heads.service.ts';
import { FileWitness } from '../../src/services/witness/file-witness.ts';
import { PartnerWitness } from '../../src/services/witness/partner-witness.ts';
import { pushToWitnesses, witnessStates } from '../../src/services/witness/witness-queue.service.ts';
import { readSignedHead } from '../../src/store/audit-signature.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { manualClock } from '../api/auth-fixture.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  eventually,
  freePort,
  openInstance,
  silentServer,
  witnessToken,
  writeFacility,
  type TestInstance,
} from '../support/witness.ts';

describeEachDialect('witness push queue', (dialect) => {
  let a: TestInstance;
  const cleanup: Array<() => Promise<void>> = [];
  const time = manualClock('2026-03-01T10:00:00.000Z');

  beforeEach(async () => {
    a = await openInstance(dialect, { clock: time.clock, listen: false });
    cleanup.push(() => a.dispose());
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('lets a write succeed with the partner down, keeps the push, shows it, and delivers it when the partner is back', async () => {
    // The partner exists (its database and the token it made for A) but is not listening yet.
    const port = await freePort();
    const b = await openInstance(dialect, { listen: false });
    cleanup.push(() => b.dispose());
    const token = await witnessToken(b.svc, 'instance A');
    const partner = new PartnerWitness({ url: `http://127.0.0.1:${port}`, token: token.token }, { timeoutMs: 2000 });
    const file = new FileWitness(path.join(a.dir, 'no-such-mount', 'heads.jsonl'));
    const scheduler = a.witnessWith([partner, file], { clock: time.clock });
    const writer = await a.writerHeaders();

    expect(await writeFacility(a, writer, 'ИВС Алматы')).toBe(201);
    const head = (await readSignedHead(a.store.db))!;
    await eventually(
      async () => (await witnessStates(a.store, [partner, file])).every((s) => s.pending?.seq === head.seq),
      10_000,
      'the failed pushes to be queued',
    );

    const states = await witnessStates(a.store, [partner, file]);
    expect(states[0]).toMatchObject({
      witness: partner.id,
      delivered: null,
      pending: { seq: head.seq, attempts: 1, refused: false, lastError: expect.stringMatching(/ECONNREFUSED/) },
    });
    expect(states[1]).toMatchObject({
      witness: file.id,
      pending: { seq: head.seq, attempts: 1, lastError: expect.stringMatching(/ENOENT/) },
    });
    const status = await witnessStatusCommand(a.svc, [partner, file]);
    expect(status[0]).toBe(
      `head: entry ${head.seq}, hash ${head.hash.slice(0, 16)}…, signed by key ${a.signer.fingerprint} at ${head.at}`,
    );
    expect(status[1]).toMatch(
      new RegExp(
        `^partner:http://127.0.0.1:${port}\tdelivered nothing yet\tpending: entry ${head.seq}, 1 attempt\\(s\\), next 2026-03-01T10:00:10.000Z, last error: .*ECONNREFUSED`,
      ),
    );

    // Queue rows are operational: the chain still verifies.
    expect(await verifyStore(a.store)).toMatchObject({ ok: true });

    // Another write while backing off: the newest head waits instead, with no new attempt.
    expect(await writeFacility(a, writer, 'СИЗО Караганда')).toBe(201);
    const newer = (await readSignedHead(a.store.db))!;
    await scheduler.runNow();
    expect((await witnessStates(a.store, [partner]))[0]!.pending).toMatchObject({ seq: newer.seq, attempts: 1 });

    // The partner comes back; once the backoff is over, the retry delivers the newest head.
    await b.stop();
    const back = await openInstance(dialect, { dir: b.dir, identityKey: b.identityKey, db: b.db, port });
    cleanup.push(() => back.stop());
    time.advance(11_000);
    await scheduler.runNow();
    const after = (await witnessStates(a.store, [partner]))[0]!;
    expect(after).toMatchObject({ delivered: { seq: newer.seq }, pending: null });
    const held = await heldHeadFor(back.svc, token.id, a.signer.fingerprint);
    expect(held.head).toEqual(newer);
    expect((await witnessStatusCommand(a.svc, [partner]))[1]).toMatch(
      new RegExp(`delivered entry ${newer.seq} at 2026-03-01T10:00:11.000Z\tpending: none$`),
    );
  });

  it('answers a write at once while a witness hangs, and gives up on it after the time limit', async () => {
    const silent = await silentServer();
    cleanup.push(() => silent.close());
    const partner = new PartnerWitness({ url: silent.url, token: `vgl_${'x'.repeat(43)}` }, { timeoutMs: 5000 });
    a.witnessWith([partner], { clock: time.clock });
    const writer = await a.writerHeaders();
    expect(await writeFacility(a, writer, 'ИВС Шымкент')).toBe(201);
    // The write has its answer while the push still waits on the silent witness: no attempt has failed yet.
    expect((await witnessStates(a.store, [partner]))[0]!.pending?.attempts ?? 0).toBe(0);
    await eventually(
      async () => (await witnessStates(a.store, [partner]))[0]!.pending?.attempts === 1,
      20_000,
      'the push to time out',
    );
    expect((await witnessStates(a.store, [partner]))[0]!.pending!.lastError).toMatch(/no answer within the time limit/);
  });

  it('pushes with force to a witness that is backing off, and does nothing without a signed head', async () => {
    const empty = await openInstance(dialect, { listen: false });
    cleanup.push(() => empty.dispose());
    const file = new FileWitness(path.join(empty.dir, 'heads.jsonl'));
    expect(await pushToWitnesses(empty.store, [file])).toEqual([{ witness: file.id, result: 'no_head' }]);

    const dir = path.join(a.dir, 'later');
    const late = new FileWitness(path.join(dir, 'heads.jsonl'));
    expect(await writeFacility(a, await a.writerHeaders(), 'ИВС Тараз')).toBe(201);
    expect((await pushToWitnesses(a.store, [late], { now: time.clock }))[0]).toMatchObject({ result: 'failed' });
    expect((await pushToWitnesses(a.store, [late], { now: time.clock }))[0]).toMatchObject({ result: 'waiting' });
    fs.mkdirSync(dir);
    expect((await pushToWitnesses(a.store, [late], { now: time.clock, force: true }))[0]).toMatchObject({
      result: 'delivered',
    });
    expect((await pushToWitnesses(a.store, [late], { now: time.clock }))[0]).toMatchObject({ result: 'up_to_date' });
  });
});
