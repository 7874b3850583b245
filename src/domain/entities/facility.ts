import { z } from 'zod';
import { AreaLevelSchema, FacilityKindSchema, OrganizationKindSchema } from '../vocabularies.ts';
import { Line, RecordKey, RecordMeta, Text } from './common.ts';

/** A place of detention, with aliases in several scripts ("LA-155/18", "ЛА-155/18", "СИЗО ЛА-155/18"). */
export const FacilityInput = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  name: Line,
  nameRu: Line.optional(),
  kind: FacilityKindSchema,
  kindDetail: Line.optional(),
  code: Line.optional(),
  aliases: z.array(Line).max(50).default([]),
  authority: Line.optional(),
  region: Line.optional(),
  city: Line.optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter country code')
    .default('KZ'),
  capacity: z.number().int().nonnegative().optional(),
  cells: z.number().int().nonnegative().optional(),
  notes: Text.optional(),
});
export type FacilityInput = z.input<typeof FacilityInput>;

export const Facility = RecordMeta.extend({
  name: z.string(),
  nameRu: z.string().nullable(),
  kind: z.string(),
  kindDetail: z.string().nullable(),
  code: z.string().nullable(),
  aliases: z.array(z.string()),
  authority: z.string().nullable(),
  region: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string(),
  capacity: z.number().nullable(),
  cells: z.number().nullable(),
  notes: z.string().nullable(),
});
export type Facility = z.infer<typeof Facility>;

/** A part of a facility (building → floor → room/cell) with its declared use and who declared it. */
export const AreaInput = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  facilityId: RecordKey,
  parentId: RecordKey.optional(),
  level: AreaLevelSchema,
  label: Line,
  labelRu: Line.optional(),
  count: z.number().int().positive().optional(),
  floors: Line.optional(),
  location: Line.optional(),
  access: Line.optional(),
  declaredUse: z.array(Line).max(50).default([]),
  declaredBy: Line.optional(),
  declaredInStatementId: RecordKey.optional(),
  notes: Text.optional(),
});
export type AreaInput = z.input<typeof AreaInput>;

export const Area = RecordMeta.extend({
  facilityId: z.string(),
  parentId: z.string().nullable(),
  level: z.string(),
  label: z.string(),
  labelRu: z.string().nullable(),
  count: z.number().nullable(),
  floors: z.string().nullable(),
  location: z.string().nullable(),
  access: z.string().nullable(),
  declaredUse: z.array(z.string()),
  declaredBy: z.string().nullable(),
  declaredInStatementId: z.string().nullable(),
  notes: z.string().nullable(),
});
export type Area = z.infer<typeof Area>;

/** A ministry, prosecutor's office, ombudsman, court, NGO… */
export const OrganizationInput = z.strictObject({
  id: RecordKey.optional(),
  externalId: RecordKey.optional(),
  name: Line,
  nameRu: Line.optional(),
  kind: OrganizationKindSchema,
  aliases: z.array(Line).max(50).default([]),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter country code')
    .optional(),
});
export type OrganizationInput = z.input<typeof OrganizationInput>;
