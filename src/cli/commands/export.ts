import fs from 'node:fs';
import { once } from 'node:events';
import { IMPORT_TYPES, type ImportType } from '../../domain/entities/import-line.ts';
import { VigilError } from '../../domain/errors.ts';
import { SYSTEM, type Services } from '../../services/context.ts';
import { encodeExport, exportFacilityId, exportRecords } from '../../services/export.service.ts';
import { startProgress } from '../progress.ts';
import { makePrivate, PRIVATE_FILE_MODE } from '../../services/instance.service.ts';

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
  const facilityId = opts.facility ? await exportFacilityId(svc, SYSTEM, opts.facility) : undefined;
  const out: NodeJS.WritableStream = opts.out
    ? fs.createWriteStream(opts.out, { mode: PRIVATE_FILE_MODE })
    : process.stdout;
  if (opts.out) {
    // An existing file keeps its mode when overwritten: make it private before the first line goes in.
    await once(out, 'open');
    makePrivate(opts.out);
  }
  const progress = opts.out ? startProgress('export', 0, { unit: 'records' }) : undefined;
  let n = 0;
  const lines = exportRecords(svc, SYSTEM, {
    types: types as ImportType[] | undefined,
    facilityId,
    since: opts.since,
    sealedIdentities: true,
  });
  async function* counted(): AsyncGenerator<Record<string, unknown>> {
    for await (const line of lines) {
      yield line;
      n += 1;
      if (progress && n % 1000 === 0) {
        progress.setTotal(n);
        progress.update(n);
      }
    }
  }
  for await (const chunk of encodeExport(counted(), format)) await write(out, chunk);
  progress?.setTotal(n);
  progress?.update(n);
  progress?.stop();
  if (opts.out) {
    out.end();
    await once(out, 'finish');
  }
  return n;
}
