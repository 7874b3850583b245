import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Facility } from '../../domain/entities/facility.ts';
import { FacilityKindSchema } from '../../domain/vocabularies.ts';
import type { Services } from '../../services/context.ts';
import { findFacilityWithAreas, listFacilityPage } from '../../services/facility.service.ts';
import { LimitParam, cursorParam, pageOf } from '../cursor.ts';
import { found } from '../errors.ts';
import { areaTree } from '../presenters/area-tree.ts';
import { ERROR_RESPONSES, FacilityDetail, IdParams, pageOfSchema } from '../schemas.ts';

const ListQuery = z.strictObject({
  kind: FacilityKindSchema.optional(),
  city: z.string().max(200).optional(),
  limit: LimitParam,
  after: cursorParam(2).optional(),
});

/** `GET /facilities` and `GET /facilities/:id`: the registry of places of detention. */
export const facilityRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/facilities',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['facilities'],
        summary: 'List facilities by name',
        querystring: ListQuery,
        response: { 200: pageOfSchema(Facility), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { limit, after, kind, city } = req.query;
      const rows = await listFacilityPage(svc, {
        limit: limit + 1,
        kind,
        city,
        after: after && { name: after[0], id: after[1] },
      });
      return pageOf(rows, limit, (f) => [f.name, f.id]);
    },
  );

  app.get(
    '/facilities/:id',
    {
      config: { access: 'authenticated', record: 'none' },
      schema: {
        tags: ['facilities'],
        summary: 'One facility with its areas (building → floor → room), their declared use and who declared it',
        params: IdParams,
        response: { 200: FacilityDetail, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { facility, areas } = found(await findFacilityWithAreas(svc, req.params.id), 'facility', req.params.id);
      return { ...facility, areas: areaTree(areas) };
    },
  );
};
