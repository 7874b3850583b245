import { VigilError } from '../domain/errors.ts';
import { runWrite } from '../store/audited-writer.ts';
import type { Store } from '../store/database.ts';
import { createKeyFile, readKeySource } from '../store/key-files.ts';
import { Keyring, parseSealed } from '../store/keyring.ts';
import { findKeyRecord, insertKeyRecord, type KeyRecord } from '../store/repositories/key-fingerprint.repository.ts';
import type { Actor } from './context.ts';
import { firstSealedValue, holdsSealedData } from './sealed-records.ts';

/** The purpose of the identity key's row in `key_fingerprint`. */
export const IDENTITY_KEY = 'identity';

/** Where the key comes from and who acts when its fingerprint is first recorded. */
export interface KeyConfig {
  keyFile: string;
  env?: NodeJS.ProcessEnv;
  clock?: () => Date;
  actor?: Actor;
}

/** The database's record of its identity key, if it has one yet. */
export function readKeyRecord(db: Store['db']): Promise<KeyRecord | undefined> {
  return findKeyRecord(db, IDENTITY_KEY);
}

const short = (fingerprint: string) => fingerprint.slice(0, 16);

/**
 * Opens the identity key for this database, or refuses before anything is read or written:
 * `key.missing` when no key is configured but the database holds sealed data (a new key would
 * open nothing), `key.mismatch` when the key's fingerprint is not the one the database recorded
 * (or, before one is recorded, the key does not open the sealed data there), and
 * `key.rotation_unfinished` while `vigil key rotate` has not finished. A key file is created only
 * for a database without sealed data, and the fingerprint is recorded on first use (an audited note).
 */
export async function openIdentityKey(store: Store, config: KeyConfig): Promise<Keyring> {
  const record = await readKeyRecord(store.db);
  if (record?.next_fingerprint) {
    throw new VigilError(
      'key.rotation_unfinished',
      `a rotation to key ${short(record.next_fingerprint)} is under way; finish it: vigil key rotate`,
    );
  }
  const source = readKeySource(config);
  if (source.kind === 'none') {
    if (record || (await holdsSealedData(store.db))) {
      const which = record ? ` (key fingerprint ${short(record.fingerprint)})` : '';
      throw new VigilError(
        'key.missing',
        `no identity key: ${source.file} does not exist and VIGIL_KEY is not set, but this database holds sealed values${which}; restore the key it was sealed with`,
      );
    }
  }
  const keyring = new Keyring(source.kind === 'none' ? createKeyFile(source.file) : source.master);
  const where = source.kind === 'env' ? 'VIGIL_KEY' : source.file;
  if (record) {
    if (record.fingerprint !== keyring.fingerprint) throw mismatch(where, keyring, record.fingerprint);
    return keyring;
  }
  await checkOpensSealedData(store.db, keyring, where);
  await recordFingerprint(store, keyring, config);
  return keyring;
}

function mismatch(where: string, keyring: Keyring, expected: string): VigilError {
  return new VigilError(
    'key.mismatch',
    `the identity key in ${where} (fingerprint ${short(keyring.fingerprint)}) is not the key this database was sealed with (fingerprint ${short(expected)})`,
  );
}

/** Before a fingerprint is recorded (a database from before 0009): the key must open the sealed data already there. */
async function checkOpensSealedData(db: Store['db'], keyring: Keyring, where: string): Promise<void> {
  const sample = await firstSealedValue(db);
  if (!sample) return;
  const fail = () =>
    new VigilError(
      'key.mismatch',
      `the identity key in ${where} (fingerprint ${short(keyring.fingerprint)}) does not open the values sealed in this database`,
    );
  const parts = parseSealed(sample.sealed);
  try {
    if (parts?.version === 'v1') keyring.openV1(sample.sealed, sample.v1Field);
    else keyring.open(sample.sealed, { field: sample.field, recordId: sample.recordId });
  } catch {
    throw fail();
  }
}

/** Writes the key's fingerprint with an audit note; a concurrent first start with another key loses with `key.mismatch`. */
async function recordFingerprint(store: Store, keyring: Keyring, config: KeyConfig): Promise<void> {
  const at = (config.clock ?? (() => new Date()))().toISOString();
  const actor = config.actor?.id ?? 'system';
  await runWrite(store, { actor, at, reason: 'identity key first used with this database' }, async (w) => {
    await insertKeyRecord(
      w.trx,
      { purpose: IDENTITY_KEY, fingerprint: keyring.fingerprint, at },
      { keepExisting: true },
    );
    const now = await findKeyRecord(w.trx, IDENTITY_KEY);
    if (!now) throw new Error('the identity key record was not written');
    if (now.fingerprint !== keyring.fingerprint) throw mismatch('the configured key', keyring, now.fingerprint);
    w.note('key.fingerprint_recorded', 'key', short(keyring.fingerprint));
  });
}
