import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CalendarDate, Instant, RecordKey } from '../../domain/entities/common.ts';
import { IMPORT_TYPES, type ImportType } from '../../domain/entities/import-line.ts';
import { VigilError } from '../../domain/errors.ts';
import type { Services } from '../../services/context.ts';
import { encodeExport, exportFacilityId } from '../../services/export.service.ts';
import { exportRecordsFor } from '../../services/user-export.service.ts';
import { ERROR_RESPONSES } from '../schemas.ts';
import { actorOf } from './write/write-kit.ts';

const TypeList = z.string().min(1).max(500);

const ExportQuery = z.strictObject({
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
  type: z
    .union([TypeList, z.array(TypeList).max(20)])
    .optional()
    .describe(`Record types, comma-separated or repeated: ${IMPORT_TYPES.join(', ')} (all when absent)`),
  facility: RecordKey.optional().describe('Only records of this facility (id or external id)'),
  since: z.union([CalendarDate, Instant]).optional().describe('Only records changed on or after this date'),
});

const CONTENT_TYPES = { jsonl: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/** `type=allegation,visit` or `type=allegation&type=visit` as import types; an unknown one is a 400 naming it. */
function typesOf(type: string | string[] | undefined): ImportType[] | undefined {
  if (type === undefined) return undefined;
  const types = [type]
    .flat()
    .flatMap((t) => t.split(','))
    .map((t) => t.trim().replace(/-/g, '_'))
    .filter(Boolean);
  for (const t of types) {
    if (!(IMPORT_TYPES as readonly string[]).includes(t)) {
      throw new VigilError(
        'validation.invalid',
        `unknown record type "${t}"; expected one of: ${IMPORT_TYPES.join(', ')}`,
        { path: 'type' },
      );
    }
  }
  return types as ImportType[];
}

/** `GET /export`: the records themselves, streamed, for the people who keep the case files. */
export const exportRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/export',
    {
      config: { access: ['admin', 'analyst'] },
      schema: {
        tags: ['export'],
        summary:
          'Export records as JSON Lines or CSV, streamed and without a cap: the lines `vigil export` writes, which re-import to the same records',
        description:
          "Identities leave only as ciphertext under this instance's key, exactly as in `vigil export`. Need-to-know applies as on every read: " +
          'confidential and restricted allegations the caller is not assigned to are left out, with their proceedings and evidence items ' +
          '(admins too: an admin assigns themselves first, and that assignment is audited). The complete database is exported only at the ' +
          'console (`vigil export`), where the database and the key are. Each export is an audit entry (`export`, with the filter).',
        querystring: ExportQuery,
        response: {
          200: z.string().describe('JSON Lines (application/x-ndjson) or CSV (text/csv), one record per line'),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (req, reply) => {
      const { format, type, facility, since } = req.query;
      const types = typesOf(type);
      const facilityId = facility ? await exportFacilityId(svc, actorOf(req), facility) : undefined;
      const day = svc.clock().toISOString().slice(0, 10);
      reply.type(CONTENT_TYPES[format]);
      reply.header('content-disposition', `attachment; filename="vigil-export-${day}.${format}"`);
      reply.header('cache-control', 'no-store');
      // A HEAD asks what a GET would answer: the headers, no records read, so no export to log.
      if (req.method === 'HEAD') return reply.send('' as never);
      const lines = await exportRecordsFor(svc, actorOf(req), { types, facilityId, since }, format);
      // A stream is sent as it is read, never serialised: the string schema only documents the body.
      return reply.send(Readable.from(encodeExport(lines, format)) as unknown as string);
    },
  );
};
