import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERROR_CODES, VigilError, type ErrorCode } from '../domain/errors.ts';

/**
 * The HTTP status of every error code. Exhaustive on purpose: a new code in the catalogue does
 * not compile until someone decides here how it shows over HTTP.
 *
 * - `validation.*`, `import.format_unknown`: 400 — the input is malformed.
 * - `reference.missing`: 422 — the input is well-formed but names a record that does not exist;
 *   kept apart from 400 so a client can tell "fix the field" from "create the referenced record first".
 * - `record.not_found`: 404.
 * - `record.conflict` (stale version), `record.duplicate`: 409 — retrying after a re-read can succeed.
 * - `state.transition_not_allowed`: 409 — the record's current state forbids the change.
 * - `state.guard_failed`: 422 — the transition exists but the request lacks what it needs (e.g. a second source).
 * - `crypto.*`, `key.*`, `audit.chain_broken`, `config.invalid`, `internal`: 500, masked — they are the server's
 *   problem, and their messages may name keys or files. So are `backup.damaged` and
 *   `restore.target_not_empty`, which only the CLI raises.
 * - `request.*`: the HTTP request itself (bad JSON 400, media type 415, size 413, unknown route 404).
 * - `auth.required`, `auth.invalid_credentials`: 401 — no (valid) session or token, or a failed sign-in.
 * - `auth.forbidden`, `auth.csrf_failed`: 403 — signed in, but the role (or a missing CSRF token) forbids it.
 *   Records hidden by need-to-know are `record.not_found` (404), never 403: a 403 would confirm they exist.
 * - `auth.second_factor_required`, `auth.second_factor_invalid`: 401 — the sign-in (or the enrolment's
 *   first code) lacks a valid second factor.
 * - `auth.enrolment_required`: 403 — signed in, but the role must set up a second factor first.
 * - `auth.second_factor_enrolled`, `auth.enrolment_not_started`, `auth.enrolment_expired`: 409 — the
 *   enrolment's current state forbids the step.
 * - `auth.rate_limited`: 429 with `Retry-After` (seconds).
 * - `capture.*`: a web capture that could not be made. A refused address or scheme is 400; a page
 *   past the size limit 413; an unreachable, slow or failing web server 422 — the remote server's
 *   failure, not Vigil's, so never a (masked) 5xx.
 * - `proposal.*`: the four-eyes rule of the verification workflow. Approving one's own proposal or
 *   withdrawing another's is 403; a proposal that expired, is no longer open, already exists or
 *   whose proposer is no longer an enabled analyst is 409 (the state of things forbids it); a
 *   `proposalId` that names no proposal of this allegation for this step and status is 422, the
 *   same whether the proposal exists elsewhere or not at all.
 * - `verify.already_running`: 409 — one verification at a time per process; retry once it has answered.
 * - `witness.*`: a partner's signed head (POST /witness/heads). A head whose signature does not check
 *   is 422 (well-formed, but not what it claims); a head that contradicts what is held (another key
 *   for this partner, another hash at a held sequence, a lower sequence than held) is 409, and kept
 *   as an alarm.
 */
export const HTTP_STATUS = {
  'validation.invalid': 400,
  'validation.unknown_vocabulary': 400,
  'state.transition_not_allowed': 409,
  'state.guard_failed': 422,
  'record.not_found': 404,
  'record.conflict': 409,
  'record.duplicate': 409,
  'reference.missing': 422,
  'crypto.key_invalid': 500,
  'crypto.decrypt_failed': 500,
  'key.missing': 500,
  'key.mismatch': 500,
  'key.rotation_unfinished': 500,
  'import.format_unknown': 400,
  'audit.chain_broken': 500,
  'verify.already_running': 409,
  'config.invalid': 500,
  'backup.damaged': 500,
  'restore.target_not_empty': 500,
  'request.invalid': 400,
  'request.invalid_json': 400,
  'request.unsupported_media_type': 415,
  'request.body_too_large': 413,
  'request.route_not_found': 404,
  'auth.required': 401,
  'auth.forbidden': 403,
  'auth.invalid_credentials': 401,
  'auth.rate_limited': 429,
  'auth.csrf_failed': 403,
  'auth.second_factor_required': 401,
  'auth.second_factor_invalid': 401,
  'auth.second_factor_enrolled': 409,
  'auth.enrolment_not_started': 409,
  'auth.enrolment_expired': 409,
  'auth.enrolment_required': 403,
  'evidence.hash_mismatch': 409,
  'evidence.blob_missing': 410,
  'evidence.too_large': 413,
  'evidence.empty': 400,
  'evidence.file_missing': 400,
  'evidence.upload_invalid': 400,
  'evidence.working_copy_unsupported': 422,
  'capture.unsupported_scheme': 400,
  'capture.address_refused': 400,
  'capture.unreachable': 422,
  'capture.timeout': 422,
  'capture.too_large': 413,
  'capture.too_many_redirects': 422,
  'capture.http_error': 422,
  'consent.scope_missing': 422,
  'proposal.self_approval': 403,
  'proposal.expired': 409,
  'proposal.not_open': 409,
  'proposal.mismatch': 422,
  'proposal.proposer_ineligible': 409,
  'proposal.already_open': 409,
  'proposal.not_proposer': 403,
  'witness.signature_invalid': 422,
  'witness.key_changed': 409,
  'witness.head_conflict': 409,
  'witness.head_backwards': 409,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

/** The body of every error response. `path` names the offending field when there is one. */
export const ErrorBody = z
  .object({
    code: z
      .enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]])
      .describe('Stable error code; match on this, not on the message'),
    message: z.string(),
    path: z.string().optional().describe('Dotted path of the offending field, e.g. `limit` or `acts.0.kind`'),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Every validation problem, when there are several'),
    requestId: z.string().describe('Quote this when reporting a problem; the server log has the details'),
  })
  .describe('An error');
