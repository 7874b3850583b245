/**
 * RFC 3161 time-stamp tokens, read and checked offline. A token is a CMS SignedData whose
 * content is a TSTInfo: the TSA's statement that a digest (the message imprint) existed at
 * `genTime`. A token is self-verifying: with the TSA's certificate (or the CA that issued it) it
 * can be checked anywhere, years later, without the TSA, the database or a network.
 *
 * ASN.1, CMS and the certificate chain are pkijs's (WebCrypto underneath: Node's
 * globalThis.crypto). No database, no network: the offline bundle verifier imports this file.
 */
import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { VigilError } from '../domain/errors.ts';

/** id-sha256: the only imprint algorithm Vigil asks for and accepts. */
export const SHA256_OID = '2.16.840.1.101.3.4.2.1';
/** id-kp-timeStamping. */
const TIME_STAMPING_OID = '1.3.6.1.5.5.7.3.8';
const EXT_KEY_USAGE_OID = '2.5.29.37';
const CONTENT_TYPE_ATTR = '1.2.840.113549.1.9.3';

/** The certificates an operator trusts to sign tokens: the TSA's own certificate, or the CA that issued it, or both. */
export interface TrustedTsa {
  readonly certs: readonly pkijs.Certificate[];
  /** The subjects, for messages. */
  readonly subjects: readonly string[];
}

/** What a token says, read without checking it. */
export interface TokenInfo {
  readonly genTime: Date;
  /** The serial number the TSA gave the token (hex). */
  readonly serial: string;
  readonly policy: string;
  /** The digest the token covers, and its algorithm's OID. */
  readonly imprint: { readonly algorithm: string; readonly digest: Buffer };
  /** The nonce of the request it answered (hex), if any. */
  readonly nonce: string | null;
}

/** The outcome of checking a token against a digest and the trusted TSA. */
export type TokenCheck =
  | { readonly ok: true; readonly info: TokenInfo /** The signer certificate's subject. */; readonly tsa: string }
  | {
      readonly ok: false;
      readonly problem: 'malformed' | 'imprint' | 'signature' | 'untrusted' | 'usage';
      readonly message: string;
    };

const toBuffer = (b: ArrayBuffer | ArrayBufferView) =>
  ArrayBuffer.isView(b) ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : Buffer.from(b);

/** The subject of a pkijs certificate in OpenSSL's one-line form (`O=…, CN=…`). */
function subjectOf(cert: pkijs.Certificate): string {
  try {
    return new X509Certificate(toBuffer(cert.toSchema().toBER())).subject.split('\n').join(', ');
  } catch {
    return 'an unreadable certificate';
  }
}

/**
 * The certificates of a PEM text (one or more `BEGIN CERTIFICATE` blocks). Throws
 * `validation.invalid` (at `path`) when there is none or one does not parse.
 */
export function parseTrustedCerts(pem: string, path = 'tsaCert'): TrustedTsa {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'),
  );
  if (blocks.length === 0)
    throw new VigilError('validation.invalid', 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)', { path });
  const certs: pkijs.Certificate[] = [];
  for (const der of blocks) {
    try {
      new X509Certificate(der); // a clear refusal of a damaged block before pkijs reads it
      certs.push(pkijs.Certificate.fromBER(der));
    } catch {
      throw new VigilError('validation.invalid', 'holds a certificate that cannot be read', { path });
    }
  }
  return { certs, subjects: certs.map(subjectOf) };
}

interface Parsed {
  signed: pkijs.SignedData;
  /** The signed data's content (the TSTInfo's bytes), checked to be there. */
  content: NonNullable<pkijs.EncapsulatedContentInfo['eContent']>;
  tst: pkijs.TSTInfo;
  info: TokenInfo;
}

