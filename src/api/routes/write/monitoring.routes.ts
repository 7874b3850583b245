import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RecommendationTransitionInput, VisitTransitionInput } from '../../../domain/entities/visit.ts';
import type { Services } from '../../../services/context.ts';
import { transitionRecommendationStatus } from '../../../services/recommendation.service.ts';
import { transitionVisit } from '../../../services/visit.service.ts';
import { ERROR_RESPONSES, IdParams } from '../../schemas.ts';
import { actorOf, idOf } from './write-kit.ts';

const Transitioned = z.object({ id: z.string(), status: z.string(), version: z.number().int() });

/** The monitoring cycle: a visit's steps (domain.md 3.3) and its recommendations' follow-up (3.4), run by monitors. */
export const monitoringWriteRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.post(
    '/visits/:id/transitions',
    {
      config: { access: ['monitor'], record: 'none' },
      schema: {
        tags: ['visits'],
        summary:
          'Move a visit through its cycle (planned → conducted or cancelled → findings_drafted → report_sent → response_received → closed), ' +
          'recording what the step needs; a step the workflow forbids is refused with state.transition_not_allowed, a missing field with state.guard_failed',
        params: IdParams,
        body: VisitTransitionInput,
        response: { 200: Transitioned, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'visit', req.params.id);
      return { id, ...(await transitionVisit(svc, actorOf(req), id, req.body)) };
    },
  );

  app.post(
    '/recommendations/:id/transitions',
    {
      config: { access: ['monitor'], record: 'none' },
      schema: {
        tags: ['visits'],
        summary:
          'Follow a recommendation up (issued → accepted or rejected → in_progress → reported_implemented → implemented_verified or not_implemented); ' +
          "the authority's claim alone never verifies implementation",
        params: IdParams,
        body: RecommendationTransitionInput,
        response: { 200: Transitioned, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'recommendation', req.params.id);
      return { id, ...(await transitionRecommendationStatus(svc, actorOf(req), id, req.body)) };
    },
  );
};
