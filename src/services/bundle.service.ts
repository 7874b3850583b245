import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { Line, RecordKey } from '../domain/entities/common.ts';
import { VigilError } from '../domain/errors.ts';
import { BUNDLE_AUDIENCES, timestampPathFor, type BundleAudience } from '../evidence/bundle-format.ts';
import {
  allegationSummary,
  auditLine,
  custodyLine,
  fileEntry,
  itemsFor,
  manifestHead,
  pathFor,
  redactionStatement,
  type AllegationView,
  type AuditRow,
  type CustodyRow,
  type ItemRow,
  type PersonRow,
  type SourceRow,
  type TimestampEntry,
} from '../evidence/bundle-manifest.ts';
import { writeBundle, type BundleFileSource } from '../evidence/bundle-writer.ts';
import type { SigningKey } from '../evidence/signing-key.ts';
import { runWrite } from '../store/audited-writer.ts';
import { findAllegation } from '../store/repositories/allegation.repository.ts';
import { findAuditHead } from '../store/repositories/audit-head.repository.ts';
import {
  anyInCustody,
  bundleAuditEntries,
  bundleItems,
  bundlePeople,
  bundleSources,
  custodyEventsOf,
  facilityName,
  userNames,
} from '../store/repositories/bundle.repository.ts';
import { readSnapshot } from '../store/repositories/read-snapshot.ts';
import { evidenceTimestamps } from '../store/repositories/timestamp.repository.ts';
import type { Database } from '../store/schema.ts';
import { limitedViewer, readable } from './policy.ts';
import { requireRole } from './auth.service.ts';
import type { Actor, Services } from './context.ts';
import { addCustody, logMismatch } from './evidence.service.ts';
import { writeContext } from './record-write.ts';
import { parseInput } from './validate.ts';

/** What to bundle, for whom and why. */
export const BundleRequest = z.strictObject({
  allegation: RecordKey,
  out: z.string().min(1, 'must name the file to write'),
  audience: z.enum(BUNDLE_AUDIENCES).default('court'),
  purpose: Line.optional(),
  /** Who receives the bundle, for the custody log; by default the audience. */
  recipient: Line.optional(),
});
export type BundleRequest = z.input<typeof BundleRequest>;

/** What was written and logged. */
export interface BundleResult {
  out: string;
  bundleId: string;
  audience: BundleAudience;
  files: number;
  omittedItems: number;
  fileBytes: number;
  size: number;
  auditEntries: number;
  custodyEvents: number;
  manifestSha256: string;
  fingerprint: string;
  /** Files that carry an RFC 3161 token of their hash. */
  timestamped: number;
}

/** Everything a bundle needs from the database, read in one snapshot. */
interface BundleData {
  allegation: AllegationView;
  items: ItemRow[];
  allItems: number;
  people: Map<string, PersonRow>;
  sources: Map<string, SourceRow>;
  collectors: Map<string, string>;
  custody: CustodyRow[];
  audit: AuditRow[];
  head: { seq: number; hash: string };
  /** The RFC 3161 tokens of the items' hashes, by hash. */
  timestamps: Map<string, { token: Buffer; genTime: string; tsa: string }>;
}

/**
 * Writes a signed evidence bundle for an allegation (domain.md EV8; layout and rules in
 * docs/bundles.md) and logs an `exported` custody event for every file in it.
 *
 * Order, so that a crash never logs an export that did not happen: (1) read the records in one
 * snapshot; (2) stream the files into a temporary zip, each re-hashed on the way (EV3: a
 * mismatch stops the export with `evidence.hash_mismatch`, is logged, and leaves no file);
 * (3) flush the zip and link it into place; (4) only then record the `exported` events in one
 * transaction. If that transaction fails, the bundle is removed again. A crash between (3) and
 * (4) leaves a bundle whose export is not logged — the one gap, and the lesser one: the bundle's
 * own manifest still names its time, maker and purpose.
 *
 * Admins and analysts (and the console), and only for allegations they may see (need-to-know).
 *
 * @example
 *   await makeBundle(svc, consoleActor(), { allegation: 'A-17', out: 'a17.zip', audience: 'court', purpose: 'complaint to the prosecutor' }, key);
 */
