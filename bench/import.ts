/**
 * Import benchmark: `npm run bench -- import [--allegations 200000] [--seed 1] [--batch-size N] [--keep]`
 *
 * Generates a SYNTHETIC dataset (bench/generate.ts) as JSON Lines, then loads it twice into fresh
 * SQLite files:
 *
 * - BASELINE: the same rows (facility, person, source, allegation and its acts, victim and source
 *   links) inserted with raw better-sqlite3 prepared statements in ONE transaction, reading and
 *   parsing the same file, with no validation, no encryption, no audit entries, no search index.
 * - MEASURED: Vigil's real import path, `importRecords` over `readImportFile` — validation,
 *   identity encryption and blind index, audit chain with every transaction's head signed,
 *   search index, per-line savepoints, batched commits.
 * - SIGNING: the same import once more with heads left unsigned; signed / unsigned is what
 *   signing costs (goal ≥ 0.9).
 *
 * "Records" are import lines (facilities + people + sources + allegations), counted the same way
 * for both. The figure that matters is the ratio measured/baseline, measured in the same run on
 * the same machine (goal ≥ 0.25). Afterwards `verifyStore` must accept the imported store (its
 * time is printed, not counted).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { makeServices, SYSTEM } from '../src/services/context.ts';
import { formatRejected, importRecords, type Rejected } from '../src/services/import.service.ts';
import { readImportFile } from '../src/services/import-reader.ts';
import { verifyStore } from '../src/store/audit-verify.ts';
import { openStore, type Store } from '../src/store/database.ts';
import { ephemeralSigningKey, headSignerOf } from '../src/evidence/signing-key.ts';
import { Keyring } from '../src/store/keyring.ts';
import { datasetCounts, writeDatasetWithProgress, type DatasetOptions } from './generate.ts';
import { fmtInt, fmtSec, intArg, must, parseArgs } from './lib/args.ts';
import { progressBar } from './lib/progress.ts';

const GOAL = 0.25;
const ROW_TABLES = [
  'facility',
  'person',
  'source',
  'allegation',
  'allegation_act',
  'allegation_person',
  'allegation_source',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: the generated JSON lines are read back field by field into SQL parameters of any column type
type Json = Record<string, any>;
const orNull = (v: unknown) => (v === undefined ? null : v);

/** Creates and migrates an empty Vigil database, then closes it. */
async function freshSchema(file: string): Promise<void> {
  const store = await openStore({ dialect: 'sqlite', file });
  await store.close();
}

