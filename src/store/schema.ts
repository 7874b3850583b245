/**
 * Row types of every table, as both dialects return them. Column types are kept portable
 * (text, integer, double precision) so a row reads back identically from SQLite and PostgreSQL:
 * timestamps are ISO-8601 text, booleans are 0/1, lists and objects are JSON text.
 * That identity is what lets one state hash verify on either database.
 */
import type { Generated } from 'kysely';

type Versioned = { id: string; external_id: string | null; created_at: string; updated_at: string; version: number };

export interface FacilityTable extends Versioned {
  name: string;
  name_ru: string | null;
  kind: string;
  kind_detail: string | null;
  code: string | null;
  aliases: string; // JSON string[]
  authority: string | null;
  region: string | null;
  city: string | null;
  country: string;
  capacity: number | null;
  cells: number | null;
  notes: string | null;
}

export interface AreaTable extends Versioned {
  facility_id: string;
  parent_id: string | null;
  level: string;
  label: string;
  label_ru: string | null;
  count: number | null;
  floors: string | null;
  location: string | null;
  access: string | null;
  declared_use: string; // JSON string[]
  declared_by: string | null;
  declared_in_statement_id: string | null;
  notes: string | null;
}

interface OrganizationTable extends Versioned {
  name: string;
  name_ru: string | null;
  kind: string;
  aliases: string; // JSON string[]
  country: string | null;
}

export interface PersonTable extends Versioned {
  pseudonym: string;
  roles: string; // JSON PersonRole[]
  public_name: string | null;
  public_role: string | null;
  organization_id: string | null;
  perpetrator_kind: string | null;
  is_unit: number;
  custody: string;
  risk: string;
  name_enc: string | null;
  name_index: string | null;
  birth_date_enc: string | null;
  contacts_enc: string | null;
  notes_enc: string | null;
}

export interface SourceTable extends Versioned {
  kind: string;
  title: string;
  url: string | null;
  outlet: string | null;
  handle: string | null;
  language: string | null;
  published_at: string | null;
  collected_at: string | null;
  collected_by: string | null;
  reliability: string;
  credibility: string;
  summary: string | null;
  content: string | null;
}

export interface EvidenceItemTable extends Versioned {
  source_id: string | null;
  allegation_id: string | null;
  sha256: string;
  size: number;
  media_type: string;
  original_name: string | null;
  captured_from: string | null;
  captured_at: string | null;
  captured_by: string | null;
  tool: string | null;
  copy_kind: string; // original | working
  parent_sha256: string | null;
  transformation: string | null;
}

export interface AllegationTable extends Versioned {
  title: string;
  summary: string | null;
  period_start: string | null;
  period_end: string | null;
  period_precision: string;
  period_text: string | null;
  facility_id: string | null;
  area_id: string | null;
  classification: string;
  classification_rationale: string | null;
  cat_checklist: string | null; // JSON
  verification_status: string;
  prior_status: string | null;
  sensitivity: string;
  risk: string;
  urgent: number;
  consent: string; // JSON ConsentScope[]
  duplicate_of: string | null;
}

interface AllegationActTable {
  id: string;
  allegation_id: string;
  kind: string;
  victim_id: string | null;
  area_id: string | null;
  description: string | null;
}

interface AllegationPersonTable {
  id: string;
  allegation_id: string;
  person_id: string;
  role: string; // victim | alleged_perpetrator | witness
  perpetrator_kind: string | null;
}

interface AllegationSourceTable {
  id: string;
  allegation_id: string;
  source_id: string;
  relation: string;
}

interface ProceedingTable extends Versioned {
  allegation_id: string | null;
  parent_id: string | null;
  kind: string;
  stage: string;
  body: string;
  reference: string | null;
  erdr_number: string | null;
  code_article: string | null;
  code_part: string | null;
  outcome: string | null;
  opened_on: string;
  stage_on: string;
}

interface ProceedingStageTable {
  id: string;
  proceeding_id: string;
  seq: number;
  stage: string;
  on_date: string;
  source_id: string | null;
  decided_by: string | null;
  details: string; // JSON
  recorded_by: string;
}

interface VisitTable extends Versioned {
  facility_id: string;
  body: string;
  visit_date: string;
  visit_type: string;
  mode: string;
  status: string;
  team: string; // JSON string[]
  safeguards: string; // JSON Record<check, answer>
  findings: string | null;
  findings_public: string | null;
  response_due: string | null;
  started_at: string | null;
  ended_at: string | null;
  area_ids: string | null; // JSON string[]; null = not recorded
  registers_examined: string | null; // JSON string[]; null = not recorded, [] = none shown
  refused_access: string | null; // JSON string[]; null = not recorded, [] = none refused
  cancellation_reason: string | null;
  reply_statement_id: string | null;
}

interface RecommendationTable extends Versioned {
  visit_id: string;
  text: string;
  addressee: string;
  deadline: string;
  status: string;
  reply_statement_id: string | null;
  claim_statement_id: string | null;
  follow_up_visit_id: string | null;
  evidence_source_id: string | null;
  finding_id: string | null; // the visit whose findings show non-implementation
  commitment_statement_id: string | null;
}

