import type { FastifyRequest } from 'fastify';
import { VigilError } from '../../../domain/errors.ts';
import type { Reviewer } from '../../presenters/public-claim-review.ts';

/** Who publishes the reviews (ClaimReview `author`), and the public site's address when it is configured. */
export interface Publisher {
  name: string;
  /** `VIGIL_PUBLIC_URL`: where the public pages are served (`https://monitor.example.org`), no trailing slash. */
  siteUrl?: string;
}

/**
 * VIGIL_PUBLISHER_NAME (default "Vigil") and VIGIL_PUBLIC_URL. A public URL that is not an http(s)
 * address without query or fragment is refused at start (`config.invalid`), never used.
 */
export function publisherFromEnv(env: NodeJS.ProcessEnv = process.env): Publisher {
  const name = env.VIGIL_PUBLISHER_NAME?.trim() || 'Vigil';
  const raw = env.VIGIL_PUBLIC_URL?.trim();
  if (!raw) return { name };
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password)
    throw new VigilError(
      'config.invalid',
      `must be the http(s) address of the public site, such as https://monitor.example.org (got ${JSON.stringify(raw)})`,
      { path: 'VIGIL_PUBLIC_URL' },
    );
  return { name, siteUrl: url.href.replace(/\/+$/, '') };
}

/**
 * The reviewer of an answer: the configured public site, or else the address this request came to
 * (right for a server reached directly; behind a proxy, set VIGIL_PUBLIC_URL).
 */
export function reviewerFor(publisher: Publisher, req: FastifyRequest): Reviewer {
  return { name: publisher.name, siteUrl: publisher.siteUrl ?? `${req.protocol}://${req.host}` };
}
