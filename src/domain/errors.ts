/**
 * One catalogue of domain errors. Codes are stable: clients and tests match on them,
 * so a code is never renamed or reused. Only the HTTP layer maps codes to statuses.
 */
export const ERROR_CODES = {
  'validation.invalid': 'The input does not match the schema',
  'validation.unknown_vocabulary': 'The value is not in the controlled vocabulary',
  'state.transition_not_allowed': 'The state machine does not allow this transition',
  'state.guard_failed': 'The transition is allowed but its condition is not met',
  'record.not_found': 'No such record',
  'record.conflict': 'The record was changed by someone else (stale version)',
  'record.duplicate': 'A record with this key already exists',
  'reference.missing': 'A referenced record does not exist',
  'crypto.key_invalid': 'The encryption key is missing or malformed',
  'crypto.decrypt_failed': 'The ciphertext cannot be decrypted with this key',
  'key.missing': 'No identity key is configured, but the database holds sealed data: restore its key file',
  'key.mismatch': 'The identity key is not the one this database was sealed with',
  'key.rotation_unfinished': 'A key rotation is under way: finish it with vigil key rotate',
  'import.format_unknown': 'The import file format is not recognised',
  'audit.chain_broken': 'The audit chain does not verify',
  'verify.already_running': 'A verification is already running in this process: wait for its report',
  'backup.damaged':
    'The backup archive does not match its manifest: a file in it was altered, damaged, added or removed',
  'restore.target_not_empty': 'A restore fills only an empty data directory and an empty database',
  'config.invalid': 'The configuration is invalid',
  'request.invalid': 'The HTTP request is malformed',
  'request.invalid_json': 'The request body is not valid JSON',
  'request.unsupported_media_type': 'The request body has a content type this endpoint does not accept',
  'request.body_too_large': 'The request body is larger than the server accepts',
  'request.route_not_found': 'No such endpoint',
  'auth.required': 'Sign-in required: no valid session or API token',
  'auth.forbidden': 'Your role does not allow this',
  'auth.invalid_credentials': 'Wrong username or password',
  'auth.rate_limited': 'Too many failed sign-ins; try again later',
  'auth.csrf_failed': 'The CSRF token is missing or wrong',
  'auth.second_factor_required':
    'This account signs in with a second factor: send the code from the authenticator app, or a recovery code',
  'auth.second_factor_invalid': 'The second-factor code is wrong, expired or already used',
  'auth.second_factor_enrolled': 'A second factor is already set up for this account; an admin can reset it',
  'auth.enrolment_not_started': 'No second-factor enrolment is waiting: start one first',
  'auth.enrolment_expired': 'The second-factor enrolment took too long: start again',
  'auth.enrolment_required': 'Your role must sign in with a second factor: set one up before doing anything else',
  'evidence.hash_mismatch': 'The stored bytes no longer match their SHA-256: the file was altered or damaged',
  'evidence.blob_missing': 'The file with this hash is not in the blob store',
  'evidence.too_large': 'The file is larger than the limit',
  'evidence.empty': 'The file is empty',
  'evidence.file_missing': 'The upload has no file part named "file"',
  'evidence.upload_invalid': 'The multipart upload is malformed or out of order (the fields come first, then one file)',
  'evidence.working_copy_unsupported': 'Vigil cannot make a working copy of this item',
  'capture.unsupported_scheme': 'Only http and https addresses can be captured',
  'capture.address_refused':
    'The address is on a loopback, private or reserved network, which this server does not capture',
  'capture.unreachable': 'The web server could not be reached (unknown host, refused or reset connection)',
  'capture.timeout': 'The capture did not finish within its time limit',
  'capture.too_large': 'The response is larger than the capture limit',
  'capture.too_many_redirects': 'The address redirects more times than the capture follows',
  'capture.http_error': 'The web server answered with an error status, or a redirect that cannot be followed',
  'consent.scope_missing': 'The consent scope this use needs is absent or withdrawn',
  'proposal.self_approval': 'The analyst who proposed a step cannot approve it: a second analyst must',
  'proposal.expired': 'The proposal has expired; propose the step again',
  'proposal.not_open': 'The proposal was already approved, withdrawn or superseded',
  'proposal.mismatch': 'No such proposal for this allegation, this step and its current status',
  'proposal.proposer_ineligible': 'The analyst who proposed the step is no longer an enabled analyst',
  'proposal.already_open': 'An open proposal for this step already exists: approve or withdraw it',
  'proposal.not_proposer': 'Only the analyst who made a proposal may withdraw it',
  'witness.signature_invalid':
    'The signed head does not check: its signature, or its instance, does not match the key it carries',
  'witness.key_changed':
    'This partner was first seen with another instance key: the head is refused and kept as an alarm',
  'witness.head_conflict':
    'A head of this instance with the same sequence and another hash is already held: the chain was rewritten; the head is kept as an alarm',
  'witness.head_backwards':
    'A later head of this instance is already held: the head goes backwards; it is kept as an alarm',
  internal: 'Internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An expected failure with a stable code and, where it applies, the path of the offending field. */
export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, opts: { path?: string; details?: Record<string, unknown> } = {}) {
    super(message ?? ERROR_CODES[code]);
    this.name = 'VigilError';
    this.code = code;
    this.path = opts.path;
    this.details = opts.details;
  }

  /** One readable line: `path: message` or just the message. */
  toLine(): string {
    return this.path ? `${this.path}: ${this.message}` : this.message;
  }
}

/** True when `err` is a VigilError, optionally with the given code. */
export function isVigilError(err: unknown, code?: ErrorCode): err is VigilError {
  return err instanceof VigilError && (code === undefined || err.code === code);
}
