import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SEARCH_ENTITY_TYPES, SearchInput, search, type SearchResponse } from '../../services/search.service.ts';
import type { Services } from '../../services/context.ts';
import { actorOf } from '../auth/access.ts';
import { ERROR_RESPONSES, apiSchemas } from '../schemas.ts';

const FacetEntry = z.object({
  value: z.string().describe('The filter value to pass back'),
  label: z.string(),
  count: z.number().int(),
});

const SearchResults = z.object({
  total: z.number().int().describe('Matches with every filter applied'),
  results: z.array(
    z.object({
      entityType: z.enum(SEARCH_ENTITY_TYPES),
      entityId: z.string(),
      title: z.string(),
      snippet: z.string().describe('Excerpt around the first match, matching words wrapped in «»'),
      score: z.number().describe('Relevance, higher is better; comparable only within one result list'),
    }),
  ),
  facets: z
    .object({
      facility: z.array(FacetEntry),
      classification: z.array(FacetEntry),
      status: z.array(FacetEntry),
      year: z.array(FacetEntry),
      type: z.array(FacetEntry),
    })
    .describe('Counts over the whole match set, each with every filter applied except its own'),
  emptyQuery: z.boolean().describe('True when the query had no searchable word'),
}) satisfies z.ZodType<SearchResponse>;
apiSchemas.add(SearchResults, { id: 'SearchResults' });

/** `GET /search?q=…`: full-text search over facilities, sources, statements and allegations, with facets. */
export const searchRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/search',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['search'],
        summary: 'Search in English and Russian, in Cyrillic or Latin script (ЛА-155/18 finds LA-155/18)',
        querystring: SearchInput,
        response: { 200: SearchResults, ...ERROR_RESPONSES },
      },
    },
    async (req) => search(svc, req.query, actorOf(req)),
  );
};
