import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CaptureInput, captureUrl } from '../../services/capture.service.ts';
import type { Services } from '../../services/context.ts';
import { ERROR_RESPONSES } from '../schemas.ts';
import { actorOf } from './write/write-kit.ts';

/** What a capture answers: the new source, the stored items, and what the web server did. */
const CapturedBody = z.object({
  sourceId: z.string(),
  title: z.string(),
  requestedUrl: z.string(),
  finalUrl: z.string().describe('The address the body came from, after redirects'),
  status: z.number().int().describe('HTTP status of the final response; a 404 or 410 is stored too'),
  redirects: z.array(z.object({ url: z.string(), status: z.number().int(), location: z.string() })),
  capturedAt: z.string().describe('When the final response arrived (UTC)'),
  mediaType: z.string(),
  screenshot: z.enum(['stored', 'missing']),
  screenshotMissing: z
    .string()
    .nullable()
    .describe('Why there is no screenshot: no_browser, not_html, disabled, too_large or failed'),
  items: z.array(
    z.object({
      id: z.string(),
      role: z.enum(['body', 'decoded', 'headers', 'readable', 'screenshot', 'pdf']),
      sha256: z.string(),
      size: z.number().int(),
      mediaType: z.string(),
      copyKind: z.enum(['original', 'working']),
      parentSha256: z.string().nullable(),
      linked: z.boolean(),
    }),
  ),
});

/**
 * Whether captures may reach loopback and private networks. Off unless VIGIL_CAPTURE_ALLOW_PRIVATE=1:
 * otherwise anyone allowed to capture could make the server fetch its own network (SSRF). Read
 * at each request so a deployment (or a test) can change it without a restart.
 */
function capturePrivateAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.VIGIL_CAPTURE_ALLOW_PRIVATE === '1';
}

/** `POST /captures`: preserve a web page as evidence. */
export const captureRoutes: FastifyPluginAsyncZod<{ svc: Services; allowPrivate?: boolean }> = async (
  app,
  { svc, allowPrivate },
) => {
  app.post(
    '/captures',
    {
      config: { access: ['admin', 'analyst', 'documenter', 'monitor'] },
      schema: {
        tags: ['evidence'],
        summary:
          'Capture a web page: its body as received, headers, readable text, and a screenshot and PDF when Chromium is installed',
        description:
          'Fetches the address (http or https only; 30 s and 50 MiB limits; up to 10 redirects) and records a new source with an evidence item ' +
          'per stored file and their custody events. Any final status is stored, a 404 included. Addresses on loopback, private or reserved ' +
          'networks are refused (`capture.address_refused`) unless the server runs with VIGIL_CAPTURE_ALLOW_PRIVATE=1. The request waits ' +
          'for the capture, a few seconds with the browser.',
        body: CaptureInput,
        response: { 201: CapturedBody, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { url, ...links } = req.body;
      const captured = await captureUrl(svc, actorOf(req), url, {
        ...links,
        allowPrivate: allowPrivate ?? capturePrivateAllowed(),
      });
      return reply.code(201).send(captured);
    },
  );
};
