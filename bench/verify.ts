/**
 * Verify benchmark: `npm run bench -- verify [--entries 1000000] [--per-transaction 20000] [--keep]`
 *
 * Builds a SQLite store whose audit chain has N entries, appended by Vigil's own AuditedWriter
 * (`runWrite` + `w.note(...)`: SYNTHETIC "identity.view" notes by synthetic actors, in large
 * transactions), then:
 *
 * - MEASURED: `verifyStore` over the store; throughput = canonical bytes hashed / seconds.
 * - BASELINE: the very same canonical bytes (each entry's `entryBytes`, read back from the store,
 *   concatenated) written to a file, and the real `sha256sum` binary timed over that file
 *   (best of 3 runs, file in the page cache, as the database is).
 *
 * The figure is the ratio of the two throughputs (goal ≥ 0.3). Notes carry no state hash and are
 * the shortest entries there are, so the per-entry costs weigh more per byte than in a chain of
 * record changes: this is the conservative case for bytes per second.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { entryBytes } from '../src/domain/audit-format.ts';
import { verifyStore } from '../src/store/audit-verify.ts';
import { runWrite } from '../src/store/audited-writer.ts';
import { openStore, type Store } from '../src/store/database.ts';
import { ephemeralSigningKey, headSignerOf } from '../src/evidence/signing-key.ts';
import type { AuditEntryTable } from '../src/store/schema.ts';
import { mulberry32 } from './generate.ts';
import { fmtInt, fmtSec, intArg, parseArgs } from './lib/args.ts';
import { progressBar } from './lib/progress.ts';
import { timeSha256sum } from './lib/sha256sum.ts';

const GOAL = 0.3;
const ACTORS = 40;
const MB = 1e6;

/** Appends `entries` SYNTHETIC notes through the AuditedWriter, `perTrx` per transaction. */
async function buildChain(store: Store, entries: number, perTrx: number): Promise<number> {
  const rnd = mulberry32(7);
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  // The synthetic actors are users first: verify refuses an entry whose actor was not a user at the time.
  await runWrite(
    store,
    { actor: 'system', at: new Date(clock).toISOString(), reason: 'SYNTHETIC benchmark users' },
    async (w) => {
      for (let i = 1; i <= ACTORS; i++) {
        await w.insert('app_user', {
          id: `syn-analyst-${i}`,
          external_id: null,
          username: `syn-analyst-${i}`,
          display_name: null,
          role: 'analyst',
          disabled: 0,
          password_hash: null,
        });
      }
    },
  );
  const bar = progressBar('build chain (entries)', entries);
  const t0 = performance.now();
  let done = 0;
  while (done < entries) {
    const n = Math.min(perTrx, entries - done);
    clock += 60_000;
    const actor = `syn-analyst-${1 + Math.floor(rnd() * ACTORS)}`;
    await runWrite(
      store,
      { actor, at: new Date(clock).toISOString(), reason: 'SYNTHETIC benchmark: case review' },
      async (w) => {
        for (let i = 0; i < n; i++) w.note('identity.view', 'person', randomUUID());
      },
    );
    done += n;
    bar.update(done);
  }
  bar.stop();
  return performance.now() - t0;
}