function parse(der: Uint8Array): Parsed {
  const ci = pkijs.ContentInfo.fromBER(new Uint8Array(der));
  if (ci.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('not a CMS SignedData');
  const signed = new pkijs.SignedData({ schema: ci.content });
  if (signed.encapContentInfo.eContentType !== pkijs.id_eContentType_TSTInfo)
    throw new Error('its content is not a TSTInfo');
  const content = signed.encapContentInfo.eContent;
  if (!content) throw new Error('its TSTInfo is empty');
  const tst = pkijs.TSTInfo.fromBER(content.getValue());
  const info: TokenInfo = {
    genTime: tst.genTime,
    serial: toBuffer(tst.serialNumber.valueBlock.valueHexView).toString('hex'),
    policy: tst.policy,
    imprint: {
      algorithm: tst.messageImprint.hashAlgorithm.algorithmId,
      digest: toBuffer(tst.messageImprint.hashedMessage.valueBlock.valueHexView),
    },
    nonce: tst.nonce ? toBuffer(tst.nonce.valueBlock.valueHexView).toString('hex') : null,
  };
  return { signed, content, tst, info };
}

/** What a token says (time, serial, imprint), without checking its signature; throws when it is not a token. */
export function readToken(der: Uint8Array): TokenInfo {
  try {
    return parse(der).info;
  } catch (err) {
    throw new Error(`not an RFC 3161 time-stamp token (${(err as Error).message})`);
  }
}

/** A certificate's identity for the cache below: its to-be-signed bytes as parsed (no re-encoding). */
const certKey = (c: pkijs.Certificate) => Buffer.from(c.tbsView).toString('base64');

/** Why a signer certificate is trusted, and for which times: the validity window of its path. */
interface Trust {
  readonly subject: string;
  readonly usageOk: boolean;
  readonly from: number;
  readonly until: number;
}

/**
 * Trust decisions per signer certificate, per set of trusted certificates. `vigil verify` checks
 * thousands of tokens from one TSA: the chain is validated once per signer, not once per token.
 */
const decided = new WeakMap<TrustedTsa, Map<string, Trust>>();

const windowOf = (path: readonly pkijs.Certificate[]) => ({
  from: Math.max(...path.map((c) => c.notBefore.value.getTime())),
  until: Math.min(...path.map((c) => c.notAfter.value.getTime())),
});

/** Whether `signer` is one of the trusted certificates or chains to one at `at`; null when not. */
async function trustOf(
  signer: pkijs.Certificate,
  bundled: readonly pkijs.Certificate[],
  trusted: TrustedTsa,
  at: Date,
): Promise<Trust | null> {
  let cache = decided.get(trusted);
  if (!cache) {
    cache = new Map();
    decided.set(trusted, cache);
  }
  const key = certKey(signer);
  const hit = cache.get(key);
  if (hit && hit.from <= at.getTime() && at.getTime() <= hit.until) return hit;
  let window: { from: number; until: number };
  if (trusted.certs.some((c) => certKey(c) === key)) {
    window = windowOf([signer]);
  } else {
    const chain = new pkijs.CertificateChainValidationEngine({
      trustedCerts: [...trusted.certs],
      certs: [...bundled, signer],
      checkDate: at,
    });
    const r = await chain.verify().catch(() => null);
    if (!r?.result) return null;
    window = windowOf(r.certificatePath?.length ? r.certificatePath : [signer]);
  }
  if (!(window.from <= at.getTime() && at.getTime() <= window.until)) return null;
  const trust: Trust = { subject: subjectOf(signer), usageOk: timeStampingOnly(signer), ...window };
  cache.set(key, trust);
  return trust;
}

/** RFC 3161 §2.3: the signer's certificate has exactly one extended key usage, timeStamping, and the extension is critical. */
function timeStampingOnly(cert: pkijs.Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === EXT_KEY_USAGE_OID);
  if (!ext?.critical) return false;
  const usage = ext.parsedValue instanceof pkijs.ExtKeyUsage ? ext.parsedValue : null;
  return usage !== null && usage.keyPurposes.length === 1 && usage.keyPurposes[0] === TIME_STAMPING_OID;
}

