import { stringify } from 'csv-stringify/sync';
import { IMPORT_SCHEMAS, IMPORT_TYPES, type ImportType } from '../domain/entities/import-line.ts';
import type { Viewer } from '../domain/policy.ts';
import { exportLines, type ExportScope, type Line } from '../store/repositories/export.repository.ts';
import type { Services } from './context.ts';
import { limitedViewer } from './policy.ts';
import { resolveRef } from './references.ts';

/** What to export: some record types, records of one facility, records changed since a date. */
export interface ExportFilter extends ExportScope {
  types?: readonly ImportType[];
}

/**
 * Streams records as import lines, in an order that re-imports (parents and referenced records
 * first). Memory stays flat whatever the size: records are read a page at a time.
 */
export async function* exportRecords(svc: Services, viewer: Viewer, f: ExportFilter = {}): AsyncGenerator<Line> {
  const visibleTo = limitedViewer(viewer);
  for (const type of IMPORT_TYPES) {
    if (f.types && !f.types.includes(type)) continue;
    yield* exportLines(svc.store.db, type, f, visibleTo);
  }
}

/** The formats an export is written in. */
export type ExportFormat = 'jsonl' | 'csv';

/**
 * The export as text chunks, as the API streams it and `vigil export` writes it: for CSV a header
 * then one row per record, for JSON Lines one object per line.
 */
export async function* encodeExport(
  lines: AsyncIterable<Record<string, unknown>>,
  format: ExportFormat,
): AsyncGenerator<string> {
  const columns = csvColumns();
  if (format === 'csv') yield stringify([columns]);
  for await (const line of lines)
    yield format === 'csv' ? stringify([csvRow(line, columns)]) : `${JSON.stringify(line)}\n`;
}

/** The facility an export is limited to, given by id or external id, as `viewer` may name it. */
export function exportFacilityId(svc: Services, viewer: Viewer, key: string): Promise<string> {
  return svc.store.db.transaction().execute((trx) => resolveRef(trx, 'facility', key, 'facility', viewer));
}

/** The CSV columns: `type` and every top-level field of every import schema. */
export function csvColumns(): string[] {
  const cols = new Set<string>(['type']);
  for (const t of IMPORT_TYPES) {
    const shape = (IMPORT_SCHEMAS[t] as unknown as { shape: Record<string, unknown> }).shape;
    for (const k of Object.keys(shape)) cols.add(k);
  }
  return [...cols];
}

/** One CSV row for a line: scalars as text, lists and objects as JSON, absent fields empty. */
export function csvRow(line: Record<string, unknown>, columns: readonly string[]): string[] {
  return columns.map((c) => {
    const v = line[c];
    if (v === undefined || v === null) return '';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}
