import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * Security headers for every response (helmet). The API answers JSON only, so its content
 * security policy allows nothing at all: a response rendered by mistake as a page can run no
 * script, load nothing and be framed by no one. Referrers are never sent (a URL may name a record).
 */
export const API_HELMET: FastifyHelmetOptions = {
  global: true,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
};

/**
 * The policy of the API docs page (Swagger UI at /api/docs): its own scripts, styles and the
 * OpenAPI document from this origin, images inlined as data URIs; no inline script, no eval, no
 * third party, no framing. Checked in headless Chromium: the page renders with no CSP violation.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // The one <style> element Swagger UI 5 injects, by hash; every other inline style stays blocked.
  "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/**
 * The policy of the web app's pages: scripts, styles, fonts and API calls from this origin only;
 * no inline script or eval; images from this origin or inlined; no framing. Style attributes set
 * by script (charts size their canvas) go through the CSSOM, which style-src does not restrict.
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
