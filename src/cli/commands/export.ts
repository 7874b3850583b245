import fs from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import { IMPORT_TYPES, type ImportType } from '../../domain/entities/import-line.ts';
import { VigilError } from '../../domain/errors.ts';
import { SYSTEM, type Services } from '../../services/context.ts';
import { csvColumns, csvRow, exportRecords } from '../../services/export.service.ts';
import { resolveRef } from '../../services/references.ts';
import { startProgress } from '../progress.ts';
import { makePrivate, PRIVATE_FILE_MODE } from '../../store/private-files.ts';

export interface ExportCommandOptions {
  out?: string;
  format?: string;
  type?: string[];
  facility?: string;
  since?: string;
}

/** Writes with backpressure, so a huge export never piles up in memory. */
async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/**
 * `vigil export`: the whole database or a filtered part, streamed as JSON Lines or CSV. The console's
 * export is the full one: people's identities go along sealed (they re-import only on this instance).
 */
export async function exportCommand(svc: Services, opts: ExportCommandOptions): Promise<number> {
  const format = (opts.format ?? (opts.out?.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl')).toLowerCase();
  if (format !== 'jsonl' && format !== 'csv')
    throw new VigilError('validation.invalid', 'must be jsonl or csv', { path: 'format' });
  const types = opts.type?.flatMap((t) => t.split(',')).map((t) => t.trim().replace(/-/g, '_'));
  for (const t of types ?? []) {
    if (!(IMPORT_TYPES as readonly string[]).includes(t)) {
      throw new VigilError(
        'validation.invalid',
        `unknown record type "${t}"; expected one of: ${IMPORT_TYPES.join(', ')}`,
        { path: 'type' },
      );
    }
  }
  if (opts.since && !/^\d{4}-\d{2}-\d{2}/.test(opts.since))
    throw new VigilError('validation.invalid', 'must be a date YYYY-MM-DD', { path: 'since' });
  const facilityId = opts.facility
    ? await svc.store.db.transaction().execute((trx) => resolveRef(trx, 'facility', opts.facility!, 'facility', SYSTEM))
    : undefined;
  const out: NodeJS.WritableStream = opts.out
    ? fs.createWriteStream(opts.out, { mode: PRIVATE_FILE_MODE })
    : process.stdout;
  if (opts.out) {
    // An existing file keeps its mode when overwritten: make it private before the first line goes in.
    await once(out, 'open');
    makePrivate(opts.out);
  }
  const columns = csvColumns();
  if (format === 'csv') await write(out, stringify([columns]));
  const progress = opts.out ? startProgress('export', 0, { unit: 'records' }) : undefined;
  let n = 0;
  for await (const line of exportRecords(svc, SYSTEM, {
    types: types as ImportType[] | undefined,
    facilityId,
    since: opts.since,
    sealedIdentities: true,
  })) {
    await write(out, format === 'csv' ? stringify([csvRow(line, columns)]) : `${JSON.stringify(line)}\n`);
    n += 1;
    if (progress && n % 1000 === 0) {
      progress.setTotal(n);
      progress.update(n);
    }
  }
  progress?.setTotal(n);
  progress?.update(n);
  progress?.stop();
  if (opts.out) {
    out.end();
    await once(out, 'finish');
  }
  return n;
}
