/**
 * The receiving side of partner witnessing: a partner instance delivers its signed heads here
 * with a token of the witness scope, and reads back the latest one held.
 *
 * What is held is kept against the partner: the first head a token delivers pins the partner's
 * instance key; a later head with another key, another hash at a held sequence, or a lower
 * sequence than held is refused and kept as an alarm, never overwriting what was held — that is
 * the evidence of a rewrite. Nothing here appends an audit entry: a partner's head is not a record
 * of this instance (it carries its own signature), and an audited write would make a new head to
 * push back to the partner, which would hold it and push back again.
 */
import type { Transaction } from 'kysely';
import { VigilError } from '../../domain/errors.ts';
import { SignedHeadBody, type WitnessAlarmKind } from '../../domain/entities/signed-head.ts';
import { checkSignedHead, type SignedHead } from '../../store/audit-signature.ts';
import {
  alarmCount,
  alarmsFor,
  heldAt,
  heldBefore,
  heldSummary,
  insertAlarm,
  insertHeld,
  latestHeld,
  otherKeyOf,
  pinFor,
  readPin,
  type HeldAlarm,
  type HeldHead,
} from '../../store/repositories/witness-held.repository.ts';
import type { Store } from '../../store/database.ts';
import type { Database } from '../../store/schema.ts';
import type { Services } from '../context.ts';
import { parseInput } from '../validate.ts';

/** Alarms kept per token at most: a leaked token must not fill the disk; later refusals are answered but not kept. */
const MAX_ALARMS_PER_TOKEN = 1000;

/** What became of a delivered head. */
export interface Received {
  status: 'stored' | 'already_held';
  head: SignedHead;
}

type Verdict = { status: 'stored' | 'already_held' } | { status: 'alarm'; kind: WitnessAlarmKind; message: string };

const short = (hash: string) => `${hash.slice(0, 16)}…`;

/**
 * Stores a partner's signed head delivered with the witness token `tokenId`. Refuses a malformed
 * head (`validation.invalid`), one whose signature does not check with the key it carries
 * (`witness.signature_invalid`, not kept: anyone can send bytes), and keeps as an alarm, then
 * refuses, one that contradicts what is held (`witness.key_changed`, `witness.head_conflict`,
 * `witness.head_backwards`). The same head twice is `already_held`.
 */
export async function receivePartnerHead(svc: Services, tokenId: string, input: unknown): Promise<Received> {
  const head: SignedHead = parseInput(SignedHeadBody, input);
  if (!checkSignedHead(head)) {
    throw new VigilError(
      'witness.signature_invalid',
      "the signature does not check with the key the head carries, or the instance is not that key's fingerprint",
      { path: 'signature' },
    );
  }
  const now = svc.clock().toISOString();
  const verdict = await svc.store.db.transaction().execute(async (trx) => {
    const judged = await judge(trx, svc.store.dialect, tokenId, head, now);
    if (judged.status !== 'alarm') {
      if (judged.status === 'stored') await insertHeld(trx, tokenId, head, now);
      return { ...judged, kept: false };
    }
    const kept = (await alarmCount(trx, tokenId)) < MAX_ALARMS_PER_TOKEN;
    if (kept)
      await insertAlarm(trx, {
        id: svc.newId(),
        tokenId,
        kind: judged.kind,
        head,
        receivedAt: now,
        message: judged.message,
      });
    return { ...judged, kept };
  });
  // Thrown after the commit, so the alarm stays.
  if (verdict.status === 'alarm') {
    throw new VigilError(
      verdict.kind,
      `${verdict.message}; ${verdict.kept ? 'the head is kept as an alarm' : `not kept: this token has ${MAX_ALARMS_PER_TOKEN} alarms already`}`,
      {
        path:
          verdict.kind === 'witness.key_changed' ? 'key' : verdict.kind === 'witness.head_conflict' ? 'hash' : 'seq',
      },
    );
  }
  return { status: verdict.status, head };
}