export type ErrorBody = z.infer<typeof ErrorBody>;

/** An error as it goes out: the status, the body without the request id, and whether it is the server's fault. */
export interface HttpError {
  status: number;
  body: Omit<ErrorBody, 'requestId'>;
  /** The code behind a masked 500, for the log only. */
  internalCode?: string;
}

const MASKED: HttpError['body'] = { code: 'internal', message: 'internal error' };

/** Fastify's own request errors, by their FST_ code. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'request.invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request.invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request.body_too_large',
  FST_ERR_NOT_FOUND: 'request.route_not_found',
};

function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .filter((p) => p !== '')
    .join('.');
}

/** A schema-validation failure of querystring, params, headers or body as `validation.invalid` with the first field's path. */
function fromValidation(err: FastifyError): HttpError {
  const issues = (err.validation ?? []).map((v) => {
    const keys = (v.params as { keys?: unknown }).keys;
    // An unknown parameter is reported by zod at the object's own path; name the parameter instead.
    if (v.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length > 0) {
      return {
        path: [dotted(v.instancePath), String(keys[0])].filter((p) => p).join('.'),
        message: `unknown parameter${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}`,
      };
    }
    return { path: dotted(v.instancePath) || '(root)', message: v.message ?? 'is invalid' };
  });
  const first = issues[0] ?? { path: '(root)', message: 'is invalid' };
  return {
    status: 400,
    body: {
      code: 'validation.invalid',
      message: first.message,
      path: first.path,
      ...(issues.length > 1 ? { issues: issues.slice(0, 20) } : {}),
    },
  };
}

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}

/**
 * Turns anything thrown while handling a request into what the client sees. Only errors Vigil
 * or Fastify raised on purpose keep their message; everything else is a masked 500.
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof VigilError) {
    const status = HTTP_STATUS[err.code];
    if (status >= 500) return { status, body: MASKED, internalCode: err.code };
    const issues = err.details?.issues;
    return {
      status,
      body: {
        code: err.code,
        message: err.message,
        ...(err.path !== undefined ? { path: err.path } : {}),
        ...(Array.isArray(issues) && issues.length > 1 ? { issues: issues as ErrorBody['issues'] } : {}),
      },
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) return fromValidation(err as FastifyError);
  if (isFastifyError(err)) {
    if (err.validation) return fromValidation(err);
    const code = FASTIFY_CODES[err.code];
    if (code) return { status: HTTP_STATUS[code], body: { code, message: ERROR_CODES[code] } };
    // Other FST_ request errors (bad URL encoding, wrong Content-Length…) keep their 4xx status.
    const status = err.statusCode ?? 500;
    if (err.code.startsWith('FST_') && status >= 400 && status < 500) {
      return { status, body: { code: 'request.invalid', message: err.message } };
    }
  }
  return { status: 500, body: MASKED };
}

/** Fastify error handler: sends `{ code, message, path?, requestId }`; logs 5xx with the error, 4xx with the code only. */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const out = toHttpError(err);
  if (out.status >= 500) {
    request.log.error({ err, code: out.internalCode ?? 'internal' }, 'request failed');
  } else {
    // The message is not logged: it can echo the input (a searched name, a free-text field).
    request.log.info({ code: out.body.code, statusCode: out.status, path: out.body.path }, 'request rejected');
  }
  if (err instanceof VigilError) authHeaders(err, reply);
  return reply
    .code(out.status)
    .type('application/json; charset=utf-8')
    .send({ ...out.body, requestId: request.id });
}

/** What a client needs to act on an auth error: when to retry, and how to authenticate. */
function authHeaders(err: VigilError, reply: FastifyReply): void {
  const retryAfter = err.details?.retryAfter;
  if (err.code === 'auth.rate_limited' && typeof retryAfter === 'number')
    reply.header('retry-after', String(retryAfter));
  if (err.code === 'auth.required') reply.header('www-authenticate', 'Bearer realm="vigil"');
}

/** Not-found handler for unknown routes. */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return handleError(
    new VigilError('request.route_not_found', `no endpoint ${request.method} ${request.url.split('?')[0]}`),
    request,
    reply,
  );
}

/** Throws `record.not_found` for the `id` parameter when the lookup came back empty. */
export function found<T>(value: T | undefined, what: string, id: string): T {
  if (value === undefined) throw new VigilError('record.not_found', `no ${what} with id "${id}"`, { path: 'id' });
  return value;
}
