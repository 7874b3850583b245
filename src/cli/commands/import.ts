import fs from 'node:fs';
import { once } from 'node:events';
import { consoleActor } from '../runtime.ts';
import { formatBytes, startProgress } from '../progress.ts';
import { makePrivate, PRIVATE_FILE_MODE } from '../../services/instance.service.ts';
import type { Services } from '../../services/context.ts';
import {
  formatOf,
  formatRejected,
  type ImportFormat,
  importRecords,
  readImportFile,
  type ImportSummary,
} from '../../services/import.service.ts';

/** The first line of a file, read without loading the rest (a CSV header). */
function firstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  } finally {
    fs.closeSync(fd);
  }
}

export interface ImportCommandOptions {
  format?: string;
  rejects?: string;
  batch?: number;
}

/**
 * Where the bad lines of FILE go unless `--rejects` says: beside it, `NAME.rejects.jsonl` for
 * `NAME.jsonl` (or `.ndjson`, `.json`), `NAME.rejects.csv` for `NAME.csv`; a file with another
 * extension keeps it (`NAME.txt.rejects.jsonl`).
 */
export function defaultRejectsFile(file: string, format: ImportFormat): string {
  return `${file.replace(/\.(jsonl|ndjson|json|csv)$/i, '')}.rejects.${format === 'csv' ? 'csv' : 'jsonl'}`;
}

/**
 * `vigil import FILE`: validates every line, commits the good ones in batches, prints each bad
 * one as `line N: field.path: reason` and copies it to the rejects file (fix it and import that file).
 */
export async function importCommand(
  svc: Services,
  file: string,
  opts: ImportCommandOptions,
): Promise<ImportSummary & { rejectsFile?: string }> {
  const format = formatOf(file, opts.format);
  const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  const rejectsFile = opts.rejects ?? defaultRejectsFile(file, format);
  let rejects: fs.WriteStream | undefined;
  let header: string | undefined;
  let bytes = 0;
  const progress = startProgress('import', size, { unit: '', format: formatBytes });
  const lines = readImportFile(file, format, (n) => {
    bytes += n;
  });
  // A CSV rejects file needs the header row to be importable after the fix.
  if (format === 'csv') header = firstLine(file);
  const summary = await importRecords(svc, consoleActor(), lines, {
    batchSize: opts.batch,
    onReject: (r) => {
      process.stderr.write(`${formatRejected(r)}\n`);
      if (!rejects) {
        rejects = fs.createWriteStream(rejectsFile, { flags: 'w', mode: PRIVATE_FILE_MODE });
        makePrivate(rejectsFile);
        if (header) rejects.write(`${header}\n`);
      }
      rejects.write(`${r.raw}\n`);
    },
    onUnkeyed: (lineNo) =>
      process.stderr.write(
        `line ${lineNo}: warning: no externalId: importing this file again will create this record again\n`,
      ),
    onProgress: (s) => progress.update(Math.min(bytes, size), { ok: s.created, skip: s.existing, bad: s.rejected }),
  });
  progress.update(size, { ok: summary.created, skip: summary.existing, bad: summary.rejected });
  progress.stop();
  if (rejects) {
    rejects.end();
    await once(rejects, 'finish');
  }
  return { ...summary, rejectsFile: rejects ? rejectsFile : undefined };
}
