import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VigilError } from '../domain/errors.ts';
import { KEY_BYTES, keyFingerprint } from './keyring.ts';

/** Where the master key comes from: VIGIL_KEY, the key file, or nowhere yet. */
export type KeySource =
  | { kind: 'env'; master: Buffer }
  | { kind: 'file'; file: string; master: Buffer }
  | { kind: 'none'; file: string };

/** Parses a key given as 64 hex digits or base64 of 32 bytes. */
function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const buf = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length !== KEY_BYTES) {
    throw new VigilError('crypto.key_invalid', `${where} must hold a 32-byte key (64 hex characters or base64)`, {
      path: where,
    });
  }
  return buf;
}

/** Reads a key file, refusing one that other users can read. */
export function readKeyFile(file: string): Buffer {
  const mode = fs.statSync(file).mode & 0o077;
  if (mode !== 0) {
    throw new VigilError('crypto.key_invalid', `${file} is readable by other users; run: chmod 600 ${file}`, {
      path: 'keyFile',
    });
  }
  return parseKey(fs.readFileSync(file, 'utf8'), file);
}

/** The configured key: VIGIL_KEY wins over the key file; a missing file is `none` (nothing is created here). */
export function readKeySource(opts: { keyFile: string; env?: NodeJS.ProcessEnv }): KeySource {
  const env = opts.env ?? process.env;
  if (env.VIGIL_KEY) return { kind: 'env', master: parseKey(env.VIGIL_KEY, 'VIGIL_KEY') };
  if (!fs.existsSync(opts.keyFile)) return { kind: 'none', file: opts.keyFile };
  return { kind: 'file', file: opts.keyFile, master: readKeyFile(opts.keyFile) };
}

/**
 * Writes a key to a new file with mode 0600 and flushes it to disk. `wx` refuses to overwrite a
 * file that exists (another process's fresh key): losing a key loses every identity.
 */
export function writeNewKeyFile(file: string, master: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${master.toString('base64')}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a fresh random key in a new key file (mode 0600); an existing file is read instead. */
export function createKeyFile(file: string): Buffer {
  try {
    writeNewKeyFile(file, randomBytes(KEY_BYTES));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readKeyFile(file);
}

/** Where a rotation keeps the new key until it replaces the key file: `vigil.key.next`. */
export function nextKeyFile(keyFile: string): string {
  return `${keyFile}.next`;
}

/** Where a rotation keeps the old key until it is done: `vigil.key.retired-<fingerprint>` (first 16 hex digits). */
export function retiredKeyFile(keyFile: string, master: Buffer): string {
  return `${keyFile}.retired-${keyFingerprint(master).slice(0, 16)}`;
}
