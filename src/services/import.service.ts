import { IMPORT_TYPES, type ImportType } from '../domain/entities/import-line.ts';
import { VigilError } from '../domain/errors.ts';
import { runWrite, type AuditedWriter, type WriteContext } from '../store/audited-writer.ts';
import { createAllegation } from './allegation.service.ts';
import type { Actor, Services } from './context.ts';
import { createArea, createFacility, createOrganization } from './facility.service.ts';
import type { ImportLine } from './import-reader.ts';
import { importPerson } from './person.service.ts';
import { openProceeding } from './proceeding.service.ts';
import type { Created } from './record-write.ts';
import { createEvidenceItem, createSource } from './source.service.ts';
import { createReportedFigure, createStatement } from './statement.service.ts';
import { createVisit } from './visit.service.ts';
import { writeContext } from './record-write.ts';

export { formatOf, type ImportFormat, readImportFile } from './import-reader.ts';

type Creator = (svc: Services, actor: Actor, input: unknown, writer: AuditedWriter) => Promise<Created>;

const CREATORS: Record<ImportType, Creator> = {
  organization: createOrganization,
  facility: createFacility,
  person: importPerson,
  source: createSource,
  statement: createStatement,
  area: createArea,
  reported_figure: createReportedFigure,
  allegation: (svc, actor, input, w) => createAllegation(svc, actor, input, w, { importing: true }),
  evidence_item: createEvidenceItem,
  proceeding: (svc, actor, input, w) => openProceeding(svc, actor, input, w, { importing: true }),
  visit: (svc, actor, input, w) => createVisit(svc, actor, input, w, { importing: true }),
};

/** A line that was not imported, and why, as `line N: field.path: reason`. */
export interface Rejected {
  lineNo: number;
  raw: string;
  path: string;
  message: string;
}

export interface ImportSummary {
  lines: number;
  created: number;
  existing: number;
  rejected: number;
  /** Records created from lines with neither `externalId` nor `id`: importing the file again creates them again. */
  unkeyed: number;
  byType: Record<string, number>;
}

export interface ImportOptions {
  /** Lines per transaction: each batch commits on its own, so a crash loses at most the batch in flight. */
  batchSize?: number;
  onReject?: (r: Rejected) => void;
  /** A record was created from a line with neither `externalId` nor `id`, so the line is not idempotent. */
  onUnkeyed?: (lineNo: number) => void;
  onProgress?: (s: ImportSummary) => void;
}

/** `line 12: acts.0.kind: unknown act kind "beatng"; …` */
export function formatRejected(r: Rejected): string {
  return `line ${r.lineNo}: ${r.path}: ${r.message}`;
}

/** Thrown inside a batch's transaction to roll it back when a line fails without a savepoint around it. */
class LineFailed extends Error {}

/**
 * Imports records line by line. Every line is validated and written as one unit: a bad line
 * is rejected with its field path and leaves nothing behind, good lines commit in
 * batches with their audit entries. A line whose external id is already known is skipped, so
 * re-running an interrupted or finished import creates no duplicates. A line without one (and
 * without an `id`) cannot be recognised again: each such record is counted in `unkeyed` and
 * reported to `onUnkeyed`, because importing the file again would create it again.
 *
 * A batch is first written without the per-line savepoints (two statements per line, and on
 * SQLite a sub-journal of every page a line touches). If every line goes in, that batch
 * commits as it is; if a line fails in its service, the whole batch is rolled back and written
 * again line by line under savepoints, with the same record ids, so the outcome (records, ids,
 * audit entries, rejections and their order) is the same as if it had been written that way
 * from the start. After such a batch the next one goes line by line straight away.
 */