export async function makeBundle(
  svc: Services,
  actor: Actor,
  input: BundleRequest,
  key: SigningKey,
  opts: { onBytes?: (done: number, total: number) => void } = {},
): Promise<BundleResult> {
  requireRole(actor, ['admin', 'analyst'], 'export evidence bundles');
  const req = parseInput(BundleRequest, input);
  if (fs.existsSync(req.out))
    throw new VigilError('validation.invalid', `${req.out} already exists; choose another file name`, { path: 'out' });
  const data = await readSnapshot(svc.store, (trx) => readBundleData(trx, actor, req.allegation, req.audience));
  const bundleId = svc.newId();
  const createdAt = svc.clock();
  const purpose =
    req.purpose ?? `evidence bundle for ${req.audience === 'court' ? 'a court' : `a ${req.audience} audience`}`;
  const recipient = req.recipient ?? req.audience;

  // A cheap check before streaming anything: a missing blob or one of the wrong size fails at once.
  for (const item of data.items) {
    const st = await svc.blobs.stat(item.sha256);
    if (!st)
      throw new VigilError(
        'evidence.blob_missing',
        `the file of evidence item ${item.id} (${item.sha256}) is not in the blob store`,
        { path: 'sha256' },
      );
    if (st.size !== item.size) {
      await logMismatch(svc, actor, item.id).catch(() => undefined);
      throw new VigilError(
        'evidence.hash_mismatch',
        `evidence item ${item.id}: the stored file is ${st.size} bytes, ${item.size} were filed; the export is refused`,
        { path: 'sha256' },
      );
    }
  }

  // Each hash's token travels as its own zip entry (any RFC 3161 tool reads it), listed with its SHA-256.
  const tokens = new Map<string, { entry: TimestampEntry; bytes: Buffer }>();
  for (const [sha, t] of data.timestamps) {
    tokens.set(sha, {
      entry: {
        path: timestampPathFor(sha),
        sha256: createHash('sha256').update(t.token).digest('hex'),
        genTime: t.genTime,
        tsa: t.tsa,
      },
      bytes: t.token,
    });
  }
  const entries = data.items.map((item) =>
    fileEntry(req.audience, item, data.sources, data.collectors, tokens.get(item.sha256)?.entry),
  );
  // One zip entry per distinct path: the same bytes filed twice under one name are written once.
  const files = new Map<string, BundleFileSource>();
  for (const item of data.items) {
    const p = pathFor(req.audience, item);
    if (!files.has(p))
      files.set(p, { path: p, size: item.size, sha256: item.sha256, open: () => svc.blobs.read(item.sha256) });
  }
  const custodyLines = data.custody.map((r) => JSON.stringify(custodyLine(req.audience, r)));
  const audit = data.audit.map((e) => auditLine(req.audience, e));
  const auditLines = audit.map((e) => JSON.stringify(e));
  const omittedItems = data.allItems - data.items.length;
  const manifest = {
    ...manifestHead({
      bundleId,
      createdAt: createdAt.toISOString(),
      createdBy: actor.id,
      audience: req.audience,
      purpose,
      recipient,
      publicKey: key.publicKey,
    }),
    redaction: redactionStatement(req.audience, omittedItems),
    allegation: allegationSummary(req.audience, data.allegation, data.people, data.sources),
    files: entries,
    audit: {
      chain: 'subsequence',
      note: "audit.jsonl holds the entries of this instance's hash chain that concern the allegation, its parts, these files and their custody events, in order; it is a subsequence of the chain: each entry's own hash can be recomputed, and where two included entries are consecutive in the chain the link between them is checked too. The rest of the chain stays on the instance (vigil verify).",
      entries: auditLines.length,
      firstSeq: data.audit[0]?.seq ?? null,
      lastSeq: data.audit.at(-1)?.seq ?? null,
      withChanges: audit.filter((e) => e.changes !== undefined).length,
      changesWithheld: audit.filter((e) => e.withheld !== undefined).length,
      instanceHead: data.head,
    },
  };
  const totalBytes = [...files.values()].reduce((n, f) => n + f.size, 0);
  const onBytes = opts.onBytes;

  let written;
  try {
    written = await writeBundle(
      req.out,
      {
        files: [...files.values()],
        custody: Buffer.from(custodyLines.map((l) => `${l}\n`).join(''), 'utf8'),
        custodyLines: custodyLines.length,
        audit: Buffer.from(auditLines.map((l) => `${l}\n`).join(''), 'utf8'),
        auditLines: auditLines.length,
        manifest,
        createdAt,
        extras: [...tokens.values()].map((t) => ({ path: t.entry.path, bytes: t.bytes })),
      },
      key,
      onBytes ? (done) => onBytes(done, totalBytes) : undefined,
    );
  } catch (err) {
    if (err instanceof VigilError && err.code === 'evidence.hash_mismatch') {
      const bad = await findAltered(svc, data.items);
      for (const item of bad) await logMismatch(svc, actor, item.id).catch(() => undefined);
      const which = bad[0] ? `evidence item ${bad[0].id} (${bad[0].sha256})` : 'a file';
      throw new VigilError(
        'evidence.hash_mismatch',
        `${which} no longer matches its SHA-256; the export is refused and no bundle was written`,
        { path: 'sha256' },
      );
    }
    throw err;
  }

  try {
    await runWrite(svc.store, writeContext(svc, actor, purpose), async (w) => {
      for (const item of data.items) {
        await addCustody(svc, w, item.id, 'exported', {
          purpose,
          recipient,
          detail: {
            bundleId,
            audience: req.audience,
            manifestSha256: written.manifestSha256,
            path: pathFor(req.audience, item),
          },
        });
      }
      w.note('bundle.export', 'allegation', data.allegation.id);
    });
  } catch (err) {
    // Not logged, so not exported: take the bundle back rather than leave an unrecorded copy.
    fs.rmSync(written.out, { force: true });
    throw err;
  }

  return {
    out: written.out,
    bundleId,
    audience: req.audience,
    files: entries.length,
    omittedItems,
    fileBytes: written.fileBytes,
    size: written.size,
    auditEntries: auditLines.length,
    custodyEvents: custodyLines.length,
    manifestSha256: written.manifestSha256,
    fingerprint: key.publicKey.fingerprint,
    timestamped: data.items.filter((i) => tokens.has(i.sha256)).length,
  };
}

