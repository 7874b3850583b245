import { VigilError } from '../../domain/errors.ts';
import type { Services } from '../../services/context.ts';
import { stampMissing, type StampRound } from '../../services/timestamp-retry.service.ts';
import { startProgress, type Progress } from '../progress.ts';

/**
 * `vigil timestamp`: asks the configured TSA for the tokens that are missing: every evidence
 * hash without one (filed while the TSA was down), then the chain's current head, unless a token
 * already covers it. Safe to run at any time, and from cron.
 */
export async function timestampCommand(svc: Services): Promise<StampRound> {
  let bar: Progress | undefined;
  const r = await stampMissing(svc, {
    onProgress(done, total) {
      bar ??= startProgress('evidence tokens', total, { unit: 'files' });
      bar.update(done);
    },
  });
  bar?.stop();
  if (!r)
    throw new VigilError(
      'config.invalid',
      'no TSA is configured: set VIGIL_TSA_URL and VIGIL_TSA_CERT (docs/timestamps.md)',
      { path: 'VIGIL_TSA_URL' },
    );
  return r;
}

/** The lines it prints, and whether something is still missing (exit 1). */
export function describeStampRound(r: StampRound): { lines: string[]; incomplete: boolean } {
  const e = r.evidence;
  const lines = [
    `timestamp: ${e.stamped} evidence hash${e.stamped === 1 ? '' : 'es'} stamped by ${r.tsa}, ${e.pending} without a token${e.failure ? `: ${e.failure}` : ''}`,
  ];
  if (!r.head) lines.push('timestamp: the audit chain is empty');
  else if (r.head.failure !== null) lines.push(`timestamp: the chain's head has no token: ${r.head.failure}`);
  else
    lines.push(
      `timestamp: the head at entry ${r.head.seq} ${r.head.already ? 'was already covered' : 'is covered'} by a token of ${r.head.genTime}`,
    );
  return { lines, incomplete: e.failure !== null || (r.head !== null && r.head.failure !== null) };
}