export async function importRecords(
  svc: Services,
  actor: Actor,
  lines: AsyncIterable<ImportLine>,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const batchSize = opts.batchSize ?? 500;
  const summary: ImportSummary = { lines: 0, created: 0, existing: 0, rejected: 0, unkeyed: 0, byType: {} };
  const reject = (line: ImportLine, path: string, message: string) => {
    summary.rejected += 1;
    opts.onReject?.({ lineNo: line.lineNo, raw: line.raw, path, message });
  };
  const count = (line: ImportLine, type: string, created: boolean) => {
    if (created) {
      summary.created += 1;
      summary.byType[type] = (summary.byType[type] ?? 0) + 1;
      if (!hasKey(line)) {
        summary.unkeyed += 1;
        opts.onUnkeyed?.(line.lineNo);
      }
    } else summary.existing += 1;
  };

  /** Writes a batch without savepoints; false (and nothing written) if a line failed in its service. */
  const writeWhole = async (current: ImportLine[], ctx: WriteContext, batchSvc: Services): Promise<boolean> => {
    try {
      await runWrite(svc.store, ctx, async (w) => {
        const outcomes: Array<
          | { line: ImportLine; problem: { path: string; message: string } }
          | { line: ImportLine; type: string; created: boolean }
        > = [];
        for (const line of current) {
          const problem = lineProblem(line);
          if (problem) {
            outcomes.push({ line, problem });
            continue;
          }
          const { type, ...body } = line.value as Record<string, unknown>;
          let r: Created;
          try {
            r = await CREATORS[type as ImportType](batchSvc, actor, body, w);
          } catch {
            throw new LineFailed();
          }
          outcomes.push({ line, type: type as string, created: r.created });
        }
        for (const o of outcomes) {
          if ('problem' in o) reject(o.line, o.problem.path, o.problem.message);
          else count(o.line, o.type, o.created);
        }
      });
      return true;
    } catch (err) {
      if (err instanceof LineFailed) return false;
      throw err;
    }
  };

  /** Writes a batch line by line, each under its own savepoint; true if a line failed in its service. */
  const writeLineByLine = async (current: ImportLine[], ctx: WriteContext, batchSvc: Services): Promise<boolean> => {
    let failed = false;
    await runWrite(svc.store, ctx, async (w) => {
      for (const line of current) {
        const problem = lineProblem(line);
        if (problem) {
          reject(line, problem.path, problem.message);
          continue;
        }
        const { type, ...body } = line.value as Record<string, unknown>;
        try {
          const r = await w.attempt(() => CREATORS[type as ImportType](batchSvc, actor, body, w));
          count(line, type as string, r.created);
        } catch (err) {
          failed = true;
          if (err instanceof VigilError) reject(line, err.path ?? '(line)', err.message);
          else reject(line, '(line)', `could not be stored: ${(err as Error).message}`);
        }
      }
    });
    return failed;
  };

  let batch: ImportLine[] = [];
  let whole = true;
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const ctx = { ...writeContext(svc, actor), reason: 'import' };
    // The ids the first attempt drew are handed out again, in the same order, to the second.
    const drawn: string[] = [];
    let replay = 0;
    if (whole) {
      const recording: Services = {
        ...svc,
        newId: () => {
          const id = svc.newId();
          drawn.push(id);
          return id;
        },
      };
      if (await writeWhole(current, ctx, recording)) {
        opts.onProgress?.(summary);
        return;
      }
    }
    const replaying: Services = drawn.length === 0 ? svc : { ...svc, newId: () => drawn[replay++] ?? svc.newId() };
    whole = !(await writeLineByLine(current, ctx, replaying));
    opts.onProgress?.(summary);
  };

  for await (const line of lines) {
    summary.lines += 1;
    batch.push(line);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return summary;
}

/** Whether a line names its record (`externalId`, or an `id`), so importing it again finds the record. */
function hasKey(line: ImportLine): boolean {
  const v = line.value as { externalId?: unknown; id?: unknown };
  const named = (x: unknown) => typeof x === 'string' && x.trim() !== '';
  return named(v.externalId) || named(v.id);
}

/** Why a line cannot even be offered to a service: unparseable, not an object, or an unknown type. */
function lineProblem(line: ImportLine): { path: string; message: string } | undefined {
  if (line.parseError) return line.parseError;
  const v = line.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { path: '(line)', message: 'must be a JSON object' };
  const type = (v as { type?: unknown }).type;
  if (typeof type !== 'string' || !(IMPORT_TYPES as readonly string[]).includes(type)) {
    return { path: 'type', message: `must be one of: ${IMPORT_TYPES.join(', ')}` };
  }
  return undefined;
}

/** Values (the demo case, a test's records) as an import stream. */
export async function* linesOf(values: readonly unknown[]): AsyncGenerator<ImportLine> {
  let lineNo = 0;
  for (const value of values) {
    lineNo += 1;
    yield { lineNo, raw: JSON.stringify(value), value };
  }
}
