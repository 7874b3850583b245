/**
 * `vigil verify --witness URL|FILE`: the chain against the heads a witness holds. For each held
 * head, the head must be signed by this instance's key, the chain must reach its entry, and that
 * entry must have its hash. A database rebuilt from scratch and signed with a new key, with the
 * local checkpoint rewritten to match, passes every local check; it fails here, because the
 * witness kept the old heads.
 */
import fs from 'node:fs/promises';
import { VigilError } from '../../domain/errors.ts';
import { headSignatureValid, keyFingerprintOf, type SignedHead } from '../../store/audit-signature.ts';
import type { Store } from '../../store/database.ts';
import { auditEntryHashes, auditHeadSeq } from '../../store/repositories/audit-head.repository.ts';
import { FileWitness, readWitnessFile } from './file-witness.ts';
import { partnerBaseUrl, partnersFromEnv } from './partner-config.ts';
import { askPartner } from './partner-witness.ts';

/** What comparing the chain with one witness found. */
export type WitnessCheck = { witness: string; notes: string[] } & (
  | { status: 'ok'; heads: number; lastSeq: number }
  | { status: 'broken'; seq?: number; message: string }
  /** The witness holds nothing of this instance yet: nothing to compare. */
  | { status: 'empty'; message: string }
  /** The witness could not be read or asked: nothing was compared. */
  | { status: 'unchecked'; message: string }
);

const short = (hash: string) => `${hash.slice(0, 16)}…`;
const CHUNK = 500;

/**
 * Checks heads a witness holds against the chain in `store`, with the instance's trusted public
 * key (raw base64). Reports the held head with the lowest sequence that fails.
 */
export async function checkHeldHeads(
  store: Store,
  publicKey: string,
  witness: string,
  heads: readonly SignedHead[],
): Promise<WitnessCheck> {
  const notes: string[] = [];
  const sorted = [...heads].sort((a, b) => a.seq - b.seq);
  const latest = sorted.at(-1);
  if (!latest)
    return { witness, notes, status: 'empty', message: 'it holds no head of this instance yet; nothing to compare' };
  const fingerprint = keyFingerprintOf(publicKey);
  const length = await auditHeadSeq(store.db);
  const hashes = await entryHashes(store, [...new Set(sorted.filter((h) => h.seq <= length).map((h) => h.seq))]);
  for (const h of sorted) {
    const broken = (message: string): WitnessCheck => ({ witness, notes, status: 'broken', seq: h.seq, message });
    if (h.key !== publicKey || h.instance !== fingerprint) {
      return broken(
        `the witness holds the head of entry ${h.seq} (${h.at}) signed by key ${h.instance}, not by this instance's key ${fingerprint}: the chain was signed anew with another key`,
      );
    }
    if (!headSignatureValid(h, h.signature, publicKey)) {
      return broken(
        `the head of entry ${h.seq} the witness holds does not check with this instance's key ${fingerprint}: it was altered`,
      );
    }
    if (h.seq > length) {
      return broken(
        `the witness saw the chain reach entry ${h.seq} (${h.at}); it now ends at entry ${length}: entries were cut from its end, or it was rebuilt`,
      );
    }
    const hash = hashes.get(h.seq);
    if (hash !== h.hash) {
      return broken(
        `entry ${h.seq} has hash ${hash ? short(hash) : '(none)'}; the witness holds a head signed at ${h.at} saying ${short(h.hash)}: the chain was rewritten`,
      );
    }
  }
  return { witness, notes, status: 'ok', heads: sorted.length, lastSeq: latest.seq };
}

async function entryHashes(store: Store, seqs: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let i = 0; i < seqs.length; i += CHUNK) {
    for (const [seq, hash] of await auditEntryHashes(store.db, seqs.slice(i, i + CHUNK))) out.set(seq, hash);
  }
  return out;
}

/** Whether a `--witness` argument names a partner (an http or https URL) rather than a witness file. */
function isPartnerTarget(target: string): boolean {
  return /^https?:\/\//i.test(target.trim());
}

/**
 * Checks the chain against one witness: a partner instance by URL (asked with the token
 * VIGIL_WITNESS_PARTNERS gives for it) or a witness file by path. A URL without a configured
 * token is `config.invalid`.
 */
export async function checkWitness(
  store: Store,
  publicKey: string,
  target: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<WitnessCheck> {
  return isPartnerTarget(target) ? checkPartner(store, publicKey, target, env) : checkFile(store, publicKey, target);
}

async function checkPartner(
  store: Store,
  publicKey: string,
  target: string,
  env: NodeJS.ProcessEnv,
): Promise<WitnessCheck> {
  const url = partnerBaseUrl(target, 'witness');
  const partner = partnersFromEnv(env).find((p) => p.url === url);
  if (!partner) {
    throw new VigilError(
      'config.invalid',
      `no witness token for ${url}: add ${url}|TOKEN to VIGIL_WITNESS_PARTNERS (docs/witnesses.md)`,
      { path: 'witness' },
    );
  }
  const witness = `partner:${url}`;
  const fingerprint = keyFingerprintOf(publicKey);
  const answer = await askPartner(partner, fingerprint);
  switch (answer.kind) {
    case 'failed':
      return { witness, notes: [], status: 'unchecked', message: `could not ask it: ${answer.message}` };
    case 'none':
      return {
        witness,
        notes: [],
        status: 'empty',
        message: 'it holds no head of this instance yet; nothing to compare',
      };
    case 'refused':
      // A token pinned to another instance: the partner knew this instance by another key.
      return {
        witness,
        notes: [],
        status: 'broken',
        message: `it refuses this instance's key ${fingerprint} (${answer.code}): ${answer.message}`,
      };
    case 'held': {
      const ours = answer.alarms.filter((a) => a.head.instance === fingerprint);
      const foreign = answer.alarms.filter((a) => a.head.instance !== fingerprint);
      const check = await checkHeldHeads(store, publicKey, witness, [
        answer.head,
        ...answer.earlier,
        ...ours.map((a) => a.head),
      ]);
      const [f] = foreign;
      if (f) {
        check.notes.push(
          `it refused ${foreign.length} head(s) offered with this instance's token but signed by other keys (latest: key ${f.head.instance}, entry ${f.head.seq}, ${f.receivedAt}): someone else holds the token`,
        );
      }
      return check;
    }
  }
}

async function checkFile(store: Store, publicKey: string, target: string): Promise<WitnessCheck> {
  const witness = new FileWitness(target).id;
  let content;
  try {
    await fs.access(target);
    content = await readWitnessFile(target);
  } catch (err) {
    return { witness, notes: [], status: 'unchecked', message: `cannot read it: ${(err as Error).message}` };
  }
  const check = await checkHeldHeads(
    store,
    publicKey,
    witness,
    content.heads.map((h) => h.head),
  );
  if (content.badLines.length > 0) {
    const first = content.badLines.slice(0, 5).join(', ');
    check.notes.push(
      `${content.badLines.length} line(s) are not signed heads (line ${first}${content.badLines.length > 5 ? ', …' : ''}): a torn write, or an edit; skipped`,
    );
  }
  return check;
}
