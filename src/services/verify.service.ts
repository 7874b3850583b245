/**
 * `vigil verify` and `POST /api/v1/admin/verify` (IN2, IN4, EV3): the audit chain and every
 * audited record, the signed heads, every evidence file re-hashed, the head timestamps when a TSA
 * is configured, the witnesses asked for, and the checkpoint kept outside the database.
 */
import { VigilError } from '../domain/errors.ts';
import { tsaConfigFromEnv, type TsaConfig } from '../evidence/timestamp-config.ts';
import {
  checkCheckpoint,
  currentCheckpoint,
  readCheckpoint,
  writeCheckpoint,
  type AuditCheckpoint,
  type CheckpointCheck,
} from '../store/audit-checkpoint.ts';
import { verifyStore, type VerifyResult } from '../store/audit-verify.ts';
import { evidenceFilesOldestFirst } from '../store/repositories/evidence.repository.ts';
import type { Services } from './context.ts';
import { checkHeadTimestamps, type HeadTimestampCheck } from './witness/head-timestamps.ts';
import { checkWitness, type WitnessCheck } from './witness/witness-check.ts';

export { describeHeadTimestamps } from './witness/head-timestamps.ts';
export type { WitnessCheck } from './witness/witness-check.ts';

/** The first evidence file that failed its check: the item that names it, its hash, and what is wrong. */
export interface FileBreak {
  itemId: string;
  sha256: string;
  problem: 'missing' | 'altered';
}

/** What a verification found: the audit chain and records, then every evidence file re-hashed (IN2, EV3). */
export interface VerifyOutcome {
  audit: VerifyResult;
  /** Distinct stored files re-hashed. */
  files: number;
  fileBreak?: FileBreak;
  /** The comparison with the checkpoint kept outside the database (IN4), when there was one. */
  checkpoint?: CheckpointCheck;
  /** The TSA tokens on heads, checked against VIGIL_TSA_CERT when a TSA is configured. */
  timestamps?: HeadTimestampCheck;
  /** The new checkpoint, written when everything verified. */
  saved?: { file: string; checkpoint: AuditCheckpoint };
  /** The chain against each witness asked for (docs/witnesses.md). */
  witnesses?: WitnessCheck[];
}

/** The phases a verification reports progress in, each with its unit: entries, heads, records, bytes, tokens. */
export type VerifyPhase = 'chain' | 'signatures' | 'records' | 'files' | 'timestamps';

export interface VerifyOptions {
  /** Where the checkpoint is kept between runs; null or absent: neither compared nor written. */
  checkpointFile?: string | null;
  /** The TSA whose tokens on heads are checked; absent: from the environment, null: none. */
  tsa?: TsaConfig | null;
  /** Witnesses to compare the chain with: partner URLs or witness files. */
  witnesses?: readonly string[];
  onProgress?: (phase: VerifyPhase, done: number, total: number) => void;
}

let running = false;

/**
 * Verifies the whole instance, one verification at a time per process (a second call while one
 * runs is refused with `verify.already_running`: each reads every record and every file). The
 * checkpoint moves forward only when everything verified.
 */
export async function verifyInstance(svc: Services, opts: VerifyOptions = {}): Promise<VerifyOutcome> {
  if (running) throw new VigilError('verify.already_running', 'a verification is already running: wait for its report');
  running = true;
  try {
    return await verifyOnce(svc, opts);
  } finally {
    running = false;
  }
}

async function verifyOnce(svc: Services, opts: VerifyOptions): Promise<VerifyOutcome> {
  const onProgress = opts.onProgress ?? (() => {});
  const audit = await verifyStore(svc.store, onProgress);
  const outcome: VerifyOutcome = { audit, ...(await verifyFiles(svc, onProgress)) };
  const tsa = opts.tsa === undefined ? tsaConfigFromEnv() : opts.tsa;
  if (tsa) {
    outcome.timestamps = await checkHeadTimestamps(svc.store, tsa.certPem, {
      graceMs: tsa.graceMs,
      since: tsa.since,
      required: tsa.url !== null,
      onProgress: (done, total) => onProgress('timestamps', done, total),
    });
  }
  if (opts.witnesses?.length) outcome.witnesses = await verifyWitnesses(svc, opts.witnesses);
  if (!opts.checkpointFile) return outcome;
  const previous = await readCheckpoint(opts.checkpointFile);
  if (previous) outcome.checkpoint = await checkCheckpoint(svc.store, previous);
  // A checkpoint moves forward only from a store that verified in full: never over a break.
  if (
    outcome.audit.ok &&
    !outcome.fileBreak &&
    outcome.checkpoint?.ok !== false &&
    outcome.timestamps?.ok !== false &&
    !outcome.witnesses?.some((w) => w.status === 'broken')
  ) {
    const checkpoint = await currentCheckpoint(svc.store, svc.clock());
    await writeCheckpoint(opts.checkpointFile, checkpoint);
    outcome.saved = { file: opts.checkpointFile, checkpoint };
  }
  return outcome;
}

