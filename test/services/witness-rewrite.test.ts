/**
 * The insider who holds the server: rebuilds the database from scratch, signs the new chain with
 * a fresh key file and rewrites the local checkpoint to match. Every local check passes; the
 * witnesses kept the old heads, and they catch it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { FileWitness } from '../../src/services/witness/file-witness.ts';
import { heldHeadFor } from '../../src/services/witness/held-heads.service.ts';
import { PartnerWitness } from '../../src/services/witness/partner-witness.ts';
import { checkHeldHeads, checkWitness } from '../../src/services/witness/witness-check.ts';
import { witnessStates } from '../../src/services/witness/witness-queue.service.ts';
import type { Witness } from '../../src/services/witness/witness.ts';
import {
  checkCheckpoint,
  currentCheckpoint,
  readCheckpoint,
  writeCheckpoint,
} from '../../src/store/audit-checkpoint.ts';
import { readSignedHead, signHead } from '../../src/store/audit-signature.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { SIGNING_KEY_FILE_NAME } from '../../src/evidence/signing-key.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  cliEnvOf,
  eventually,
  openInstance,
  runCli,
  witnessToken,
  writeFacility,
  type TestInstance,
} from '../support/witness.ts';

/** Every push of the instance's current head delivered. */
async function delivered(i: TestInstance, witnesses: Witness[]): Promise<void> {
  await eventually(
    async () => {
      const head = await readSignedHead(i.store.db);
      return head !== null && (await witnessStates(i.store, witnesses)).every((s) => s.delivered?.seq === head.seq);
    },
    15_000,
    'the pushes to be delivered',
  );
}

