/**
 * An RFC 3161 client: asks a time-stamping authority over HTTP (RFC 3161 §3.4,
 * `application/timestamp-query`) to time-stamp a SHA-256 digest, with a fresh nonce and
 * certReq=true, and accepts the answer only when it is granted, answers this request (imprint
 * and nonce), and verifies against the operator's trusted TSA certificate. Nothing is sent but
 * the digest: the TSA never sees a file or a record.
 */
import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readToken, SHA256_OID, verifyToken, type TrustedTsa } from './timestamp-token.ts';

/** A token as received: the DER of the TimeStampToken (a CMS ContentInfo) and what it says. */
export interface Timestamp {
  readonly token: Buffer;
  readonly genTime: Date;
  readonly serial: string;
  /** The signer certificate's subject. */
  readonly tsaName: string;
}

/** What time-stamps a digest: a TSA client, passed in so services never build one themselves. */
export interface Timestamper {
  /** Names the TSA in stored rows (its URL). */
  readonly tsa: string;
  stamp(digest: Buffer): Promise<Timestamp>;
}

/** Why a TSA gave no token: not reached (or timed out), an HTTP error, a refusal in the reply, or a reply that does not check. */
export type TsaFailure = 'unreachable' | 'http' | 'refused' | 'invalid';

/** A TSA that gave no usable token. An operational failure (retried later), not bad input. */
export class TsaError extends Error {
  constructor(
    readonly reason: TsaFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TsaError';
  }
}

const STATUS_TEXT = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification',
];

/** The DER of a TimeStampReq for a SHA-256 digest, with the nonce (positive, 64 bits). */
function timestampQuery(digest: Buffer, nonce: Buffer): Uint8Array<ArrayBuffer> {
  if (digest.length !== 32) throw new Error('a SHA-256 digest is 32 bytes');
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(digest) }),
    }),
    nonce: new asn1js.Integer({ valueHex: new Uint8Array(nonce) }),
    certReq: true,
  });
  return new Uint8Array(req.toSchema().toBER());
}

/** A TSA at an HTTP(S) address, checked against the operator's trusted certificate. */
export class TsaClient implements Timestamper {
  readonly tsa: string;
  private readonly trusted: TrustedTsa;
  private readonly timeoutMs: number;

  constructor(opts: { url: string; trusted: TrustedTsa; timeoutMs?: number }) {
    this.tsa = opts.url;
    this.trusted = opts.trusted;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** Requests a token for `digest` (32 bytes of SHA-256); throws TsaError when none comes. */
  async stamp(digest: Buffer): Promise<Timestamp> {
    const nonce = randomBytes(8);
    // A positive INTEGER needs no padding byte, so it reads back as sent.
    const high = (nonce[0] ?? 0) & 0x7f;
    nonce[0] = high === 0 ? 1 : high;
    let body: Buffer;
    try {
      const res = await fetch(this.tsa, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
        body: timestampQuery(digest, nonce),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      if (!res.ok) throw new TsaError('http', `the TSA at ${this.tsa} answered HTTP ${res.status}`);
      body = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      if (err instanceof TsaError) throw err;
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const why =
        e.name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
      throw new TsaError('unreachable', `the TSA at ${this.tsa} cannot be reached (${why})`);
    }
    return this.accept(body, digest, nonce);
  }

  private async accept(body: Buffer, digest: Buffer, nonce: Buffer): Promise<Timestamp> {
    let resp: pkijs.TimeStampResp;
    try {
      resp = pkijs.TimeStampResp.fromBER(new Uint8Array(body));
    } catch {
      throw new TsaError('invalid', `the TSA at ${this.tsa} did not answer with a time-stamp reply`);
    }
    const status = resp.status.status;
    if ((status !== 0 && status !== 1) || !resp.timeStampToken) {
      const text = resp.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
      throw new TsaError(
        'refused',
        `the TSA at ${this.tsa} refused the request: ${STATUS_TEXT[status] ?? `status ${status}`}${text ? ` (${text})` : ''}`,
      );
    }
    const token = Buffer.from(resp.timeStampToken.toSchema().toBER());
    let info;
    try {
      info = readToken(token);
    } catch (err) {
      throw new TsaError('invalid', `the TSA at ${this.tsa} sent ${(err as Error).message}`);
    }
    if (info.nonce !== nonce.toString('hex'))
      throw new TsaError('invalid', `the TSA at ${this.tsa} answered another request (its nonce differs)`);
    const check = await verifyToken(token, digest, this.trusted);
    if (!check.ok) throw new TsaError('invalid', `the token from ${this.tsa} does not check: ${check.message}`);
    return { token, genTime: info.genTime, serial: info.serial, tsaName: check.tsa };
  }
}
