/**
 * The durable push queue: after writes, the current signed head goes to every witness; a push
 * that fails is kept in `witness_push` (one row per witness) and retried with backoff, by the
 * server's scheduler or by `vigil witness push`. Only the newest head is ever pending: a head
 * vouches for every entry before it, so a witness that missed some heads loses nothing once it
 * gets a later one. Queue rows are operational: no audit entry, never read by `vigil verify`.
 */
import { readSignedHead, type SignedHead } from '../../store/audit-signature.ts';
import type { Store } from '../../store/database.ts';
import {
  emptyPushRow,
  readPushRows,
  writePushRow,
  type WitnessPushRow,
} from '../../store/repositories/witness-push.repository.ts';
import { WitnessRefusal, type Witness } from './witness.ts';

/** What one push round did for one witness. */
export interface PushOutcome {
  witness: string;
  result: 'delivered' | 'up_to_date' | 'failed' | 'refused' | 'waiting' | 'no_head';
  /** The head's sequence (absent with no_head). */
  seq?: number;
  error?: string;
  /** When a failed push is tried again. */
  nextAttemptAt?: string;
}

export interface PushOptions {
  now?: () => Date;
  /** Push now even to witnesses that are backing off, refused this head, or have it already (`vigil witness push`). */
  force?: boolean;
  /** Called as each witness's push ends (pushes run side by side). */
  onOutcome?: (o: PushOutcome) => void;
}

const FIRST_RETRY_MS = 10_000;
const LONGEST_WAIT_MS = 60 * 60_000;

/** How long to wait after the `attempts`-th failure in a row: 10 s, doubling, at most an hour. */
function backoffMs(attempts: number): number {
  return Math.min(LONGEST_WAIT_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
}

/** Sends the current signed head to each witness that needs it (all of them with `force`), recording every outcome in the queue. */
export async function pushToWitnesses(
  store: Store,
  witnesses: readonly Witness[],
  opts: PushOptions = {},
): Promise<PushOutcome[]> {
  if (witnesses.length === 0) return [];
  const head = await readSignedHead(store.db);
  if (!head) {
    const none = witnesses.map((w): PushOutcome => ({ witness: w.id, result: 'no_head' }));
    for (const o of none) opts.onOutcome?.(o);
    return none;
  }
  const rows = await readPushRows(
    store.db,
    witnesses.map((w) => w.id),
  );
  return Promise.all(
    witnesses.map(async (w) => {
      const o = await pushOne(store, w, head, rows.get(w.id) ?? emptyPushRow(w.id), opts);
      opts.onOutcome?.(o);
      return o;
    }),
  );
}

async function pushOne(
  store: Store,
  w: Witness,
  head: SignedHead,
  row: WitnessPushRow,
  opts: PushOptions,
): Promise<PushOutcome> {
  const now = (opts.now ?? (() => new Date()))();
  const base = { witness: w.id, seq: head.seq };
  const pendingHead = row.pending_head === null ? null : (JSON.parse(row.pending_head) as SignedHead);
  const samePending = pendingHead !== null && pendingHead.seq === head.seq && pendingHead.hash === head.hash;
  const waiting = { pending_seq: head.seq, pending_head: JSON.stringify(head) };
  if (!opts.force) {
    if (row.delivered_seq === head.seq && row.delivered_hash === head.hash) return { ...base, result: 'up_to_date' };
    if (samePending && row.refused === 1) return { ...base, result: 'refused', error: row.last_error ?? 'refused' };
    if (row.next_attempt_at !== null && Date.parse(row.next_attempt_at) > now.getTime()) {
      // Backing off: the newest head is the one that waits.
      if (!samePending) await writePushRow(store.db, { ...row, ...waiting, refused: 0 });
      return {
        ...base,
        result: 'waiting',
        nextAttemptAt: row.next_attempt_at,
        ...(row.last_error ? { error: row.last_error } : {}),
      };
    }
  }
  try {
    await w.deliver(head);
  } catch (err) {
    const refused = err instanceof WitnessRefusal;
    const error = refused ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
    const attempts = row.attempts + 1;
    const next = refused ? null : new Date(now.getTime() + backoffMs(attempts)).toISOString();
    await writePushRow(store.db, {
      ...row,
      ...waiting,
      attempts,
      next_attempt_at: next,
      last_attempt_at: now.toISOString(),
      last_error: error,
      refused: refused ? 1 : 0,
    });
    return { ...base, result: refused ? 'refused' : 'failed', error, ...(next ? { nextAttemptAt: next } : {}) };
  }
  await writePushRow(store.db, {
    ...row,
    pending_seq: null,
    pending_head: null,
    attempts: 0,
    next_attempt_at: null,
    last_attempt_at: now.toISOString(),
    last_error: null,
    refused: 0,
    delivered_seq: head.seq,
    delivered_hash: head.hash,
    delivered_at: now.toISOString(),
  });
  return { ...base, result: 'delivered' };
}

/** One witness as `vigil witness status` shows it. */
export interface WitnessState {
  witness: string;
  delivered: { seq: number; at: string } | null;
  pending: {
    seq: number;
    attempts: number;
    nextAttemptAt: string | null;
    lastAttemptAt: string | null;
    lastError: string | null;
    refused: boolean;
  } | null;
}

/** The queue as it stands for each configured witness. */
export async function witnessStates(store: Store, witnesses: readonly Witness[]): Promise<WitnessState[]> {
  const rows = await readPushRows(
    store.db,
    witnesses.map((w) => w.id),
  );
  return witnesses.map((w) => {
    const r = rows.get(w.id) ?? emptyPushRow(w.id);
    return {
      witness: w.id,
      delivered:
        r.delivered_seq === null || r.delivered_at === null ? null : { seq: r.delivered_seq, at: r.delivered_at },
      pending:
        r.pending_seq === null
          ? null
          : {
              seq: r.pending_seq,
              attempts: r.attempts,
              nextAttemptAt: r.next_attempt_at,
              lastAttemptAt: r.last_attempt_at,
              lastError: r.last_error,
              refused: r.refused === 1,
            },
    };
  });
}

/** The latest signed head of this instance's chain, or undefined before anything was signed. */
export async function currentSignedHead(store: Store): Promise<SignedHead | undefined> {
  return (await readSignedHead(store.db)) ?? undefined;
}
