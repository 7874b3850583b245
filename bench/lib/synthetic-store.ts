/**
 * A fresh SQLite store in `dir` holding the SYNTHETIC dataset (bench/generate.ts), loaded
 * through the real import with a progress bar; the load is printed and never counted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { makeServices, SYSTEM, type Services } from '../../src/services/context.ts';
import { importRecords } from '../../src/services/import.service.ts';
import { readImportFile } from '../../src/services/import-reader.ts';
import { openStore } from '../../src/store/database.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { writeDatasetWithProgress } from '../generate.ts';
import { fmtInt, fmtSec } from './args.ts';
import { progressBar } from './progress.ts';

export async function syntheticStore(dir: string, allegations: number): Promise<Services> {
  const file = path.join(dir, 'dataset.jsonl');
  await writeDatasetWithProgress(file, { allegations, seed: 1 });
  const store = await openStore({ dialect: 'sqlite', file: path.join(dir, 'vigil.db') });
  const svc = makeServices(store, new Keyring(randomBytes(32)));
  const bar = progressBar('import', fs.statSync(file).size, 'B');
  let bytes = 0;
  const t0 = Date.now();
  const s = await importRecords(
    svc,
    SYSTEM,
    readImportFile(file, 'jsonl', (n) => {
      bytes += n;
    }),
    { onProgress: () => bar.update(bytes) },
  );
  bar.stop();
  console.log(`loaded    ${fmtInt(s.created)} records in ${fmtSec(Date.now() - t0)} (not counted)`);
  return svc;
}