/** What to do with a partner's head, against its token's pin and the heads held of its instance (the pin is made on first contact). */
async function judge(
  trx: Transaction<Database>,
  dialect: Store['dialect'],
  tokenId: string,
  head: SignedHead,
  now: string,
): Promise<Verdict> {
  const { pin } = await pinFor(trx, dialect, tokenId, { instance: head.instance, key: head.key, at: now });
  if (pin.instance !== head.instance || pin.public_key !== head.key) {
    const held = await latestHeld(trx, pin.instance);
    return {
      status: 'alarm',
      kind: 'witness.key_changed',
      message: `this token was first seen on ${pin.pinned_at} with instance ${pin.instance}${held ? ` (heads held up to entry ${held.head.seq})` : ''}; this head is signed by instance ${head.instance}: the partner's key was replaced`,
    };
  }
  if ((await otherKeyOf(trx, head.instance, head.key)) !== undefined) {
    return {
      status: 'alarm',
      kind: 'witness.key_changed',
      message: `heads of instance ${head.instance} are held with another key: the fingerprint collides`,
    };
  }
  const same = await heldAt(trx, head.instance, head.seq);
  if (same) {
    if (same.hash === head.hash) return { status: 'already_held' };
    return {
      status: 'alarm',
      kind: 'witness.head_conflict',
      message: `entry ${head.seq} of instance ${head.instance} is held with hash ${short(same.hash)}; this head says ${short(head.hash)}: the partner's chain was rewritten`,
    };
  }
  const latest = await latestHeld(trx, head.instance);
  if (latest && latest.head.seq > head.seq) {
    return {
      status: 'alarm',
      kind: 'witness.head_backwards',
      message: `entry ${latest.head.seq} of instance ${head.instance} is held (received ${latest.receivedAt}); this head is entry ${head.seq}: the chain went backwards (cut, or rebuilt)`,
    };
  }
  return { status: 'stored' };
}

/** The latest head held for a partner, with the alarms its token (or its instance) raised, and a page of the earlier heads. */
export interface HeldForPartner extends HeldHead {
  alarms: HeldAlarm[];
  /** Held heads below `before`, newest first (empty unless asked). */
  earlier: SignedHead[];
  /** Where the next page of earlier heads starts (pass as `before`); null when there are none. */
  nextBefore: number | null;
}

/** Earlier heads answered per page. */
export const EARLIER_PAGE = 500;

/** Alarms answered with a held head at most. */
const ALARMS_SHOWN = 100;

/**
 * The latest head held of `instance`, for the witness token `tokenId`, and with `before` a page of
 * the held heads below that sequence (a verifier walks them all: a chain rebuilt longer under the
 * same key can replace the latest head, never the earlier ones). A token reads only the
 * instance it is pinned to: nothing delivered yet is `record.not_found`; another instance is
 * `witness.key_changed` — asked by an instance whose key was replaced, that is the finding.
 */
export async function heldHeadFor(
  svc: Services,
  tokenId: string,
  instance: string,
  opts: { before?: number } = {},
): Promise<HeldForPartner> {
  const db = svc.store.db;
  const pin = await readPin(db, tokenId);
  if (!pin)
    throw new VigilError(
      'record.not_found',
      `no head of instance ${instance} is held for this token: it has delivered none`,
      { path: 'instance' },
    );
  if (pin.instance !== instance) {
    const held = await latestHeld(db, pin.instance);
    throw new VigilError(
      'witness.key_changed',
      `this token was first seen on ${pin.pinned_at} with instance ${pin.instance}${held ? `, whose heads are held up to entry ${held.head.seq}` : ''}; instance ${instance} is another key: the instance key was replaced`,
      { path: 'instance' },
    );
  }
  const latest = await latestHeld(db, instance);
  if (!latest)
    throw new VigilError('record.not_found', `no head of instance ${instance} is held`, { path: 'instance' });
  const alarms = await alarmsFor(db, tokenId, instance, ALARMS_SHOWN);
  if (opts.before === undefined) {
    const below = await heldBefore(db, instance, latest.head.seq, 1);
    return { ...latest, alarms, earlier: [], nextBefore: below.length > 0 ? latest.head.seq : null };
  }
  // One more than a page tells whether another page follows.
  const page = await heldBefore(db, instance, opts.before, EARLIER_PAGE + 1);
  const earlier = page.slice(0, EARLIER_PAGE);
  return {
    ...latest,
    alarms,
    earlier,
    nextBefore: page.length > EARLIER_PAGE ? (earlier.at(-1)?.seq ?? null) : null,
  };
}

/** Every partner token that delivered heads here: its name, pinned instance, latest head and alarm count (`vigil witness status`). */
export async function heldForPartners(svc: Services): ReturnType<typeof heldSummary> {
  return heldSummary(svc.store.db);
}
