import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { VigilError } from '../domain/errors.ts';

export const KEY_BYTES = 32;

/**
 * Where a sealed value belongs: the field (e.g. `person.name`) and the id of the record that holds
 * it. Both are bound as additional data, so a value pasted into another field or another record
 * fails to open instead of showing someone else's identity.
 */
export interface SealedAt {
  readonly field: string;
  readonly recordId: string;
}

interface DerivedKeys {
  readonly enc: Buffer;
  readonly index: Buffer;
  readonly fingerprint: string;
  readonly keyId: string;
}

function derive(master: Buffer): DerivedKeys {
  if (master.length !== KEY_BYTES) throw new VigilError('crypto.key_invalid', `the key must be ${KEY_BYTES} bytes`);
  const sub = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, KEY_BYTES));
  // The fingerprint hashes a value derived for that purpose alone: it says nothing about the key itself.
  const fingerprint = createHash('sha256').update(sub('vigil key fingerprint v1')).digest('hex');
  return {
    enc: sub('vigil identity encryption v1'),
    index: sub('vigil blind index v1'),
    fingerprint,
    keyId: fingerprint.slice(0, 16),
  };
}

/** The fingerprint of a master key (SHA-256 of a value derived from it), as the database records it. */
export function keyFingerprint(master: Buffer): string {
  return derive(master).fingerprint;
}

/** The parts of a sealed value: `v2.<key id>.<iv>.<ciphertext>.<tag>`, or the old `v1.<iv>.<ciphertext>.<tag>`. */
export type SealedParts =
  | { version: 'v2'; keyId: string; iv: Buffer; ct: Buffer; tag: Buffer }
  | { version: 'v1'; iv: Buffer; ct: Buffer; tag: Buffer };

/** Reads a sealed value's envelope without opening it; undefined when it is not one. */
export function parseSealed(sealed: string): SealedParts | undefined {
  const p = sealed.split('.');
  const b = (s: string) => Buffer.from(s, 'base64url');
  if (p.length === 5) {
    const [version, keyId, iv, ct, tag] = p as [string, string, string, string, string];
    if (version === 'v2' && /^[0-9a-f]{16}$/.test(keyId))
      return { version: 'v2', keyId, iv: b(iv), ct: b(ct), tag: b(tag) };
  }
  if (p.length === 4) {
    const [version, iv, ct, tag] = p as [string, string, string, string];
    if (version === 'v1') return { version: 'v1', iv: b(iv), ct: b(ct), tag: b(tag) };
  }
  return undefined;
}

/** The additional data of a v2 value: format, key id, field and record, unambiguous whatever they hold. */
function aadV2(keyId: string, at: SealedAt): Buffer {
  return Buffer.from(JSON.stringify(['vigil-sealed', 'v2', keyId, at.field, at.recordId]), 'utf8');
}

function decrypt(key: Buffer, iv: Buffer, ct: Buffer, tag: Buffer, aad: Buffer): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * The instance's secret: identity fields are sealed with AES-256-GCM and names get a keyed
 * blind index (HMAC-SHA256), each under its own key derived from the master key (HKDF).
 *
 * A sealed value (format v2) names the key that sealed it by its key id, and its additional data
 * binds it to that key, its field and its record. During a key rotation the keyring also holds the
 * old key (`alsoOpens`), so values are opened by key id whichever key sealed them; new values are
 * always sealed, and names indexed, under the current key.
 */
export class Keyring {
  private readonly current: DerivedKeys;
  private readonly byId = new Map<string, DerivedKeys>();

  constructor(master: Buffer, opts: { alsoOpens?: readonly Buffer[] } = {}) {
    this.current = derive(master);
    this.byId.set(this.current.keyId, this.current);
    for (const m of opts.alsoOpens ?? []) {
      const k = derive(m);
      this.byId.set(k.keyId, k);
    }
  }

  /** SHA-256 of a value derived from the current master key; never the key itself. */
  get fingerprint(): string {
    return this.current.fingerprint;
  }

  /** The short id every value sealed under the current key carries (the fingerprint's first 16 hex digits). */
  get keyId(): string {
    return this.current.keyId;
  }

  /** Seals a value for one field of one record, under the current key. */
  seal(plaintext: string, at: SealedAt): string {
    const k = this.current;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', k.enc, iv);
    cipher.setAAD(aadV2(k.keyId, at));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const enc = (x: Buffer) => x.toString('base64url');
    return `v2.${k.keyId}.${enc(iv)}.${enc(ct)}.${enc(cipher.getAuthTag())}`;
  }

  /**
   * Opens a value sealed for this field of this record. A value of another record or field, another
   * key, the old unbound format v1, or tampered text fails with `crypto.decrypt_failed`.
   */
  open(sealed: string, at: SealedAt): string {
    const p = parseSealed(sealed);
    if (!p) throw new VigilError('crypto.decrypt_failed', 'not a sealed value', { path: at.field });
    if (p.version === 'v1') {
      throw new VigilError(
        'crypto.decrypt_failed',
        'sealed in the old format v1, which is not bound to its record; it opens only while being upgraded',
        { path: at.field },
      );
    }
    const k = this.byId.get(p.keyId);
    if (!k)
      throw new VigilError(
        'crypto.decrypt_failed',
        `sealed under another key (key id ${p.keyId}), not this instance's`,
        { path: at.field },
      );
    const plain = decrypt(k.enc, p.iv, p.ct, p.tag, aadV2(p.keyId, at));
    if (plain === undefined)
      throw new VigilError(
        'crypto.decrypt_failed',
        'does not open for this record: it was sealed for another record or field, or altered',
        { path: at.field },
      );
    return plain;
  }

  /**
   * Opens a value of the old format v1 (bound to its field only), under the current key. Only the
   * upgrade to v2 calls this, which re-seals the value bound to the record that holds it.
   */
  openV1(sealed: string, field: string): string {
    const p = parseSealed(sealed);
    if (p?.version !== 'v1')
      throw new VigilError('crypto.decrypt_failed', 'not a sealed value of format v1', { path: field });
    const plain = decrypt(this.current.enc, p.iv, p.ct, p.tag, Buffer.from(field, 'utf8'));
    if (plain === undefined)
      throw new VigilError('crypto.decrypt_failed', "cannot be decrypted with this instance's key", { path: field });
    return plain;
  }

  /** Keyed hash of an already-normalised value, under the current key: equal inputs match without decrypting anything. */
  blindIndex(normalized: string): string {
    return createHmac('sha256', this.current.index).update(normalized, 'utf8').digest('base64url');
  }
}

/** A keyring that holds no key, for commands that never touch sealed data: any use is `key.missing`. */
class LockedKeyring extends Keyring {
  constructor() {
    super(randomBytes(KEY_BYTES));
  }

  private refuse(): never {
    throw new VigilError('key.missing', 'this command runs without the identity key');
  }

  override get fingerprint(): string {
    return this.refuse();
  }

  override get keyId(): string {
    return this.refuse();
  }

  override seal(): string {
    return this.refuse();
  }

  override open(): string {
    return this.refuse();
  }

  override openV1(): string {
    return this.refuse();
  }

  override blindIndex(): string {
    return this.refuse();
  }
}

/** A keyring for commands that need no key (backup, history): any use fails with `key.missing`. */
export function lockedKeyring(): Keyring {
  return new LockedKeyring();
}
