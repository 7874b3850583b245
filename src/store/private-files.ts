import fs from 'node:fs';

/** The mode of every file Vigil writes (database, WAL, exports, backups, checkpoints, keys, bundles): owner read and write only. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes an existing file owner-only, if others could read it (a database made before Vigil set
 * modes, or a file SQLite or pg_dump created under a loose umask). A missing file is left alone.
 */
export function makePrivate(file: string): void {
  try {
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Creates a file empty with mode 0600 unless it exists, so a program that then opens it by name
 * (SQLite, pg_dump) finds it private from its first byte; an existing file is made private.
 */
export function createPrivate(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  makePrivate(file);
}
