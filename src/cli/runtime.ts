import os from 'node:os';
import path from 'node:path';
import { loadKeyring } from '../store/keyring.ts';
import { databaseConfigFromEnv, dataDirFromEnv } from '../store/config.ts';
import { openStore } from '../store/database.ts';
import { makeServices, type Actor, type Services } from '../services/context.ts';

/** Where the key file lives: VIGIL_KEY_FILE, or `vigil.key` in the data directory. */
export function keyFileFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.VIGIL_KEY_FILE ?? path.join(dataDirFromEnv(env), 'vigil.key'));
}

/** Where `vigil verify` keeps the audit chain's head between runs: VIGIL_CHECKPOINT_FILE, or `audit-checkpoint.json` in the data directory. */
export function checkpointFileFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.VIGIL_CHECKPOINT_FILE ?? path.join(dataDirFromEnv(env), 'audit-checkpoint.json'));
}

/** Opens the configured database and key, runs `fn`, and always closes the database. */
export async function withServices<T>(fn: (svc: Services) => Promise<T>): Promise<T> {
  const keyring = loadKeyring({ keyFile: keyFileFromEnv() });
  const store = await openStore(databaseConfigFromEnv());
  try {
    return await fn(makeServices(store, keyring));
  } finally {
    await store.close();
  }
}

/**
 * The operator at the console. They hold the key and the database file, so Vigil's rules
 * treat them as the record keeper; the audit log names them by their system user.
 */
export function consoleActor(): Actor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry: keep "unknown" */
  }
  return { id: `cli:${user}`, role: 'system' };
}
