/** Shapes of the public API's answers (src/api/routes/public/public-schemas.ts), as the pages read them. */
import type { PublicCount } from '../../components/count-cell.tsx';

interface PublicSource {
  kind: string;
  title: string;
  url: string | null;
  outlet: string | null;
  publishedAt: string | null;
}

interface CountRules {
  minimumCount: number;
  counted: string;
  markers: Record<string, string>;
  sums: string;
}

interface ReportedFigure {
  id: string;
  value: number;
  valueMax: number | null;
  counts: string;
  countsLabel: string;
  scope: string;
  asOf: string | null;
  asOfPrecision: string;
  asOfText: string | null;
  speakerLabel: string;
  statementId: string | null;
  source: PublicSource;
}

export interface ReportedFigureWithVigil extends ReportedFigure {
  vigil: { measure: string; label: string; count: PublicCount; scope: string; asOf: string } | null;
}

export interface PublicStatistics {
  generatedAt: string;
  allegations: {
    total: PublicCount;
    byFacility: { facilityId: string | null; name: string | null; count: PublicCount }[];
    byYear: { year: string | null; count: PublicCount }[];
    byMonth: { year: string; month: string | null; count: PublicCount }[];
    byClassification: { classification: string; label: string; count: PublicCount }[];
    byAct: { act: string; label: string; count: PublicCount }[];
  };
  funnel: Record<
    'complaints' | 'refused' | 'registered' | 'investigated' | 'indicted' | 'convicted' | 'internalInquiries',
    PublicCount
  >;
  reported: ReportedFigure[];
  rules: CountRules;
  provenance: { documented: string; reported: string };
}

export interface PublicFacilitySummary {
  id: string;
  name: string;
  nameRu: string | null;
  kind: string;
  kindLabel: string;
  kindDetail: string | null;
  code: string | null;
  aliases: string[];
  authority: string | null;
  region: string | null;
  city: string | null;
  country: string;
  capacity: number | null;
  cells: number | null;
  counts: { allegations: PublicCount };
}

export interface PublicAreaNode {
  id: string;
  parentId: string | null;
  level: string;
  label: string;
  labelRu: string | null;
  count: number | null;
  floors: string | null;
  location: string | null;
  access: string | null;
  declaredUse: string[];
  declaredBy: string | null;
  declaredInStatementId: string | null;
  children: PublicAreaNode[];
}

interface StatementSummary {
  id: string;
  speakerLabel: string;
  statedOn: string | null;
  stance: string;
  stanceLabel: string;
  gist: string;
  rating: string;
  ratingLabel: string;
}

export interface PublicFacilityPage extends Omit<PublicFacilitySummary, 'counts'> {
  generatedAt: string;
  areas: PublicAreaNode[];
  visits: { visitDate: string; body: string; visitType: string; mode: string; findingsPublic: string | null }[];
  statements: StatementSummary[];
  counts: { allegations: PublicCount; visits: number; statements: number };
}

export interface PublicStatement {
  id: string;
  speakerLabel: string;
  speakerKind: 'person' | 'organization';
  statedOn: string | null;
  statedPrecision: string;
  statedText: string | null;
  stance: string;
  stanceLabel: string;
  gist: string;
  quote: string | null;
  facility: { id: string; name: string } | null;
  source: PublicSource;
  review: { rating: string; ratingLabel: string; publicReview: string | null; reviewedAt: string | null };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