/** Writes the canonical bytes of every entry, in chain order, to `file`; returns the byte count. */
async function writeCanonicalBytes(dbFile: string, file: string, entries: number): Promise<number> {
  const db = new BetterSqlite3(dbFile, { readonly: true });
  const out = fs.createWriteStream(file);
  const bar = progressBar('canonical bytes (entries)', entries);
  let bytes = 0;
  let n = 0;
  let chunk = '';
  try {
    for (const e of db
      .prepare('SELECT * FROM audit_entry ORDER BY seq')
      .iterate() as IterableIterator<AuditEntryTable>) {
      const { hash: _hash, ...rest } = e;
      const canon = entryBytes({ ...rest, seq: Number(rest.seq) });
      chunk += canon;
      n += 1;
      if (chunk.length >= 1 << 20) {
        bytes += Buffer.byteLength(chunk);
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        chunk = '';
        bar.update(n);
      }
    }
    bytes += Buffer.byteLength(chunk);
    out.write(chunk);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    bar.update(n);
  } finally {
    bar.stop();
    db.close();
  }
  return bytes;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const entries = intArg(args, 'entries', 1_000_000);
  const perTrx = Math.max(1, intArg(args, 'per-transaction', 20_000));
  const keep = args.has('keep');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-verify-'));
  const dbFile = path.join(dir, 'vigil.db');
  const bytesFile = path.join(dir, 'chain.bytes');

  console.log(
    `Vigil verify benchmark — SYNTHETIC audit chain of ${fmtInt(entries)} entries, SQLite, Node ${process.version}, ${os.cpus().length} CPUs`,
  );
  console.log(`work dir: ${dir}`);
  try {
    const store = await openStore({ dialect: 'sqlite', file: dbFile }, { signer: headSignerOf(ephemeralSigningKey()) });
    let verified: Awaited<ReturnType<typeof verifyStore>>;
    let verifyMs: number;
    let chainMs = 0;
    try {
      const buildMs = await buildChain(store, entries, perTrx);
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
      console.log(
        `built the chain with AuditedWriter (runWrite + note, ${fmtInt(perTrx)} entries per transaction) in ${fmtSec(buildMs)}; database ${(fs.statSync(dbFile).size / MB).toFixed(0)} MB`,
      );

      const bar = progressBar('verify (entries)', entries);
      const t0 = performance.now();
      verified = await verifyStore(store, (phase, done, total) => {
        if (phase === 'chain') chainMs = performance.now() - t0;
        bar.update(done, total);
      });
      verifyMs = performance.now() - t0;
      bar.stop();
    } finally {
      await store.close();
    }
    if (!verified.ok) throw new Error(`verify failed: ${verified.break.kind}: ${verified.break.message}`);
    if (verified.entries !== entries + ACTORS)
      throw new Error(`verify saw ${verified.entries} entries, expected ${entries + ACTORS}`);

    const bytes = await writeCanonicalBytes(dbFile, bytesFile, entries + ACTORS);
    if (bytes !== verified.bytes || fs.statSync(bytesFile).size !== bytes) {
      throw new Error(
        `canonical bytes differ: file ${fs.statSync(bytesFile).size}, written ${bytes}, verify hashed ${verified.bytes}`,
      );
    }
    const runs: Array<{ ms: number; digest: string }> = [];
    for (let i = 0; i < 3; i++) runs.push(await timeSha256sum(bytesFile));
    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));

    const verifyRate = bytes / (verifyMs / 1000);
    const chainRate = bytes / (chainMs / 1000);
    const baseRate = bytes / (best.ms / 1000);
    const ratio = verifyRate / baseRate;
    console.log('');
    console.log(
      `bytes     ${fmtInt(bytes)} canonical bytes in ${fmtInt(entries)} entries (${(bytes / entries).toFixed(0)} bytes/entry), identical in the store and the file`,
    );
    console.log(
      `BASELINE  sha256sum over the same bytes: ${fmtSec(best.ms)} (best of ${runs.length}: ${runs.map((r) => fmtSec(r.ms)).join(', ')}) = ${(baseRate / MB).toFixed(1)} MB/s  [${best.digest.slice(0, 16)}…]`,
    );
    const signed =
      verified.signatures === 'unchecked'
        ? 'signatures unchecked'
        : `${fmtInt(verified.signatures.checked)} signed heads checked`;
    console.log(
      `MEASURED  verifyStore: ${verified.ok ? 'OK' : 'FAILED'}, ${fmtInt(verified.entries)} entries, ${fmtInt(verified.records)} records, ${signed} in ${fmtSec(verifyMs)} = ${(verifyRate / MB).toFixed(1)} MB/s`,
    );
    console.log(
      `          (chain phase alone: ${fmtSec(chainMs)} = ${(chainRate / MB).toFixed(1)} MB/s, ratio ${(chainRate / baseRate).toFixed(3)})`,
    );
    console.log(
      `RATIO     verify / sha256sum throughput = ${ratio.toFixed(3)}   goal ≥ ${GOAL}   ${ratio >= GOAL ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    if (keep) console.log(`kept: ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
