/**
 * What a bundle says, per audience: the allegation summary, the file entries, the custody rows
 * and the redaction statement, built from rows already read. Pure functions, so the rules of
 * redaction sit in one place and are tested without a database.
 *
 * Rules (docs/bundles.md):
 * - Every audience: people appear only by pseudonym. Names and other identity fields are never
 *   read, let alone decrypted; a court obtains identities through a separate, audited reveal.
 * - court: originals and every copy, original file names, titles, summaries, act descriptions,
 *   collectors, full custody rows.
 * - partner, public: working copies only (metadata stripped); no titles, summaries, act
 *   descriptions or period wording (free text that may name or describe victims); files named
 *   by hash; collectors withheld; source titles and addresses only for published sources;
 *   custody `detail` withheld; the changes of an audit entry withheld unless every one is a
 *   code, a date or a pseudonymous id (no titles, summaries, descriptions or rationales).
 */
import type { AuditEntry } from '../domain/audit-format.ts';
import {
  BUNDLE_FORMAT,
  FILES_DIR,
  extensionFor,
  sanitizeName,
  type BundleAudience,
  type BundleAuditEntry,
  type BundleCustodyRow,
} from './bundle-format.ts';

/** Source kinds that are published by their nature: their title and address identify no victim. */
const PUBLISHED_SOURCE_KINDS: ReadonlySet<string> = new Set([
  'news_article',
  'official_statement',
  'ngo_report',
  'visit_report',
]);

/** An evidence item as stored (the columns a bundle uses). */
export interface ItemRow {
  id: string;
  external_id: string | null;
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
  copy_kind: string;
  parent_sha256: string | null;
  transformation: string | null;
  created_at: string;
}

export interface SourceRow {
  id: string;
  kind: string;
  title: string;
  url: string | null;
  outlet: string | null;
}
export interface PersonRow {
  id: string;
  pseudonym: string;
  public_role: string | null;
  is_unit: number;
}
export interface CustodyRow {
  id: string;
  evidence_item_id: string;
  action: string;
  actor: string;
  at: string;
  purpose: string | null;
  recipient: string | null;
  detail: string | null;
}

/** The allegation with its parts, as read for a bundle. */
export interface AllegationView {
  id: string;
  externalId: string | null;
  title: string;
  summary: string | null;
  period: { start: string | null; end: string | null; precision: string; text: string | null };
  facility: { id: string; name: string } | null;
  classification: string;
  verificationStatus: string;
  sensitivity: string;
  acts: Array<{ kind: string; victimId: string | null; description: string | null }>;
  victims: string[];
  perpetrators: Array<{ personId: string; perpetratorKind: string | null }>;
  sources: Array<{ sourceId: string; relation: string }>;
}

/** Whether this audience gets redacted content. */
const isRedacted = (audience: BundleAudience): boolean => audience !== 'court';

/** The items of an allegation that go into a bundle for `audience`. */
export function itemsFor(audience: BundleAudience, items: readonly ItemRow[]): ItemRow[] {
  return isRedacted(audience) ? items.filter((i) => i.copy_kind === 'working') : [...items];
}

/** The redaction statement of the manifest. */
export function redactionStatement(audience: BundleAudience, omittedItems: number): Record<string, unknown> {
  const identities =
    'pseudonymised: people appear only by pseudonym; no name or other identity field was read or decrypted for this bundle. Identities are disclosed, if at all, through a separate, audited reveal.';
  if (!isRedacted(audience)) {
    return {
      identities,
      files: 'originals and all copies, byte for byte as preserved',
      freeText: 'included: titles, summaries and act descriptions as recorded',
      collectors: 'included',
      custody: 'complete rows',
      auditChanges:
        'complete: what each audit entry changed, as recorded (identity fields only as "changed", never their values)',
      omittedItems: 0,
    };
  }
  return {
    identities,
    files: 'working copies only (image metadata stripped); originals are omitted',
    freeText: 'omitted: titles, summaries, act descriptions and period wording, which may name or describe victims',
    fileNames: 'files are named by hash; original file names are omitted',
    collectors: 'withheld',
    sources: 'titles and addresses only for published sources (news, official statements, NGO and visit reports)',
    custody: 'the detail field of custody rows is withheld (such rows cannot be matched to their audit entries)',
    auditChanges:
      'the changes of an audit entry are withheld (marked "withheld": ["changes"]) unless each is a code, a date or a pseudonymous id; such an entry\'s own hash cannot be recomputed, the links around it still are',
    omittedItems,
  };
}

function sourceFor(audience: BundleAudience, s: SourceRow | undefined): Record<string, unknown> | null {
  if (!s) return null;
  if (isRedacted(audience) && !PUBLISHED_SOURCE_KINDS.has(s.kind))
    return { id: s.id, kind: s.kind, title: null, url: null };
  return { id: s.id, kind: s.kind, title: s.title, url: s.url, outlet: s.outlet };
}

/** The allegation as the manifest shows it to `audience`. */
export function allegationSummary(
  audience: BundleAudience,
  a: AllegationView,
  people: ReadonlyMap<string, PersonRow>,
  sources: ReadonlyMap<string, SourceRow>,
): Record<string, unknown> {
  const red = isRedacted(audience);
  const pseudonym = (id: string | null) => (id === null ? null : (people.get(id)?.pseudonym ?? 'unknown'));
  return {
    id: a.id,
    externalId: red ? null : a.externalId,
    title: red ? null : a.title,
    summary: red ? null : a.summary,
    period: {
      start: a.period.start,
      end: a.period.end,
      precision: a.period.precision,
      text: red ? null : a.period.text,
    },
    facility: a.facility,
    classification: a.classification,
    verificationStatus: a.verificationStatus,
    sensitivity: a.sensitivity,
    acts: a.acts.map((x) => ({ kind: x.kind, victim: pseudonym(x.victimId), description: red ? null : x.description })),
    victims: a.victims.map((id) => pseudonym(id)),
    perpetrators: a.perpetrators.map((p) => ({
      pseudonym: pseudonym(p.personId),
      kind: p.perpetratorKind,
      isUnit: people.get(p.personId)?.is_unit === 1,
      publicRole: red ? null : (people.get(p.personId)?.public_role ?? null),
    })),
    sources: a.sources.map((s) => ({ relation: s.relation, ...sourceFor(audience, sources.get(s.sourceId)) })),
  };
}

