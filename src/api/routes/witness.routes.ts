import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InstanceFingerprint, SignedHeadBody } from '../../domain/entities/signed-head.ts';
import { VigilError, isVigilError } from '../../domain/errors.ts';
import type { Services } from '../../services/context.ts';
import { heldHeadFor, receivePartnerHead } from '../../services/witness/held-heads.service.ts';
import { ERROR_RESPONSES, apiSchemas } from '../schemas.ts';

apiSchemas.add(SignedHeadBody, { id: 'SignedHead' });

const Stored = z.object({
  status: z
    .enum(['stored', 'already_held'])
    .describe('`stored`: a new head; `already_held`: this very head was held already'),
  head: SignedHeadBody,
});

const Alarm = z.object({
  kind: z.string().describe('witness.key_changed, witness.head_conflict or witness.head_backwards'),
  head: SignedHeadBody,
  receivedAt: z.string(),
  message: z.string(),
});

const Held = z.object({
  head: SignedHeadBody.describe('The latest head held of the instance'),
  receivedAt: z.string(),
  alarms: z.array(Alarm).describe('Heads refused because they contradict what is held, newest first (at most 100)'),
  earlier: z
    .array(SignedHeadBody)
    .describe('With `before`: held heads with a lower sequence, newest first (at most 500); otherwise empty'),
  nextBefore: z
    .number()
    .int()
    .nullable()
    .describe('Pass as `before` for the (next) page of earlier heads; null when there are no more'),
});

const HeldQuery = z.strictObject({
  before: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .optional()
    .describe('Also answer held heads with a sequence below this one'),
});

/** The witness token's id: these routes are `access: 'witness'`, so the credential is always one. */
function witnessTokenOf(credential: { kind: string; tokenId?: string } | null): string {
  if (credential?.kind !== 'token' || !credential.tokenId)
    throw new VigilError('auth.forbidden', 'needs an API token with the witness scope');
  return credential.tokenId;
}

/**
 * Partner instances witness this one's chain and this one theirs (docs/witnesses.md): a partner
 * delivers its signed heads here with the witness token made for it, and reads back the latest.
 * Only tokens with the witness scope reach these routes, and such a token reaches nothing else.
 */
export const witnessRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  app.post(
    '/witness/heads',
    {
      config: { access: 'witness' },
      bodyLimit: 4 * 1024,
      schema: {
        tags: ['witness'],
        summary: "Hold a partner instance's signed head (for API tokens with the witness scope)",
        description:
          "The signature must check with the key the head carries (422 `witness.signature_invalid`). The first head a token delivers pins the partner's key. A head signed by another key (409 `witness.key_changed`), with another hash at a sequence held (409 `witness.head_conflict`) or with a lower sequence than held (409 `witness.head_backwards`) is refused and kept as an alarm: held heads are never overwritten.",
        body: SignedHeadBody,
        response: { 200: Stored, 201: Stored, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const tokenId = witnessTokenOf(req.credential);
      try {
        const r = await receivePartnerHead(svc, tokenId, req.body);
        return reply.code(r.status === 'stored' ? 201 : 200).send(r);
      } catch (err) {
        if (
          isVigilError(err) &&
          (err.code === 'witness.key_changed' ||
            err.code === 'witness.head_conflict' ||
            err.code === 'witness.head_backwards')
        ) {
          req.log.warn(
            { event: 'witness.alarm', code: err.code, tokenId, instance: req.body.instance, seq: req.body.seq },
            'a partner head contradicts what is held',
          );
        }
        throw err;
      }
    },
  );

  app.get(
    '/witness/heads/:instance',
    {
      config: { access: 'witness' },
      schema: {
        tags: ['witness'],
        summary: 'The latest head held of an instance, and the alarms (for API tokens with the witness scope)',
        description:
          'A token reads only the instance it delivered heads of. With `before`, a page of the earlier held heads too (`nextBefore` leads to the next): a verifier walks them all. Nothing delivered yet is 404 `record.not_found`; another instance than the one the token was first seen with is 409 `witness.key_changed` — asked by an instance whose key was replaced, that is the finding.',
        params: z.strictObject({
          instance: InstanceFingerprint.describe("The instance's key fingerprint (16 hex characters)"),
        }),
        querystring: HeldQuery,
        response: { 200: Held, ...ERROR_RESPONSES },
      },
    },
    async (req) =>
      heldHeadFor(
        svc,
        witnessTokenOf(req.credential),
        req.params.instance,
        req.query.before === undefined ? {} : { before: req.query.before },
      ),
  );
};
