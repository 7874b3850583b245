import type { PublicStatement } from '../../services/public-statement.service.ts';
import { claimReview, ratingLabel, type Reviewer, stanceLabel } from './public-claim-review.ts';

/** A public statement with labels and its ClaimReview JSON-LD. */
export function presentPublicStatement(s: PublicStatement, reviewer: Reviewer) {
  return {
    id: s.id,
    speakerLabel: s.speakerLabel,
    speakerKind: s.speakerKind,
    statedOn: s.statedOn,
    statedPrecision: s.statedPrecision,
    statedText: s.statedText,
    stance: s.stance,
    stanceLabel: stanceLabel(s.stance),
    gist: s.gist,
    quote: s.quote,
    facility: s.facility,
    source: s.source,
    review: {
      rating: s.review.rating,
      ratingLabel: ratingLabel(s.review.rating),
      publicReview: s.review.publicReview,
      reviewedAt: s.review.reviewedAt,
    },
    claimReview: claimReview(s, reviewer),
  };
}

/** A public statement as a line on a facility page. */
export function presentPublicStatementSummary(s: PublicStatement) {
  return {
    id: s.id,
    speakerLabel: s.speakerLabel,
    statedOn: s.statedOn,
    stance: s.stance,
    stanceLabel: stanceLabel(s.stance),
    gist: s.gist,
    rating: s.review.rating,
    ratingLabel: ratingLabel(s.review.rating),
  };
}