/** The chain against each witness, with the instance's signing key. */
async function verifyWitnesses(svc: Services, targets: readonly string[]): Promise<WitnessCheck[]> {
  const key = svc.store.signer?.publicKey;
  if (!key)
    throw new VigilError(
      'config.invalid',
      "witnesses are checked with the instance's signing key, and none is loaded",
      { path: 'witness' },
    );
  const checks: WitnessCheck[] = [];
  for (const t of targets) checks.push(await checkWitness(svc.store, key, t, process.env));
  return checks;
}

/**
 * Re-reads every file an evidence item names and hashes it again; stops at the first one that
 * is missing or whose bytes no longer match. Items are taken oldest first, so the item named is
 * the first one filed with those bytes.
 */
async function verifyFiles(
  svc: Services,
  onProgress: (phase: 'files', done: number, total: number) => void,
): Promise<{ files: number; fileBreak?: FileBreak }> {
  const blobs = await evidenceFilesOldestFirst(svc.store.db);
  if (blobs.size === 0) return { files: 0 };
  const total = [...blobs.values()].reduce((n, b) => n + b.size, 0);
  let done = 0;
  let files = 0;
  onProgress('files', 0, total);
  for (const [sha256, { itemId }] of blobs) {
    try {
      for await (const chunk of await svc.blobs.read(sha256)) {
        done += (chunk as Buffer).length;
        onProgress('files', done, total);
      }
    } catch (err) {
      if (err instanceof VigilError && err.code === 'evidence.blob_missing')
        return { files, fileBreak: { itemId, sha256, problem: 'missing' } };
      if (err instanceof VigilError && err.code === 'evidence.hash_mismatch')
        return { files, fileBreak: { itemId, sha256, problem: 'altered' } };
      throw err;
    }
    files += 1;
  }
  return { files };
}

/** One break of a report: its kind (an audit break's, `evidence_missing`, `evidence_altered`, a checkpoint's or a timestamp's), where, and what is wrong. */
interface VerifyReportBreak {
  kind: string;
  seq?: number;
  entity?: string;
  message: string;
}

/** A verification as an answer: the counts and every break found (at most one per check). */
export interface VerifyReport {
  ok: boolean;
  entries: number;
  records: number;
  /** Signed heads checked; null when no signing key is loaded. */
  signedHeads: number | null;
  evidenceFiles: number;
  breaks: VerifyReportBreak[];
}

/** The report of an outcome: what the API answers. */
export function verifyReport(o: VerifyOutcome): VerifyReport {
  const breaks: VerifyReportBreak[] = [];
  if (!o.audit.ok) breaks.push({ ...o.audit.break });
  if (o.fileBreak) {
    const { itemId, problem } = o.fileBreak;
    breaks.push({
      kind: problem === 'missing' ? 'evidence_missing' : 'evidence_altered',
      entity: `evidence_item ${itemId}`,
      message: fileBreakMessage(o.fileBreak),
    });
  }
  if (o.checkpoint && !o.checkpoint.ok) breaks.push({ kind: o.checkpoint.kind, message: o.checkpoint.message });
  if (o.timestamps && !o.timestamps.ok) {
    const b = o.timestamps.break;
    breaks.push({ kind: b.kind, seq: b.seq, message: b.message });
  }
  for (const w of o.witnesses ?? [])
    if (w.status === 'broken')
      breaks.push({ kind: 'witness_mismatch', ...(w.seq !== undefined ? { seq: w.seq } : {}), message: w.message });
  const { audit } = o;
  return {
    ok: breaks.length === 0,
    entries: audit.entries,
    records: audit.records,
    signedHeads: audit.signatures === 'unchecked' ? null : audit.signatures.checked,
    evidenceFiles: o.files,
    breaks,
  };
}

/** What is wrong with an evidence file, in words. */
export function fileBreakMessage(b: FileBreak): string {
  return `the file ${b.sha256} ${b.problem === 'missing' ? 'is missing from the blob store' : 'was altered: its bytes no longer match their SHA-256'}`;
}
