import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VOCABULARIES } from '../../domain/vocabularies.ts';
import { ERROR_RESPONSES, apiSchemas } from '../schemas.ts';

/** A term: stable id, English and Russian labels, and any attribute the vocabulary adds (an act's `group`). */
const Term = z.looseObject({ id: z.string(), en: z.string(), ru: z.string() });
apiSchemas.add(Term, { id: 'Term' });

const Vocabularies = z
  .record(z.string(), z.array(Term).readonly())
  .describe('Every controlled vocabulary by name, e.g. `act_kind`');

/** `GET /vocabularies`: the controlled vocabularies with their labels, for clients to render ids. */
export const vocabularyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/vocabularies',
    {
      config: { access: 'public' },
      schema: {
        tags: ['vocabularies'],
        summary: 'All controlled vocabularies with English and Russian labels',
        response: { 200: Vocabularies, ...ERROR_RESPONSES },
      },
    },
    async (_req, reply) => {
      // The catalogue is code, identical for every request until the next deploy.
      reply.header('cache-control', 'public, max-age=300');
      return VOCABULARIES;
    },
  );
};