/** The items whose stored bytes no longer match (after a stream failed, to name them). */
async function findAltered(svc: Services, items: readonly ItemRow[]): Promise<ItemRow[]> {
  const seen = new Map<string, string>();
  const out: ItemRow[] = [];
  for (const item of items) {
    let result = seen.get(item.sha256);
    if (result === undefined) {
      result = await svc.blobs.check(item.sha256).catch(() => 'mismatch' as const);
      seen.set(item.sha256, result);
    }
    if (result !== 'ok') out.push(item);
  }
  return out;
}

/**
 * Sharing with a partner and publishing are uses the victim consented to, or not (domain.md PR4):
 * checked now, when the bundle is made, against the scopes the allegation holds now. Nothing about
 * a victim still in custody is published (PR6). A court bundle is the case's own evidence, made for
 * the proceedings the victim brought, and needs no further scope.
 */
async function assertConsent(
  trx: Transaction<Database>,
  audience: BundleAudience,
  a: { consent: string[]; victims: { personId: string }[] },
): Promise<void> {
  const needed: Partial<Record<BundleAudience, string[]>> = {
    partner: ['share'],
    public: ['publish_anonymised', 'publish_named'],
  };
  const scopes = needed[audience];
  if (!scopes) return;
  if (!scopes.some((scope) => a.consent.includes(scope))) {
    throw new VigilError(
      'consent.scope_missing',
      `a ${audience} bundle needs the consent scope ${scopes.join(' or ')}, which this allegation does not hold`,
      { path: 'audience' },
    );
  }
  if (
    audience === 'public' &&
    (await anyInCustody(
      trx,
      a.victims.map((v) => v.personId),
    ))
  ) {
    throw new VigilError(
      'consent.scope_missing',
      'a victim of this allegation is still in custody: nothing about it is published',
      { path: 'audience' },
    );
  }
}

