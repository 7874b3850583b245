import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/context.ts';
import { publicReportedFigures, publicStatistics } from '../../../services/public-statistics.service.ts';
import { ERROR_RESPONSES } from '../../schemas.ts';
import { PublicReportedFiguresSchema, PublicStatisticsSchema } from './public-schemas.ts';

// No filters, on purpose: two tables over overlapping periods would let a reader subtract one
// from the other and recover what both suppress. An unknown parameter is a 400, not ignored.
const NoQuery = z.strictObject({});

/** `GET /public/statistics` and `GET /public/reported-figures`. */
export const publicStatisticsRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/statistics',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary:
          'Documented counts (counts of 1–4 shown as "<5", with complementary suppression) and, apart, the figures others reported',
        querystring: NoQuery,
        response: { 200: PublicStatisticsSchema, ...ERROR_RESPONSES },
      },
    },
    async () => publicStatistics(svc),
  );

  app.get(
    '/reported-figures',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: "Figures others published, each beside Vigil's own count of the same thing (never summed)",
        querystring: NoQuery,
        response: { 200: PublicReportedFiguresSchema, ...ERROR_RESPONSES },
      },
    },
    async () => publicReportedFigures(svc),
  );
};
