import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { User, UserInput } from '../../domain/entities/user.ts';
import { VigilError } from '../../domain/errors.ts';
import { ApiTokenInput, createApiToken, listApiTokens, revokeApiToken } from '../../services/api-token.service.ts';
import { login, logout, revokeUserSessions } from '../../services/auth.service.ts';
import type { Services } from '../../services/context.ts';
import { addUser, listUsers } from '../../services/user.service.ts';
import { actorOf } from '../auth/access.ts';
import { SESSION_COOKIE, clearSessionCookies, setSessionCookies } from '../auth/cookies.ts';
import { ERROR_RESPONSES, IdParams, apiSchemas } from '../schemas.ts';

const SignedInUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.string().describe('admin, analyst, documenter, monitor or viewer'),
});
apiSchemas.add(SignedInUser, { id: 'SignedInUser' });

const LoginBody = z.strictObject({
  username: z.string().min(1, 'is required').max(64, 'must be at most 64 characters'),
  password: z.string().min(1, 'is required').max(1024, 'must be at most 1024 characters'),
  code: z
    .string()
    .max(20)
    .optional()
    .describe('The six-digit code of the authenticator app, for an account with a second factor'),
  recoveryCode: z.string().max(64).optional().describe('A one-time recovery code, instead of `code`'),
});

const MustEnrol = z
  .boolean()
  .describe(
    'Your role must have a second factor and you have none yet: until you set one up (POST /auth/totp), other routes answer `auth.enrolment_required`',
  );

const LoginResponse = z.object({
  user: SignedInUser,
  csrfToken: z
    .string()
    .describe(
      'Send as the x-csrf-token header with every POST, PUT, PATCH and DELETE of this session (also in the vigil_csrf cookie)',
    ),
  expiresAt: z.string().describe('When the session ends however active it is'),
  mustEnrol: MustEnrol,
});

const Me = z.object({
  user: SignedInUser,
  via: z.enum(['session', 'token']),
  session: z
    .object({ expiresAt: z.string(), idleExpiresAt: z.string().describe('When the session ends unless used before') })
    .nullable(),
  mustEnrol: MustEnrol,
});

const RevokeBody = z
  .strictObject({
    tokens: z
      .boolean()
      .optional()
      .describe('Also revoke every API token of the user (default false: tokens keep working)'),
  })
  .nullish();

const ApiTokenInfo = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the token, to tell tokens apart'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  scope: z
    .enum(['full', 'witness'])
    .describe("`full`: acts with its user's role; `witness`: a partner instance's, only for /witness/heads"),
});
apiSchemas.add(ApiTokenInfo, { id: 'ApiToken' });

const NewApiToken = ApiTokenInfo.extend({
  token: z.string().describe('The token (`vgl_…`), shown this once: send it as `Authorization: Bearer <token>`'),
});

const NewUser = UserInput.extend({
  password: z.string().min(12, 'must be at least 12 characters').max(1024, 'must be at most 1024 characters'),
});

const NoContent = z.null().describe('Done; no content');

/**
 * Sign-in, sign-out, the current user, API tokens, and user administration. Every route declares
 * who may call it in `config.access`; the auth plugin enforces it before anything else runs.
 */
