import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProceedingImport } from '../../../domain/entities/import-line.ts';
import { ProceedingStageInput } from '../../../domain/entities/proceeding.ts';
import { ReportedFigureInput, StatementInput } from '../../../domain/entities/statement.ts';
import { VisitInput } from '../../../domain/entities/visit.ts';
import type { Services } from '../../../services/context.ts';
import { advanceProceeding, openProceeding } from '../../../services/proceeding.service.ts';
import { updateSchema } from '../../../domain/update-schema.ts';
import {
  createReportedFigure,
  createStatement,
  ReviewInput,
  reviewStatement,
  updateReportedFigure,
  updateStatement,
} from '../../../services/statement.service.ts';
import { createVisit } from '../../../services/visit.service.ts';
import { ERROR_RESPONSES, IdParams } from '../../schemas.ts';
import { actorOf, CreatedBody, idOf, UpdatedBody } from './write-kit.ts';

/** Writes about what the authorities said and did: proceedings, statements, reported figures, visits. */
export const responseWriteRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  const created = { 201: CreatedBody, 200: CreatedBody, ...ERROR_RESPONSES };
  const updated = { 200: UpdatedBody, ...ERROR_RESPONSES };

  app.post(
    '/proceedings',
    {
      config: { access: ['analyst'] },
      schema: {
        tags: ['proceedings'],
        summary:
          'Open a proceeding: a criminal case starts as complaint_filed, others as opened; past stages may follow in `stages`',
        body: ProceedingImport,
        response: created,
      },
    },
    async (req, reply) => {
      const r = await openProceeding(svc, actorOf(req), req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.post(
    '/proceedings/:id/stages',
    {
      config: { access: ['analyst'], record: 'proceeding' },
      schema: {
        tags: ['proceedings'],
        summary:
          'Record the next stage (ERDR registration, termination, indictment, verdict…), checked by the Kazakhstan proceeding workflow',
        params: IdParams,
        body: ProceedingStageInput,
        response: { 200: z.object({ id: z.string(), stage: z.string() }), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'proceeding', req.params.id);
      return { id, ...(await advanceProceeding(svc, actorOf(req), id, req.body)) };
    },
  );

  app.post(
    '/statements',
    {
      config: { access: ['documenter', 'analyst', 'monitor'] },
      schema: {
        tags: ['statements'],
        summary: 'Record what someone said, with speaker, date, source and stance',
        body: StatementInput,
        response: created,
      },
    },
    async (req, reply) => {
      const r = await createStatement(svc, actorOf(req), req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.patch(
    '/statements/:id',
    {
      config: { access: ['documenter', 'analyst', 'monitor'], record: 'none' },
      schema: {
        tags: ['statements'],
        summary: 'Correct a statement (not its review)',
        params: IdParams,
        body: updateSchema(StatementInput.shape, ['review']),
        response: updated,
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'statement', req.params.id);
      return { id, ...(await updateStatement(svc, actorOf(req), id, req.body)) };
    },
  );

  app.post(
    '/statements/:id/review',
    {
      config: { access: ['analyst'], record: 'none' },
      schema: {
        tags: ['statements'],
        summary: "An analyst's review of a statement against the evidence",
        params: IdParams,
        body: ReviewInput,
        response: updated,
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'statement', req.params.id);
      return { id, ...(await reviewStatement(svc, actorOf(req), id, req.body)) };
    },
  );

  app.post(
    '/reported-figures',
    {
      config: { access: ['analyst'] },
      schema: {
        tags: ['statements'],
        summary: 'Record a figure someone published (kept apart from Vigil counts)',
        body: ReportedFigureInput,
        response: created,
      },
    },
    async (req, reply) => {
      const r = await createReportedFigure(svc, actorOf(req), req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.patch(
    '/reported-figures/:id',
    {
      config: { access: ['analyst'], record: 'none' },
      schema: {
        tags: ['statements'],
        summary: 'Correct a reported figure as transcribed',
        params: IdParams,
        body: updateSchema(ReportedFigureInput.shape),
        response: updated,
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'reported_figure', req.params.id);
      return { id, ...(await updateReportedFigure(svc, actorOf(req), id, req.body)) };
    },
  );

  app.post(
    '/visits',
    {
      config: { access: ['monitor'] },
      schema: {
        tags: ['visits'],
        summary: 'Plan a monitoring visit, with its safeguards checklist and recommendations',
        body: VisitInput,
        response: created,
      },
    },
    async (req, reply) => {
      const r = await createVisit(svc, actorOf(req), req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );
};
