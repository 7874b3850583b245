import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { VigilError } from '../../domain/errors.ts';
import type { Services } from '../../services/context.ts';
import { startProgress } from '../progress.ts';
import { createPrivate, makePrivate } from '../../store/private-files.ts';

/**
 * `vigil backup FILE`: a consistent copy taken while Vigil runs. SQLite uses its online backup
 * API (pages copied under a read snapshot); PostgreSQL uses pg_dump (one snapshot).
 */
export async function backupCommand(svc: Services, file: string): Promise<void> {
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new VigilError('validation.invalid', `${file} exists; choose a new file name`, { path: 'file' });
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  // Made private before a byte is copied; SQLite and pg_dump both write into the existing file.
  createPrivate(target);
  if (svc.store.sqlite) {
    const bar = startProgress('backup', 1, { unit: 'pages' });
    await svc.store.sqlite.backup(target, {
      progress: ({ totalPages, remainingPages }) => {
        bar.setTotal(totalPages);
        bar.update(totalPages - remainingPages);
        return 1000;
      },
    });
    bar.stop();
    makePrivate(target);
    return;
  }
  const url = (svc.store.config as { url: string }).url;
  try {
    await promisify(execFile)('pg_dump', ['--format=custom', `--file=${target}`, `--dbname=${url}`]);
    makePrivate(target);
  } catch (err) {
    fs.rmSync(target, { force: true });
    throw new VigilError('config.invalid', `pg_dump failed: ${(err as Error).message.split('\n')[0]}`, { path: 'DATABASE_URL' });
  }
}
