import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { APP_CSP } from './auth/security-headers.ts';

/** Where `npm run build:web` puts the web app (dist/web at the repository root). */
const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');

export interface WebAppOptions {
  /** The built app (default {@link WEB_DIST}). */
  root?: string;
}

// Paths that belong to the API or the server itself: never answered with the app's page.
const NOT_APP = /^\/(?:api|health)(?:\/|$)/;

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Vigil</title>
<p>The web app has not been built. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it), then reload.
The API is at <a href="/api/docs">/api/docs</a>.</p></html>`;

/**
 * Serves the web app from the same process as the API: hashed assets from `dist/web/assets`
 * (cached for a year; their names change with their content), and the app's page for every
 * other GET that is not an API path, so addresses like /facilities/… load the app, which then
 * routes on the client. The page carries its own content security policy (APP_CSP); everything
 * else keeps the API's.
 */
export async function webApp(app: FastifyInstance, opts: WebAppOptions): Promise<void> {
  const root = opts.root ?? WEB_DIST;
  const assets = path.join(root, 'assets');
  const hasAssets = await fs.stat(assets).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (hasAssets) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      immutable: true,
      maxAge: '365d',
      index: false,
      // The build writes .br and .gz beside each file (scripts/web-build.ts): sent as the browser accepts.
      preCompressed: true,
      // The app's files only: nothing hidden, no directory listings.
      serveDotFiles: false,
      decorateReply: false,
    });
  }

  const page = async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.url.split('?')[0] ?? '/';
    // API paths keep their JSON 404; a missing file (favicon.ico, an old asset) is a 404 too, not the page.
    if (NOT_APP.test(url) || /\.[a-z0-9]+$/i.test(url)) return reply.callNotFound();
    const html = await fs.readFile(path.join(root, 'index.html'), 'utf8').catch(() => null);
    reply
      .header('content-security-policy', APP_CSP)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8');
    // Read on every request (it is small): a rebuild shows up without a restart.
    if (html === null) return reply.code(503).send(NOT_BUILT);
    return reply.send(html);
  };
  app.get('/', { schema: { hide: true } }, page);
  app.get('/*', { schema: { hide: true } }, page);
}
