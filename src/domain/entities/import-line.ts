import { z } from 'zod';
import { AllegationInput } from './allegation.ts';
import { AreaInput, FacilityInput, OrganizationInput } from './facility.ts';
import { PersonImport } from './person.ts';
import { ProceedingInput, ProceedingStageInput } from './proceeding.ts';
import { EvidenceItemInput, SourceInput } from './source.ts';
import { ReportedFigureInput, StatementInput } from './statement.ts';
import { VisitInput } from './visit.ts';

/**
 * Record types an import file may hold, in the order their references allow: a line may refer
 * only to records defined on earlier lines or already in the database (by id or external id).
 */
export const IMPORT_TYPES = [
  'organization',
  'facility',
  'person',
  'source',
  'statement',
  'area',
  'reported_figure',
  'allegation',
  'evidence_item',
  'proceeding',
  'visit',
] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];

/** A proceeding with the stage history it went through after `complaint_filed` / `opened`. */
export const ProceedingImport = z.strictObject({
  ...ProceedingInput.shape,
  stages: z
    .array(ProceedingStageInput.omit({ version: true }))
    .max(100)
    .default([]),
});

/** The schema of each line's body, by its `type`. */
export const IMPORT_SCHEMAS = {
  organization: OrganizationInput,
  facility: FacilityInput,
  person: PersonImport,
  source: SourceInput,
  statement: StatementInput,
  area: AreaInput,
  reported_figure: ReportedFigureInput,
  allegation: AllegationInput,
  evidence_item: EvidenceItemInput,
  proceeding: ProceedingImport,
  visit: VisitInput,
} as const satisfies Record<ImportType, z.ZodType>;
