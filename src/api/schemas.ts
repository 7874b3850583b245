import { z } from 'zod';
import { Allegation } from '../domain/entities/allegation.ts';
import { RecordKey } from '../domain/entities/common.ts';
import { Area, Facility } from '../domain/entities/facility.ts';
import { ReportedFigure, Statement } from '../domain/entities/statement.ts';
import { ErrorBody } from './errors.ts';

/**
 * Schemas the OpenAPI document names as components. A registry of its own, not zod's global
 * one: the domain schemas stay free of HTTP naming, and nothing else can collide with these ids.
 */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

function component<T extends z.ZodType>(id: string, schema: T): T {
  apiSchemas.add(schema, { id });
  return schema;
}

component('Error', ErrorBody);
component('Facility', Facility);
component('Allegation', Allegation);
component('Statement', Statement);
component('ReportedFigure', ReportedFigure);

/** An area with the areas inside it: building → floor → room/cell. */
export type AreaNode = Area & { children: AreaNode[] };
export const AreaNode: z.ZodType<AreaNode> = component(
  'AreaNode',
  Area.extend({
    get children() {
      return z.array(AreaNode);
    },
  }),
);

/** A facility with its areas as a tree. */
export const FacilityDetail = component('FacilityDetail', Facility.extend({ areas: z.array(AreaNode) }));

/** How people appear to anyone without need-to-know: an id and a pseudonym (`V-0007`), never an identity. */
const PersonRef = component('PersonRef', z.object({ id: z.string(), pseudonym: z.string() }));

/** An allegation with the pseudonyms of the people it names. */
export const AllegationDetail = component('AllegationDetail', Allegation.extend({ people: z.array(PersonRef) }));

/** One page of a keyset-paged list. */
export function pageOfSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `after` to get the next page; null on the last page'),
  });
}

/** `/:id` — a record id or external id. */
export const IdParams = z.strictObject({ id: RecordKey.describe('Record id or external id') });

/** The error responses every route can give. */
export const ERROR_RESPONSES = { '4xx': ErrorBody, '5xx': ErrorBody } as const;
