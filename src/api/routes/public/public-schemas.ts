/**
 * Response schemas of the public API. They are a second allow-list after the public
 * repositories: a field not named here is stripped from the response, whatever a presenter
 * hands over.
 */
import { z } from 'zod';
import { apiSchemas } from '../../schemas.ts';

function component<T extends z.ZodType>(id: string, schema: T): T {
  apiSchemas.add(schema, { id });
  return schema;
}

const PublicCountSchema = component(
  'PublicCount',
  z
    .union([z.number().int().nonnegative(), z.enum(['<5', 'suppressed', 'withheld'])])
    .describe(
      'A count; "<5" (1–4), "suppressed" (hidden so that a "<5" elsewhere cannot be worked out), or "withheld" (not shown: part of a count under 5, or of a breakdown that would give one away)',
    ),
);

const Source = z.object({
  kind: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  outlet: z.string().nullable(),
  publishedAt: z.string().nullable(),
});

const Rules = z.object({
  minimumCount: z.number().int(),
  counted: z.string(),
  markers: z.object({ '<5': z.string(), suppressed: z.string(), withheld: z.string() }),
  sums: z.string(),
});

const Provenance = z.object({ documented: z.string(), reported: z.string() });

export const ClaimReviewSchema = component(
  'ClaimReview',
  z
    .object({
      '@context': z.literal('https://schema.org'),
      '@type': z.literal('ClaimReview'),
      url: z.string(),
      claimReviewed: z.string(),
      datePublished: z.string().optional(),
      author: z.object({ '@type': z.literal('Organization'), name: z.string() }),
      reviewRating: z.object({
        '@type': z.literal('Rating'),
        alternateName: z.string(),
        ratingExplanation: z.string().optional(),
      }),
      itemReviewed: z.object({
        '@type': z.literal('Claim'),
        author: z.object({ '@type': z.enum(['Person', 'Organization']), name: z.string() }),
        datePublished: z.string().optional(),
        appearance: z
          .object({
            '@type': z.literal('CreativeWork'),
            headline: z.string(),
            url: z.string().optional(),
            datePublished: z.string().optional(),
            publisher: z.object({ '@type': z.literal('Organization'), name: z.string() }).optional(),
          })
          .optional(),
      }),
    })
    .describe('schema.org ClaimReview, JSON-LD'),
);

export const PublicStatementSchema = component(
  'PublicStatement',
  z.object({
    id: z.string(),
    speakerLabel: z.string(),
    speakerKind: z.enum(['person', 'organization']),
    statedOn: z.string().nullable(),
    statedPrecision: z.string(),
    statedText: z.string().nullable(),
    stance: z.string(),
    stanceLabel: z.string(),
    gist: z.string(),
    quote: z.string().nullable(),
    facility: z.object({ id: z.string(), name: z.string() }).nullable(),
    source: Source,
    review: z.object({
      rating: z.string(),
      ratingLabel: z.string(),
      publicReview: z.string().nullable().describe('The explanation the analyst wrote for publication'),
      reviewedAt: z.string().nullable(),
    }),
    claimReview: ClaimReviewSchema,
  }),
);

const StatementSummary = z.object({
  id: z.string(),
  speakerLabel: z.string(),
  statedOn: z.string().nullable(),
  stance: z.string(),
  stanceLabel: z.string(),
  gist: z.string(),
  rating: z.string(),
  ratingLabel: z.string(),
});

const PublicReportedFigureSchema = component(
  'PublicReportedFigure',
  z.object({
    id: z.string(),
    value: z.number(),
    valueMax: z.number().nullable(),
    counts: z.string(),
    countsLabel: z.string(),
    scope: z.string(),
    asOf: z.string().nullable(),
    asOfPrecision: z.string(),
    asOfText: z.string().nullable(),
    speakerLabel: z.string(),
    statementId: z.string().nullable().describe('The public statement the figure was given in'),
    source: Source,
  }),
);

