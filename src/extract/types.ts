/**
 * The output of `vigil extract`: facts proposed from an article, in the shape of the scenario's
 * expected.json (docs/extraction-format.md), where every proposed fact also carries the span of
 * text it came from and a confidence. Nothing here is a record: a person reviews each fact first.
 */
import { z } from 'zod';
import { DATE_PRECISIONS, FACILITY_KINDS, ORGANIZATION_KINDS, STATEMENT_STANCES } from '../domain/vocabularies.ts';

const ids = <T extends readonly { id: string }[]>(v: T) =>
  v.map((x) => x.id) as unknown as [T[number]['id'], ...T[number]['id'][]];

/** Character offsets into the input text, [start, end), in UTF-16 code units (JS string indices). */
export const Span = z.strictObject({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type Span = z.infer<typeof Span>;

/** What every proposed fact carries: where it came from and how sure the rule that found it is. */
const Proposed = {
  span: Span,
  confidence: z.number().min(0).max(1),
};

const FacilityKindId = z.enum(ids(FACILITY_KINDS));
const OrganizationKindId = z.enum(ids(ORGANIZATION_KINDS));
const StanceId = z.enum(ids(STATEMENT_STANCES));
const DatePrecisionId = z.enum(ids(DATE_PRECISIONS));

/** A place of detention named in the text ("pre-trial detention center LA-155/18", "СИЗО №1"). */
export const ExtractedFacility = z.strictObject({
  text: z.string(),
  kind: FacilityKindId,
  /** Institutional code or number as written, Latin letters for ЛА/LA codes ("LA-155/18", "№1"). */
  code: z.string().nullable(),
  /** Canonical English city name from the gazetteer ("Almaty"), or null. */
  city: z.string().nullable(),
  ...Proposed,
});
export type ExtractedFacility = z.infer<typeof ExtractedFacility>;

const PlaceType = z.enum(['country', 'region', 'city', 'district', 'other']);

/** A country, region or city; `name` is the gazetteer's canonical English name. */
export const ExtractedPlace = z.strictObject({
  name: z.string(),
  type: PlaceType,
  text: z.string(),
  ...Proposed,
});
export type ExtractedPlace = z.infer<typeof ExtractedPlace>;

/** A body: ministry, prosecutor's office, ombudsman, court, NGO, police department … */
export const ExtractedOrganization = z.strictObject({
  /** The name as the text gives it, completed with a following "of Kazakhstan"-type qualifier. */
  name: z.string(),
  /** Gazetteer id ("mvd_kz") when the body is known, else null. */
  canonical: z.string().nullable(),
  kind: OrganizationKindId,
  text: z.string(),
  ...Proposed,
});
export type ExtractedOrganization = z.infer<typeof ExtractedOrganization>;

/** A named person with their role as the text words it ("adviser to the minister"), or null. */
export const ExtractedPerson = z.strictObject({
  name: z.string(),
  role: z.string().nullable(),
  text: z.string(),
  ...Proposed,
});
export type ExtractedPerson = z.infer<typeof ExtractedPerson>;

/** Legal codes known to the extractor (gazetteers/legal-codes.json). */
const LegalCode = z.enum([
  'criminal_code',
  'criminal_procedure_code',
  'administrative_code',
  'penal_enforcement_code',
  'civil_code',
  'constitution',
  'convention_against_torture',
  'iccpr',
  'other',
]);

/** "ч. 2 ст. 146 УК РК" → { code: criminal_code, article: "146", part: "2" }. */
export const ExtractedLegalRef = z.strictObject({
  text: z.string(),
  code: LegalCode,
  article: z.string(),
  part: z.string().nullable(),
  /** Title or subject the text gives the article ("Torture"), lowercased, or null. */
  topic: z.string().nullable(),
  ...Proposed,
});
export type ExtractedLegalRef = z.infer<typeof ExtractedLegalRef>;

/** A number and what it counts ("27 reports of torture", "двадцать семь", "from 5 to 10 people"). */
export const ExtractedCount = z.strictObject({
  value: z.number(),
  /** Upper bound of a range ("5–10"), else absent. */
  value_max: z.number().optional(),
  what: z.string(),
  text: z.string(),
  ...Proposed,
});
export type ExtractedCount = z.infer<typeof ExtractedCount>;

/** A date, absolute or relative; `iso` is YYYY, YYYY-MM or YYYY-MM-DD when the year is stated, else null. */
export const ExtractedDate = z.strictObject({
  text: z.string(),
  iso: z.string().nullable(),
  precision: DatePrecisionId,
  /** For part_of_month: which part ("start" | "middle" | "end"). */
  part: z.enum(['start', 'middle', 'end']).optional(),
  /** Month 1–12 when the text names one and no year is stated. */
  month: z.number().int().min(1).max(12).optional(),
  ...Proposed,
});
export type ExtractedDate = z.infer<typeof ExtractedDate>;

/** Who said what, with stance; `speaker` is "article author" for the text's own voice. */
export const ExtractedStatement = z.strictObject({
  speaker: z.string(),
  stance: StanceId,
  gist: z.string(),
  /** The date the statement was made, as written, when the sentence gives one. */
  date: z.string().nullable(),
  ...Proposed,
});
export type ExtractedStatement = z.infer<typeof ExtractedStatement>;

/** Stages of the accountability funnel a figure may belong to (domain.md ST5). */
export const FunnelStage = z.enum(['reports', 'investigations', 'inquiries', 'charges', 'convictions', 'victims']);
export type FunnelStage = z.infer<typeof FunnelStage>;

/** A figure someone published about a stage of the funnel, with speaker and date (extension). */
export const ExtractedReportedFigure = z.strictObject({
  stage: FunnelStage,
  value: z.number(),
  what: z.string(),
  speaker: z.string().nullable(),
  date: z.string().nullable(),
  ...Proposed,
});
export type ExtractedReportedFigure = z.infer<typeof ExtractedReportedFigure>;

const Fact = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ ...shape, ...Proposed });

