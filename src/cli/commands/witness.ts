import { VigilError } from '../../domain/errors.ts';
import type { Services } from '../../services/context.ts';
import type { WitnessCheck } from '../../services/verify.service.ts';
import {
  currentSignedHead,
  pushToWitnesses,
  witnessStates,
  type PushOutcome,
} from '../../services/witness/witness-queue.service.ts';
import { configuredWitnesses, type Witness } from '../../services/witness/witness.service.ts';
import { heldForPartners } from '../../services/witness/held-heads.service.ts';

const NONE_CONFIGURED = 'no witnesses configured: set VIGIL_WITNESS_FILE or VIGIL_WITNESS_PARTNERS (docs/witnesses.md)';

/** One line for a push's outcome. */
export function describeOutcome(o: PushOutcome): string {
  const entry = o.seq === undefined ? '' : ` entry ${o.seq}`;
  switch (o.result) {
    case 'delivered':
      return `${o.witness}: delivered${entry}`;
    case 'up_to_date':
      return `${o.witness}: holds${entry} already`;
    case 'no_head':
      return `${o.witness}: nothing to push: no head is signed yet`;
    case 'waiting':
      return `${o.witness}: waiting to retry${entry} at ${o.nextAttemptAt}${o.error ? ` (last error: ${o.error})` : ''}`;
    case 'refused':
      return `${o.witness}: REFUSED${entry}: ${o.error}`;
    case 'failed':
      return `${o.witness}: FAILED${entry}: ${o.error}; kept in the queue, next try at ${o.nextAttemptAt}`;
  }
}

/**
 * `vigil witness push`: the current signed head to every configured witness now, backoff or not,
 * one line as each push ends. Resolves to whether every witness holds the head.
 */
export async function witnessPushCommand(
  svc: Services,
  out: (line: string) => void,
  witnesses: readonly Witness[] = configuredWitnesses(process.env, { store: svc.store }),
): Promise<boolean> {
  if (witnesses.length === 0) throw new VigilError('config.invalid', NONE_CONFIGURED, { path: 'VIGIL_WITNESS_FILE' });
  out(`pushing to ${witnesses.length} witness${witnesses.length === 1 ? '' : 'es'}…`);
  const outcomes = await pushToWitnesses(svc.store, witnesses, {
    now: svc.clock,
    force: true,
    onOutcome: (o) => out(describeOutcome(o)),
  });
  return outcomes.every((o) => o.result === 'delivered' || o.result === 'up_to_date');
}

/**
 * `vigil witness status`: the current head, then each configured witness (last head delivered and
 * when, what is pending, attempts, last error), then the heads held here for partners.
 */
export async function witnessStatusCommand(
  svc: Services,
  witnesses: readonly Witness[] = configuredWitnesses(process.env, { store: svc.store }),
): Promise<string[]> {
  const lines: string[] = [];
  const head = await currentSignedHead(svc.store);
  lines.push(
    head
      ? `head: entry ${head.seq}, hash ${head.hash.slice(0, 16)}…, signed by key ${head.instance} at ${head.at}`
      : 'head: nothing signed yet',
  );
  if (witnesses.length === 0) lines.push(NONE_CONFIGURED);
  for (const s of await witnessStates(svc.store, witnesses)) {
    const delivered = s.delivered ? `delivered entry ${s.delivered.seq} at ${s.delivered.at}` : 'delivered nothing yet';
    let pending = 'pending: none';
    if (s.pending) {
      const p = s.pending;
      pending = p.refused
        ? `pending: entry ${p.seq} REFUSED after ${p.attempts} attempt(s): ${p.lastError}`
        : `pending: entry ${p.seq}, ${p.attempts} attempt(s), next ${p.nextAttemptAt ?? 'at the next push'}${p.lastError ? `, last error: ${p.lastError}` : ''}`;
    }
    lines.push(`${s.witness}\t${delivered}\t${pending}`);
  }
  for (const h of await heldForPartners(svc)) {
    const latest = h.latest ? `entry ${h.latest.head.seq} received ${h.latest.receivedAt}` : 'no head';
    lines.push(
      `held for partner "${h.tokenName}" (token ${h.prefix}…${h.revoked ? ', revoked' : ''}): instance ${h.pin.instance}, ${latest}${h.alarms > 0 ? `, ${h.alarms} ALARM(S): heads that contradict what is held` : ''}`,
    );
  }
  return lines;
}

/** The lines of witness checks: breaks (first, like every BROKEN line), then the rest. */
export function describeWitnessChecks(checks: readonly WitnessCheck[]): {
  broken: string[];
  other: string[];
  unchecked: boolean;
} {
  const broken: string[] = [];
  const other: string[] = [];
  for (const c of checks) {
    if (c.status === 'broken')
      broken.push(`BROKEN at ${c.seq !== undefined ? `entry ${c.seq}, ` : ''}witness ${c.witness}: ${c.message}`);
    else if (c.status === 'ok')
      other.push(`witness ${c.witness}: ok, ${c.heads} head(s) up to entry ${c.lastSeq} match the chain`);
    else if (c.status === 'empty') other.push(`witness ${c.witness}: ${c.message}`);
    else other.push(`UNCHECKED witness ${c.witness}: ${c.message}`);
    for (const n of c.notes) other.push(`witness ${c.witness}: ${n}`);
  }
  return { broken, other, unchecked: checks.some((c) => c.status === 'unchecked') };
}
