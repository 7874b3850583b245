import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VigilError } from '../../domain/errors.ts';
import type { Services } from '../../services/context.ts';
import {
  confirmTotpEnrolment,
  resetSecondFactor,
  secondFactorPolicy,
  secondFactorStatus,
  SecondFactorPolicyInput,
  setSecondFactorPolicy,
  startTotpEnrolment,
} from '../../services/second-factor.service.ts';
import { actorOf } from '../auth/access.ts';
import { ERROR_RESPONSES, IdParams } from '../schemas.ts';

const Status = z.object({
  enrolled: z.boolean().describe('A TOTP second factor is on: sign-in needs a code'),
  required: z.boolean().describe('Your role must have one'),
  pending: z.boolean().describe('An enrolment was started and waits for its first code'),
  recoveryCodesLeft: z.number().int(),
});

const Enrolment = z.object({
  secret: z.string().describe('The base32 TOTP secret, for typing into an authenticator app'),
  otpauthUrl: z.string().describe('The otpauth://totp/… address to show as a QR code'),
  expiresAt: z.string().describe('Confirm with a code before this, or start again'),
});

const ConfirmBody = z.strictObject({ code: z.string().max(20).describe('The six-digit code the app shows now') });

const Policy = z.object({ roles: z.array(z.string()).describe('Roles whose users must sign in with a second factor') });

/**
 * The second factor: enrolment of the signed-in user's authenticator app, the per-role rule, and
 * the admin's reset. Enrolment needs a browser session (not an API token), and its routes are the
 * ones a user who must enrol may use before they have (`beforeSecondFactor`).
 */
export const secondFactorRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  const { policy } = app.vigilAuth;
  const sessionOnly = (kind: string | undefined) => {
    if (kind !== 'session')
      throw new VigilError(
        'auth.forbidden',
        'a second factor can be set up only from a signed-in browser session, not with an API token',
      );
  };

  app.get(
    '/auth/second-factor',
    {
      config: { access: 'authenticated', beforeSecondFactor: true },
      schema: {
        tags: ['auth'],
        summary: 'Your second factor: on or not, required for your role or not, recovery codes left',
        response: { 200: Status, ...ERROR_RESPONSES },
      },
    },
    async (req) => secondFactorStatus(svc, actorOf(req)),
  );

  app.post(
    '/auth/totp',
    {
      config: { access: 'authenticated', beforeSecondFactor: true },
      schema: {
        tags: ['auth'],
        summary: 'Start setting up an authenticator app: answers the secret and its otpauth:// address (for a QR code)',
        description:
          'Starting again replaces a waiting enrolment. Refused with `auth.second_factor_enrolled` (409) when a factor is already on.',
        response: { 201: Enrolment, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      sessionOnly(req.credential?.kind);
      const started = await startTotpEnrolment(svc, actorOf(req), policy);
      return reply.code(201).header('cache-control', 'no-store').send(started);
    },
  );

  app.post(
    '/auth/totp/confirm',
    {
      config: { access: 'authenticated', beforeSecondFactor: true },
      bodyLimit: 1024,
      schema: {
        tags: ['auth'],
        summary: 'Finish setting up with the first code from the app; answers ten one-time recovery codes, this once',
        description:
          'Ends your other sessions. Errors: `auth.second_factor_invalid` (401, path `code`), `auth.enrolment_not_started`, `auth.enrolment_expired`, `auth.second_factor_enrolled` (409).',
        body: ConfirmBody,
        response: {
          200: z.object({
            recoveryCodes: z.array(z.string()).describe('Each works once, instead of a code; shown only now'),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (req, reply) => {
      const c = req.credential;
      sessionOnly(c?.kind);
      const done = await confirmTotpEnrolment(
        svc,
        actorOf(req),
        req.body,
        c?.kind === 'session' ? { keepSession: c.sessionId } : {},
      );
      req.log.info({ event: 'auth.totp_enrol_confirm', userId: actorOf(req).id }, 'second factor on');
      return reply.header('cache-control', 'no-store').send(done);
    },
  );

  app.get(
    '/auth/second-factor-policy',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['auth'],
        summary: 'Which roles must sign in with a second factor',
        response: { 200: Policy, ...ERROR_RESPONSES },
      },
    },
    async () => secondFactorPolicy(svc),
  );

  app.put(
    '/auth/second-factor-policy',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['auth'],
        summary: 'Set which roles must sign in with a second factor',
        description: 'Users of a listed role who have none can, from their next request, only set one up.',
        body: SecondFactorPolicyInput,
        response: { 200: Policy, ...ERROR_RESPONSES },
      },
    },
    async (req) => setSecondFactorPolicy(svc, actorOf(req), req.body),
  );

  app.delete(
    '/users/:id/second-factor',
    {
      config: { access: ['admin'], record: 'none' },
      schema: {
        tags: ['users'],
        summary:
          "Switch a user's second factor off (lost phone): deletes the secret and recovery codes and ends their sessions",
        params: IdParams,
        response: {
          200: z.object({
            reset: z.boolean().describe('False when the user had none'),
            sessionsEnded: z.number().int(),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (req) => resetSecondFactor(svc, actorOf(req), req.params.id),
  );
};
