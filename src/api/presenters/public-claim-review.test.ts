import { describe, expect, it } from 'vitest';
import type { PublicStatement } from '../../services/public-statement.service.ts';
import { publisherFromEnv } from '../routes/public/publisher.ts';
import { type ClaimReviewJsonLd, claimReview } from './public-claim-review.ts';

/** The schema.org properties of each type a ClaimReview here uses (https://schema.org; inherited ones included). */
const PROPERTIES: Record<string, readonly string[]> = {
  ClaimReview: ['@context', '@type', 'url', 'claimReviewed', 'datePublished', 'author', 'reviewRating', 'itemReviewed'],
  Rating: ['@type', 'alternateName', 'ratingExplanation', 'ratingValue', 'bestRating', 'worstRating'],
  Claim: ['@type', 'author', 'datePublished', 'appearance', 'firstAppearance'],
  CreativeWork: ['@type', 'headline', 'url', 'datePublished', 'publisher'],
  Organization: ['@type', 'name'],
  Person: ['@type', 'name'],
};

/** Every object with a `@type` uses only its type's properties; the problems found, as paths. */
function schemaProblems(node: unknown, at = '$'): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const o = node as Record<string, unknown>;
  const type = o['@type'];
  const allowed = typeof type === 'string' ? PROPERTIES[type] : undefined;
  const own = allowed
    ? Object.keys(o)
        .filter((k) => !allowed.includes(k))
        .map((k) => `${at}.${k} is not a property of ${String(type)}`)
    : [`${at} has no known @type`];
  return [
    ...own,
    ...Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? schemaProblems(v, `${at}.${k}`) : [])),
  ];
}

/**
 * What fact-check markup needs: `claimReviewed`, `reviewRating` with a textual or numeric rating
 * and `url` (required); the reviewer, the review's date, and the claim with its author, date and
 * where it appeared, by address (recommended).
 */
function missing(r: ClaimReviewJsonLd): string[] {
  const need: Array<[string, unknown]> = [
    ['url', r.url],
    ['claimReviewed', r.claimReviewed],
    ['reviewRating.alternateName', r.reviewRating.alternateName],
    ['author.name', r.author.name],
    ['datePublished', r.datePublished],
    ['itemReviewed.author.name', r.itemReviewed.author.name],
    ['itemReviewed.datePublished', r.itemReviewed.datePublished],
    ['itemReviewed.appearance.url', r.itemReviewed.appearance?.url],
  ];
  return need.filter(([, v]) => typeof v !== 'string' || v === '').map(([k]) => k);
}

const STATEMENT: PublicStatement = {
  id: 'st/1 ü',
  speakerLabel: 'Ministry of Internal Affairs, press service',
  speakerKind: 'organization',
  statedOn: '2022-02-03',
  statedPrecision: 'day',
  statedText: null,
  stance: 'denial',
  gist: 'There is no torture room in the basement',
  quote: null,
  facility: null,
  source: {
    kind: 'news_article',
    title: 'The ministry denies torture cells',
    url: 'https://news.example/article',
    outlet: 'News',
    publishedAt: '2022-02-03',
  },
  review: {
    rating: 'contradicted',
    publicReview: 'Two detainees describe the room',
    reviewedAt: '2022-03-01T10:00:00Z',
  },
};

describe('ClaimReview JSON-LD', () => {
  it('has every required and recommended property, and only schema.org properties of each type', () => {
    const r = claimReview(STATEMENT, { name: 'Monitor', siteUrl: 'https://monitor.example' });
    expect(missing(r)).toEqual([]);
    expect(schemaProblems(r)).toEqual([]);
    expect(r.url).toBe('https://monitor.example/statements/st%2F1%20%C3%BC');
    expect(r.itemReviewed.appearance?.url).toBe('https://news.example/article');
  });

  it('leaves out what the source does not have, never a made-up value', () => {
    const r = claimReview(
      { ...STATEMENT, statedOn: null, source: { ...STATEMENT.source, url: null } },
      { name: 'Monitor', siteUrl: 'https://monitor.example' },
    );
    expect(missing(r)).toEqual(['itemReviewed.datePublished', 'itemReviewed.appearance.url']);
    expect(schemaProblems(r)).toEqual([]);
  });
});

describe('the public site address', () => {
  it('is read from VIGIL_PUBLIC_URL without a trailing slash, and refused when it is not an http(s) address', () => {
    expect(publisherFromEnv({})).toEqual({ name: 'Vigil' });
    expect(publisherFromEnv({ VIGIL_PUBLISHER_NAME: 'KIBHR', VIGIL_PUBLIC_URL: 'https://m.example/vigil/' })).toEqual({
      name: 'KIBHR',
      siteUrl: 'https://m.example/vigil',
    });
    for (const bad of ['m.example', 'ftp://m.example', 'https://m.example/?a=1', 'https://u:p@m.example'])
      expect(() => publisherFromEnv({ VIGIL_PUBLIC_URL: bad }), bad).toThrow(/VIGIL_PUBLIC_URL|http\(s\)/);
  });
});
