/**
 * Saves a report as records, in the order the API needs them: place (when new), people, sources,
 * then the allegation that links them. Every record carries an external id made from the draft,
 * so submitting again after a failure links what was already saved instead of duplicating it.
 */
import { api } from '../../../api/client.ts';
import type { Created } from '../components/types.ts';
import { periodOf, type IntakeDraft, type MonthPart } from './draft.ts';

export interface SaveOptions {
  /** Analysts and monitors keep the registry; a documenter's new place goes into the summary. */
  mayAddPlaces: boolean;
  lang: string;
  partText(part: MonthPart, month: string): string;
  /** Words for a place that is not in the registry, added to the summary. */
  placeNote(text: string): string;
  /** Called before each step, for the progress line. */
  onStep?(step: 'place' | 'people' | 'sources' | 'allegation'): void;
}

export interface Saved {
  allegationId: string;
  /** Source ids in the order of the form's sources that were saved (blank ones skipped). */
  sourceIds: (string | null)[];
}

const post = (path: string, body: unknown) => api<Created>('POST', path, body);
const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Records the report; resolves to the allegation's id and the sources' ids. */
export async function saveReport(d: IntakeDraft, o: SaveOptions): Promise<Saved> {
  const ext = (part: string) => `intake:${d.draftId}:${part}`;
  const notes: string[] = [];

  o.onStep?.('place');
  let facilityId = d.placeMode === 'registry' ? opt(d.facilityId) : undefined;
  let areaId = d.placeMode === 'registry' && d.areaId !== '__new' ? opt(d.areaId) : undefined;
  if (d.placeMode === 'new' && opt(d.newFacilityName)) {
    if (o.mayAddPlaces) {
      facilityId = (
        await post(
          '/facilities',
          clean({
            externalId: ext('facility'),
            name: d.newFacilityName.trim(),
            kind: d.newFacilityKind || 'other',
            city: opt(d.newFacilityCity),
          }),
        )
      ).id;
    } else {
      notes.push(
        [d.newFacilityName, d.newFacilityCity, d.newAreaLabel]
          .map((s) => s.trim())
          .filter(Boolean)
          .join(', '),
      );
    }
  }
  const wantsNewArea = (d.placeMode === 'new' || d.areaId === '__new') && opt(d.newAreaLabel);
  if (wantsNewArea && facilityId && o.mayAddPlaces) {
    const label = d.newAreaLabel.trim();
    areaId = (
      await post(
        '/areas',
        clean({
          externalId: ext('area'),
          facilityId,
          level: 'room',
          label,
          labelRu: o.lang.startsWith('ru') ? label : undefined,
        }),
      )
    ).id;
  } else if (wantsNewArea && d.placeMode === 'registry') {
    notes.push(d.newAreaLabel.trim());
  }

  o.onStep?.('people');
  const identity = clean({ name: opt(d.victimName), contacts: opt(d.victimContacts) });
  const victimId = (
    await post(
      '/people',
      clean({
        externalId: ext('victim'),
        roles: ['victim'],
        custody: d.victimCustody,
        risk: d.victimRisk,
        identity: Object.keys(identity).length ? identity : undefined,
      }),
    )
  ).id;
  let perpetrator: { personId: string; perpetratorKind?: string } | undefined;
  if (opt(d.perpetratorKind) || opt(d.perpetratorName)) {
    const personId = (
      await post(
        '/people',
        clean({
          externalId: ext('perpetrator'),
          roles: ['alleged_perpetrator'],
          perpetratorKind: opt(d.perpetratorKind),
          isUnit: d.perpetratorIsUnit,
          identity: opt(d.perpetratorName) ? { name: d.perpetratorName.trim() } : undefined,
        }),
      )
    ).id;
    perpetrator = clean({ personId, perpetratorKind: opt(d.perpetratorKind) });
  }

  o.onStep?.('sources');
  const sourceIds: (string | null)[] = [];
  const links: { sourceId: string; relation: string }[] = [];
  for (const s of d.sources) {
    if (!opt(s.title)) {
      sourceIds.push(null);
      continue;
    }
    const id = (
      await post(
        '/sources',
        clean({
          externalId: ext(`source:${s.key}`),
          kind: s.kind,
          title: s.title.trim(),
          url: opt(s.url),
          outlet: opt(s.outlet),
          handle: opt(s.handle),
          publishedAt: opt(s.publishedAt),
          reliability: s.reliability,
          credibility: s.credibility,
          summary: opt(s.summary),
          collectedAt: new Date().toISOString(),
        }),
      )
    ).id;
    sourceIds.push(id);
    links.push({ sourceId: id, relation: s.relation });
  }

  o.onStep?.('allegation');
  const summary = [d.summary.trim(), ...notes.filter(Boolean).map(o.placeNote)].filter(Boolean).join('\n\n');
  const allegation = await post(
    '/allegations',
    clean({
      externalId: ext('allegation'),
      title: d.title.trim(),
      summary: summary || undefined,
      period: periodOf(d, o.partText),
      facilityId,
      areaId,
      acts: d.acts.map((kind) =>
        clean({
          kind,
          victimId,
          areaId,
          description: kind === 'other' ? opt(d.otherActDescription) : undefined,
        }),
      ),
      victims: [{ personId: victimId }],
      perpetrators: perpetrator ? [perpetrator] : [],
      sources: links,
      consent: d.consent,
      sensitivity: d.sensitivity,
      risk: d.risk,
    }),
  );
  return { allegationId: allegation.id, sourceIds };
}
