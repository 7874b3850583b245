/** Shapes of the API answers the work pages read: the domain's own types, so they follow the server. */
import type { Allegation } from '../../../../../src/domain/entities/allegation.ts';
import type { Area, Facility } from '../../../../../src/domain/entities/facility.ts';
import type { Proceeding } from '../../../../../src/domain/entities/proceeding.ts';
import type { Source } from '../../../../../src/domain/entities/source.ts';
import type { Statement } from '../../../../../src/domain/entities/statement.ts';
import type { User } from '../../../../../src/domain/entities/user.ts';
import type { Visit } from '../../../../../src/domain/entities/visit.ts';

export type { Allegation, Facility, Source, Statement, User };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AllegationDetail extends Allegation {
  people: { id: string; pseudonym: string }[];
}

export type AreaNode = Area & { children: AreaNode[] };
export type FacilityDetail = Facility & { areas: AreaNode[] };

export interface ProceedingView extends Proceeding {
  overdue: { overdue: boolean; rule?: string; due?: string };
}

export interface Recommendation {
  id: string;
  text: string;
  addressee: string;
  deadline: string;
  status: string;
  version: number;
}

export interface VisitView extends Visit {
  recommendations: Recommendation[];
}

export interface Created {
  id: string;
  created: boolean;
}

export interface Updated {
  id: string;
  version: number;
}

/** What `POST /evidence` answers. */
export interface EvidenceUploaded {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  duplicate: boolean;
}

/** A preserved file as a list of evidence shows it (fields beyond these are ignored). */
export interface EvidenceItem {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  originalName?: string | null;
  sourceId?: string | null;
  capturedAt?: string | null;
  copyKind?: 'original' | 'working';
  createdAt?: string;
}

export interface Identity {
  name: string | null;
  birthDate: string | null;
  contacts: string | null;
  notes: string | null;
}
