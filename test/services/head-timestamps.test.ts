/**
 * A TSA as a witness of the audit chain, with a real TSA (openssl ts on loopback). The attack:
 * an insider with the database, the signing key and the local checkpoint rewrites the whole chain
 * with back-dated entries and signs every head again. Hashes and signatures all verify; only the
 * TSA's tokens show when the entries really came to exist.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { TsaClient } from '../../src/evidence/timestamp-client.ts';
import { parseTrustedCerts } from '../../src/evidence/timestamp-token.ts';
import { describeVerify } from '../../src/cli/commands/verify.ts';
import { checkHeadTimestamps } from '../../src/services/witness/head-timestamps.ts';
import { stampCurrentHead, TsaWitness } from '../../src/services/witness/tsa-witness.ts';
import { readSignedHead } from '../../src/store/audit-signature.ts';
import { runWrite } from '../../src/store/audited-writer.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import type { Store } from '../../src/store/database.ts';
import { describeEachDialect } from '../support/databases.ts';
import { openTestStore } from '../support/store.ts';
import { startTestTsa, type TestTsa } from '../support/tsa.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function org(id: string, name: string) {
  return { id, external_id: null, name, name_ru: null, kind: 'ministry', aliases: '[]', country: 'KZ' };
}

let tsa: TestTsa;
let other: TestTsa;
beforeAll(async () => {
  [tsa, other] = await Promise.all([startTestTsa(), startTestTsa({ name: 'Another TSA' })]);
});
afterAll(async () => Promise.all([tsa.close(), other.close()]));

describeEachDialect('head timestamps', (dialect) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let witness: TsaWitness;
  beforeEach(async () => {
    ({ store, dispose } = await openTestStore(dialect));
    witness = new TsaWitness(store, new TsaClient({ url: tsa.url, trusted: parseTrustedCerts(tsa.caPem) }));
  });
  afterEach(async () => dispose());

  /** One write transaction (two entries for the first), its head delivered to the TSA witness unless told not to. */
  async function write(id: string, at: string, deliver = true): Promise<void> {
    await runWrite(store, { actor: 'system', at }, async (w) => {
      await w.insert('organization', org(id, `Organisation ${id}`));
      if (id === 'o1') await w.update('organization', id, { name_ru: 'МВД' });
    });
    if (deliver) await witness.deliver((await readSignedHead(store.db))!);
  }

  /** The insider's rewrite: every record and entry, the signed heads and the head, made anew with `at` in the past. */
  async function rewriteChain(
    at: (n: number) => string,
    opts: { keepTokens?: boolean; restamp?: boolean } = {},
  ): Promise<void> {
    await sql`DELETE FROM organization`.execute(store.db);
    await sql`DELETE FROM audit_entry`.execute(store.db);
    await sql`DELETE FROM audit_signature`.execute(store.db);
    if (!opts.keepTokens) await sql`DELETE FROM audit_timestamp`.execute(store.db);
    await store.db
      .updateTable('audit_head')
      .set({ seq: 0, hash: '0'.repeat(64), updated_at: new Date(0).toISOString() })
      .where('id', '=', 1)
      .execute();
    for (const [n, id] of ['o1', 'o2', 'o3'].entries()) await write(id, at(n), opts.restamp ?? false);
  }

  it('verifies an honest chain whose heads the TSA witnessed; a new entry may wait within the grace, not beyond it', async () => {
    expect(witness.id).toBe(`tsa:${tsa.url}`);
    const now = Date.now();
    for (const id of ['o1', 'o2', 'o3']) await write(id, new Date().toISOString());
    const ok = await checkHeadTimestamps(store, tsa.caPem);
    expect(ok).toMatchObject({ ok: true, tokens: 3, coveredTo: 4, waiting: 0, required: true });
    expect(Date.parse((ok as { lastGenTime: string }).lastGenTime)).toBeGreaterThanOrEqual(
      Math.floor(now / 1000) * 1000 - 1000,
    );
    const audit = await verifyStore(store);
    expect(describeVerify({ audit, files: 0, timestamps: ok }).lines).toEqual([
      `ok: 4 entries, 3 records, ${audit.signatures === 'unchecked' ? 'signatures not checked (no signing key)' : `${audit.signatures.checked} signed heads (key ${audit.signatures.key})`}`,
      `timestamps: 3 TSA tokens on heads verified, entries up to 4 covered (latest ${(ok as { lastGenTime: string }).lastGenTime})`,
    ]);

    const at = new Date().toISOString();
    await write('o4', at, false);
    expect(await checkHeadTimestamps(store, tsa.caPem)).toMatchObject({ ok: true, coveredTo: 4, waiting: 1 });
    // Two hours on, the entry still has no token: the TSA was unreachable, or the entry is a forgery.
    const later = await checkHeadTimestamps(store, tsa.caPem, { now: new Date(Date.now() + 2 * HOUR) });
    expect(later).toMatchObject({ ok: false, break: { kind: 'timestamp_missing', seq: 5 } });
    expect(later.ok === false && later.break.message).toBe(
      `entry 5 dated ${at} has no timestamp token, though older than the grace of 1h: back-dated, or the TSA has been unreachable since ${at}`,
    );
    // The server's round (and vigil timestamp) stamps the current head when nothing covers it yet.
    const round = await stampCurrentHead(store, new TsaClient({ url: tsa.url, trusted: parseTrustedCerts(tsa.caPem) }));
    expect(round).toMatchObject({ seq: 5, already: false });
    expect(
      await stampCurrentHead(store, new TsaClient({ url: tsa.url, trusted: parseTrustedCerts(tsa.caPem) })),
    ).toEqual({ ...round, already: true });
    expect(await checkHeadTimestamps(store, tsa.caPem, { now: new Date(Date.now() + 2 * HOUR) })).toMatchObject({
      ok: true,
      tokens: 4,
      coveredTo: 5,
    });
    await sql`DELETE FROM audit_timestamp WHERE seq = 5`.execute(store.db);
    // Without a TSA in use only the stored tokens are checked.
    expect(
      await checkHeadTimestamps(store, tsa.caPem, { now: new Date(Date.now() + 2 * HOUR), required: false }),
    ).toMatchObject({ ok: true, required: false, tokens: 3 });
  });

  it('catches a full rewrite with back-dated entries, re-signed with the key and timestamped anew: the TSA dates the tokens now', async () => {
    for (const id of ['o1', 'o2', 'o3']) await write(id, new Date().toISOString());
    const base = Date.now() - 3 * DAY;
    const dates = [0, 1, 2].map((n) => new Date(base + n * 60_000).toISOString());
    await rewriteChain((n) => dates[n]!, { restamp: true });

    // Everything the instance can check alone holds: the chain, the records, every signature.
    expect(await verifyStore(store)).toMatchObject({ ok: true, entries: 4, signatures: { checked: 3 } });

    const r = await checkHeadTimestamps(store, tsa.caPem);
    expect(r).toMatchObject({ ok: false, tokens: 3, break: { kind: 'timestamp_late', seq: 1, toSeq: 4 } });
    const message = r.ok === false ? r.break.message : '';
    expect(message).toMatch(
      new RegExp(
        `^entries 1\\.\\.4 dated ${dates[0]} … ${dates[2]} were first timestamped (at|from) (\\S+)( to \\S+)?: back-dated, or the TSA was unreachable from ${dates[0]} to \\2$`,
      ),
    );
    const first = /first timestamped (?:at|from) (\d{4}-\d\d-\d\dT[\d:.]+Z)/.exec(message)![1]!;
    expect(Date.now() - Date.parse(first)).toBeLessThan(10 * 60_000);

    const lines = describeVerify({ audit: await verifyStore(store), files: 0, timestamps: r });
    expect(lines.broken).toBe(true);
    expect(lines.lines[0]).toBe(`BROKEN at entries 1..4: ${message}`);

    // An instance that adopted its TSA later exempts what came before: the same chain then holds.
    expect(await checkHeadTimestamps(store, tsa.caPem, { since: new Date().toISOString() })).toMatchObject({
      ok: true,
    });
  });

  it('catches a rewrite that keeps the old tokens, or drops them, or cuts the end of the chain', async () => {
    for (const id of ['o1', 'o2', 'o3']) await write(id, new Date(Date.now() - 3 * HOUR).toISOString());
    const tokens = await store.db.selectFrom('audit_timestamp').select(['seq', 'gen_time']).orderBy('seq').execute();
    expect(tokens.map((t) => Number(t.seq))).toEqual([2, 3, 4]);

    // Old tokens, new chain: the TSA saw other hashes at those entries.
    await rewriteChain((n) => new Date(Date.now() - 3 * HOUR + n * 1000).toISOString(), { keepTokens: true });
    const kept = await checkHeadTimestamps(store, tsa.caPem);
    expect(kept).toMatchObject({ ok: false, break: { kind: 'timestamp_mismatch', seq: 2 } });
    expect(kept.ok === false && kept.break.message).toMatch(
      /^entry 2 is not what the TSA saw at \S+ \(hash [0-9a-f]{16}…, now [0-9a-f]{16}…\): the chain up to entry 2 was rewritten$/,
    );

    // No tokens at all: three hours old and never witnessed.
    await sql`DELETE FROM audit_timestamp`.execute(store.db);
    expect(await checkHeadTimestamps(store, tsa.caPem)).toMatchObject({
      ok: false,
      break: { kind: 'timestamp_missing', seq: 1, toSeq: 4 },
    });

    // The end cut off: a token names an entry that is gone.
    await sql`DELETE FROM organization`.execute(store.db);
    await sql`DELETE FROM audit_entry`.execute(store.db);
    await sql`DELETE FROM audit_signature`.execute(store.db);
    await store.db
      .updateTable('audit_head')
      .set({ seq: 0, hash: '0'.repeat(64), updated_at: new Date(0).toISOString() })
      .where('id', '=', 1)
      .execute();
    for (const id of ['o1', 'o2', 'o3']) await write(id, new Date().toISOString());
    await sql`DELETE FROM audit_entry WHERE seq = 4`.execute(store.db);
    const cut = await checkHeadTimestamps(store, tsa.caPem);
    expect(cut).toMatchObject({ ok: false, break: { kind: 'timestamp_mismatch', seq: 4 } });
    expect(cut.ok === false && cut.break.message).toMatch(
      /^the TSA saw the chain at entry 4 at \S+, but the chain now ends at entry 3: entries were removed from the end$/,
    );
  });

  it('refuses a stored token that does not check: from another TSA, or for another head', async () => {
    for (const id of ['o1', 'o2']) await write(id, new Date().toISOString());
    const foreign = await new TsaClient({ url: other.url, trusted: parseTrustedCerts(other.caPem) }).stamp(
      Buffer.alloc(32, 7),
    );
    await store.db
      .updateTable('audit_timestamp')
      .set({ token: foreign.token.toString('base64') })
      .where('seq', '=', 3)
      .execute();
    const r = await checkHeadTimestamps(store, tsa.caPem);
    expect(r).toMatchObject({ ok: false, tokens: 1, break: { kind: 'timestamp_invalid', seq: 3 } });
    expect(r.ok === false && r.break.message).toBe(
      'the TSA token on the head at entry 3 does not check: the token was signed by another TSA (O=Vigil tests, CN=Another TSA), not by the trusted O=Vigil tests, CN=Vigil Test TSA CA',
    );

    // The token of head 2 copied onto head 3: a real token of this TSA, for another statement.
    const two = await store.db
      .selectFrom('audit_timestamp')
      .select('token')
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    await store.db.updateTable('audit_timestamp').set({ token: two.token }).where('seq', '=', 3).execute();
    const copied = await checkHeadTimestamps(store, tsa.caPem);
    expect(copied).toMatchObject({ ok: false, break: { kind: 'timestamp_invalid', seq: 3 } });
    expect(copied.ok === false && copied.break.message).toMatch(
      /^the TSA token on the head at entry 3 does not check: the token covers the SHA-256 [0-9a-f]{64}, not [0-9a-f]{64}$/,
    );
  });
});