/** Where an item's bytes go in the zip. */
export function pathFor(audience: BundleAudience, item: ItemRow): string {
  const byHash = `${item.sha256.slice(0, 12)}${extensionFor(item.media_type)}`;
  const name = isRedacted(audience) ? byHash : sanitizeName(item.original_name, byHash);
  return `${FILES_DIR}${item.sha256}/${name}`;
}

/** A file's RFC 3161 token as the manifest lists it (docs/bundles.md). */
export interface TimestampEntry {
  path: string;
  sha256: string;
  genTime: string;
  tsa: string;
}

/** The manifest entry of one file; `timestamp` when its hash has a token. */
export function fileEntry(
  audience: BundleAudience,
  item: ItemRow,
  sources: ReadonlyMap<string, SourceRow>,
  collectors: ReadonlyMap<string, string>,
  timestamp?: TimestampEntry,
): Record<string, unknown> {
  const red = isRedacted(audience);
  const source = item.source_id ? sources.get(item.source_id) : undefined;
  const published = source !== undefined && PUBLISHED_SOURCE_KINDS.has(source.kind);
  return {
    path: pathFor(audience, item),
    size: item.size,
    sha256: item.sha256,
    mediaType: item.media_type,
    copyKind: item.copy_kind,
    parentSha256: item.parent_sha256,
    transformation: item.transformation,
    item: item.id,
    recordedAt: item.created_at,
    originalName: red ? null : item.original_name,
    source: sourceFor(audience, source),
    capturedFrom: red && !published ? null : item.captured_from,
    collector: red ? null : item.captured_by === null ? null : (collectors.get(item.captured_by) ?? item.captured_by),
    capturedAt: item.captured_at,
    tool: item.tool,
    ...(timestamp ? { timestamp } : {}),
  };
}

/** A custody row as custody.jsonl holds it for `audience`. */
export function custodyLine(audience: BundleAudience, row: CustodyRow): BundleCustodyRow {
  const line: BundleCustodyRow = {
    id: row.id,
    evidence_item_id: row.evidence_item_id,
    action: row.action,
    actor: row.actor,
    at: row.at,
    purpose: row.purpose,
    recipient: row.recipient,
    detail: row.detail,
  };
  if (isRedacted(audience) && row.detail !== null) return { ...line, detail: null, redacted: ['detail'] };
  return line;
}

/** An audit entry as stored. */
export type AuditRow = AuditEntry;

/**
 * Fields whose changed values a partner or the public may see: codes, dates and ids that name no
 * one (people appear by pseudonymous record id). Anything else, free text above all, is withheld.
 */
const PUBLISHABLE_CHANGES: Readonly<Record<string, ReadonlySet<string>>> = {
  allegation: new Set([
    'period_start',
    'period_end',
    'period_precision',
    'facility_id',
    'area_id',
    'classification',
    'verification_status',
    'prior_status',
    'sensitivity',
    'risk',
    'urgent',
    'consent',
    'duplicate_of',
  ]),
  allegation_act: new Set(['kind', 'victim_id', 'area_id']),
  allegation_person: new Set(['person_id', 'role', 'perpetrator_kind']),
  allegation_source: new Set(['source_id', 'relation']),
};

/** An audit entry as audit.jsonl holds it for `audience`: its changes parsed, or withheld from a redacted audience when they carry free text. */
export function auditLine(audience: BundleAudience, e: AuditRow): BundleAuditEntry {
  const line: BundleAuditEntry = {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    entity_type: e.entity_type,
    entity_id: e.entity_id,
    state_hash: e.state_hash,
    reason: e.reason,
    prev_hash: e.prev_hash,
    hash: e.hash,
  };
  if (e.changes === null) return line;
  const changes = JSON.parse(e.changes) as Array<Record<string, unknown>>;
  const allowed = PUBLISHABLE_CHANGES[e.entity_type];
  const shareable = changes.every((c) => c.changed === true || allowed?.has(String(c.field)) === true);
  if (isRedacted(audience) && !shareable) return { ...line, withheld: ['changes'] };
  return { ...line, changes };
}

/** The fixed head of a manifest. */
export function manifestHead(opts: {
  bundleId: string;
  createdAt: string;
  createdBy: string;
  audience: BundleAudience;
  purpose: string;
  recipient: string;
  publicKey: { base64: string; fingerprint: string };
}): Record<string, unknown> {
  return {
    format: BUNDLE_FORMAT,
    bundleId: opts.bundleId,
    createdAt: opts.createdAt,
    createdBy: opts.createdBy,
    audience: opts.audience,
    purpose: opts.purpose,
    recipient: opts.recipient,
    instance: {
      algorithm: 'Ed25519',
      publicKey: opts.publicKey.base64,
      fingerprint: opts.publicKey.fingerprint,
      note: 'compare the fingerprint with `vigil key show` on the instance, or pin the key: vigil verify-bundle FILE --key KEY',
    },
  };
}
