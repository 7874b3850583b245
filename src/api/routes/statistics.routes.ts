import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ReportedFigureView } from '../../domain/entities/statement.ts';
import type { Services } from '../../services/context.ts';
import { actorOf } from '../auth/access.ts';
import { StatisticsInput, statistics, type StatisticsReport } from '../../services/statistics.service.ts';
import { ERROR_RESPONSES, apiSchemas } from '../schemas.ts';

const Count = z.number().int();
const PeriodCount = z.object({ period: z.string().nullable(), count: Count });

const Statistics = z.object({
  generatedAt: z.string(),
  filters: z.object({ from: z.string().nullable(), to: z.string().nullable(), facilityId: z.string().nullable() }),
  documented: z.object({
    allegations: z.object({
      total: Count.describe('Allegations recorded in Vigil, duplicates excluded'),
      duplicatesExcluded: Count,
      byFacility: z.array(z.object({ facilityId: z.string().nullable(), name: z.string().nullable(), count: Count })),
      byYear: z.array(PeriodCount),
      byMonth: z.array(PeriodCount),
      byAct: z
        .array(z.object({ act: z.string(), label: z.string(), count: Count }))
        .describe('An allegation alleging several acts counts under each'),
      byClassification: z.array(z.object({ classification: z.string(), label: z.string(), count: Count })),
      byStatus: z.array(z.object({ status: z.string(), label: z.string(), count: Count })),
    }),
    funnel: z
      .object({
        complaints: Count,
        refused: Count,
        registered: Count.describe('Criminal cases ever registered: what Vigil counts as criminal investigations'),
        investigated: Count,
        indicted: Count,
        convicted: Count,
        internalInquiries: Count.describe('Counted apart, never added to criminal investigations'),
      })
      .describe("Vigil's own proceedings, by the furthest step each ever reached"),
  }),
  reported: z
    .array(ReportedFigureView)
    .describe('Figures as others published them: listed, never summed or merged with Vigil counts'),
  provenance: z.object({ documented: z.string(), reported: z.string() }),
}) satisfies z.ZodType<StatisticsReport>;
apiSchemas.add(Statistics, { id: 'Statistics' });

/** `GET /statistics`: Vigil's documented counts and, side by side but apart, the figures others reported. */
export const statisticsRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/statistics',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['statistics'],
        summary: 'Documented counts and reported figures, optionally for a period (`from`, `to`) or a facility',
        querystring: StatisticsInput,
        response: { 200: Statistics, ...ERROR_RESPONSES },
      },
    },
    async (req) => statistics(svc, actorOf(req), req.query),
  );
};
