import { VigilError } from '../../domain/errors.ts';
import { tsaClientOf, tsaConfigFromEnv } from '../../evidence/timestamp-config.ts';
import type { PendingRun } from '../../services/evidence-timestamp.service.ts';
import type { Services } from '../../services/context.ts';
import { TsaWitness } from '../../services/witness/tsa-witness.ts';
import { readSignedHead } from '../../store/audit-signature.ts';
import { auditTimestamps } from '../../store/repositories/timestamp.repository.ts';
import { startProgress, type Progress } from '../progress.ts';

/** What `vigil timestamp` did: the evidence hashes, and the chain's current signed head. */
export interface TimestampRun {
  tsa: string;
  evidence: PendingRun;
  head: { seq: number; genTime: string | null; already: boolean; failure: string | null } | null;
}

/**
 * `vigil timestamp`: asks the configured TSA for the tokens that are missing: every evidence
 * hash without one (filed while the TSA was down), then the chain's latest signed head, unless a
 * token already covers it. Safe to run at any time, and from cron.
 */
export async function timestampCommand(svc: Services): Promise<TimestampRun> {
  const config = tsaConfigFromEnv();
  const client = tsaClientOf(config);
  if (!client || !svc.timestamps) throw new VigilError('config.invalid', 'no TSA is configured: set VIGIL_TSA_URL and VIGIL_TSA_CERT (docs/timestamps.md)', { path: 'VIGIL_TSA_URL' });
  let bar: Progress | undefined;
  const evidence = await svc.timestamps.retryPending({
    onProgress(done, total) {
      bar ??= startProgress('evidence tokens', total, { unit: 'files' });
      bar.update(done);
    },
  });
  bar?.stop();

  let head: TimestampRun['head'] = null;
  const signed = await readSignedHead(svc.store.db);
  if (signed) {
    const have = (await auditTimestamps(svc.store.db)).find((t) => t.seq >= signed.seq);
    if (have) head = { seq: signed.seq, genTime: have.gen_time, already: true, failure: null };
    else {
      try {
        await new TsaWitness(svc.store, client).deliver(signed);
        const row = (await auditTimestamps(svc.store.db)).find((t) => t.seq === signed.seq);
        head = { seq: signed.seq, genTime: row?.gen_time ?? null, already: false, failure: null };
      } catch (err) {
        head = { seq: signed.seq, genTime: null, already: false, failure: (err as Error).message };
      }
    }
  }
  return { tsa: client.tsa, evidence, head };
}

/** The lines it prints, and whether something is still missing (exit 1). */
export function describeTimestampRun(r: TimestampRun): { lines: string[]; incomplete: boolean } {
  const e = r.evidence;
  const lines = [`timestamp: ${e.stamped} evidence hash${e.stamped === 1 ? '' : 'es'} stamped by ${r.tsa}, ${e.pending} without a token${e.failure ? `: ${e.failure}` : ''}`];
  if (!r.head) lines.push('timestamp: no signed head of the audit chain yet');
  else if (r.head.failure) lines.push(`timestamp: the head at entry ${r.head.seq} has no token: ${r.head.failure}`);
  else lines.push(`timestamp: the head at entry ${r.head.seq} ${r.head.already ? 'was already covered' : 'is covered'} by a token of ${r.head.genTime}`);
  return { lines, incomplete: e.failure !== null || r.head?.failure != null };
}