describeEachDialect('witnesses against a full rewrite', (dialect) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('two instances on loopback witness each other; the rewritten one is exposed by the other and by its witness file', async () => {
    const a = await openInstance(dialect);
    cleanup.push(() => a.dispose());
    const b = await openInstance(dialect);
    cleanup.push(() => b.dispose());
    const otherDisk = fs.mkdtempSync(path.join(path.dirname(a.dir), 'vigil-other-disk-'));
    cleanup.push(async () => fs.rmSync(otherDisk, { recursive: true, force: true }));
    const witnessFile = path.join(otherDisk, 'a-heads.jsonl');

    // Each admin makes a witness token for the other instance.
    const aAtB = await witnessToken(b.svc, 'instance A');
    const bAtA = await witnessToken(a.svc, 'instance B');
    const aWitnesses = [new FileWitness(witnessFile), new PartnerWitness({ url: b.url, token: aAtB.token })];
    const bWitnesses = [new PartnerWitness({ url: a.url, token: bAtA.token })];
    a.witnessWith(aWitnesses);
    b.witnessWith(bWitnesses);

    // Work on both, over HTTP; the heads go out in the background.
    const aWriter = await a.writerHeaders();
    for (const name of ['СИЗО ЛА-155/18', 'ИВС Алматы', 'ИВС Шымкент'])
      expect(await writeFacility(a, aWriter, name)).toBe(201);
    expect(await writeFacility(b, await b.writerHeaders(), 'ИК Жезказган')).toBe(201);
    await delivered(a, aWitnesses);
    await delivered(b, bWitnesses);
    const aHead = (await readSignedHead(a.store.db))!;
    expect((await heldHeadFor(b.svc, aAtB.id, a.signer.fingerprint)).head).toEqual(aHead);
    expect((await heldHeadFor(a.svc, bAtA.id, b.signer.fingerprint)).head).toEqual((await readSignedHead(b.store.db))!);

    const env = { VIGIL_WITNESS_PARTNERS: `${b.url}|${aAtB.token}` };
    expect(await checkWitness(a.store, a.signer.publicKey, b.url, env)).toMatchObject({
      status: 'ok',
      lastSeq: aHead.seq,
    });
    expect(await checkWitness(a.store, a.signer.publicKey, witnessFile, env)).toMatchObject({
      status: 'ok',
      lastSeq: aHead.seq,
    });
    const checkpointFile = path.join(a.dir, 'audit-checkpoint.json');
    await writeCheckpoint(checkpointFile, await currentCheckpoint(a.store, new Date()));

    // The insider: a new database, a new signing key, the same story retold, a new checkpoint.
    await a.stop();
    fs.rmSync(path.join(a.dir, SIGNING_KEY_FILE_NAME));
    const forged = await openInstance(dialect, {
      dir: a.dir,
      identityKey: a.identityKey,
      port: Number(new URL(a.url).port),
    });
    cleanup.push(() => forged.dispose());
    expect(forged.signer.fingerprint).not.toBe(a.signer.fingerprint);
    for (const name of ['СИЗО ЛА-155/18', 'ИВС Алматы', 'ИВС Шымкент', 'ИВС Тараз'])
      expect(await writeFacility(forged, await forged.writerHeaders(), name)).toBe(201);
    await writeCheckpoint(checkpointFile, await currentCheckpoint(forged.store, new Date()));
    // Vigil restarts with the same witness configuration and pushes the new head.
    const forgedWitnesses = [new FileWitness(witnessFile), new PartnerWitness({ url: b.url, token: aAtB.token })];
    const pushes = forged.witnessWith(forgedWitnesses);
    await pushes.runNow();

    // Every local check passes.
    expect(await verifyStore(forged.store)).toMatchObject({ ok: true, signatures: { key: forged.signer.fingerprint } });
    expect(await checkCheckpoint(forged.store, (await readCheckpoint(checkpointFile))!)).toEqual({ ok: true });

    // The partner refused the new key, kept the alarm, and still holds A's old head.
    const states = await witnessStates(forged.store, forgedWitnesses);
    expect(states[1]!.pending).toMatchObject({
      refused: true,
      lastError: expect.stringMatching(/^witness\.key_changed: this token was first seen/),
    });
    const held = await heldHeadFor(b.svc, aAtB.id, a.signer.fingerprint);
    expect(held.head).toEqual(aHead);
    expect(held.alarms).toEqual([
      expect.objectContaining({
        kind: 'witness.key_changed',
        head: expect.objectContaining({ instance: forged.signer.fingerprint }),
      }),
    ]);

    // Both witnesses expose the rewrite.
    const byPartner = await checkWitness(forged.store, forged.signer.publicKey, b.url, env);
    expect(byPartner).toMatchObject({
      status: 'broken',
      witness: `partner:${b.url}`,
      message: expect.stringMatching(
        new RegExp(
          `refuses this instance's key ${forged.signer.fingerprint} \\(witness.key_changed\\).*instance ${a.signer.fingerprint}, whose heads are held up to entry ${aHead.seq}`,
        ),
      ),
    });
    const firstHeld = (JSON.parse(fs.readFileSync(witnessFile, 'utf8').split('\n')[0]!) as { seq: number }).seq;
    const byFile = await checkWitness(forged.store, forged.signer.publicKey, witnessFile, env);
    expect(byFile).toMatchObject({
      status: 'broken',
      seq: firstHeld,
      witness: `file:${witnessFile}`,
      message: expect.stringMatching(
        new RegExp(`signed by key ${a.signer.fingerprint}, not by this instance's key ${forged.signer.fingerprint}`),
      ),
    });

    // And so does `vigil verify --witness` on the rewritten instance, run as the operator would.
    const cli = await runCli(
      ['verify', '--witness', b.url, '--witness', witnessFile],
      { ...cliEnvOf(forged), ...env },
      forged.dir,
    );
    expect(cli.stderr).not.toMatch(/error/);
    expect(cli.code).toBe(1);
    const lines = cli.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^BROKEN at witness partner:${b.url}: it refuses this instance's key ${forged.signer.fingerprint}`),
      ),
      expect.stringMatching(
        new RegExp(
          `^BROKEN at entry ${firstHeld}, witness file:${witnessFile}: the witness holds the head of entry ${firstHeld} .* signed by key ${a.signer.fingerprint}`,
        ),
      ),
    ]);
  }, 120_000);

  it('catches an insider who keeps the signing key and rebuilds the chain longer: the partner still holds the earlier heads', async () => {
    const a = await openInstance(dialect);
    cleanup.push(() => a.dispose());
    const b = await openInstance(dialect);
    cleanup.push(() => b.dispose());
    const aAtB = await witnessToken(b.svc, 'instance A');
    const toB = () => [new PartnerWitness({ url: b.url, token: aAtB.token })];
    const env = { VIGIL_WITNESS_PARTNERS: `${b.url}|${aAtB.token}` };
    a.witnessWith(toB());
    const writer = await a.writerHeaders();
    const heldHeads = [];
    for (const name of ['СИЗО ЛА-155/18', 'ИВС Алматы']) {
      expect(await writeFacility(a, writer, name)).toBe(201);
      await delivered(a, toB());
      heldHeads.push((await heldHeadFor(b.svc, aAtB.id, a.signer.fingerprint)).head);
    }
    const held = heldHeads.at(-1)!;

    // Same key file, new database, a longer story, pushed before anything else reaches the partner.
    await a.stop();
    const forged = await openInstance(dialect, {
      dir: a.dir,
      identityKey: a.identityKey,
      port: Number(new URL(a.url).port),
    });
    cleanup.push(() => forged.dispose());
    expect(forged.signer.fingerprint).toBe(a.signer.fingerprint);
    const forgedWriter = await forged.writerHeaders();
    for (let i = 0; i < 4; i++) expect(await writeFacility(forged, forgedWriter, `ИВС ${i}`)).toBe(201);
    expect((await readSignedHead(forged.store.db))!.seq).toBeGreaterThan(held.seq);
    forged.witnessWith(toB());
    await delivered(forged, toB());
    // The partner took the longer head as the latest: a head cannot show it does not extend the old one.
    expect((await heldHeadFor(b.svc, aAtB.id, a.signer.fingerprint)).head).toEqual(
      await readSignedHead(forged.store.db),
    );
    expect(await verifyStore(forged.store)).toMatchObject({ ok: true });
    // But the earlier heads it holds do not match the rebuilt chain: the first of them names the break.
    const first = heldHeads[0]!;
    expect(await checkWitness(forged.store, forged.signer.publicKey, b.url, env)).toMatchObject({
      status: 'broken',
      seq: first.seq,
      message: expect.stringMatching(
        new RegExp(
          `^entry ${first.seq} has hash [0-9a-f]{16}…; the witness holds a head signed at .* saying ${first.hash.slice(0, 16)}…: the chain was rewritten`,
        ),
      ),
    });
  }, 120_000);

  it('catches a rewrite kept under the same key: another hash at a held entry, or a chain cut shorter', async () => {
    const a = await openInstance(dialect, { listen: false });
    cleanup.push(() => a.dispose());
    const writer = await a.writerHeaders();
    for (const name of ['ИВС Алматы', 'ИВС Шымкент']) expect(await writeFacility(a, writer, name)).toBe(201);
    const head = (await readSignedHead(a.store.db))!;
    const key = a.signer.publicKey;
    expect(await checkHeldHeads(a.store, key, 'file:/w', [head])).toMatchObject({
      status: 'ok',
      heads: 1,
      lastSeq: head.seq,
    });

    const rewritten = signHead(a.signer, { seq: head.seq, hash: 'f'.repeat(64), at: head.at });
    expect(await checkHeldHeads(a.store, key, 'file:/w', [head, rewritten])).toMatchObject({
      status: 'broken',
      seq: head.seq,
      message: expect.stringMatching(
        /has hash .* the witness holds a head .* saying ffffffffffffffff…: the chain was rewritten/,
      ),
    });
    const beyond = signHead(a.signer, { seq: head.seq + 5, hash: 'e'.repeat(64), at: head.at });
    expect(await checkHeldHeads(a.store, key, 'file:/w', [beyond])).toMatchObject({
      status: 'broken',
      seq: head.seq + 5,
      message: expect.stringMatching(
        new RegExp(`reach entry ${head.seq + 5} .* now ends at entry ${head.seq}: entries were cut`),
      ),
    });
    const altered = { ...head, at: '2020-01-01T00:00:00.000Z' };
    expect(await checkHeldHeads(a.store, key, 'file:/w', [altered])).toMatchObject({
      status: 'broken',
      message: expect.stringMatching(/does not check with this instance's key/),
    });
    expect(await checkHeldHeads(a.store, key, 'file:/w', [])).toMatchObject({ status: 'empty' });
  });
});
