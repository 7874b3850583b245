/**
 * What the database knows of its keys (`key_fingerprint`): the fingerprint of the identity key
 * and of the signing key, and the state of an identity-key rotation. Not records: the services
 * write an audit note for every change.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, KeyFingerprintTable } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A key's record, as stored. */
export type KeyRecord = Selectable<KeyFingerprintTable>;

/** The record of the key with this purpose, or undefined. */
export async function findKeyRecord(db: Db, purpose: string): Promise<KeyRecord | undefined> {
  return db.selectFrom('key_fingerprint').selectAll().where('purpose', '=', purpose).executeTakeFirst();
}

/** Records the fingerprint of the key with this purpose; with `keepExisting`, a record already there stays as it is. */
export async function insertKeyRecord(
  db: Db,
  k: { purpose: string; fingerprint: string; at: string },
  opts: { keepExisting?: boolean } = {},
): Promise<void> {
  const q = db.insertInto('key_fingerprint').values({
    purpose: k.purpose,
    fingerprint: k.fingerprint,
    recorded_at: k.at,
    next_fingerprint: null,
    rotation_started_at: null,
    rotation_cursor: null,
  });
  await (opts.keepExisting ? q.onConflict((oc) => oc.column('purpose').doNothing()) : q).execute();
}

/** Marks a rotation of the key with this purpose to `nextFingerprint` as begun at `at`. */
export async function beginKeyRotation(db: Db, purpose: string, nextFingerprint: string, at: string): Promise<void> {
  await db
    .updateTable('key_fingerprint')
    .set({ next_fingerprint: nextFingerprint, rotation_started_at: at, rotation_cursor: null })
    .where('purpose', '=', purpose)
    .execute();
}

/** Records how far the rotation has come. */
export async function moveRotationCursor(db: Db, purpose: string, cursor: string): Promise<void> {
  await db.updateTable('key_fingerprint').set({ rotation_cursor: cursor }).where('purpose', '=', purpose).execute();
}

/** Ends the rotation: the new key's fingerprint is the recorded one from `at`. */
export async function finishKeyRotation(db: Db, purpose: string, fingerprint: string, at: string): Promise<void> {
  await db
    .updateTable('key_fingerprint')
    .set({
      fingerprint,
      recorded_at: at,
      next_fingerprint: null,
      rotation_started_at: null,
      rotation_cursor: null,
    })
    .where('purpose', '=', purpose)
    .execute();
}