export const authRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  const { policy, limiter, cookieSecurity } = app.vigilAuth;

  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      bodyLimit: 8 * 1024,
      schema: {
        tags: ['auth'],
        summary:
          'Sign in with username and password (and a second factor, when the account has one); sets the HttpOnly session cookie and returns the CSRF token',
        description:
          'Wrong username and wrong password give the same `auth.invalid_credentials`. An account with a second factor answers `auth.second_factor_required` (401) without `code` or `recoveryCode`, and `auth.second_factor_invalid` (401) for a wrong, expired or replayed one (counted as a failed sign-in). Repeated failures per account or per address give `auth.rate_limited` (429, `Retry-After`). A session cookie sent along ends: sign-in always starts a new session.',
        body: LoginBody,
        response: { 200: LoginResponse, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const previous = req.cookies[SESSION_COOKIE];
      const signed = await login(
        svc,
        { ...req.body, address: req.ip, ...(previous ? { previousSession: previous } : {}) },
        { policy, limiter },
      );
      setSessionCookies(req, reply, cookieSecurity, signed, svc.clock());
      req.log.info({ event: 'auth.login', userId: signed.user.id }, 'signed in');
      return {
        user: signed.user,
        csrfToken: signed.csrfToken,
        expiresAt: signed.expiresAt,
        mustEnrol: signed.mustEnrol,
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'authenticated', beforeSecondFactor: true },
      schema: {
        tags: ['auth'],
        summary:
          'Sign out: ends this session and clears its cookies (API tokens are revoked with DELETE /auth/tokens/:id)',
        response: { 204: NoContent, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      if (req.credential?.kind === 'session') await logout(svc, actor, req.credential.sessionId);
      clearSessionCookies(req, reply, cookieSecurity);
      req.log.info({ event: 'auth.logout', userId: actor.id }, 'signed out');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: 'authenticated', beforeSecondFactor: true },
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in, how, and until when',
        response: { 200: Me, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const c = req.credential;
      if (!c) throw new VigilError('auth.required', 'sign-in required');
      return {
        user: c.user,
        via: c.kind,
        session: c.kind === 'session' ? { expiresAt: c.expiresAt, idleExpiresAt: c.idleExpiresAt } : null,
        mustEnrol: c.mustEnrol,
      };
    },
  );

  app.get(
    '/auth/tokens',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Your API tokens, newest first (never the tokens themselves)',
        response: { 200: z.object({ items: z.array(ApiTokenInfo) }), ...ERROR_RESPONSES },
      },
    },
    async (req) => ({ items: await listApiTokens(svc, actorOf(req)) }),
  );

  app.post(
    '/auth/tokens',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Make an API token for scripts; the token is in this response only',
        description:
          'Only from a signed-in session: a token cannot make more tokens, so a leaked one cannot entrench itself.',
        body: ApiTokenInput,
        response: { 201: NewApiToken, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      if (req.credential?.kind !== 'session')
        throw new VigilError(
          'auth.forbidden',
          'API tokens can be made only from a signed-in session, not with another token',
        );
      const made = await createApiToken(svc, actor, req.body);
      req.log.info({ event: 'auth.token_create', userId: actor.id, tokenId: made.id }, 'API token made');
      return reply.code(201).send(made);
    },
  );

  app.delete(
    '/auth/tokens/:id',
    {
      config: { access: 'authenticated', record: 'none' },
      schema: {
        tags: ['auth'],
        summary: "Revoke an API token (your own; an admin may revoke anyone's)",
        params: IdParams,
        response: { 204: NoContent, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      await revokeApiToken(svc, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/users',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Every user, by username',
        response: { 200: z.object({ items: z.array(User) }), ...ERROR_RESPONSES },
      },
    },
    async () => ({ items: await listUsers(svc) }),
  );

  app.post(
    '/users',
    {
      config: { access: ['admin'] },
      bodyLimit: 8 * 1024,
      schema: {
        tags: ['users'],
        summary: 'Add a user with a role and an initial password',
        body: NewUser,
        response: { 201: User, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => reply.code(201).send(await addUser(svc, actorOf(req), req.body)),
  );

  app.post(
    '/users/:id/revoke-sessions',
    {
      config: { access: ['admin'], record: 'none' },
      schema: {
        tags: ['users'],
        summary:
          'End every session of a user (by id or username); with {"tokens": true} their API tokens too (by default tokens stay valid)',
        params: IdParams,
        body: RevokeBody,
        response: {
          200: z.object({
            revoked: z.number().int().describe('Sessions ended'),
            tokensRevoked: z.number().int().describe('API tokens revoked'),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (req) => {
      const ended = await revokeUserSessions(svc, actorOf(req), req.params.id, { tokens: req.body?.tokens === true });
      return { revoked: ended.sessions, tokensRevoked: ended.tokens };
    },
  );
};
