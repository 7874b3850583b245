/** "Where": a facility and room from the registry, or a place that is not in it yet. */
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { RadioGroup, SelectField, TextField, termOptions } from '../components/form.tsx';
import { collator } from '../components/format.ts';
import { facilityName, flattenAreas, loadFacilities } from '../components/registry.ts';
import { ErrorNote, Loading } from '../components/status.tsx';
import type { FacilityDetail } from '../components/types.ts';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';
import type { IntakeDraft } from './draft.ts';

/** The place fields of the intake form; `mayAddPlaces` says whether a new place becomes a registry record. */
export function PlaceFields({
  d,
  set,
  mayAddPlaces,
}: {
  d: IntakeDraft;
  set(patch: Partial<IntakeDraft>): void;
  mayAddPlaces: boolean;
}) {
  const { t, i18n } = useTranslation('intake');
  const lang = i18n.language ?? 'en';
  const vocab = useVocab();
  const facilities = useLoad('facilities', () => loadFacilities());
  const detail = useLoad(d.placeMode === 'registry' && d.facilityId ? `facility:${d.facilityId}` : null, () =>
    api<FacilityDetail>('GET', `/facilities/${encodeURIComponent(d.facilityId)}`),
  );
  const sort = collator(lang);
  const facilityOptions = (facilities.data ?? [])
    .map((f) => ({ value: f.id, label: facilityName(f, lang) }))
    .sort((a, b) => sort.compare(a.label, b.label));
  const areaOptions = flattenAreas(detail.data?.areas ?? [], lang).map(({ area, depth, path }) => ({
    value: area.id,
    // Indentation shows the tree inside a native select; the full path keeps it unambiguous.
    label: `${'\u00a0\u00a0'.repeat(depth)}${path.join(' › ')}`,
  }));

  return (
    <div className="place">
      <RadioGroup
        legend={t('where.mode')}
        name="placeMode"
        inline
        value={d.placeMode}
        onChange={(v) => set({ placeMode: v as IntakeDraft['placeMode'] })}
        options={[
          { value: 'registry', label: t('where.fromRegistry') },
          { value: 'new', label: t('where.newPlace') },
        ]}
      />
      {d.placeMode === 'registry' ? (
        <div className="row">
          {facilities.loading ? <Loading /> : null}
          <ErrorNote error={facilities.error} />
          <SelectField
            label={t('where.facility')}
            value={d.facilityId}
            empty={t('where.chooseFacility')}
            options={facilityOptions}
            onChange={(facilityId) => set({ facilityId, areaId: '' })}
          />
          <SelectField
            label={t('where.area')}
            hint={d.facilityId ? t('where.areaHint') : t('where.areaNeedsFacility')}
            value={d.areaId}
            empty={t('where.noArea')}
            options={[...areaOptions, { value: '__new', label: t('where.areaNotListed') }]}
            onChange={(areaId) => set({ areaId })}
          />
          {d.areaId === '__new' ? (
            <TextField
              label={t('where.newArea')}
              hint={mayAddPlaces ? t('where.newAreaHint') : t('where.noteHint')}
              value={d.newAreaLabel}
              onChange={(newAreaLabel) => set({ newAreaLabel })}
            />
          ) : null}
          <ErrorNote error={detail.error} />
        </div>
      ) : (
        <div className="row">
          <TextField
            label={t('where.newFacility')}
            value={d.newFacilityName}
            onChange={(newFacilityName) => set({ newFacilityName })}
          />
          <SelectField
            label={t('where.kind')}
            value={d.newFacilityKind}
            options={termOptions(vocab.terms('facility_kind'), (id) => vocab.label('facility_kind', id))}
            onChange={(newFacilityKind) => set({ newFacilityKind })}
          />
          <TextField
            label={t('where.city')}
            value={d.newFacilityCity}
            onChange={(newFacilityCity) => set({ newFacilityCity })}
          />
          <TextField
            label={t('where.newArea')}
            value={d.newAreaLabel}
            onChange={(newAreaLabel) => set({ newAreaLabel })}
          />
          <p className="hint">{mayAddPlaces ? t('where.newPlaceHint') : t('where.noteHint')}</p>
        </div>
      )}
    </div>
  );
}