export interface StatementTable extends Versioned {
  speaker_label: string;
  speaker_person_id: string | null;
  speaker_organization_id: string | null;
  stated_on: string | null;
  stated_precision: string;
  stated_text: string | null;
  source_id: string;
  stance: string;
  gist: string;
  quote: string | null;
  facility_id: string | null;
  review_rating: string | null;
  review_rationale: string | null; // internal: never published
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_public: string | null; // the review text published with the statement
}

export interface ReportedFigureTable extends Versioned {
  value: number;
  value_max: number | null;
  counts: string;
  counts_label: string;
  scope: string;
  as_of: string | null;
  as_of_precision: string;
  as_of_text: string | null;
  speaker_label: string;
  statement_id: string | null;
  source_id: string;
}

/** One run of the extractor over an article, with its text so the spans of its facts can be shown (docs/review-queue.md). */
export interface ExtractionTable extends Versioned {
  source_id: string | null; // set when the first fact is accepted, or given at proposal
  source_kind: string; // the kind the Source gets: news_article | official_statement | …
  url: string | null;
  title: string | null;
  language: string;
  text: string;
  text_sha256: string;
  extractor_version: string;
  proposed_by: string;
}

/** A fact the extractor proposed, waiting for (or carrying) a person's decision. */
export interface ProposedFactTable extends Versioned {
  extraction_id: string;
  seq: number; // order within the run
  field: string; // facilities | places | organizations | people | legal_refs | counts | dates | statements | reported_figures | facility_layout
  payload: string; // JSON: the extracted item, without span and confidence
  edits: string | null; // JSON: what the reviewer changed, when the decision was `edit`
  span_start: number;
  span_end: number;
  confidence: number;
  status: string; // proposed | accepted | rejected | edited
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  record_type: string | null; // the table of the record the fact became or was linked to
  record_id: string | null;
}

export interface AppUserTable extends Versioned {
  username: string;
  display_name: string | null;
  role: string;
  disabled: number;
  password_hash: string | null;
}

/**
 * A signed-in browser session. Not a record (not audited row by row): sign-in, sign-out and
 * revocation are audit notes. Only hashes of the session and CSRF tokens are stored, so a copy
 * of the database cannot be used to act as anyone. No client address is kept.
 */
interface SessionTable {
  /** SHA-256 (hex) of the session token the cookie carries. */
  id: string;
  user_id: string;
  /** SHA-256 (hex) of the CSRF token the client sends in `x-csrf-token`. */
  csrf_token_hash: string;
  created_at: string;
  last_seen_at: string;
  /** Absolute end of the session, however active it is. */
  expires_at: string;
  revoked_at: string | null;
}

/** An API token for scripts: shown once, stored as its SHA-256, revocable. Not a record; creation and revocation are audit notes. */
export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 (hex) of the whole token (`vgl_…`). */
  token_hash: string;
  /** The first characters of the token (`vgl_AbCd12`), so its owner can tell tokens apart. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** `full`: acts with its user's role; `witness`: a partner instance's, only for the witness routes (0013). */
  scope: string;
}

/**
 * A user's TOTP second factor (RFC 6238). Not a record: enrolment, confirmation and reset are
 * audit notes on the user. The secret is sealed (context `app_user.totp_secret:<userId>`).
 */
interface UserSecondFactorTable {
  user_id: string;
  /** The base32 secret, sealed with the instance keyring. */
  totp_secret: string;
  started_at: string;
  /** Null while enrolment waits for the first code. */
  confirmed_at: string | null;
  /** The TOTP time step of the last accepted code: a code of this step or an earlier one is refused. */
  last_step: number | null;
}

/** A one-time recovery code: only its SHA-256 is stored. */
interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** A role whose users must sign in with a second factor. */
interface SecondFactorPolicyTable {
  role: string;
  required_since: string;
}

/** Need-to-know: a user assigned to an allegation's case team. An audited record. */
export interface AllegationAssignmentTable extends Versioned {
  allegation_id: string;
  user_id: string;
}

/** A two-analyst step proposed by one analyst, waiting for another's approval (0008-proposals). */
export interface AllegationProposalTable extends Versioned {
  allegation_id: string;
  from_status: string;
  to_status: string;
  reason: string | null;
  proposed_by: string; // app_user.id
  expires_at: string;
  status: string; // open | approved | withdrawn | expired | superseded
  decided_by: string | null; // app_user.id, or `system`
  decided_at: string | null;
  decision_reason: string | null;
}

/** One action on a preserved item (domain.md EV6): written once, never changed. */
export interface CustodyEventTable {
  id: string;
  evidence_item_id: string;
  action: string;
  actor: string;
  at: string;
  purpose: string | null;
  recipient: string | null;
  detail: string | null; // JSON object, e.g. the hash a check found
}

export interface AuditEntryTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  state_hash: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
  /** What changed, as canonical JSON text (src/store/audit-changes.ts); null on notes and on entries written before 0012. */
  changes: string | null;
}

