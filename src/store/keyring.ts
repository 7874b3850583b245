import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VigilError } from '../domain/errors.ts';

const KEY_BYTES = 32;
const SEAL_VERSION = 'v1';

/**
 * The instance's secret: identity fields are sealed with AES-256-GCM and names get a keyed
 * blind index (HMAC-SHA256), each under its own key derived from the master key (HKDF).
 */
export class Keyring {
  private readonly encKey: Buffer;
  private readonly indexKey: Buffer;

  constructor(master: Buffer) {
    if (master.length !== KEY_BYTES) throw new VigilError('crypto.key_invalid', `the key must be ${KEY_BYTES} bytes`);
    this.encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'vigil identity encryption v1', KEY_BYTES));
    this.indexKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'vigil blind index v1', KEY_BYTES));
  }

  /**
   * Seals a value. `context` (e.g. `person.name`) is bound as additional data, so a
   * ciphertext copied into another field fails to open instead of showing wrong data.
   */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${SEAL_VERSION}.${iv.toString('base64url')}.${ct.toString('base64url')}.${tag.toString('base64url')}`;
  }

  /** Opens a sealed value; a wrong key, context or tampered text fails with `crypto.decrypt_failed`. */
  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== SEAL_VERSION) {
      throw new VigilError('crypto.decrypt_failed', `${context}: not a sealed value`, { path: context });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(parts[1]!, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(parts[3]!, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(parts[2]!, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new VigilError('crypto.decrypt_failed', `${context}: cannot be decrypted with this instance's key`, { path: context });
    }
  }

  /** Keyed hash of an already-normalised value: equal inputs match without decrypting anything. */
  blindIndex(normalized: string): string {
    return createHmac('sha256', this.indexKey).update(normalized, 'utf8').digest('base64url');
  }
}

function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const buf = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length !== KEY_BYTES) {
    throw new VigilError('crypto.key_invalid', `${where} must hold a 32-byte key (64 hex characters or base64)`, { path: where });
  }
  return buf;
}

/**
 * Loads the master key from VIGIL_KEY, or from the key file, creating the file (mode 0600)
 * with a fresh random key on first start. A key file readable by others is refused.
 */
export function loadKeyring(opts: { keyFile: string; env?: NodeJS.ProcessEnv }): Keyring {
  const env = opts.env ?? process.env;
  if (env.VIGIL_KEY) return new Keyring(parseKey(env.VIGIL_KEY, 'VIGIL_KEY'));
  const file = opts.keyFile;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // 'wx' refuses to overwrite a key another process created meanwhile: losing a key loses every identity.
    try {
      fs.writeFileSync(file, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const mode = fs.statSync(file).mode & 0o077;
  if (mode !== 0) {
    throw new VigilError('crypto.key_invalid', `${file} is readable by other users; run: chmod 600 ${file}`, { path: 'keyFile' });
  }
  return new Keyring(parseKey(fs.readFileSync(file, 'utf8'), file));
}
