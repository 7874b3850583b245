/**
 * The instance key that signs the audit chain's heads (and bundles), opened for a database. The
 * database records the key's fingerprint when it first signs, and from then on refuses to be
 * written with another key or none: a new key made silently would sign heads that `vigil verify`
 * cannot tell from an insider's.
 */
import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { VigilError } from '../domain/errors.ts';
import {
  headSignerOf,
  loadSigningKey,
  signingKeyFile,
  type PublicKeyInfo,
  type SigningKey,
} from '../evidence/signing-key.ts';
import { runWrite } from '../store/audited-writer.ts';
import { SIGNING_KEY_PURPOSE } from '../store/audit-signature.ts';
import type { DatabaseConfig } from '../store/config.ts';
import { migrateStore, openStore, withSigner, type Store } from '../store/database.ts';
import { findKeyRecord, insertKeyRecord } from '../store/repositories/key-fingerprint.repository.ts';
import type { Database } from '../store/schema.ts';

const SIGNING_KEY = SIGNING_KEY_PURPOSE;

export type { SigningKey } from '../evidence/signing-key.ts';

/** Where the signing key lives: VIGIL_SIGNING_KEY_FILE, or `vigil-signing.key` beside the identity key file. */
export function signingKeyFileBeside(identityKeyFile: string, env: NodeJS.ProcessEnv = process.env): string {
  return signingKeyFile(identityKeyFile, env);
}

/** The instance's signing key from `file`, created on first need (mode 0600). */
export function instanceSigningKey(file: string): SigningKey {
  return loadSigningKey(file);
}

/** The public half of the signing key in `file` (created on first need): PEM, base64 and fingerprint. */
export function signingPublicKey(file: string): PublicKeyInfo {
  return loadSigningKey(file).publicKey;
}

/** The fingerprint the database recorded for its signing key; null before 0009 or before the first signature. */
async function recordedFingerprint(db: Kysely<Database>): Promise<string | null> {
  try {
    return (await findKeyRecord(db, SIGNING_KEY))?.fingerprint ?? null;
  } catch {
    return null; // no table yet: a new or old database
  }
}

/**
 * Loads the signing key from `file` for this database: `key.missing` when the database recorded a
 * key and the file is gone (a new one is made only for a database that never signed),
 * `key.mismatch` when the file holds another key.
 */
async function openSigningKey(db: Kysely<Database>, file: string): Promise<SigningKey> {
  const recorded = await recordedFingerprint(db);
  if (recorded && !fs.existsSync(file)) {
    throw new VigilError(
      'key.missing',
      `the signing key ${file} is missing; this database's audit heads are signed with key ${recorded}: put that key file back (from the key backup)`,
      { path: 'signingKeyFile' },
    );
  }
  const key = loadSigningKey(file);
  if (recorded && recorded !== key.publicKey.fingerprint) {
    throw new VigilError(
      'key.mismatch',
      `the signing key in ${file} (fingerprint ${key.publicKey.fingerprint}) is not the key this database's audit heads are signed with (fingerprint ${recorded})`,
      { path: 'signingKeyFile' },
    );
  }
  return key;
}

/**
 * Opens the configured database with its heads signed by the instance key: checks the key
 * against the database before any migration appends (and signs) entries, then records the
 * fingerprint on first use with an audit note.
 */
export async function openSignedStore(
  config: DatabaseConfig,
  signingKeyFile: string,
  clock: () => Date = () => new Date(),
): Promise<{ store: Store; key: SigningKey }> {
  const plain = await openStore(config, { migrate: false });
  try {
    const key = await openSigningKey(plain.db, signingKeyFile);
    const store = withSigner(plain, headSignerOf(key));
    await migrateStore(store);
    if (!(await recordedFingerprint(store.db))) await recordFingerprint(store, key, clock().toISOString());
    return { store, key };
  } catch (err) {
    await plain.close();
    throw err;
  }
}

async function recordFingerprint(store: Store, key: SigningKey, at: string): Promise<void> {
  const fingerprint = key.publicKey.fingerprint;
  await runWrite(store, { actor: 'system', at }, async (w) => {
    const now = await findKeyRecord(w.trx, SIGNING_KEY);
    if (now) {
      if (now.fingerprint !== fingerprint)
        throw new VigilError(
          'key.mismatch',
          `another signing key (fingerprint ${now.fingerprint}) was recorded meanwhile`,
          { path: 'signingKeyFile' },
        );
      return;
    }
    await insertKeyRecord(w.trx, { purpose: SIGNING_KEY, fingerprint, at });
    w.note('key.fingerprint_recorded', 'key', fingerprint);
  });
}