async function readBundleData(
  trx: Transaction<Database>,
  actor: Actor,
  key: string,
  audience: BundleAudience,
): Promise<BundleData> {
  const a = await findAllegation(trx, key, limitedViewer(actor));
  if (!a) throw new VigilError('record.not_found', `no allegation "${key}"`, { path: 'allegation' });
  await assertConsent(trx, audience, a);

  // The allegation's files, and those of its sources (web captures are filed under a source).
  const sourceIds = a.sources.map((s) => s.sourceId);
  const all: ItemRow[] = await bundleItems(trx, a.id, sourceIds);
  // An item also filed under a source of a case outside the actor's teams stays out (need-to-know).
  const items = await readable(trx, actor, 'evidence_item', itemsFor(audience, all), (i) => i.id);

  const wantedSources = [...new Set([...sourceIds, ...items.flatMap((i) => (i.source_id ? [i.source_id] : []))])];
  const sourceRows: Map<string, SourceRow> = await bundleSources(trx, wantedSources);

  const personIds = [
    ...new Set([
      ...a.victims.map((v) => v.personId),
      ...a.perpetrators.map((p) => p.personId),
      ...a.acts.flatMap((x) => (x.victimId ? [x.victimId] : [])),
    ]),
  ];
  const people: Map<string, PersonRow> = await bundlePeople(trx, personIds);

  const collectorIds = [...new Set(items.flatMap((i) => (i.captured_by ? [i.captured_by] : [])))];
  const collectors = new Map<string, string>();
  for (const [id, username] of await userNames(trx, collectorIds)) collectors.set(id, `${username} (user ${id})`);

  const facility = a.facilityId ? await facilityName(trx, a.facilityId) : undefined;

  const itemIds = items.map((i) => i.id);
  const custody: CustodyRow[] = await custodyEventsOf(trx, itemIds);
  const audit: AuditRow[] = await bundleAuditEntries(trx, a.id, [...itemIds, ...custody.map((c) => c.id)]);
  const head = await findAuditHead(trx);
  if (!head) throw new Error('the audit chain has no head row');
  const timestamps = new Map<string, { token: Buffer; genTime: string; tsa: string }>();
  for (const [sha, t] of await evidenceTimestamps(
    trx,
    items.map((i) => i.sha256),
  ))
    timestamps.set(sha, { token: Buffer.from(t.token, 'base64'), genTime: t.gen_time, tsa: t.tsa });

  return {
    allegation: {
      id: a.id,
      externalId: a.externalId,
      title: a.title,
      summary: a.summary,
      period: a.period,
      facility: facility ?? null,
      classification: a.classification,
      verificationStatus: a.verificationStatus,
      sensitivity: a.sensitivity,
      acts: a.acts,
      victims: a.victims.map((v) => v.personId),
      perpetrators: a.perpetrators,
      sources: a.sources,
    },
    items,
    allItems: all.length,
    people,
    sources: sourceRows,
    collectors,
    custody,
    audit,
    head: { seq: Number(head.seq), hash: head.hash },
    timestamps,
  };
}
