import type { Services } from '../../services/context.ts';
import {
  describeHeadTimestamps,
  fileBreakMessage,
  verifyInstance,
  type VerifyOptions,
  type VerifyOutcome,
  type VerifyPhase,
} from '../../services/verify.service.ts';
import { formatBytes, startProgress, type Progress } from '../progress.ts';
import { describeWitnessChecks } from './witness.ts';

const BARS: Record<VerifyPhase, { label: string; unit: string; bytes?: true }> = {
  chain: { label: 'audit chain', unit: 'entries' },
  signatures: { label: 'signed heads', unit: 'heads' },
  records: { label: 'records', unit: 'records' },
  files: { label: 'evidence files', unit: 'bytes', bytes: true },
  timestamps: { label: 'head timestamps', unit: 'tokens' },
};

/** `vigil verify`: the verify service, with a progress bar per phase. */
export async function verifyCommand(
  svc: Services,
  opts: Omit<VerifyOptions, 'onProgress'> = {},
): Promise<VerifyOutcome> {
  let bar: Progress | undefined;
  let phase: VerifyPhase | undefined;
  try {
    return await verifyInstance(svc, {
      ...opts,
      onProgress: (p, done, total) => {
        if (p !== phase) {
          bar?.stop();
          phase = p;
          const b = BARS[p];
          bar = startProgress(b.label, total, { unit: b.unit, ...(b.bytes ? { format: formatBytes } : {}) });
        }
        bar?.update(done);
      },
    });
  } finally {
    bar?.stop();
  }
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
    lines.push(`BROKEN at evidence item ${r.fileBreak.itemId}: ${fileBreakMessage(r.fileBreak)}`);
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
  return { lines, broken: lines[0]?.startsWith('BROKEN') === true };
}
