/**
 * An analyst's review of a statement against the evidence: the allegations documented at the
 * facility it speaks about (their verification status and classification), its own source, and
 * the rating with an internal rationale and, apart from it, the text that is published with the statement.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../../api/client.ts';
import { useSession } from '../../../session.tsx';
import { SelectField, TextArea, TextField, termOptions } from '../components/form.tsx';
import { fetchAll } from '../components/format.ts';
import { Done, ErrorNote, Loading } from '../components/status.tsx';
import type { Allegation, Statement } from '../components/types.ts';
import { useLoad } from '../components/use-load.ts';
import { useVocab } from '../../../i18n/vocab.ts';

const SUPPORTING = new Set(['corroborated', 'partially_corroborated']);

/** The evidence beside a statement, and the review form for analysts. */
export function ReviewPanel({ statement, onDone }: { statement: Statement; onDone(): void }) {
  const { t } = useTranslation('statements');
  const vocab = useVocab();
  const { user } = useSession();
  const evidence = useLoad(statement.facilityId ? `evidence:${statement.facilityId}` : null, () =>
    fetchAll<Allegation>(`/allegations?facilityId=${encodeURIComponent(statement.facilityId ?? '')}`, 3),
  );
  const [rating, setRating] = useState(statement.review?.rating ?? '');
  const [rationale, setRationale] = useState('');
  const [publicReview, setPublicReview] = useState(statement.review?.publicReview ?? '');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const items = evidence.data ?? [];
  const supporting = items.filter((a) => SUPPORTING.has(a.verificationStatus));
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setDone(false);
    try {
      await api('POST', `/statements/${encodeURIComponent(statement.id)}/review`, {
        rating,
        rationale: rationale.trim(),
        ...(publicReview.trim() ? { publicReview: publicReview.trim() } : {}),
        version: statement.version,
      });
      setDone(true);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="review-panel">
      <h3>{t('review.evidence')}</h3>
      {!statement.facilityId ? <p className="muted">{t('review.noFacility')}</p> : null}
      {evidence.loading ? <Loading /> : null}
      <ErrorNote error={evidence.error} />
      {statement.facilityId && evidence.data ? (
        <>
          <p>{t('review.counts', { all: items.length, supporting: supporting.length })}</p>
          {items.length > 0 ? (
            <ul>
              {items.map((a) => (
                <li key={a.id}>
                  <Link to={`/work/allegations/${encodeURIComponent(a.id)}`}>{a.title}</Link>{' '}
                  <span className="muted">
                    — {vocab.label('verification_status', a.verificationStatus)};{' '}
                    {vocab.label('classification', a.classification)}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
      {user?.role === 'analyst' ? (
        <form onSubmit={save}>
          <fieldset>
            <legend>{t('review.title')}</legend>
            <SelectField
              label={t('review.rating')}
              required
              value={rating}
              empty={t('form.choose')}
              options={termOptions(vocab.terms('review_rating'), (id) => vocab.label('review_rating', id))}
              onChange={setRating}
            />
            <TextField
              label={t('review.rationale')}
              hint={t('review.rationaleHint')}
              required
              value={rationale}
              onChange={setRationale}
            />
            <TextArea
              label={t('review.publicReview')}
              hint={t('review.publicReviewHint')}
              value={publicReview}
              onChange={setPublicReview}
              rows={4}
            />
            <ErrorNote error={error} />
            {done ? <Done>{t('review.saved')}</Done> : null}
            <button type="submit" className="primary" disabled={!rating || !rationale.trim()}>
              {t('review.save')}
            </button>
          </fieldset>
        </form>
      ) : (
        <p className="hint">{t('review.analystOnly')}</p>
      )}
    </div>
  );
}
