import { VigilError } from '../../domain/errors.ts';
import type { Services } from '../../services/context.ts';
import {
  checkCheckpoint,
  currentCheckpoint,
  readCheckpoint,
  writeCheckpoint,
  type AuditCheckpoint,
  type CheckpointCheck,
} from '../../store/audit-checkpoint.ts';
import { verifyStore, type VerifyResult } from '../../store/audit-verify.ts';
import { tsaConfigFromEnv, type TsaConfig } from '../../evidence/timestamp-config.ts';
import {
  checkHeadTimestamps,
  describeHeadTimestamps,
  type HeadTimestampCheck,
} from '../../services/witness/head-timestamps.ts';
import type { WitnessCheck } from '../../services/witness/witness-check.ts';
import { formatBytes, startProgress, type Progress } from '../progress.ts';
import { describeWitnessChecks, verifyWitnesses } from './witness.ts';

/** The first evidence file that failed its check: the item that names it, its hash, and what is wrong. */
export interface FileBreak {
  itemId: string;
  sha256: string;
  problem: 'missing' | 'altered';
}

/** What `vigil verify` found: the audit chain and records, then every evidence file re-hashed (IN2, EV3). */
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
  /** The chain against each `--witness` (docs/witnesses.md). */
  witnesses?: WitnessCheck[];
}

/** `vigil verify`: recomputes the chain and every record's state hash, then re-hashes every evidence file, with a progress bar per phase. */
export async function verifyCommand(
  svc: Services,
  opts: { checkpointFile?: string | null; tsa?: TsaConfig | null; witnesses?: readonly string[] } = {},
): Promise<VerifyOutcome> {
  const outcome = await verifyAll(svc);
  const tsa = opts.tsa === undefined ? tsaConfigFromEnv() : opts.tsa;
  if (tsa) {
    let bar: Progress | undefined;
    const onProgress = (done: number, total: number) =>
      (bar ??= startProgress('head timestamps', total, { unit: 'tokens' })).update(done);
    outcome.timestamps = await checkHeadTimestamps(svc.store, tsa.certPem, {
      graceMs: tsa.graceMs,
      since: tsa.since,
      required: tsa.url !== null,
      onProgress,
    });
    bar?.stop();
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

async function verifyAll(svc: Services): Promise<VerifyOutcome> {
  let bar: Progress | undefined;
  let phase = '';
  const audit = await verifyStore(svc.store, (p, done, total) => {
    if (p !== phase) {
      bar?.stop();
      phase = p;
      bar = startProgress(p === 'chain' ? 'audit chain' : p === 'signatures' ? 'signed heads' : 'records', total, {
        unit: p === 'chain' ? 'entries' : p === 'signatures' ? 'heads' : 'records',
      });
    }
    bar?.update(done);
  });
  bar?.stop();
  return { audit, ...(await verifyFiles(svc)) };
}

/**
 * Re-reads every file an evidence item names and hashes it again; stops at the first one that
 * is missing or whose bytes no longer match. Items are taken oldest first, so the item named is
 * the first one filed with those bytes.
 */
async function verifyFiles(svc: Services): Promise<{ files: number; fileBreak?: FileBreak }> {
  const rows = await svc.store.db
    .selectFrom('evidence_item')
    .select(['id', 'sha256', 'size'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const blobs = new Map<string, { itemId: string; size: number }>();
  for (const r of rows) if (!blobs.has(r.sha256)) blobs.set(r.sha256, { itemId: r.id, size: Number(r.size) });
  if (blobs.size === 0) return { files: 0 };
  const total = [...blobs.values()].reduce((n, b) => n + b.size, 0);
  const bar = startProgress('evidence files', total, { unit: 'bytes', format: formatBytes });
  let done = 0;
  let files = 0;
  try {
    for (const [sha256, { itemId }] of blobs) {
      try {
        for await (const chunk of await svc.blobs.read(sha256)) {
          done += (chunk as Buffer).length;
          bar.update(done);
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
  } finally {
    bar.stop();
  }
  return { files };
}

/** The lines `vigil verify` prints, and whether it found a break. */
export function describeVerify(r: VerifyOutcome): { lines: string[]; broken: boolean } {
  const lines: string[] = [];
  const { audit } = r;
  if (!audit.ok) {
    const b = audit.break;
    lines.push(
      `BROKEN at ${b.seq !== undefined ? `entry ${b.seq}` : 'records'}${b.entity ? `, ${b.entity}` : ''}: ${b.message}`,
    );
  }
  if (r.fileBreak) {
    const { itemId, sha256, problem } = r.fileBreak;
    lines.push(
      `BROKEN at evidence item ${itemId}: the file ${sha256} ${problem === 'missing' ? 'is missing from the blob store' : 'was altered: its bytes no longer match their SHA-256'}`,
    );
  }
  if (r.checkpoint && !r.checkpoint.ok) lines.push(`BROKEN at checkpoint: ${r.checkpoint.message}`);
  if (r.timestamps && !r.timestamps.ok)
    lines.push(
      `BROKEN at ${r.timestamps.break.toSeq ? 'entries' : 'entry'} ${r.timestamps.break.seq}${r.timestamps.break.toSeq ? `..${r.timestamps.break.toSeq}` : ''}: ${r.timestamps.break.message}`,
    );
  const witnesses = describeWitnessChecks(r.witnesses ?? []);
  lines.push(...witnesses.broken);
  if (lines.length === 0) {
    const signed =
      audit.signatures === 'unchecked'
        ? 'signatures not checked (no signing key)'
        : `${audit.signatures.checked} signed heads (key ${audit.signatures.key})`;
    lines.push(
      `ok: ${audit.entries} entries, ${audit.records} records, ${signed}${r.files > 0 ? `, ${r.files} evidence files` : ''}`,
    );
  }
  if (r.timestamps?.ok) lines.push(describeHeadTimestamps(r.timestamps));
  lines.push(...witnesses.other);
  return { lines, broken: lines[0]!.startsWith('BROKEN') };
}
