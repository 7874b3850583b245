import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RecordKey } from '../../domain/entities/common.ts';
import { Person } from '../../domain/entities/person.ts';
import { Proceeding } from '../../domain/entities/proceeding.ts';
import { Source } from '../../domain/entities/source.ts';
import { Recommendation, Visit } from '../../domain/entities/visit.ts';
import { overdueProceeding } from '../../domain/proceeding-workflow.ts';
import {
  PersonRoleSchema,
  ProceedingKindSchema,
  ProceedingStageSchema,
  SourceKindSchema,
  type ProceedingStage,
} from '../../domain/vocabularies.ts';
import {
  peopleFor,
  personFor,
  proceedingFor,
  proceedingsFor,
  sourceFor,
  sourcesFor,
  visitOf,
  visitsOf,
} from '../../services/case-read.service.ts';
import type { Services } from '../../services/context.ts';
import { actorOf } from './write/write-kit.ts';
import { LimitParam, cursorParam, pageOf } from '../cursor.ts';
import { found } from '../errors.ts';
import { ERROR_RESPONSES, IdParams, pageOfSchema } from '../schemas.ts';

const ProceedingView = Proceeding.extend({
  overdue: z
    .object({ overdue: z.boolean(), rule: z.string().optional(), due: z.string().optional() })
    .describe('Derived from the clock at each request, never stored'),
});
const VisitView = Visit.extend({
  recommendations: z.array(Recommendation),
});

/** Reads of people (pseudonyms only), sources, proceedings (with their overdue flag) and visits. */
export const caseReadRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  const access = 'authenticated' as const;
  // People, sources and proceedings of a case outside the actor's teams are hidden with it
  // (404, left out of lists), by the services: src/domain/policy.ts.
  const withOverdue = (p: Proceeding) => ({
    ...p,
    overdue: overdueProceeding(
      p.stages.map((s) => ({ stage: s.stage as ProceedingStage, onDate: s.onDate })),
      svc.clock(),
    ),
  });

  app.get(
    '/people',
    {
      config: { access },
      schema: {
        tags: ['people'],
        summary: 'People by pseudonym; identities are never listed',
        querystring: z.strictObject({
          role: PersonRoleSchema.optional(),
          limit: LimitParam,
          after: cursorParam(1).optional(),
        }),
        response: { 200: pageOfSchema(Person), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { limit, after, role } = req.query;
      return pageOf(await peopleFor(svc, actorOf(req), { limit: limit + 1, after: after?.[0], role }), limit, (p) => [
        p.pseudonym,
      ]);
    },
  );

  app.get(
    '/people/:id',
    {
      config: { access, record: 'person' },
      schema: {
        tags: ['people'],
        summary: 'One person by pseudonym and roles, without identity',
        params: IdParams,
        response: { 200: Person, ...ERROR_RESPONSES },
      },
    },
    async (req) => found(await personFor(svc, actorOf(req), req.params.id), 'person', req.params.id),
  );

  app.get(
    '/sources',
    {
      config: { access },
      schema: {
        tags: ['sources'],
        summary: 'List sources',
        querystring: z.strictObject({
          kind: SourceKindSchema.optional(),
          limit: LimitParam,
          after: cursorParam(1).optional(),
        }),
        response: { 200: pageOfSchema(Source), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { limit, after, kind } = req.query;
      return pageOf(await sourcesFor(svc, actorOf(req), { limit: limit + 1, after: after?.[0], kind }), limit, (s) => [
        s.id,
      ]);
    },
  );

  app.get(
    '/sources/:id',
    {
      config: { access, record: 'source' },
      schema: {
        tags: ['sources'],
        summary: 'One source',
        params: IdParams,
        response: { 200: Source, ...ERROR_RESPONSES },
      },
    },
    async (req) => found(await sourceFor(svc, actorOf(req), req.params.id), 'source', req.params.id),
  );

  app.get(
    '/proceedings',
    {
      config: { access },
      schema: {
        tags: ['proceedings'],
        summary: 'List proceedings with their stages and whether a deadline has passed',
        querystring: z.strictObject({
          allegationId: RecordKey.optional(),
          kind: ProceedingKindSchema.optional(),
          stage: ProceedingStageSchema.optional(),
          limit: LimitParam,
          after: cursorParam(1).optional(),
        }),
        response: { 200: pageOfSchema(ProceedingView), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { limit, after, ...filter } = req.query;
      const page = pageOf(
        await proceedingsFor(svc, actorOf(req), { ...filter, limit: limit + 1, after: after?.[0] }),
        limit,
        (p) => [p.id],
      );
      return { ...page, items: page.items.map(withOverdue) };
    },
  );

  app.get(
    '/proceedings/:id',
    {
      config: { access, record: 'proceeding' },
      schema: {
        tags: ['proceedings'],
        summary: 'One proceeding with its stage history and overdue flag',
        params: IdParams,
        response: { 200: ProceedingView, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      return withOverdue(found(await proceedingFor(svc, actorOf(req), req.params.id), 'proceeding', req.params.id));
    },
  );

  app.get(
    '/visits',
    {
      config: { access },
      schema: {
        tags: ['visits'],
        summary: 'List monitoring visits with their recommendations',
        querystring: z.strictObject({
          facilityId: RecordKey.optional(),
          limit: LimitParam,
          after: cursorParam(1).optional(),
        }),
        response: { 200: pageOfSchema(VisitView), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { limit, after, facilityId } = req.query;
      return pageOf(await visitsOf(svc, { limit: limit + 1, after: after?.[0], facilityId }), limit, (v) => [v.id]);
    },
  );

  app.get(
    '/visits/:id',
    {
      config: { access, record: 'none' },
      schema: {
        tags: ['visits'],
        summary: 'One visit with its safeguards checklist and recommendations',
        params: IdParams,
        response: { 200: VisitView, ...ERROR_RESPONSES },
      },
    },
    async (req) => found(await visitOf(svc, req.params.id), 'visit', req.params.id),
  );
};
