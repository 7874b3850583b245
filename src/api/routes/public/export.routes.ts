import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/context.ts';
import { type Publisher, reviewerFor } from './publisher.ts';
import { publicExport } from '../../../services/public-export.service.ts';
import { presentPublicFacilityPage } from '../../presenters/public-facility.ts';
import { presentPublicStatement } from '../../presenters/public-statement.ts';
import { ERROR_RESPONSES } from '../../schemas.ts';
import { PublicExportSchema } from './public-schemas.ts';

/** `GET /public/export`: everything the public pages show, in one document from one snapshot. */
export const publicExportRoutes: FastifyPluginAsyncZod<{ svc: Services; publisher: Publisher }> = async (
  app,
  { svc, publisher },
) => {
  app.get(
    '/export',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary:
          'The public export: statistics, every facility page, every reviewed statement (with ClaimReview) and every reported figure',
        querystring: z.strictObject({}),
        response: { 200: PublicExportSchema, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const x = await publicExport(svc);
      reply.header('content-disposition', `attachment; filename="vigil-public-${x.generatedAt.slice(0, 10)}.json"`);
      return {
        ...x,
        facilities: x.facilities.map(presentPublicFacilityPage),
        statements: x.statements.map((s) => presentPublicStatement(s, reviewerFor(publisher, req))),
      };
    },
  );
};
