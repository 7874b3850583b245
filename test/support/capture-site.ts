/**
 * A small web site on 127.0.0.1 for capture tests: an article, redirects, a slow page, a huge
 * page, a PDF, a 404, a compressed page and a redirect loop.
 *
 *   const site = await startCaptureSite();
 *   await captureUrl(svc, actor, site.url('/article'), { allowPrivate: true });
 *   await site.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** The article's body text: readable text must hold it, and none of the navigation. */
export const ARTICLE_SENTENCE =
  'Former detainees described being held in a semi-basement room without windows for several days.';
export const NAV_TEXT = 'Subscribe to our newsletter';

export const ARTICLE_HTML = `<!doctype html>
<html lang="ru-KZ"><head><meta charset="utf-8"><title>Semi-basement cells at LA-155/18 — Example News</title>
<meta property="og:site_name" content="Example News"></head>
<body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/subscribe">${NAV_TEXT}</a></nav></header>
<main><article>
<h1>Semi-basement cells at LA-155/18</h1>
<p class="byline">By A. Reporter</p>
<p>${ARTICLE_SENTENCE} They said guards came at night and that the room had no bed, no toilet and no light switch inside.</p>
<p>The ministry denied that any such room exists. A spokesman said the semi-basement floors hold only the heating plant and the communications equipment, and that all 230 cells meet the standards.</p>
<p>Lawyers for two of the men filed complaints with the prosecutor's office in February. Neither has received an answer, they said, and no pre-trial investigation has been registered so far.</p>
<p>Отдельно родственники задержанных сообщили о давлении при допросах.</p>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Unrelated story one</a></li><li><a href="/b">Unrelated story two</a></li></ul></aside>
<footer><p>© Example News. ${NAV_TEXT}.</p></footer>
</body></html>`;

/** A minimal valid one-page PDF. */
export const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
    '3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

export interface CaptureSite {
  server: Server;
  url(path: string): string;
  close(): Promise<void>;
}

/** Starts the site on 127.0.0.1 at a free port. */
export async function startCaptureSite(): Promise<CaptureSite> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    switch (path) {
      case '/article':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-served-by': 'capture-site' });
        return res.end(ARTICLE_HTML);
      case '/old':
        res.writeHead(301, { location: '/moved' });
        return res.end();
      case '/moved':
        res.writeHead(302, { location: '/article#top' });
        return res.end('moved');
      case '/loop':
        res.writeHead(302, { location: '/loop' });
        return res.end();
      case '/to-file':
        res.writeHead(302, { location: 'file:///etc/passwd' });
        return res.end();
      case '/slow':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<!doctype html><html><body><p>first part');
        return void setTimeout(() => res.end('</p></body></html>'), 5000).unref();
      case '/huge': {
        // No Content-Length: the limit must be enforced on the bytes as they arrive.
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < 4 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        return pump();
      }
      case '/huge-declared':
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(1024 * 1024 * 1024),
        });
        return res.end();
      case '/report.pdf':
        res.writeHead(200, { 'content-type': 'application/pdf' });
        return res.end(PDF_BYTES);
      case '/compressed':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
        return res.end(gzipSync(ARTICLE_HTML));
      default:
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(
          '<!doctype html><html><head><title>Not found</title></head><body><h1>Page not found</h1><p>The page you requested has been removed.</p></body></html>',
        );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: (p) => `http://127.0.0.1:${port}${p}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
