import { REVIEW_RATINGS, STATEMENT_STANCES } from '../../domain/vocabularies.ts';
import type { PublicStatement } from '../../services/public-statement.service.ts';

/** A schema.org `ClaimReview` (https://schema.org/ClaimReview) as JSON-LD. Absent facts are left out, never null. */
export interface ClaimReviewJsonLd {
  '@context': 'https://schema.org';
  '@type': 'ClaimReview';
  /** The page of this review on the instance's public site. */
  url: string;
  claimReviewed: string;
  datePublished?: string;
  author: { '@type': 'Organization'; name: string };
  reviewRating: { '@type': 'Rating'; alternateName: string; ratingExplanation?: string };
  itemReviewed: {
    '@type': 'Claim';
    author: { '@type': 'Person' | 'Organization'; name: string };
    datePublished?: string;
    appearance?: {
      '@type': 'CreativeWork';
      headline: string;
      url?: string;
      datePublished?: string;
      publisher?: { '@type': 'Organization'; name: string };
    };
  };
}

/** Who publishes the reviews, and where: the organization's name and the public site's address (no trailing slash). */
export interface Reviewer {
  name: string;
  siteUrl: string;
}

/** The public page of a statement on the reviewer's site: `SITE/statements/ID`. */
function statementPageUrl(reviewer: Reviewer, id: string): string {
  return `${reviewer.siteUrl}/statements/${encodeURIComponent(id)}`;
}

/** The English label of a vocabulary id (the id itself if unknown). */
function labelOf(list: readonly { id: string; en: string }[], id: string): string {
  return list.find((t) => t.id === id)?.en ?? id;
}

/** The label of a review rating ("Contradicted by evidence"). */
export function ratingLabel(rating: string): string {
  return labelOf(REVIEW_RATINGS, rating);
}

/** The label of a statement stance ("Denial"). */
export function stanceLabel(stance: string): string {
  return labelOf(STATEMENT_STANCES, stance);
}

/**
 * A reviewed statement as schema.org ClaimReview: the claim (its gist) by its speaker — a Person
 * when the speaker is an official recorded as a person, else an Organization (a ministry's press
 * service, "relatives of detainees") — where it appeared (with its address when the source has
 * one), and the rating by the reviewer, the organization running this Vigil, on the statement's
 * page of its public site (`url`). The rating is textual (`alternateName`): Vigil's ratings are
 * not points on a numeric scale, so no `ratingValue` is invented.
 *
 * @example
 *   claimReview(statement, { name: 'Vigil', siteUrl: 'https://vigil.example' }).reviewRating.alternateName;
 *   // 'Contradicted by evidence'
 */
export function claimReview(s: PublicStatement, reviewer: Reviewer): ClaimReviewJsonLd {
  const reviewedOn = s.review.reviewedAt?.slice(0, 10);
  const source = s.source;
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: statementPageUrl(reviewer, s.id),
    claimReviewed: s.gist,
    ...(reviewedOn ? { datePublished: reviewedOn } : {}),
    author: { '@type': 'Organization', name: reviewer.name },
    reviewRating: {
      '@type': 'Rating',
      alternateName: ratingLabel(s.review.rating),
      ...(s.review.publicReview ? { ratingExplanation: s.review.publicReview } : {}),
    },
    itemReviewed: {
      '@type': 'Claim',
      author: { '@type': s.speakerKind === 'person' ? 'Person' : 'Organization', name: s.speakerLabel },
      ...(s.statedOn ? { datePublished: s.statedOn } : {}),
      appearance: {
        '@type': 'CreativeWork',
        headline: source.title,
        ...(source.url ? { url: source.url } : {}),
        ...(source.publishedAt ? { datePublished: source.publishedAt } : {}),
        ...(source.outlet ? { publisher: { '@type': 'Organization', name: source.outlet } } : {}),
      },
    },
  };
}
