import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VigilError } from '../../domain/errors.ts';
import { openIdentityKey, readKeyRecord } from '../../services/identity-key.service.ts';
import { beginRotation, resealAll, rotationServices, type RotationKeys } from '../../services/key-rotation.service.ts';
import { makeServices, type Services } from '../../services/context.ts';
import { upgradeSealedValues } from '../../services/seal-upgrade.service.ts';
import {
  KEY_BYTES,
  keyFingerprint,
  nextKeyFile,
  readKeyFile,
  retiredKeyFile,
  writeNewKeyFile,
} from '../../services/instance.service.ts';
import { consoleActor, keyFileFromEnv } from '../runtime.ts';
import { startProgress } from '../progress.ts';

export interface KeyRotateOptions {
  batch?: number;
  keepOld?: boolean;
}

/** What a rotation did, for the lines it prints. */
export interface KeyRotateOutcome {
  resumed: boolean;
  resealed: number;
  /** Users whose TOTP secret was re-sealed. */
  secondFactors: number;
  oldFingerprint: string;
  newFingerprint: string;
  keyFile: string;
  /** Where the old key was kept (`--keep-old`), or undefined when it was removed. */
  keptOld?: string;
}

/** Every key file a rotation may have left: the key file, the new key waiting beside it, the retired old keys. */
function candidateKeys(keyFile: string): Array<{ file: string; master: Buffer }> {
  const dir = path.dirname(keyFile);
  const base = path.basename(keyFile);
  const names = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((n) => n === base || n === `${base}.next` || n.startsWith(`${base}.retired-`))
    : [];
  return names.map((n) => path.join(dir, n)).map((file) => ({ file, master: readKeyFile(file) }));
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Puts the key files in their rotating layout, from whatever step a killed run reached: the old
 * key in `vigil.key.retired-<fingerprint>` and the new one in the key file. The old key is
 * written (and flushed) before the new one takes the key file's place by an atomic rename, so at
 * every moment both keys are on disk.
 */
function settleKeyFiles(keyFile: string, keys: RotationKeys): void {
  const retired = retiredKeyFile(keyFile, keys.old);
  if (!fs.existsSync(retired)) writeNewKeyFile(retired, keys.old);
  const next = nextKeyFile(keyFile);
  if (fs.existsSync(next)) {
    fs.renameSync(next, keyFile);
    fsyncDir(path.dirname(keyFile));
  }
}

/**
 * `vigil key rotate`: a new identity key for every sealed value. The first run checks the key file
 * against the database (a wrong key: `key.mismatch`, nothing written), upgrades any v1 values,
 * writes the new key to `vigil.key.next` and records the rotation; then the old key moves to
 * `vigil.key.retired-<fingerprint>`, the new one becomes the key file, and every value is
 * re-sealed in audited batches. A killed run is resumed by running the command again. When all is
 * re-sealed the database records the new fingerprint, and the old key file is removed unless
 * `keepOld` (needed to restore backups taken before the rotation).
 */
export async function keyRotateCommand(
  store: Services['store'],
  opts: KeyRotateOptions = {},
): Promise<KeyRotateOutcome> {
  if (process.env.VIGIL_KEY) {
    throw new VigilError(
      'config.invalid',
      'the key comes from VIGIL_KEY, which a rotation cannot replace: put it in a key file (VIGIL_KEY_FILE) and unset VIGIL_KEY',
      { path: 'VIGIL_KEY' },
    );
  }
  const keyFile = keyFileFromEnv();
  const actor = consoleActor();
  const clock = () => new Date();
  let record = await readKeyRecord(store.db);
  const resumed = Boolean(record?.next_fingerprint);
  if (!resumed) {
    const old = await openIdentityKey(store, { keyFile, actor });
    const upgrade = await upgradeSealedValues(makeServices(store, old), actor, { batchSize: opts.batch });
    const [u] = upgrade.unreadable;
    if (u) {
      throw new VigilError(
        'crypto.decrypt_failed',
        `${u.field.split('.')[0]} ${u.recordId} holds a value that does not open; nothing rotated`,
        { path: u.field },
      );
    }
    // A new key left by a run killed before the rotation was recorded sealed nothing: replace it.
    fs.rmSync(nextKeyFile(keyFile), { force: true });
    writeNewKeyFile(nextKeyFile(keyFile), randomBytes(KEY_BYTES));
    fsyncDir(path.dirname(keyFile));
    await beginRotation(
      store,
      { old: readKeyFile(keyFile), next: readKeyFile(nextKeyFile(keyFile)) },
      { actor, clock },
    );
    record = await readKeyRecord(store.db);
  }
  const candidates = candidateKeys(keyFile);
  const find = (fingerprint: string) => candidates.find((c) => keyFingerprint(c.master) === fingerprint)?.master;
  const rotation = record?.next_fingerprint ? { from: record.fingerprint, to: record.next_fingerprint } : undefined;
  if (!rotation) throw new VigilError('internal', 'the key rotation that began is not recorded in the database');
  const old = find(rotation.from);
  const next = find(rotation.to);
  if (!old || !next) {
    const lost = !old
      ? `the old key (fingerprint ${rotation.from.slice(0, 16)})`
      : `the new key (fingerprint ${rotation.to.slice(0, 16)})`;
    throw new VigilError(
      'key.missing',
      `the rotation under way needs ${lost}, which is in none of ${keyFile}, ${keyFile}.next or ${keyFile}.retired-*`,
    );
  }
  const keys = { old, next };
  settleKeyFiles(keyFile, keys);

  let bar: ReturnType<typeof startProgress> | undefined;
  const { resealed, byTable } = await resealAll(rotationServices(store, keys, { clock }), actor, {
    batchSize: opts.batch,
    onProgress: (done, total) => {
      bar ??= startProgress('re-sealing identities and TOTP secrets', total, { unit: 'records' });
      bar.update(done);
    },
  });
  bar?.stop();
  const retired = retiredKeyFile(keyFile, old);
  if (!opts.keepOld) fs.rmSync(retired, { force: true });
  return {
    resumed,
    resealed,
    secondFactors: byTable.user_second_factor ?? 0,
    oldFingerprint: rotation.from,
    newFingerprint: rotation.to,
    keyFile,
    keptOld: opts.keepOld ? retired : undefined,
  };
}

/** The lines `vigil key rotate` prints. */
export function describeRotation(r: KeyRotateOutcome): string[] {
  return [
    `key rotate: ${r.resumed ? 'resumed; ' : ''}${r.resealed} people and ${r.secondFactors} TOTP secret${r.secondFactors === 1 ? '' : 's'} re-sealed under key ${r.newFingerprint.slice(0, 16)} (was ${r.oldFingerprint.slice(0, 16)})`,
    `new key: ${r.keyFile}`,
    r.keptOld
      ? `old key kept in ${r.keptOld} (mode 0600): it opens backups taken before the rotation; move it off this machine`
      : 'old key removed: backups taken before the rotation open only with a copy of it',
  ];
}
