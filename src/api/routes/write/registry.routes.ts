import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AreaInput, FacilityInput, OrganizationInput } from '../../../domain/entities/facility.ts';
import type { UserRole } from '../../../domain/vocabularies.ts';
import type { Services } from '../../../services/context.ts';
import {
  createArea,
  createFacility,
  createOrganization,
  updateArea,
  updateFacility,
  updateOrganization,
} from '../../../services/facility.service.ts';
import { updateSchema } from '../../../domain/update-schema.ts';
import { ERROR_RESPONSES, IdParams } from '../../schemas.ts';
import { actorOf, CreatedBody, idOf, UpdatedBody } from './write-kit.ts';

/** Who keeps the registry of places: monitors, and analysts who tie allegations to rooms. */
const REGISTRY_KEEPERS: readonly UserRole[] = ['monitor', 'analyst'];

/** Writes to the registry of facilities, their areas (building → floor → room) and organizations. */
export const registryWriteRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  const created = { 201: CreatedBody, 200: CreatedBody, ...ERROR_RESPONSES };
  const updated = { 200: UpdatedBody, ...ERROR_RESPONSES };

  app.post(
    '/facilities',
    {
      config: { access: REGISTRY_KEEPERS },
      schema: {
        tags: ['facilities'],
        summary: 'Record a facility (an existing external id answers 200 with created: false)',
        body: FacilityInput,
        response: created,
      },
    },
    async (req, reply) => {
      const r = await createFacility(svc, actorOf(req), req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.patch(
    '/facilities/:id',
    {
      config: { access: REGISTRY_KEEPERS, record: 'none' },
      schema: {
        tags: ['facilities'],
        summary: 'Change a facility (send the version you read)',
        params: IdParams,
        body: updateSchema(FacilityInput.shape),
        response: updated,
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'facility', req.params.id);
      return { id, ...(await updateFacility(svc, actorOf(req), id, req.body)) };
    },
  );

  app.post(
    '/areas',
    {
      config: { access: REGISTRY_KEEPERS },
      schema: {
        tags: ['facilities'],
        summary: 'Record a building, floor, room or cell of a facility',
        body: AreaInput,
        response: created,
      },
    },
    async (req, reply) => {
      const r = await createArea(svc, actorOf(req), req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.patch(
    '/areas/:id',
    {
      config: { access: REGISTRY_KEEPERS, record: 'none' },
      schema: {
        tags: ['facilities'],
        summary: 'Change an area (its declared use, who declared it, its place in the tree)',
        params: IdParams,
        body: updateSchema(AreaInput.shape, ['facilityId']),
        response: updated,
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'area', req.params.id);
      return { id, ...(await updateArea(svc, actorOf(req), id, req.body)) };
    },
  );

  app.post(
    '/organizations',
    {
      config: { access: [...REGISTRY_KEEPERS, 'documenter'] },
      schema: {
        tags: ['organizations'],
        summary: 'Record an organization',
        body: OrganizationInput,
        response: created,
      },
    },
    async (req, reply) => {
      const r = await createOrganization(svc, actorOf(req), req.body);
      return reply.code(r.created ? 201 : 200).send(r);
    },
  );

  app.patch(
    '/organizations/:id',
    {
      config: { access: [...REGISTRY_KEEPERS, 'documenter'], record: 'none' },
      schema: {
        tags: ['organizations'],
        summary: 'Change an organization',
        params: IdParams,
        body: updateSchema(OrganizationInput.shape),
        response: updated,
      },
    },
    async (req) => {
      const id = await idOf(svc, actorOf(req), 'organization', req.params.id);
      return { id, ...(await updateOrganization(svc, actorOf(req), id, req.body)) };
    },
  );
};
