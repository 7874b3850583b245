import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AllegationInput, ClassifyInput } from '../../../domain/entities/allegation.ts';
import { Line } from '../../../domain/entities/common.ts';
import { Identity, IdentityInput, PersonFields, PersonInput } from '../../../domain/entities/person.ts';
import { SourceInput } from '../../../domain/entities/source.ts';
import type { UserRole } from '../../../domain/vocabularies.ts';
import {
  classifyAllegation,
  createAllegation,
  TransitionRequest,
  transitionAllegationStatus,
} from '../../../services/allegation.service.ts';
import { updateAllegation } from '../../../services/allegation-update.service.ts';
import type { Services } from '../../../services/context.ts';
import { createPerson, revealIdentity, updatePerson } from '../../../services/person.service.ts';
import { updateSchema } from '../../../domain/update-schema.ts';
import { createSource, updateSource } from '../../../services/source.service.ts';
import { ERROR_RESPONSES, IdParams } from '../../schemas.ts';
import { actorOf, CreatedBody, idOf, UpdatedBody, visibleAllegationId } from './write-kit.ts';

/** The people who take reports in: documenters, analysts, monitors. */
const RECORDERS: readonly UserRole[] = ['documenter', 'analyst', 'monitor'];

/** Writes about cases: people (identities sealed), sources, allegations and their workflow. */
export const caseWriteRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  const created = { 201: CreatedBody, 200: CreatedBody, ...ERROR_RESPONSES };
  const updated = { 200: UpdatedBody, ...ERROR_RESPONSES };

  app.post(
    '/people',
    {
      config: { access: RECORDERS },
      schema: {
        tags: ['people'],
        summary: 'Record a person; identity fields are encrypted before they are stored',
        body: PersonInput,
        response: created,
      },
    },
    async (req, reply) => {
      const r = await createPerson(svc, actorOf(req), req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.patch(
    '/people/:id',
    {
      config: { access: RECORDERS, record: 'person' },
      schema: {
        tags: ['people'],
        summary: "Change a person's roles, custody, risk or identity",
        params: IdParams,
        body: updateSchema({ ...PersonFields.shape, identity: IdentityInput }),
        response: updated,
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'person', req.params.id);
      return { id, ...(await updatePerson(svc, actorOf(req), id, req.body)) };
    },
  );

  app.post(
    '/people/:id/identity',
    {
      config: { access: ['documenter', 'analyst'], record: 'person' },
      schema: {
        tags: ['people'],
        summary:
          "Reveal a person's identity: needs a reason, and is itself recorded in the audit log (who saw whose name, when, why)",
        params: IdParams,
        body: z.strictObject({ reason: Line }),
        response: { 200: Identity, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'person', req.params.id);
      return revealIdentity(svc, actorOf(req), id, req.body.reason);
    },
  );

  app.post(
    '/sources',
    {
      config: { access: RECORDERS },
      schema: {
        tags: ['sources'],
        summary: 'Record a source (testimony, post, article…) with its reliability and credibility',
        body: SourceInput,
        response: created,
      },
    },
    async (req, reply) => {
      const r = await createSource(svc, actorOf(req), req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.patch(
    '/sources/:id',
    {
      config: { access: RECORDERS, record: 'source' },
      schema: {
        tags: ['sources'],
        summary: 'Change a source or its ratings',
        params: IdParams,
        body: updateSchema(SourceInput.shape),
        response: updated,
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'source', req.params.id);
      return { id, ...(await updateSource(svc, actorOf(req), id, req.body)) };
    },
  );

  app.post(
    '/allegations',
    {
      config: { access: RECORDERS },
      schema: {
        tags: ['allegations'],
        summary: 'Record an allegation with its acts, victims, alleged perpetrators and sources; it starts as received',
        body: AllegationInput,
        response: created,
      },
    },
    async (req, reply) => {
      const r = await createAllegation(svc, actorOf(req), req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.patch(
    '/allegations/:id',
    {
      config: { access: ['documenter', 'analyst'], record: 'allegation' },
      schema: {
        tags: ['allegations'],
        summary: 'Change an allegation; lists given (acts, victims, perpetrators, sources) replace the stored ones',
        params: IdParams,
        body: updateSchema(AllegationInput.shape, ['verificationStatus', 'classification', 'classificationRationale']),
        response: updated,
      },
    },
    async (req) => {
      const id = await visibleAllegationId(svc, actorOf(req), req.params.id);
      return { id, ...(await updateAllegation(svc, actorOf(req), id, req.body)) };
    },
  );

  app.post(
    '/allegations/:id/transitions',
    {
      config: { access: ['documenter', 'analyst', 'admin'], record: 'allegation' },
      schema: {
        tags: ['allegations'],
        summary:
          'Move an allegation through verification; a step the workflow forbids is refused with state.transition_not_allowed. ' +
          'A step that needs two analysts approves another analyst’s open proposal (proposalId; proposal.* errors)',
        params: IdParams,
        body: TransitionRequest,
        response: { 200: z.object({ id: z.string(), status: z.string(), version: z.number() }), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const id = await visibleAllegationId(svc, actorOf(req), req.params.id);
      return { id, ...(await transitionAllegationStatus(svc, actorOf(req), id, req.body)) };
    },
  );

  app.post(
    '/allegations/:id/classification',
    {
      config: { access: ['analyst'], record: 'allegation' },
      schema: {
        tags: ['allegations'],
        summary:
          "Set the classification with a rationale; the CAT checklist's suggestion is returned beside the decision",
        params: IdParams,
        body: ClassifyInput,
        response: {
          200: z.object({
            id: z.string(),
            classification: z.string(),
            version: z.number(),
            suggestion: z
              .object({ suggestion: z.string(), blockers: z.array(z.string()), hint: z.unknown() })
              .nullable(),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (req) => {
      const id = await visibleAllegationId(svc, actorOf(req), req.params.id);
      return { id, ...(await classifyAllegation(svc, actorOf(req), id, req.body)) };
    },
  );
};