/**
 * Checks a token offline: it is a CMS SignedData over a TSTInfo; its signature verifies with its
 * signer's certificate; that certificate is one of the trusted ones or chains to one (valid at
 * genTime); it carries the timeStamping extended key usage (critical, alone); and its message
 * imprint is SHA-256 `digest`. Never throws for a bad token: the result says what is wrong.
 */
export async function verifyToken(der: Uint8Array, digest: Buffer, trusted: TrustedTsa): Promise<TokenCheck> {
  let p: Parsed;
  try {
    p = parse(der);
  } catch (err) {
    return { ok: false, problem: 'malformed', message: `not an RFC 3161 time-stamp token (${(err as Error).message})` };
  }
  const { signed, content, info } = p;
  const signerInfo = signed.signerInfos[0];
  if (!signerInfo || signed.signerInfos.length !== 1)
    return { ok: false, problem: 'malformed', message: 'the token does not have exactly one signer' };
  const contentType = signerInfo.signedAttrs?.attributes.find((a) => a.type === CONTENT_TYPE_ATTR)?.values[0];
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.getValue() !== pkijs.id_eContentType_TSTInfo) {
    return { ok: false, problem: 'malformed', message: "the token's signed content type is not TSTInfo" };
  }

  // pkijs checks a TSTInfo's imprint by hashing the original data itself; Vigil holds only the
  // digest (a 2 GB video is not read into memory), so the imprint is compared below and pkijs
  // checks the signature over the TSTInfo's bytes as plain content. The content type is bound by
  // the signed content-type attribute checked above, not by this wrapper.
  const plain = new pkijs.SignedData({
    version: signed.version,
    digestAlgorithms: signed.digestAlgorithms,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: pkijs.ContentInfo.DATA,
      eContent: content,
    }),
    // A token requested without certReq carries no certificate: the trusted ones may be its signer.
    certificates: [...(signed.certificates ?? []), ...trusted.certs],
    signerInfos: signed.signerInfos,
  });
  let signer: pkijs.Certificate;
  try {
    const r = await plain.verify({ signer: 0, checkChain: false, extendedMode: true });
    if (!r.signatureVerified || !r.signerCertificate)
      return {
        ok: false,
        problem: 'signature',
        message: "the token's signature does not verify: it was altered or forged",
      };
    signer = r.signerCertificate;
  } catch (err) {
    const m = err instanceof pkijs.SignedDataVerifyError ? err.message : (err as Error).message;
    return { ok: false, problem: 'signature', message: `the token's signature does not verify (${m})` };
  }

  const bundled = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const trust = await trustOf(signer, bundled, trusted, info.genTime);
  if (!trust) {
    const subject = subjectOf(signer);
    const t = info.genTime.getTime();
    if (
      trusted.certs.some((c) => certKey(c) === certKey(signer)) ||
      !(signer.notBefore.value.getTime() <= t && t <= signer.notAfter.value.getTime())
    ) {
      return {
        ok: false,
        problem: 'untrusted',
        message: `the TSA certificate (${subject}) was not valid at the token's time ${info.genTime.toISOString()}`,
      };
    }
    return {
      ok: false,
      problem: 'untrusted',
      message: `the token was signed by another TSA (${subject}), not by the trusted ${trusted.subjects.join(' / ')}`,
    };
  }
  const subject = trust.subject;
  if (!trust.usageOk) {
    return {
      ok: false,
      problem: 'usage',
      message: `the signer's certificate (${subject}) is not a time-stamping certificate (no critical extendedKeyUsage of timeStamping alone)`,
    };
  }
  if (info.imprint.algorithm !== SHA256_OID || !info.imprint.digest.equals(digest)) {
    return {
      ok: false,
      problem: 'imprint',
      message: `the token covers ${info.imprint.algorithm === SHA256_OID ? `the SHA-256 ${info.imprint.digest.toString('hex')}` : `a digest of algorithm ${info.imprint.algorithm}`}, not ${digest.toString('hex')}`,
    };
  }
  return { ok: true, info, tsa: subject };
}
