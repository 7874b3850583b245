/**
 * Asking the TSA for what is missing: tokens of evidence hashes filed while it was down, and a
 * token on the chain's current head. The server does it at start and every 15 minutes, so every
 * entry is covered well within the grace `vigil verify` allows (VIGIL_TSA_GRACE, 1 h by default);
 * `vigil timestamp` does it once.
 */
import type { Services } from './context.ts';
import type { PendingRun } from './evidence-timestamp.service.ts';
import { stampCurrentHead, type HeadStamp } from './witness/tsa-witness.ts';

/** What one round did. `head` is null for an empty chain. */
export interface StampRound {
  tsa: string;
  evidence: PendingRun;
  head: (HeadStamp & { failure: null }) | { seq: null; genTime: null; already: false; failure: string } | null;
}

/** One round: the pending evidence hashes, then the current head. Null when no TSA is configured. */
export async function stampMissing(
  svc: Services,
  opts: { onProgress?: (done: number, total: number) => void } = {},
): Promise<StampRound | null> {
  const ts = svc.timestamps;
  if (!ts) return null;
  const evidence = await ts.retryPending(opts);
  let head: StampRound['head'];
  try {
    const h = await stampCurrentHead(svc.store, ts.timestamper);
    head = h ? { ...h, failure: null } : null;
  } catch (err) {
    head = { seq: null, genTime: null, already: false, failure: (err as Error).message };
  }
  return { tsa: ts.tsa, evidence, head };
}

/**
 * Runs a round now and then every `everyMs` (one at a time). The timer does not keep the process
 * alive; the returned function stops it. Nothing here throws into the server.
 */
export function stampMissingEvery(svc: Services, everyMs: number, onRound: (r: StampRound) => void): () => void {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    stampMissing(svc)
      .then((r) => r && onRound(r))
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