/** One row: the head of the audit chain, locked by every write transaction to serialise appends. */
interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  updated_at: string;
}

interface CounterTable {
  name: string;
  value: number;
}

interface SearchDocTable {
  doc_id: Generated<number>;
  entity_type: string;
  entity_id: string;
  title: string;
  body: string;
  terms: string;
  facility_id: string | null;
  classification: string | null;
  status: string | null;
  year: number | null;
}

/** A signed head of the audit chain (0011): written by every write transaction, see audit-signature.ts. */
export interface AuditSignatureTable {
  seq: number;
  hash: string;
  at: string;
  key_fingerprint: string;
  public_key: string;
  signature: string;
}

/** An RFC 3161 token on an evidence hash (0014): operational, not audited; the token verifies itself. */
export interface EvidenceTimestampTable {
  sha256: string;
  /** The DER of the TimeStampToken, base64. */
  token: string;
  gen_time: string;
  tsa: string;
  requested_at: string;
}

/** An RFC 3161 token on a signed head of the audit chain (0014): its imprint is SHA-256 of headMessage(instance, seq, hash, at). */
export interface AuditTimestampTable {
  seq: number;
  hash: string;
  instance: string;
  at: string;
  token: string;
  gen_time: string;
  tsa: string;
}

/** The fingerprint of the identity key the database's sealed values open with, and a rotation under way (0009). */
export interface KeyFingerprintTable {
  purpose: string;
  fingerprint: string;
  recorded_at: string;
  next_fingerprint: string | null;
  rotation_started_at: string | null;
  rotation_cursor: string | null;
}

/** The push queue of one witness (0013): what waits to be delivered, how the attempts went, what was delivered last. */
export interface WitnessPushTable {
  witness_id: string;
  pending_seq: number | null;
  /** The signed head waiting, as JSON. */
  pending_head: string | null;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  /** 1 when the witness refused the pending head for good (it contradicts what the witness holds). */
  refused: number;
  delivered_seq: number | null;
  delivered_hash: string | null;
  delivered_at: string | null;
}

/** The instance key a partner's witness token was first seen with (0013). */
export interface WitnessPinTable {
  token_id: string;
  instance: string;
  public_key: string;
  pinned_at: string;
}

/** A signed head a partner delivered here (0013). */
interface WitnessHeadTable {
  instance: string;
  seq: number;
  hash: string;
  at: string;
  public_key: string;
  signature: string;
  token_id: string;
  received_at: string;
}

/** A partner's head refused because it contradicts what is held (0013). */
interface WitnessAlarmTable {
  id: string;
  token_id: string;
  kind: string;
  instance: string;
  seq: number;
  hash: string;
  at: string;
  public_key: string;
  signature: string;
  received_at: string;
  message: string;
}

export interface Database {
  facility: FacilityTable;
  area: AreaTable;
  organization: OrganizationTable;
  person: PersonTable;
  source: SourceTable;
  evidence_item: EvidenceItemTable;
  custody_event: CustodyEventTable;
  allegation: AllegationTable;
  allegation_act: AllegationActTable;
  allegation_person: AllegationPersonTable;
  allegation_source: AllegationSourceTable;
  proceeding: ProceedingTable;
  proceeding_stage: ProceedingStageTable;
  visit: VisitTable;
  recommendation: RecommendationTable;
  statement: StatementTable;
  reported_figure: ReportedFigureTable;
  extraction: ExtractionTable;
  proposed_fact: ProposedFactTable;
  app_user: AppUserTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  user_second_factor: UserSecondFactorTable;
  recovery_code: RecoveryCodeTable;
  second_factor_policy: SecondFactorPolicyTable;
  allegation_assignment: AllegationAssignmentTable;
  allegation_proposal: AllegationProposalTable;
  audit_entry: AuditEntryTable;
  audit_head: AuditHeadTable;
  audit_signature: AuditSignatureTable;
  evidence_timestamp: EvidenceTimestampTable;
  audit_timestamp: AuditTimestampTable;
  search_doc: SearchDocTable;
  counter: CounterTable;
  key_fingerprint: KeyFingerprintTable;
  witness_push: WitnessPushTable;
  witness_pin: WitnessPinTable;
  witness_head: WitnessHeadTable;
  witness_alarm: WitnessAlarmTable;
}

/** Tables whose every row is a record covered by the audit chain, in dependency order. */
export const AUDITED_TABLES = [
  'app_user',
  'organization',
  'facility',
  'person',
  'source',
  'statement',
  'area',
  'reported_figure',
  'allegation',
  'allegation_act',
  'allegation_person',
  'allegation_source',
  'allegation_assignment',
  'allegation_proposal',
  'evidence_item',
  'custody_event',
  'proceeding',
  'proceeding_stage',
  'visit',
  'recommendation',
  'extraction',
  'proposed_fact',
] as const satisfies readonly (keyof Database)[];

export type AuditedTable = (typeof AUDITED_TABLES)[number];
