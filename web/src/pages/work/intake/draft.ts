/**
 * The intake form's draft: what the documenter typed, kept in localStorage so a reload or a lost
 * connection loses nothing. Nothing is added to it beyond the typed fields, it is keyed by the
 * signed-in user, and it is removed once the allegation is saved, at sign-out and when the
 * session has ended.
 *
 * Identity fields (the victim's name and contacts, the perpetrator's name) are never stored:
 * localStorage is plain text on the laptop's disk, readable by anyone who takes the laptop, and
 * these are the fields Vigil otherwise keeps only encrypted. They stay in the open form only.
 */
import type { Period } from '../../../../../src/domain/entities/common.ts';
import { DRAFT_PREFIX } from '../../../drafts.ts';

export type Precision = 'day' | 'month' | 'part_of_month' | 'year' | 'unknown';
export type MonthPart = 'early' | 'mid' | 'end';

export interface SourceDraft {
  key: string;
  kind: string;
  title: string;
  url: string;
  outlet: string;
  handle: string;
  publishedAt: string;
  relation: string;
  reliability: string;
  credibility: string;
  summary: string;
}

export interface IntakeDraft {
  /** Makes the external ids of this report's records, so a retried submit does not duplicate them. */
  draftId: string;
  title: string;
  summary: string;
  precision: Precision;
  day: string;
  dayEnd: string;
  month: string;
  part: MonthPart;
  year: string;
  periodText: string;
  placeMode: 'registry' | 'new';
  facilityId: string;
  areaId: string;
  newAreaLabel: string;
  newFacilityName: string;
  newFacilityKind: string;
  newFacilityCity: string;
  victimName: string;
  victimContacts: string;
  victimCustody: string;
  victimRisk: string;
  perpetratorKind: string;
  perpetratorIsUnit: boolean;
  perpetratorName: string;
  acts: string[];
  otherActDescription: string;
  consent: string[];
  sensitivity: string;
  risk: string;
  sources: SourceDraft[];
}

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** An empty source line of the form. */
export function emptySource(): SourceDraft {
  return {
    key: newKey(),
    kind: 'relative_report',
    title: '',
    url: '',
    outlet: '',
    handle: '',
    publishedAt: '',
    relation: 'reports',
    reliability: 'F',
    credibility: '6',
    summary: '',
  };
}

/** A fresh, empty report. */
export function emptyDraft(): IntakeDraft {
  return {
    draftId: newKey(),
    title: '',
    summary: '',
    precision: 'day',
    day: '',
    dayEnd: '',
    month: '',
    part: 'end',
    year: '',
    periodText: '',
    placeMode: 'registry',
    facilityId: '',
    areaId: '',
    newAreaLabel: '',
    newFacilityName: '',
    newFacilityKind: 'pretrial_detention',
    newFacilityCity: '',
    victimName: '',
    victimContacts: '',
    victimCustody: 'unknown',
    victimRisk: 'low',
    perpetratorKind: '',
    perpetratorIsUnit: false,
    perpetratorName: '',
    acts: [],
    otherActDescription: '',
    consent: [],
    sensitivity: 'internal',
    risk: 'low',
    sources: [emptySource()],
  };
}

const keyFor = (userId: string) => `${DRAFT_PREFIX}${userId}`;

/** The fields left out of the stored draft (see the module comment). */
const IDENTITY_FIELDS = [
  'victimName',
  'victimContacts',
  'perpetratorName',
] as const satisfies readonly (keyof IntakeDraft)[];

/** The draft as stored: the identity fields emptied. */
export function storedForm(draft: IntakeDraft): IntakeDraft {
  const copy = { ...draft };
  for (const f of IDENTITY_FIELDS) copy[f] = '';
  return copy;
}

/** The saved draft of `userId`, or null. */
export function readDraft(userId: string): IntakeDraft | null {
  try {
    const raw = localStorage.getItem(keyFor(userId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<IntakeDraft>;
    // Fields added since the draft was saved get their empty values; identity fields a draft saved by an older version may hold are dropped.
    return storedForm({
      ...emptyDraft(),
      ...parsed,
      sources: (parsed.sources ?? []).map((s) => ({ ...emptySource(), ...s })),
    });
  } catch {
    return null;
  }
}

/** Saves the draft without its identity fields; storage full or disabled is not worth interrupting the documenter for. */
export function writeDraft(userId: string, draft: IntakeDraft): void {
  try {
    localStorage.setItem(keyFor(userId), JSON.stringify(storedForm(draft)));
  } catch {
    /* the form still works without a saved draft */
  }
}

/** Forgets the draft (after submit, or when discarded). */
export function clearDraft(userId: string): void {
  try {
    localStorage.removeItem(keyFor(userId));
  } catch {
    /* nothing to clear */
  }
}

function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0');
}

const PART_DAYS: Record<MonthPart, [string, string | null]> = {
  early: ['01', '10'],
  mid: ['11', '20'],
  end: ['21', null],
};

/**
 * The period as the API takes it, from what the form holds. "End of January 2022" is
 * `{ start: '2022-01-21', end: '2022-01-31', precision: 'part_of_month', text }`; `partText`
 * words a part of a month in the reader's language when the documenter gave no wording.
 */
export function periodOf(d: IntakeDraft, partText: (part: MonthPart, month: string) => string): Period {
  const text = d.periodText.trim() || undefined;
  switch (d.precision) {
    case 'day':
      if (!d.day) return { precision: 'unknown', ...(text ? { text } : {}) };
      return {
        precision: 'day',
        start: d.day,
        end: d.dayEnd && d.dayEnd >= d.day ? d.dayEnd : d.day,
        ...(text ? { text } : {}),
      };
    case 'month':
      if (!d.month) return { precision: 'unknown', ...(text ? { text } : {}) };
      return { precision: 'month', start: d.month, end: d.month, ...(text ? { text } : {}) };
    case 'part_of_month': {
      if (!d.month) return { precision: 'unknown', ...(text ? { text } : {}) };
      const [from, to] = PART_DAYS[d.part];
      return {
        precision: 'part_of_month',
        start: `${d.month}-${from}`,
        end: `${d.month}-${to ?? lastDayOf(d.month)}`,
        text: text ?? partText(d.part, d.month),
      };
    }
    case 'year':
      if (!/^\d{4}$/.test(d.year)) return { precision: 'unknown', ...(text ? { text } : {}) };
      return { precision: 'year', start: d.year, end: d.year, ...(text ? { text } : {}) };
    default:
      return { precision: 'unknown', ...(text ? { text } : {}) };
  }
}
