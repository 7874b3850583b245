import fs from 'node:fs';
import readline from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { VigilError } from '../domain/errors.ts';

/** One line of an import file: its number, its raw text, and either the parsed object or why it could not be parsed. */
export interface ImportLine {
  lineNo: number;
  raw: string;
  value?: unknown;
  parseError?: { path: string; message: string };
}

export type ImportFormat = 'jsonl' | 'csv';

/** Picks the format from the file name: `.jsonl`/`.ndjson`/`.json` or `.csv`. */
export function formatOf(file: string, given?: string): ImportFormat {
  const f = (given ?? file.split('.').pop() ?? '').toLowerCase();
  if (f === 'jsonl' || f === 'ndjson' || f === 'json') return 'jsonl';
  if (f === 'csv') return 'csv';
  throw new VigilError(
    'import.format_unknown',
    `cannot tell the format of "${file}"; use a .jsonl or .csv file or --format jsonl|csv`,
    { path: 'format' },
  );
}

/** Reads JSON Lines: one object per line; blank lines are skipped but still counted. */
export async function* readJsonLines(
  input: NodeJS.ReadableStream,
  onBytes?: (n: number) => void,
): AsyncGenerator<ImportLine> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo += 1;
    onBytes?.(Buffer.byteLength(raw) + 1);
    if (raw.trim() === '') continue;
    try {
      yield { lineNo, raw, value: JSON.parse(raw) };
    } catch (err) {
      yield { lineNo, raw, parseError: { path: '(line)', message: `not valid JSON (${(err as Error).message})` } };
    }
  }
}

/** Fields whose CSV cells hold numbers or booleans (everything else is text or JSON). */
const NUMERIC = new Set(['value', 'valueMax', 'count', 'capacity', 'cells', 'size', 'version']);
const BOOLEAN = new Set(['isUnit', 'urgent']);

/** Turns one CSV cell into the value the JSON shape has: JSON for lists and objects, numbers and booleans where the field is one. */
function csvCell(key: string, cell: string): { value?: unknown; error?: string } {
  if (cell === '') return {};
  const leaf = key.split('.').at(-1) ?? key;
  if (cell.startsWith('[') || cell.startsWith('{')) {
    try {
      return { value: JSON.parse(cell) };
    } catch {
      return { error: 'looks like JSON but does not parse' };
    }
  }
  if (NUMERIC.has(leaf)) {
    const n = Number(cell);
    return Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(cell.trim()) ? { value: n } : { error: 'must be a number' };
  }
  if (BOOLEAN.has(leaf)) {
    if (cell === 'true' || cell === 'false') return { value: cell === 'true' };
    return { error: 'must be true or false' };
  }
  return { value: cell };
}

/** Builds a nested object from dotted column names (`period.start` → `{ period: { start } }`). */
function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  const leaf = parts.pop() ?? dotted;
  let obj = target;
  for (const p of parts) {
    if (typeof obj[p] !== 'object' || obj[p] === null) obj[p] = {};
    obj = obj[p] as Record<string, unknown>;
  }
  obj[leaf] = value;
}

/**
 * Reads CSV with a header row: a `type` column and one column per field; nested fields use
 * dotted names (`period.start`), lists and objects are JSON in the cell, an empty cell is absent.
 */
export async function* readCsv(
  input: NodeJS.ReadableStream,
  onBytes?: (n: number) => void,
): AsyncGenerator<ImportLine> {
  const parser = input.pipe(
    parseCsv({ bom: true, relax_column_count: false, skip_empty_lines: true, raw: true, info: true }),
  );
  let header: string[] | null = null;
  for await (const rec of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
    onBytes?.(Buffer.byteLength(rec.raw));
    if (!header) {
      header = rec.record.map((h) => h.trim());
      if (!header.includes('type')) {
        throw new VigilError('validation.invalid', 'the CSV header has no "type" column', { path: 'line 1' });
      }
      continue;
    }
    const value: Record<string, unknown> = {};
    let parseError: ImportLine['parseError'];
    header.forEach((key, i) => {
      const r = csvCell(key, rec.record[i] ?? '');
      if (r.error && !parseError) parseError = { path: key, message: r.error };
      if (r.value !== undefined) setPath(value, key, r.value);
    });
    const raw = rec.raw.replace(/\r?\n$/, '');
    yield parseError ? { lineNo: rec.info.lines, raw, parseError } : { lineNo: rec.info.lines, raw, value };
  }
}

/** Opens an import file as a stream of lines; `onBytes` reports progress through the file. */
export function readImportFile(
  file: string,
  format: ImportFormat,
  onBytes?: (n: number) => void,
): AsyncGenerator<ImportLine> {
  if (!fs.existsSync(file)) throw new VigilError('validation.invalid', `no such file: ${file}`, { path: 'file' });
  const stream = fs.createReadStream(file);
  return format === 'csv' ? readCsv(stream, onBytes) : readJsonLines(stream, onBytes);
}
