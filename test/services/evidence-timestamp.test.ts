/**
 * Trusted time on evidence, with a real TSA (openssl ts on loopback): a filing gets its token in
 * the background, a TSA that is down never fails a filing, the missing token comes on retry, and
 * bundles carry the tokens for the offline verifier.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { verifyBundle, formatReport } from '../../src/evidence/bundle-verify.ts';
import { ephemeralSigningKey } from '../../src/evidence/signing-key.ts';
import { TsaClient } from '../../src/evidence/timestamp-client.ts';
import { parseTrustedCerts, verifyToken } from '../../src/evidence/timestamp-token.ts';
import { makeBundle } from '../../src/services/bundle.service.ts';
import { makeServices, SYSTEM, type Services } from '../../src/services/context.ts';
import { fileEvidence, getEvidence } from '../../src/services/evidence.service.ts';
import { stampMissing, stampMissingEvery, type StampRound } from '../../src/services/timestamp-retry.service.ts';
import { checkHeadTimestamps } from '../../src/services/witness/head-timestamps.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { describeEachDialect } from '../support/databases.ts';
import { makeAllegation, makeFacility, openTestServices } from '../support/factories.ts';
import { startTestTsa, type TestTsa } from '../support/tsa.ts';

async function* bytes(s: string | Buffer): AsyncIterable<Uint8Array> {
  yield Buffer.from(s);
}
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

const PHOTO = Buffer.from('a photo of the cell door, as the relative sent it\n'.repeat(30));
const LETTER = Buffer.from('the prosecutor refused to register the complaint\n');

let tsa: TestTsa;
let other: TestTsa;
beforeAll(async () => {
  [tsa, other] = await Promise.all([startTestTsa(), startTestTsa({ name: 'Another TSA' })]);
});
afterAll(async () => Promise.all([tsa.close(), other.close()]));

describeEachDialect('evidence timestamps', (dialect) => {
  let svc: Services;
  let dispose: () => Promise<void>;
  let allegationId: string;
  let dir: string;
  beforeEach(async () => {
    const t = await openTestServices(dialect);
    dispose = t.dispose;
    // The same store and clock, with the TSA configured as the CLI and server configure it.
    const trusted = parseTrustedCerts(tsa.caPem);
    svc = makeServices(t.store, t.svc.keyring, {
      clock: t.svc.clock,
      blobs: t.svc.blobs,
      timestamper: new TsaClient({ url: tsa.url, trusted, timeoutMs: 5000 }),
    });
    allegationId = await makeAllegation(svc, { facilityId: await makeFacility(svc) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ts-bundle-'));
  });
  afterEach(async () => {
    tsa.down = false;
    await svc.timestamps?.settle();
    await dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const tokenRow = (sha256: string) =>
    svc.store.db.selectFrom('evidence_timestamp').selectAll().where('sha256', '=', sha256).executeTakeFirst();

  it('gives each filed hash a token from the TSA once the filing has committed; the token covers the file and nothing is audited', async () => {
    const photo = await fileEvidence(svc, SYSTEM, bytes(PHOTO), { allegationId, originalName: 'door.jpg' });
    const letter = await fileEvidence(svc, SYSTEM, bytes(LETTER), { allegationId, originalName: 'reply.txt' });
    const outcomes = await svc.timestamps!.settle();
    expect(outcomes.map((o) => [o.sha256, o.ok])).toEqual([
      [sha(PHOTO), true],
      [sha(LETTER), true],
    ]);

    const row = await tokenRow(photo.sha256);
    expect(row).toMatchObject({ sha256: sha(PHOTO), tsa: tsa.url });
    const check = await verifyToken(
      Buffer.from(row!.token, 'base64'),
      Buffer.from(photo.sha256, 'hex'),
      parseTrustedCerts(tsa.caPem),
    );
    expect(check).toMatchObject({ ok: true, tsa: 'O=Vigil tests, CN=Vigil Test TSA' });
    if (check.ok) expect(check.info.genTime.toISOString()).toBe(row!.gen_time);
    expect(await tokenRow(letter.sha256)).toBeDefined();

    // The same bytes again (under another allegation): no second request, the first token stands.
    const granted = tsa.granted;
    const second = await makeAllegation(svc, { facilityId: await makeFacility(svc) });
    await fileEvidence(svc, SYSTEM, bytes(PHOTO), { allegationId: second });
    expect((await svc.timestamps!.settle())[0]).toMatchObject({ ok: true, already: true, genTime: row!.gen_time });
    expect(tsa.granted).toBe(granted);
    // Tokens live outside the audit chain: the store still verifies.
    expect(await verifyStore(svc.store)).toMatchObject({ ok: true });
  });

  it('files evidence while the TSA is down, and the token comes on retry once it is back', async () => {
    tsa.down = true;
    const filed = await fileEvidence(svc, SYSTEM, bytes(PHOTO), { allegationId, originalName: 'door.jpg' });
    expect((await getEvidence(svc, SYSTEM, filed.id)).custody.map((c) => c.action)).toEqual(['collected']);
    const [outcome] = await svc.timestamps!.settle();
    expect(outcome).toMatchObject({
      sha256: filed.sha256,
      ok: false,
      error: expect.stringContaining(`the TSA at ${tsa.url} cannot be reached`),
    });
    expect(await tokenRow(filed.sha256)).toBeUndefined();

    // Still down: the retry stops at the first failure and says how many wait.
    await fileEvidence(svc, SYSTEM, bytes(LETTER), { allegationId });
    await svc.timestamps!.settle();
    expect(await svc.timestamps!.retryPending()).toMatchObject({
      stamped: 0,
      pending: 2,
      failure: expect.stringContaining('cannot be reached'),
    });

    tsa.down = false;
    const done: number[] = [];
    expect(await svc.timestamps!.retryPending({ onProgress: (n) => done.push(n) })).toEqual({
      stamped: 2,
      pending: 0,
      failure: null,
    });
    expect(done).toEqual([1, 2]);
    const row = await tokenRow(filed.sha256);
    expect(
      await verifyToken(
        Buffer.from(row!.token, 'base64'),
        Buffer.from(filed.sha256, 'hex'),
        parseTrustedCerts(tsa.certPem),
      ),
    ).toMatchObject({ ok: true });
    expect(await svc.timestamps!.retryPending()).toEqual({ stamped: 0, pending: 0, failure: null });
  });

  it("runs the server's rounds: at start and then on a timer, the pending hashes and the chain's head get their tokens", async () => {
    tsa.down = true;
    const filed = await fileEvidence(svc, SYSTEM, bytes(LETTER), { allegationId });
    await svc.timestamps!.settle();
    const down = await stampMissing(svc);
    expect(down).toMatchObject({
      tsa: tsa.url,
      evidence: { stamped: 0, pending: 1 },
      head: { failure: expect.stringContaining('cannot be reached') },
    });
    tsa.down = false;

    const rounds: StampRound[] = [];
    const stop = stampMissingEvery(svc, 60_000, (r) => rounds.push(r));
    try {
      await expect.poll(() => rounds.length, { timeout: 20_000 }).toBe(1);
    } finally {
      stop();
    }
    const head = await svc.store.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
    expect(rounds[0]).toMatchObject({
      evidence: { stamped: 1, pending: 0, failure: null },
      head: { seq: Number(head.seq), already: false, failure: null },
    });
    expect(await tokenRow(filed.sha256)).toBeDefined();
    // The token on the head checks (the entries themselves carry the test's fake 2022 dates, so coverage in time is not asked here).
    expect(await checkHeadTimestamps(svc.store, tsa.caPem, { required: false })).toMatchObject({
      ok: true,
      tokens: 1,
      coveredTo: Number(head.seq),
    });
    expect(await stampMissing(svc)).toMatchObject({ evidence: { stamped: 0, pending: 0 }, head: { already: true } });
  });

  it('puts the tokens in bundles: checked offline with the TSA certificate, genTime per file; another TSA or a swapped token is BROKEN naming the file', async () => {
    const photo = await fileEvidence(svc, SYSTEM, bytes(PHOTO), { allegationId, originalName: 'door.jpg' });
    await svc.timestamps!.settle();
    // The letter is filed while the TSA is down and never retried: it travels without a token.
    tsa.down = true;
    const letter = await fileEvidence(svc, SYSTEM, bytes(LETTER), { allegationId, originalName: 'reply.txt' });
    await svc.timestamps!.settle();
    tsa.down = false;

    const key = ephemeralSigningKey();
    const out = path.join(dir, 'court.zip');
    const made = await makeBundle(svc, SYSTEM, { allegation: allegationId, out, purpose: 'complaint annex' }, key);
    expect(made.timestamped).toBe(1);
    const genTime = (await tokenRow(photo.sha256))!.gen_time;
    const photoPath = `files/${photo.sha256}/door.jpg`;

    const checked = await verifyBundle(out, { tsaCert: tsa.caPem });
    expect(checked.ok).toBe(true);
    expect(checked.timestamps).toEqual([{ path: photoPath, genTime, tsa: 'O=Vigil tests, CN=Vigil Test TSA' }]);
    const text = formatReport(checked);
    expect(text).toContain('✓ timestamps: 1 of 2 files carry an RFC 3161 token that verifies');
    expect(text).toContain(`    ${photoPath}: timestamped ${genTime} by O=Vigil tests, CN=Vigil Test TSA`);

    const unchecked = await verifyBundle(out);
    expect(unchecked.ok).toBe(true);
    expect(formatReport(unchecked)).toContain(
      "– timestamps: 1 of 2 files carry an RFC 3161 token, present but not checked: give the TSA's certificate with --tsa-cert FILE",
    );
    expect(formatReport(unchecked)).toMatch(/^OK: .*the timestamp tokens are present but not checked/m);

    const foreign = await verifyBundle(out, { tsaCert: other.caPem });
    expect(foreign.ok).toBe(false);
    expect(foreign.problem).toBe(
      `${photoPath}: its timestamp token is BROKEN: the token was signed by another TSA (O=Vigil tests, CN=Vigil Test TSA), not by the trusted O=Vigil tests, CN=Another TSA CA`,
    );

    // An insider swaps the photo's stored token for a genuine token of other bytes: the bundle is
    // signed as usual, but the token does not cover the photo.
    const stranger = await new TsaClient({ url: tsa.url, trusted: parseTrustedCerts(tsa.caPem) }).stamp(
      Buffer.from(sha('other bytes'), 'hex'),
    );
    await svc.store.db
      .updateTable('evidence_timestamp')
      .set({ token: stranger.token.toString('base64') })
      .where('sha256', '=', photo.sha256)
      .execute();
    const swappedOut = path.join(dir, 'swapped.zip');
    await makeBundle(svc, SYSTEM, { allegation: allegationId, out: swappedOut }, key);
    const swapped = await verifyBundle(swappedOut, { tsaCert: tsa.caPem });
    expect(swapped.ok).toBe(false);
    expect(swapped.problem).toBe(
      `${photoPath}: its timestamp token is BROKEN: the token covers the SHA-256 ${sha('other bytes')}, not ${photo.sha256}`,
    );
    expect(letter.sha256).toBe(sha(LETTER));
  });
});
