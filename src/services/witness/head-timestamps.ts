/**
 * What the TSA's tokens on heads prove about the audit chain, checked offline against the TSA's
 * certificate (docs/timestamps.md).
 *
 * 1. Every stored token verifies (signature, trusted TSA, timeStamping usage, imprint = SHA-256 of
 *    the head's statement) and the chain still holds that head: the entry at its seq has the hash
 *    and time the TSA saw. Otherwise the chain was rewritten after the TSA saw it.
 * 2. When a TSA is in use (`required`), an entry is proven in time only by a token on a head at or
 *    after it whose genTime is at most `grace` after the entry's own time. Someone who rewrites
 *    the chain with the key can re-sign every head and date entries as they like, but cannot get
 *    tokens from the past: back-dated entries are first timestamped when they were really
 *    written. Entries younger than the grace may still wait for their token.
 */
import type { Store } from '../../store/database.ts';
import { verifyToken, parseTrustedCerts } from '../../evidence/timestamp-token.ts';
import { formatDuration, DEFAULT_GRACE_MS } from '../../evidence/timestamp-config.ts';
import { auditEntriesAfter } from '../../store/repositories/audit-head.repository.ts';
import { auditTimestamps } from '../../store/repositories/timestamp.repository.ts';
import { headDigest } from './tsa-witness.ts';

/** The first thing the head timestamps disprove. */
interface HeadTimestampBreak {
  kind: 'timestamp_invalid' | 'timestamp_mismatch' | 'timestamp_late' | 'timestamp_missing';
  /** The entry (or the first of the entries) concerned. */
  seq: number;
  /** The last of the entries concerned, for a range. */
  toSeq?: number;
  message: string;
}

/** The outcome of checking the head timestamps. */
export type HeadTimestampCheck =
  | {
      ok: true;
      /** Tokens verified. */
      tokens: number;
      /** The highest entry a token covers (0: none). */
      coveredTo: number;
      /** The latest genTime among the tokens. */
      lastGenTime: string | null;
      /** Entries after the last token, still within the grace. */
      waiting: number;
      /** Whether every entry had to be covered (a TSA is in use), or only the stored tokens were checked. */
      required: boolean;
      graceMs: number;
    }
  | { ok: false; tokens: number; break: HeadTimestampBreak };

/** Options: the grace, entries exempt before `since`, whether coverage is required, and the present instant (tests). */
export interface HeadTimestampOptions {
  graceMs?: number;
  since?: string | null;
  required?: boolean;
  now?: Date;
  /** Tokens checked so far, of all (a progress bar: each token is a CMS signature to check). */
  onProgress?: (done: number, total: number) => void;
}

const PAGE = 5000;

const iso = (t: number) => new Date(t).toISOString();
const range = (from: number, to: number) => (from === to ? `entry ${from}` : `entries ${from}..${to}`);
const dated = (a: string, b: string) => (a === b ? `dated ${a}` : `dated ${a} … ${b}`);

/**
 * Checks every token on a head against the TSA certificate (PEM) and the chain, and, when
 * `required`, that every entry older than the grace is covered by a timely token.
 */
