/**
 * Trusted time on evidence: each evidence hash gets an RFC 3161 token from the configured TSA,
 * proof that the file existed at the TSA's time, checkable by anyone with the TSA's certificate.
 *
 * When: right after a filing commits, in the background. The filing never waits for the TSA and
 * never fails because of it; a hash whose request failed (TSA down, timeout) simply has no token
 * and is asked for again by `retryPending` (timestamp-retry.service.ts: at server start, every
 * 15 minutes while the server runs, and `vigil timestamp`). Tokens are stored outside the audit chain (see migration 0014).
 */
import type { Timestamp, Timestamper } from '../evidence/timestamp-client.ts';
import type { Store } from '../store/database.ts';
import {
  evidenceTimestamps,
  insertEvidenceTimestamp,
  unstampedEvidence,
} from '../store/repositories/timestamp.repository.ts';

/**
 * The TSA client VIGIL_TSA_URL (and VIGIL_TSA_CERT…) configure, or undefined without one
 * (docs/timestamps.md). The client and its ASN.1 libraries are loaded only when one of the two
 * is set (without either, tsaConfigFromEnv names no TSA).
 */
export async function timestamperFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Timestamper | undefined> {
  if (!env.VIGIL_TSA_URL?.trim() && !env.VIGIL_TSA_CERT?.trim()) return undefined;
  const { tsaClientOf, tsaConfigFromEnv } = await import('../evidence/timestamp-config.ts');
  return tsaClientOf(tsaConfigFromEnv(env));
}

/** The outcome of asking for one hash's token. */
export type StampOutcome =
  | { readonly sha256: string; readonly ok: true; readonly genTime: string; readonly already: boolean }
  | { readonly sha256: string; readonly ok: false; readonly error: string };

/** What a retry of the hashes without a token did. */
export interface PendingRun {
  stamped: number;
  /** Hashes still without a token afterwards. */
  pending: number;
  /** Why the run stopped early (the TSA's failure), or null when it went through. */
  failure: string | null;
}

/** Evidence tokens: background requests after filing, and retries of the hashes without one. */
export class EvidenceTimestamps {
  private queue: Promise<void> = Promise.resolve();
  private outcomes: StampOutcome[] = [];

  constructor(
    private readonly store: Store,
    /** The TSA it asks. */
    readonly timestamper: Timestamper,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Which TSA (its URL). */
  get tsa(): string {
    return this.timestamper.tsa;
  }

  /**
   * Asks for a token for `sha256` in the background (one request at a time) and returns at once.
   * Never throws: a failure is kept for `settle` and the hash stays pending for a retry.
   */
  request(sha256: string): void {
    this.queue = this.queue.then(async () => {
      this.outcomes.push(await this.stampOne(sha256));
    });
  }

  /** Waits for the background requests made so far and hands over their outcomes (a short-lived CLI waits before closing the database). */
  async settle(): Promise<StampOutcome[]> {
    await this.queue;
    const done = this.outcomes;
    this.outcomes = [];
    return done;
  }

  /**
   * Requests a token for every evidence hash that has none, oldest filing first, one at a time.
   * Stops at the first failure: a TSA that is down for one request is down for the next.
   */
  async retryPending(
    opts: { limit?: number; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<PendingRun> {
    await this.queue; // no double request for a hash filed a moment ago
    const { sha256s, total } = await unstampedEvidence(this.store.db, opts.limit ?? 100_000);
    let stamped = 0;
    for (const sha256 of sha256s) {
      const r = await this.stampOne(sha256);
      if (!r.ok) return { stamped, pending: total - stamped, failure: r.error };
      if (!r.already) stamped += 1;
      opts.onProgress?.(stamped, sha256s.length);
    }
    return { stamped, pending: total - stamped, failure: null };
  }

  private async stampOne(sha256: string): Promise<StampOutcome> {
    try {
      const have = (await evidenceTimestamps(this.store.db, [sha256])).get(sha256);
      if (have) return { sha256, ok: true, genTime: have.gen_time, already: true };
      const requestedAt = this.clock().toISOString();
      const t: Timestamp = await this.timestamper.stamp(Buffer.from(sha256, 'hex'));
      const kept = await insertEvidenceTimestamp(this.store.db, {
        sha256,
        token: t.token.toString('base64'),
        gen_time: t.genTime.toISOString(),
        tsa: this.timestamper.tsa,
        requested_at: requestedAt,
      });
      return { sha256, ok: true, genTime: t.genTime.toISOString(), already: !kept };
    } catch (err) {
      return { sha256, ok: false, error: (err as Error).message };
    }
  }
}

/** The stored token of an evidence hash, if any: the DER and the TSA's time. */
export async function evidenceToken(
  store: Store,
  sha256: string,
): Promise<{ token: Buffer; genTime: string; tsa: string } | null> {
  const row = (await evidenceTimestamps(store.db, [sha256])).get(sha256);
  return row ? { token: Buffer.from(row.token, 'base64'), genTime: row.gen_time, tsa: row.tsa } : null;
}
