/**
 * A partner Vigil instance as a witness: pushes go to its `POST /api/v1/witness/heads`, and
 * `vigil verify --witness URL` reads back what it holds from `GET /api/v1/witness/heads/INSTANCE`,
 * both with the witness token the partner made for this instance.
 */
import { z } from 'zod';
import { SignedHeadBody } from '../../domain/entities/signed-head.ts';
import type { SignedHead } from '../../store/audit-signature.ts';
import type { PartnerConfig } from './partner-config.ts';
import { WitnessRefusal, type Witness } from './witness.ts';

/** How long a push or a read may take before it counts as failed (ms). */
const PARTNER_TIMEOUT_MS = 10_000;

/** What a partner says when it refuses a request: its error code and message. */
async function refusalOf(res: Response): Promise<{ code: string; message: string }> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string')
      return { code: body.code, message: typeof body.message === 'string' ? body.message : '' };
  } catch {
    // not a Vigil error body
  }
  return { code: `http.${res.status}`, message: text.slice(0, 200).replace(/\s+/g, ' ').trim() };
}

/** A network failure as one line: the cause (ECONNREFUSED …) rather than fetch's "fetch failed". */
function networkError(err: unknown, url: string): Error {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return new Error(`${url}: no answer within the time limit`);
  const cause = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
  return new Error(`${url}: ${cause}`);
}

/** Pushes heads to a partner instance. */
export class PartnerWitness implements Witness {
  readonly id: string;
  private readonly partner: PartnerConfig;
  private readonly timeoutMs: number;

  constructor(partner: PartnerConfig, opts: { timeoutMs?: number } = {}) {
    this.partner = partner;
    this.id = `partner:${partner.url}`;
    this.timeoutMs = opts.timeoutMs ?? PARTNER_TIMEOUT_MS;
  }

  /**
   * Delivers the head. A partner's `witness.*` refusal (another key, another hash, going
   * backwards) is a {@link WitnessRefusal}: retrying the same head cannot help. Anything else
   * (unreachable, 5xx, a revoked token) throws a plain error and is retried later.
   */
  async deliver(head: SignedHead): Promise<void> {
    const url = `${this.partner.url}/api/v1/witness/heads`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.partner.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(head),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      throw networkError(err, url);
    }
    if (res.ok) {
      await res.body?.cancel();
      return;
    }
    const r = await refusalOf(res);
    if (r.code.startsWith('witness.')) throw new WitnessRefusal(r.code, r.message);
    throw new Error(`${url}: ${res.status} ${r.code}${r.message ? `: ${r.message}` : ''}`);
  }
}

/** What a partner answered about the heads it holds of an instance. */
export type PartnerAnswer =
  | {
      kind: 'held';
      head: SignedHead;
      receivedAt: string;
      /** Every earlier head it holds, newest first. */
      earlier: SignedHead[];
      alarms: Array<{ kind: string; head: SignedHead; receivedAt: string; message: string }>;
    }
  | { kind: 'none'; message: string }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'failed'; message: string };

type Page = {
  head: SignedHead;
  receivedAt: string;
  earlier: SignedHead[];
  nextBefore: number | null;
  alarms: Extract<PartnerAnswer, { kind: 'held' }>['alarms'];
};

/**
 * Asks a partner for what it holds of `instance`: the latest head, the alarms, and every earlier
 * head, page by page (never throws: the answer says what happened).
 */
export async function askPartner(
  partner: PartnerConfig,
  instance: string,
  opts: { timeoutMs?: number } = {},
): Promise<PartnerAnswer> {
  const first = await askPage(partner, instance, undefined, opts);
  if (!('head' in first)) return first;
  const earlier: SignedHead[] = [];
  let next = first.nextBefore;
  while (next !== null) {
    const page = await askPage(partner, instance, next, opts);
    if (!('head' in page)) return page.kind === 'none' ? { kind: 'failed', message: page.message } : page;
    earlier.push(...page.earlier);
    // Pages must go down, or a broken partner could keep this loop going.
    if (page.nextBefore !== null && page.nextBefore >= next)
      return { kind: 'failed', message: `${partner.url}: the pages of held heads do not go down` };
    next = page.nextBefore;
  }
  return { kind: 'held', head: first.head, receivedAt: first.receivedAt, earlier, alarms: first.alarms };
}

async function askPage(
  partner: PartnerConfig,
  instance: string,
  before: number | undefined,
  opts: { timeoutMs?: number },
): Promise<Page | Exclude<PartnerAnswer, { kind: 'held' }>> {
  const url = `${partner.url}/api/v1/witness/heads/${encodeURIComponent(instance)}${before === undefined ? '' : `?before=${before}`}`;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { authorization: `Bearer ${partner.token}` },
      signal: AbortSignal.timeout(opts.timeoutMs ?? PARTNER_TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (err) {
    return { kind: 'failed', message: networkError(err, url).message };
  }
  if (!res.ok) {
    const r = await refusalOf(res);
    if (res.status === 404 && r.code === 'record.not_found') return { kind: 'none', message: r.message };
    if (r.code.startsWith('witness.')) return { kind: 'refused', code: r.code, message: r.message };
    return { kind: 'failed', message: `${url}: ${res.status} ${r.code}${r.message ? `: ${r.message}` : ''}` };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return { kind: 'failed', message: `${url}: the answer is not JSON` };
  }
  const b = body as { head?: unknown; receivedAt?: unknown; alarms?: unknown; earlier?: unknown; nextBefore?: unknown };
  const head = SignedHeadBody.safeParse(b.head);
  const earlier = z.array(SignedHeadBody).safeParse(b.earlier ?? []);
  const nextBefore = b.nextBefore === null || b.nextBefore === undefined ? null : Number(b.nextBefore);
  if (
    !head.success ||
    !earlier.success ||
    typeof b.receivedAt !== 'string' ||
    (nextBefore !== null && !Number.isInteger(nextBefore))
  ) {
    return { kind: 'failed', message: `${url}: the answer is not a held head` };
  }
  const alarms = [];
  for (const a of Array.isArray(b.alarms) ? b.alarms : []) {
    const x = a as { kind?: unknown; head?: unknown; receivedAt?: unknown; message?: unknown };
    const h = SignedHeadBody.safeParse(x.head);
    if (h.success)
      alarms.push({
        kind: String(x.kind),
        head: h.data,
        receivedAt: String(x.receivedAt),
        message: String(x.message ?? ''),
      });
  }
  return { head: head.data, receivedAt: b.receivedAt, earlier: earlier.data, nextBefore, alarms };
}