export async function checkHeadTimestamps(
  store: Store,
  tsaCertPem: string,
  opts: HeadTimestampOptions = {},
): Promise<HeadTimestampCheck> {
  const trusted = parseTrustedCerts(tsaCertPem);
  const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
  const required = opts.required ?? true;
  const now = (opts.now ?? new Date()).getTime();
  const since = opts.since ? Date.parse(opts.since) : Number.NEGATIVE_INFINITY;

  // Tokens first, entries after: a token written meanwhile names an entry that is already there.
  const rows = await auditTimestamps(store.db);
  const tokens: Array<{ seq: number; hash: string; at: string; genTime: number; genText: string }> = [];
  for (const r of rows) {
    const check = await verifyToken(
      Buffer.from(r.token, 'base64'),
      headDigest({ instance: r.instance, seq: r.seq, hash: r.hash, at: r.at }),
      trusted,
    );
    if (!check.ok) {
      return {
        ok: false,
        tokens: tokens.length,
        break: {
          kind: 'timestamp_invalid',
          seq: r.seq,
          message: `the TSA token on the head at entry ${r.seq} does not check: ${check.message}`,
        },
      };
    }
    tokens.push({
      seq: r.seq,
      hash: r.hash,
      at: r.at,
      genTime: check.info.genTime.getTime(),
      genText: check.info.genTime.toISOString(),
    });
    if (tokens.length % 100 === 0 || tokens.length === rows.length) opts.onProgress?.(tokens.length, rows.length);
  }
  // The earliest proof of entry i is the earliest genTime among the tokens at or after it.
  const earliest: number[] = new Array(tokens.length);
  tokens.reduceRight((min, t, k) => {
    earliest[k] = Math.min(min, t.genTime);
    return earliest[k];
  }, Number.POSITIVE_INFINITY);
  const fail = (b: HeadTimestampBreak): HeadTimestampCheck => ({ ok: false, tokens: tokens.length, break: b });

  let j = 0; // the first token at or after the current entry
  // The first run of consecutive entries without a timely token: all without any token, or all covered too late.
  let run: {
    from: number;
    to: number;
    fromAt: string;
    toAt: string;
    covered: { first: number; last: number } | null;
  } | null = null;
  let last = 0;
  let waiting = 0;
  const report = (r: NonNullable<typeof run>): HeadTimestampCheck =>
    r.covered === null
      ? fail({
          kind: 'timestamp_missing',
          seq: r.from,
          ...(r.to !== r.from ? { toSeq: r.to } : {}),
          message: `${range(r.from, r.to)} ${dated(r.fromAt, r.toAt)} ${r.to === r.from ? 'has' : 'have'} no timestamp token, though older than the grace of ${formatDuration(graceMs)}: back-dated, or the TSA has been unreachable since ${r.fromAt}`,
        })
      : fail({
          kind: 'timestamp_late',
          seq: r.from,
          ...(r.to !== r.from ? { toSeq: r.to } : {}),
          message: `${range(r.from, r.to)} ${dated(r.fromAt, r.toAt)} ${r.to === r.from ? 'was' : 'were'} first timestamped ${
            r.covered.first === r.covered.last
              ? `at ${iso(r.covered.first)}`
              : `from ${iso(r.covered.first)} to ${iso(r.covered.last)}`
          }: back-dated, or the TSA was unreachable from ${r.fromAt} to ${iso(r.covered.first)}`,
        });

  for (;;) {
    const page = await auditEntriesAfter(store.db, last, PAGE);
    for (const row of page) {
      const seq = Number(row.seq);
      last = seq;
      while ((tokens[j]?.seq ?? Number.POSITIVE_INFINITY) < seq) j += 1;
      const t = tokens[j];
      if (t && t.seq === seq && (t.hash !== row.hash || t.at !== row.at)) {
        return fail({
          kind: 'timestamp_mismatch',
          seq,
          message: `entry ${seq} is not what the TSA saw at ${t.genText} (${t.hash !== row.hash ? `hash ${t.hash.slice(0, 16)}…, now ${row.hash.slice(0, 16)}…` : `dated ${t.at}, now ${row.at}`}): the chain up to entry ${seq} was rewritten`,
        });
      }
      if (!required) continue;
      const at = Date.parse(row.at);
      if (at < since) continue;
      const covered = t ? (earliest[j] ?? null) : null;
      const deadline = at + graceMs;
      const bad = covered === null ? deadline < now : covered > deadline;
      if (covered === null && !bad) waiting += 1;
      if (bad && run && (run.covered === null) === (covered === null)) {
        run.to = seq;
        run.toAt = row.at;
        if (run.covered && covered !== null)
          run.covered = { first: Math.min(run.covered.first, covered), last: Math.max(run.covered.last, covered) };
      } else if (run) {
        return report(run);
      } else if (bad) {
        run = {
          from: seq,
          to: seq,
          fromAt: row.at,
          toAt: row.at,
          covered: covered === null ? null : { first: covered, last: covered },
        };
      }
    }
    if (page.length < PAGE) break;
  }
  if (run) return report(run);
  const beyond = tokens.find((t) => t.seq > last);
  if (beyond) {
    return fail({
      kind: 'timestamp_mismatch',
      seq: beyond.seq,
      message: `the TSA saw the chain at entry ${beyond.seq} at ${beyond.genText}, but the chain now ends at entry ${last}: entries were removed from the end`,
    });
  }
  return {
    ok: true,
    tokens: tokens.length,
    coveredTo: tokens.at(-1)?.seq ?? 0,
    lastGenTime: tokens.length > 0 ? new Date(tokens.reduce((m, t) => Math.max(m, t.genTime), 0)).toISOString() : null,
    waiting,
    required,
    graceMs,
  };
}

/** The line `vigil verify` prints for head timestamps that hold. */
export function describeHeadTimestamps(c: Extract<HeadTimestampCheck, { ok: true }>): string {
  const tokens = `${c.tokens} TSA token${c.tokens === 1 ? '' : 's'} on heads verified`;
  if (!c.required) return `timestamps: ${tokens} (no TSA in use: entries are not required to be covered)`;
  const covered = c.coveredTo > 0 ? `, entries up to ${c.coveredTo} covered (latest ${c.lastGenTime})` : '';
  const waiting =
    c.waiting > 0
      ? `; ${c.waiting} newer entr${c.waiting === 1 ? 'y waits' : 'ies wait'} for a token (within the grace of ${formatDuration(c.graceMs)})`
      : '';
  return `timestamps: ${tokens}${covered}${waiting}`;
}
