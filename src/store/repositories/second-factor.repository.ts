/**
 * Second factors: a user's TOTP enrolment (`user_second_factor`), their recovery codes
 * (`recovery_code`, hashes only) and the roles that must have one (`second_factor_policy`). Not
 * records: the services write audit notes for every change.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A user's enrolment, pending or confirmed. */
export interface Enrolment {
  userId: string;
  /** The base32 secret, sealed with the instance keyring. */
  totpSecret: string;
  startedAt: string;
  confirmedAt: string | null;
  lastStep: number | null;
}

/** The user's enrolment, or undefined. */
export async function findEnrolment(db: Db, userId: string): Promise<Enrolment | undefined> {
  const r = await db.selectFrom('user_second_factor').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return (
    r && {
      userId: r.user_id,
      totpSecret: r.totp_secret,
      startedAt: r.started_at,
      confirmedAt: r.confirmed_at,
      lastStep: r.last_step,
    }
  );
}

/** Starts an enrolment, or restarts the user's pending one, with a new sealed secret. */
export async function startEnrolment(
  db: Db,
  userId: string,
  sealedSecret: string,
  at: string,
  restart: boolean,
): Promise<void> {
  if (restart) {
    await db
      .updateTable('user_second_factor')
      .set({ totp_secret: sealedSecret, started_at: at, last_step: null })
      .where('user_id', '=', userId)
      .execute();
  } else {
    await db
      .insertInto('user_second_factor')
      .values({ user_id: userId, totp_secret: sealedSecret, started_at: at, confirmed_at: null, last_step: null })
      .execute();
  }
}

/** Marks the user's enrolment confirmed at `at`. */
export async function confirmEnrolment(db: Db, userId: string, at: string): Promise<void> {
  await db.updateTable('user_second_factor').set({ confirmed_at: at }).where('user_id', '=', userId).execute();
}

/**
 * Records TOTP time step `step` as used, unless it (or a later one) already was; resolves to
 * whether it was taken. The condition makes the check and the record one statement.
 */
export async function takeTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('user_second_factor')
    .set({ last_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Uses up the user's unused recovery code with hash `codeHash` at `at`; resolves to whether there was one. */
export async function spendRecoveryCode(db: Db, userId: string, codeHash: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('recovery_code')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Replaces the user's recovery codes with new ones (their ids and hashes). */
export async function replaceRecoveryCodes(
  db: Db,
  userId: string,
  codes: readonly { id: string; codeHash: string }[],
  at: string,
): Promise<void> {
  await db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_code')
    .values(codes.map((c) => ({ id: c.id, user_id: userId, code_hash: c.codeHash, created_at: at, used_at: null })))
    .execute();
}

/** How many of the user's recovery codes are unused. */
export async function countUnusedRecoveryCodes(db: Db, userId: string): Promise<number> {
  const r = await db
    .selectFrom('recovery_code')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Deletes the user's enrolment and recovery codes; resolves to whether there was any. */
export async function deleteSecondFactor(db: Db, userId: string): Promise<boolean> {
  const gone = await db.deleteFrom('user_second_factor').where('user_id', '=', userId).executeTakeFirst();
  const codes = await db.deleteFrom('recovery_code').where('user_id', '=', userId).executeTakeFirst();
  return Number(gone.numDeletedRows) > 0 || Number(codes.numDeletedRows) > 0;
}

/** Whether users of `role` must have a second factor. */
export async function roleRequiresSecondFactor(db: Db, role: string): Promise<boolean> {
  const r = await db.selectFrom('second_factor_policy').select('role').where('role', '=', role).executeTakeFirst();
  return r !== undefined;
}

/** The roles that must have a second factor, in role-name order. */
export async function listRequiredRoles(db: Db): Promise<string[]> {
  return (await db.selectFrom('second_factor_policy').select('role').orderBy('role').execute()).map((r) => r.role);
}

/** From `at`, users of `role` must have a second factor. */
export async function requireSecondFactorFor(db: Db, role: string, at: string): Promise<void> {
  await db.insertInto('second_factor_policy').values({ role, required_since: at }).execute();
}

/** Users of `role` no longer need a second factor. */
export async function waiveSecondFactorFor(db: Db, role: string): Promise<void> {
  await db.deleteFrom('second_factor_policy').where('role', '=', role).execute();
}