const VigilCounterpart = z
  .object({ measure: z.string(), label: z.string(), count: PublicCountSchema, scope: z.string(), asOf: z.string() })
  .describe("Vigil's own count of the same thing, beside the figure: never added to it");

export const PublicReportedFiguresSchema = component(
  'PublicReportedFigures',
  z.object({
    generatedAt: z.string(),
    items: z.array(PublicReportedFigureSchema.extend({ vigil: VigilCounterpart.nullable() })),
    rules: Rules,
    provenance: Provenance,
  }),
);

export const PublicStatisticsSchema = component(
  'PublicStatistics',
  z.object({
    generatedAt: z.string(),
    allegations: z.object({
      total: PublicCountSchema,
      byFacility: z.array(
        z.object({ facilityId: z.string().nullable(), name: z.string().nullable(), count: PublicCountSchema }),
      ),
      byYear: z.array(z.object({ year: z.string().nullable(), count: PublicCountSchema })),
      byMonth: z.array(z.object({ year: z.string(), month: z.string().nullable(), count: PublicCountSchema })),
      byClassification: z.array(z.object({ classification: z.string(), label: z.string(), count: PublicCountSchema })),
      byAct: z.array(z.object({ act: z.string(), label: z.string(), count: PublicCountSchema })),
    }),
    funnel: z.object({
      complaints: PublicCountSchema,
      refused: PublicCountSchema,
      registered: PublicCountSchema.describe(
        'Criminal cases ever registered in the ERDR: what Vigil counts as criminal investigations',
      ),
      investigated: PublicCountSchema,
      indicted: PublicCountSchema,
      convicted: PublicCountSchema,
      internalInquiries: PublicCountSchema.describe('Counted apart, never added to criminal investigations'),
    }),
    reported: z
      .array(PublicReportedFigureSchema)
      .describe('Figures as others published them: listed, never summed or merged with Vigil counts'),
    rules: Rules,
    provenance: Provenance,
  }),
);

const Facility = z.object({
  id: z.string(),
  name: z.string(),
  nameRu: z.string().nullable(),
  kind: z.string(),
  kindLabel: z.string(),
  kindDetail: z.string().nullable(),
  code: z.string().nullable(),
  aliases: z.array(z.string()),
  authority: z.string().nullable(),
  region: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string(),
  capacity: z.number().nullable(),
  cells: z.number().nullable(),
});

export const PublicFacilitySummarySchema = component(
  'PublicFacilitySummary',
  Facility.extend({ counts: z.object({ allegations: PublicCountSchema }) }),
);

const AreaFields = z.object({
  id: z.string(),
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
});
type PublicAreaNodeShape = z.infer<typeof AreaFields> & { children: PublicAreaNodeShape[] };
const PublicAreaNodeSchema: z.ZodType<PublicAreaNodeShape> = component(
  'PublicAreaNode',
  AreaFields.extend({
    get children() {
      return z.array(PublicAreaNodeSchema);
    },
  }),
);

export const PublicFacilityPageSchema = component(
  'PublicFacilityPage',
  Facility.extend({
    generatedAt: z.string(),
    areas: z.array(PublicAreaNodeSchema),
    visits: z.array(
      z.object({
        visitDate: z.string(),
        body: z.string(),
        visitType: z.string(),
        mode: z.string(),
        findingsPublic: z.string().nullable(),
      }),
    ),
    statements: z.array(StatementSummary),
    counts: z.object({ allegations: PublicCountSchema, visits: z.number().int(), statements: z.number().int() }),
  }),
);

export const PublicExportSchema = component(
  'PublicExport',
  z.object({
    generatedAt: z.string(),
    statistics: PublicStatisticsSchema,
    facilities: z.array(PublicFacilityPageSchema),
    statements: z.array(PublicStatementSchema),
    reportedFigures: PublicReportedFiguresSchema,
  }),
);
