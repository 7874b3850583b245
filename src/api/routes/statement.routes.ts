import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RecordKey } from '../../domain/entities/common.ts';
import { ReportedFigure, Statement } from '../../domain/entities/statement.ts';
import { StatementStanceSchema } from '../../domain/vocabularies.ts';
import type { Services } from '../../services/context.ts';
import { reportedFiguresPage, statementOf, statementsPage } from '../../services/statement.service.ts';
import { LimitParam, cursorParam, pageOf } from '../cursor.ts';
import { found } from '../errors.ts';
import { ERROR_RESPONSES, IdParams, pageOfSchema } from '../schemas.ts';

const StatementQuery = z.strictObject({
  facilityId: RecordKey.optional().describe('Facility id'),
  stance: StatementStanceSchema.optional(),
  sourceId: RecordKey.optional().describe('Source id'),
  limit: LimitParam,
  after: cursorParam(2).optional(),
});

const FigureQuery = z.strictObject({
  counts: z.string().max(64).optional().describe('What the figure counts, e.g. `torture_reports`'),
  statementId: RecordKey.optional().describe('Statement id'),
  sourceId: RecordKey.optional().describe('Source id'),
  limit: LimitParam,
  after: cursorParam(2).optional(),
});

const dateKey = (after: [string, string] | undefined) => after && { date: after[0], id: after[1] };

/** `GET /statements`, `GET /statements/:id` and `GET /reported-figures`: what officials and others said, and the numbers they published. */
export const statementRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/statements',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['statements'],
        summary: 'List statements in the order they were made',
        querystring: StatementQuery,
        response: { 200: pageOfSchema(Statement), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { limit, after, ...filter } = req.query;
      const rows = await statementsPage(svc, { ...filter, limit: limit + 1, after: dateKey(after) });
      return pageOf(rows, limit, (s) => [s.statedOn ?? '', s.id]);
    },
  );

  app.get(
    '/statements/:id',
    {
      config: { access: 'authenticated', record: 'none' },
      schema: {
        tags: ['statements'],
        summary: 'One statement with its review, if any',
        params: IdParams,
        response: { 200: Statement, ...ERROR_RESPONSES },
      },
    },
    async (req) => found(await statementOf(svc, req.params.id), 'statement', req.params.id),
  );

  app.get(
    '/reported-figures',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['statements'],
        summary: "List figures others published (kept apart from Vigil's own counts)",
        querystring: FigureQuery,
        response: { 200: pageOfSchema(ReportedFigure), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { limit, after, ...filter } = req.query;
      const rows = await reportedFiguresPage(svc, { ...filter, limit: limit + 1, after: dateKey(after) });
      return pageOf(rows, limit, (f) => [f.asOf ?? '', f.id]);
    },
  );
};