/** What a text says about the buildings and rooms of a facility (scenario: the ministry's denial). */
export const ExtractedFacilityLayout = z.strictObject({
  buildings: z.array(
    Fact({ label: z.string(), count: z.number(), floors: z.union([z.number(), z.string()]).nullable() }),
  ),
  cells: Fact({ value: z.number() }).nullable(),
  declared_rooms: z.array(
    Fact({
      label: z.string(),
      declared_use: z.array(z.string()),
      location: z.string().optional(),
      access: z.string().optional(),
    }),
  ),
  declared_safeguards: z.array(Fact({ text: z.string() })),
});
export type ExtractedFacilityLayout = z.infer<typeof ExtractedFacilityLayout>;

/**
 * The accountability funnel in the scenario's shape: snake_case keys whose names say the stage
 * (`reports_of_torture`, `pretrial_investigations_art_146`, `official_investigations`) → value.
 */
const ExtractedFunnel = z.record(z.string(), z.union([z.number(), z.string()]));

/** Where the text came from (`vigil extract` fills it in; `extract()` leaves it out). */
const ExtractionSource = z.strictObject({
  kind: z.enum(['file', 'url', 'text']),
  location: z.string(),
  title: z.string().nullable(),
});

/** The whole extraction of one article. */
export const Extraction = z.strictObject({
  source: ExtractionSource.optional(),
  language: z.enum(['en', 'ru', 'kk', 'other']),
  /** Length of the input text in UTF-16 code units: every span lies within [0, chars]. */
  chars: z.number().int().nonnegative(),
  facilities: z.array(ExtractedFacility),
  places: z.array(ExtractedPlace),
  organizations: z.array(ExtractedOrganization),
  people: z.array(ExtractedPerson),
  legal_refs: z.array(ExtractedLegalRef),
  counts: z.array(ExtractedCount),
  dates: z.array(ExtractedDate),
  facility_layout: ExtractedFacilityLayout.nullable(),
  statements: z.array(ExtractedStatement),
  /** Extension: the funnel figures one by one, each with speaker, date and span. */
  reported_figures: z.array(ExtractedReportedFigure),
  /** The funnel in the scenario's shape, derived from `reported_figures` (no spans: see them). */
  accountability_funnel: ExtractedFunnel.nullable(),
});
export type Extraction = z.infer<typeof Extraction>;

/** The names of the fact lists, in output order (the scored fields of the evaluation). */
export const FACT_FIELDS = [
  'facilities',
  'places',
  'organizations',
  'people',
  'legal_refs',
  'counts',
  'dates',
  'facility_layout',
  'statements',
  'accountability_funnel',
] as const;
export type FactField = (typeof FACT_FIELDS)[number];
