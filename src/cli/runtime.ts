import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VigilError } from '../domain/errors.ts';
import { openSignedStore, signingKeyFileBeside } from '../services/signing-key.service.ts';
import { makeServices, type Actor, type Services } from '../services/context.ts';
import { openIdentityKey } from '../services/identity-key.service.ts';
import { upgradeSealedValues } from '../services/seal-upgrade.service.ts';
import {
  databaseConfigFromEnv,
  dataDirFromEnv,
  lockedKeyring,
  type DatabaseConfig,
} from '../services/instance.service.ts';
import { timestamperFromEnv } from '../services/evidence-timestamp.service.ts';
import { startProgress } from './progress.ts';

/** Where the key file lives: VIGIL_KEY_FILE, or `vigil.key` in the data directory. */
export function keyFileFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.VIGIL_KEY_FILE ?? path.join(dataDirFromEnv(env), 'vigil.key'));
}

/** Where the instance's signing key lives: VIGIL_SIGNING_KEY_FILE, or `vigil-signing.key` beside the identity key file. */
export function signingKeyFileFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return signingKeyFileBeside(keyFileFromEnv(env), env);
}

/**
 * Refuses to go on without the data directory: a command run from the wrong place would otherwise
 * make an empty database and a new key there, and report on that (`ok: 0 entries`). Only the
 * commands that set an instance up (`serve`, `demo`, `import`, `user add`; `restore` checks on its
 * own) may create it.
 */
export function requireDataDir(env: NodeJS.ProcessEnv = process.env): void {
  const dir = dataDirFromEnv(env);
  if (fs.existsSync(dir)) return;
  throw new VigilError(
    'config.invalid',
    `no Vigil data directory at ${dir}: set VIGIL_DATA_DIR to the instance's data directory, or run this where its data/ is (vigil serve, demo, import and user add create one)`,
    { path: 'VIGIL_DATA_DIR' },
  );
}

/**
 * Opens the configured database with its audit heads signed by the instance key (refusing a missing
 * or different key). Without `create`, a missing data directory is refused (see requireDataDir).
 */
export async function openInstanceStore(
  config: DatabaseConfig = databaseConfigFromEnv(),
  opts: { create?: boolean } = {},
): Promise<Services['store']> {
  if (!opts.create) requireDataDir();
  return (await openSignedStore(config, signingKeyFileFromEnv())).store;
}

/** Where `vigil verify` keeps the audit chain's head between runs: VIGIL_CHECKPOINT_FILE, or `audit-checkpoint.json` in the data directory. */
export function checkpointFileFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.VIGIL_CHECKPOINT_FILE ?? path.join(dataDirFromEnv(env), 'audit-checkpoint.json'));
}

/**
 * Opens the identity key for an open database (refusing a missing or different key, see
 * openIdentityKey) and, unless told not to, upgrades values sealed in the old format v1 to v2,
 * with a progress bar. Used by every command that reads or writes sealed data, and by `vigil serve`.
 */
export async function servicesWithKey(store: Services['store'], opts: { upgrade?: boolean } = {}): Promise<Services> {
  const keyring = await openIdentityKey(store, { keyFile: keyFileFromEnv(), actor: consoleActor() });
  // With VIGIL_TSA_URL, evidence filed from here gets its RFC 3161 token (docs/timestamps.md).
  const svc = makeServices(store, keyring, { timestamper: await timestamperFromEnv() });
  if (opts.upgrade !== false) {
    let bar: ReturnType<typeof startProgress> | undefined;
    const r = await upgradeSealedValues(svc, consoleActor(), {
      onProgress: (done, total) => {
        bar ??= startProgress('sealing values as v2', total, { unit: 'records' });
        bar.update(done);
      },
    });
    bar?.stop();
    for (const c of r.copiesRemoved)
      process.stderr.write(
        `person ${c.recordId}: ${c.field}: a copy of person ${c.originalId}'s sealed value, removed\n`,
      );
    for (const u of r.unreadable)
      process.stderr.write(
        `${u.field.split('.')[0]} ${u.recordId}: ${u.field}: does not open for this field; left sealed as v1 and never shown\n`,
      );
  }
  return svc;
}

/**
 * Opens the configured database and key, runs `fn`, and always closes the database. With
 * `key: false` (backup, history) no key is opened: those commands never touch sealed data, and
 * must work on a database whose key is lost. With `create`, a new instance is set up where there is
 * none (the other commands refuse a missing data directory).
 */
export async function withServices<T>(
  fn: (svc: Services) => Promise<T>,
  opts: { key?: boolean; upgrade?: boolean; create?: boolean } = {},
): Promise<T> {
  const store = await openInstanceStore(databaseConfigFromEnv(), { create: opts.create });
  try {
    const svc = opts.key === false ? makeServices(store, lockedKeyring()) : await servicesWithKey(store, opts);
    return await fn(svc);
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
