import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/context.ts';
import { publicFacilities, publicFacility } from '../../../services/public-facility.service.ts';
import { LimitParam, cursorParam, pageOf } from '../../cursor.ts';
import { found } from '../../errors.ts';
import { presentPublicFacility, presentPublicFacilityPage } from '../../presenters/public-facility.ts';
import { ERROR_RESPONSES, IdParams, pageOfSchema } from '../../schemas.ts';
import { PublicFacilityPageSchema, PublicFacilitySummarySchema } from './public-schemas.ts';

const ListQuery = z.strictObject({ limit: LimitParam, after: cursorParam(2).optional() });

/** `GET /public/facilities` and `GET /public/facilities/:id`. */
export const publicFacilityRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/facilities',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary:
          'Places of detention by name, each with its documented allegation count (suppressed like all public counts)',
        querystring: ListQuery,
        response: { 200: pageOfSchema(PublicFacilitySummarySchema), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { limit, after } = req.query;
      const rows = await publicFacilities(svc, {
        limit: limit + 1,
        ...(after ? { after: { name: after[0], id: after[1] } } : {}),
      });
      return pageOf(rows.map(presentPublicFacility), limit, (f) => [f.name, f.id]);
    },
  );

  app.get(
    '/facilities/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary:
          'A facility page: layout with declared use and who declared it, published visit findings, reviewed statements, counts',
        params: IdParams,
        response: { 200: PublicFacilityPageSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) =>
      presentPublicFacilityPage(found(await publicFacility(svc, req.params.id), 'facility', req.params.id)),
  );
};