/** Opens a migrated file with raw better-sqlite3 and the same pragmas as Vigil. */
function rawOpen(file: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * BASELINE: stream the file, JSON.parse each line, and insert the rows the services would
 * insert, with prepared statements, inside one transaction. References by external id are
 * resolved from an in-memory map (the cheapest possible), identity fields are stored unsealed.
 */
export async function baseline(
  dbFile: string,
  dataFile: string,
  totalBytes: number,
): Promise<{ ms: number; lines: number; insertMs: number }> {
  await freshSchema(dbFile);
  const db = rawOpen(dbFile);
  // One prepared INSERT per table, over the columns this baseline gives (every call site of a table gives the same ones).
  const statements = new Map<string, BetterSqlite3.Statement>();
  const statementFor = (table: (typeof ROW_TABLES)[number], row: Json) => {
    let st = statements.get(table);
    if (!st) {
      const names = Object.keys(row);
      st = db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`);
      statements.set(table, st);
    }
    return st;
  };
  const ids = new Map<string, string>();
  const ref = (key: string | undefined) => (key === undefined ? null : (ids.get(key) ?? key));
  const at = new Date().toISOString();
  const meta = (d: Json) => {
    const id = d.id ?? randomUUID();
    if (d.externalId !== undefined) ids.set(d.externalId, id);
    return { id, external_id: orNull(d.externalId), created_at: at, updated_at: at, version: 1 };
  };
  let pseudonyms = 0;
  let insertMs = 0;
  const run = (table: (typeof ROW_TABLES)[number], row: Json) => {
    const s = statementFor(table, row);
    const t = performance.now();
    s.run(row);
    insertMs += performance.now() - t;
  };

  const bar = progressBar('baseline (MB)', Math.round(totalBytes / 1e6));
  let bytes = 0;
  let lines = 0;
  const t0 = performance.now();
  db.exec('BEGIN');
  const rl = readline.createInterface({ input: fs.createReadStream(dataFile), crlfDelay: Infinity });
  for await (const raw of rl) {
    bytes += Buffer.byteLength(raw) + 1;
    if (raw.trim() === '') continue;
    lines += 1;
    const { type, ...d } = JSON.parse(raw) as Json;
    switch (type) {
      case 'facility':
        run('facility', {
          ...meta(d),
          name: d.name,
          name_ru: orNull(d.nameRu),
          kind: d.kind,
          kind_detail: orNull(d.kindDetail),
          code: orNull(d.code),
          aliases: JSON.stringify(d.aliases ?? []),
          authority: orNull(d.authority),
          region: orNull(d.region),
          city: orNull(d.city),
          country: d.country ?? 'KZ',
          capacity: orNull(d.capacity),
          cells: orNull(d.cells),
          notes: orNull(d.notes),
        });
        break;
      case 'person':
        run('person', {
          ...meta(d),
          pseudonym: `V-${String(++pseudonyms).padStart(4, '0')}`,
          roles: JSON.stringify(d.roles),
          public_name: orNull(d.publicName),
          public_role: orNull(d.publicRole),
          organization_id: ref(d.organizationId),
          perpetrator_kind: orNull(d.perpetratorKind),
          is_unit: d.isUnit ? 1 : 0,
          custody: d.custody ?? 'unknown',
          risk: d.risk ?? 'low',
          name_enc: orNull(d.identity?.name),
          name_index: null,
          birth_date_enc: orNull(d.identity?.birthDate),
          contacts_enc: orNull(d.identity?.contacts),
          notes_enc: orNull(d.identity?.notes),
        });
        break;
      case 'source':
        run('source', {
          ...meta(d),
          kind: d.kind,
          title: d.title,
          url: orNull(d.url),
          outlet: orNull(d.outlet),
          handle: orNull(d.handle),
          language: orNull(d.language),
          published_at: orNull(d.publishedAt),
          collected_at: orNull(d.collectedAt),
          collected_by: d.collectedBy ?? SYSTEM.id,
          reliability: d.reliability ?? 'F',
          credibility: d.credibility ?? '6',
          summary: orNull(d.summary),
          content: orNull(d.content),
        });
        break;
      case 'allegation': {
        const m = meta(d);
        const p = d.period ?? {};
        run('allegation', {
          ...m,
          title: d.title,
          summary: orNull(d.summary),
          period_start: orNull(p.start),
          period_end: orNull(p.end),
          period_precision: p.precision ?? 'unknown',
          period_text: orNull(p.text),
          facility_id: ref(d.facilityId),
          area_id: ref(d.areaId),
          classification: 'undetermined',
          classification_rationale: null,
          cat_checklist: null,
          verification_status: 'received',
          prior_status: null,
          sensitivity: d.sensitivity ?? 'internal',
          risk: d.risk ?? 'low',
          urgent: 0,
          consent: JSON.stringify(d.consent ?? []),
          duplicate_of: null,
        });
        let n = 0;
        const partId = () => `${m.id}:${String(++n).padStart(3, '0')}`;
        for (const v of d.victims ?? []) {
          run('allegation_person', {
            id: partId(),
            allegation_id: m.id,
            person_id: ref(v.personId),
            role: 'victim',
            perpetrator_kind: null,
          });
        }
        for (const v of d.perpetrators ?? []) {
          run('allegation_person', {
            id: partId(),
            allegation_id: m.id,
            person_id: ref(v.personId),
            role: 'alleged_perpetrator',
            perpetrator_kind: orNull(v.perpetratorKind),
          });
        }
        for (const a of d.acts ?? []) {
          run('allegation_act', {
            id: partId(),
            allegation_id: m.id,
            kind: a.kind,
            victim_id: ref(a.victimId),
            area_id: ref(a.areaId),
            description: orNull(a.description),
          });
        }
        for (const s of d.sources ?? []) {
          run('allegation_source', {
            id: partId(),
            allegation_id: m.id,
            source_id: ref(s.sourceId),
            relation: s.relation ?? 'reports',
          });
        }
        break;
      }
      default:
        throw new Error(`baseline: unexpected line type ${type}`);
    }
    if ((lines & 4095) === 0) bar.update(Math.round(bytes / 1e6));
  }
  const c0 = performance.now();
  db.exec('COMMIT');
  insertMs += performance.now() - c0;
  const ms = performance.now() - t0;
  bar.update(Math.round(bytes / 1e6));
  bar.stop();
  db.close();
  return { ms, lines, insertMs };
}

/** MEASURED: Vigil's import, exactly as `vigil import` runs it. */
async function measured(
  store: Store,
  dataFile: string,
  totalBytes: number,
  batchSize: number | undefined,
  label = 'import (MB)',
) {
  const svc = makeServices(store, new Keyring(randomBytes(32)));
  const rejected: Rejected[] = [];
  const bar = progressBar(label, Math.round(totalBytes / 1e6));
  let bytes = 0;
  const t0 = performance.now();
  const summary = await importRecords(
    svc,
    SYSTEM,
    readImportFile(dataFile, 'jsonl', (n) => (bytes += n)),
    {
      batchSize,
      onReject: (r) => rejected.push(r),
      onProgress: () => bar.update(Math.round(bytes / 1e6)),
    },
  );
  const ms = performance.now() - t0;
  bar.update(Math.round(bytes / 1e6));
  bar.stop();
  return { ms, summary, rejected };
}

async function rowCounts(file: string): Promise<Record<string, number>> {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const out: Record<string, number> = {};
    for (const t of [...ROW_TABLES, 'audit_entry', 'search_doc'])
      out[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return out;
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const opts: DatasetOptions = { allegations: intArg(args, 'allegations', 200_000), seed: intArg(args, 'seed', 1) };
  const batchSize = args.has('batch-size') ? intArg(args, 'batch-size', 500) : undefined;
  const keep = args.has('keep');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-import-'));
  const dataFile = path.join(dir, `synthetic-${opts.allegations}-s${opts.seed}.jsonl`);
  const counts = datasetCounts(opts);

  console.log(
    `Vigil import benchmark — SYNTHETIC data, ${fmtInt(opts.allegations)} allegations (seed ${opts.seed}), SQLite, Node ${process.version}, ${os.cpus().length} CPUs`,
  );
  console.log(`work dir: ${dir}`);
  try {
    const gen = await writeDatasetWithProgress(dataFile, opts);
    console.log(
      `generated ${fmtInt(gen.lines)} lines (${fmtInt(counts.facility)} facilities, ${fmtInt(counts.person)} people, ${fmtInt(counts.source)} sources, ` +
        `${fmtInt(counts.allegation)} allegations), ${(gen.bytes / 1e6).toFixed(1)} MB in ${fmtSec(gen.ms)}`,
    );

    const baseFile = path.join(dir, 'baseline.db');
    const base = await baseline(baseFile, dataFile, gen.bytes);
    const baseRate = base.lines / (base.ms / 1000);
    const baseRows = await rowCounts(baseFile);

    // The same import without signed heads: what signing every transaction's head costs.
    const unsignedFile = path.join(dir, 'vigil-unsigned.db');
    const unsignedStore = await openStore({ dialect: 'sqlite', file: unsignedFile });
    let unsigned: Awaited<ReturnType<typeof measured>>;
    try {
      unsigned = await measured(unsignedStore, dataFile, gen.bytes, batchSize, 'import, heads unsigned (MB)');
    } finally {
      await unsignedStore.close();
    }

    const vigilFile = path.join(dir, 'vigil.db');
    // The signer is timed: the time spent signing is the direct cost, beside the noisier ratio of two runs.
    const key = headSignerOf(ephemeralSigningKey());
    const signing = { ms: 0, heads: 0 };
    const signer = {
      ...key,
      sign(m: Buffer) {
        const t = performance.now();
        const sig = key.sign(m);
        signing.ms += performance.now() - t;
        signing.heads += 1;
        return sig;
      },
    };
    const store = await openStore({ dialect: 'sqlite', file: vigilFile }, { signer });
    let verifyMs = 0;
    let verified: Awaited<ReturnType<typeof verifyStore>>;
    let run: Awaited<ReturnType<typeof measured>>;
    try {
      run = await measured(store, dataFile, gen.bytes, batchSize);
      const vbar = progressBar('verify (entries)', 1);
      const v0 = performance.now();
      verified = await verifyStore(store, (_phase, done, total) => vbar.update(done, total));
      verifyMs = performance.now() - v0;
      vbar.stop();
      // Settle the WAL so the row counts below read a plain file.
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
    } finally {
      await store.close();
    }
    const rows = await rowCounts(vigilFile);
    const rate = run.summary.lines / (run.ms / 1000);
    const ratio = rate / baseRate;

    console.log('');
    console.log(`records = import lines (facilities + people + sources + allegations) = ${fmtInt(counts.lines)}`);
    console.log(`rows     ${ROW_TABLES.map((t) => `${t} ${fmtInt(must(rows[t], `row count of ${t}`))}`).join(', ')}`);
    console.log(
      `         + ${fmtInt(must(rows.audit_entry, 'audit entry count'))} audit entries, ${fmtInt(must(rows.search_doc, 'search document count'))} search documents (Vigil only)`,
    );
    const same = ROW_TABLES.every((t) => rows[t] === baseRows[t]);
    console.log(
      `         baseline has the same row counts: ${same ? 'yes' : `NO (${ROW_TABLES.map((t) => `${t} ${baseRows[t]}`).join(', ')})`}`,
    );
    console.log('');
    console.log(
      `BASELINE  raw better-sqlite3, 1 transaction, no validation/audit/index:  ${fmtInt(base.lines)} records in ${fmtSec(base.ms)} = ${fmtInt(baseRate)} records/s`,
    );
    console.log(
      `          (of which in INSERT statements and COMMIT: ${fmtSec(base.insertMs)}; the rest is reading, JSON.parse and building the rows)`,
    );
    console.log(
      `MEASURED  Vigil importRecords (batch ${batchSize ?? 'default'}): ${fmtInt(run.summary.lines)} records in ${fmtSec(run.ms)} = ${fmtInt(rate)} records/s ` +
        `(created ${fmtInt(run.summary.created)}, existing ${fmtInt(run.summary.existing)}, rejected ${fmtInt(run.summary.rejected)})`,
    );
    console.log(
      `RATIO     measured / baseline = ${ratio.toFixed(3)}   goal ≥ ${GOAL}   ${ratio >= GOAL ? 'MET' : 'NOT MET'}`,
    );
    const unsignedRate = unsigned.summary.lines / (unsigned.ms / 1000);
    const signedRatio = rate / unsignedRate;
    console.log(
      `SIGNING   the same import with every transaction's head left unsigned: ${fmtInt(unsigned.summary.lines)} records in ${fmtSec(unsigned.ms)} = ${fmtInt(unsignedRate)} records/s; ` +
        `signed / unsigned = ${signedRatio.toFixed(3)} (goal ≥ 0.9: signing costs at most 10 %)   ${signedRatio >= 0.9 ? 'MET' : 'NOT MET'}`,
    );
    console.log(
      `          time inside the signer: ${fmtInt(signing.heads)} heads in ${signing.ms.toFixed(1)} ms = ${((100 * signing.ms) / run.ms).toFixed(3)} % of the signed import`,
    );
    console.log('');
    console.log(
      `verify    ${verified.ok ? 'OK' : `FAILED: ${verified.break.kind}: ${verified.break.message}`} — ${fmtInt(verified.entries)} entries, ` +
        `${verified.signatures === 'unchecked' ? 'signatures unchecked' : `${fmtInt(verified.signatures.checked)} signed heads`}, ` +
        `${fmtInt(verified.records)} records, ${(verified.bytes / 1e6).toFixed(1)} MB of chain in ${fmtSec(verifyMs)} (not counted)`,
    );

    let failed = false;
    if (run.rejected.length > 0) {
      failed = true;
      console.error(`error: ${run.rejected.length} lines were rejected; the generator and the schemas disagree:`);
      for (const r of run.rejected.slice(0, 5)) console.error(`  ${formatRejected(r)}`);
    }
    if (!verified.ok || !same) failed = true;
    if (failed) process.exitCode = 1;
  } finally {
    if (keep) console.log(`kept: ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
