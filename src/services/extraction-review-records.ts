/**
 * What an accepted fact becomes (docs/review-queue.md). Each function runs inside the decision's
 * transaction and answers the record the fact became or was linked to. Nothing here runs without
 * a person's decision: the queue calls it only on accept or edit.
 */
import { z } from 'zod';
import { Line, PartialDate, RecordKey } from '../domain/entities/common.ts';
import { VigilError } from '../domain/errors.ts';
import { DatePrecisionSchema, PersonRoleSchema, type DatePrecision } from '../domain/vocabularies.ts';
import {
  ExtractedCount,
  ExtractedDate,
  ExtractedFacility,
  ExtractedLegalRef,
  ExtractedOrganization,
  ExtractedPerson,
  ExtractedPlace,
  ExtractedReportedFigure,
  ExtractedStatement,
  type FunnelStage,
} from '../extract/types.ts';
import type { AuditedWriter } from '../store/audited-writer.ts';
import {
  linkExtractionSource,
  type ProposedFactView,
  type ReviewRun,
} from '../store/repositories/extraction.repository.ts';
import { facilityCells, setFacilityCells } from '../store/repositories/facility.repository.ts';
import type { Actor, Services } from './context.ts';
import {
  matchArea,
  matchFacility,
  matchOrganization,
  matchPerson,
  matchSourceByUrl,
  foldKey,
} from './extraction-review-match.ts';
import { createArea, createFacility, createOrganization } from './facility.service.ts';
import { createPerson } from './person.service.ts';
import { resolveRef } from './references.ts';
import { createSource } from './source.service.ts';
import { createReportedFigure, createStatement } from './statement.service.ts';

type FactRow = ProposedFactView;

/** An extracted item's schema without span and confidence: what a fact's payload holds. */
const bare = (s: z.ZodObject) =>
  s.omit({ span: true, confidence: true }) as unknown as z.ZodType<Record<string, unknown>>;

/** One element of a facility layout, flattened to a fact of its own. */
const LayoutPart = z.discriminatedUnion('part', [
  z.strictObject({
    part: z.literal('building'),
    label: z.string().min(1),
    count: z.number(),
    floors: z.union([z.number(), z.string()]).nullable(),
  }),
  z.strictObject({ part: z.literal('cells'), value: z.number().int().nonnegative() }),
  z.strictObject({
    part: z.literal('room'),
    label: z.string().min(1),
    declared_use: z.array(z.string()),
    location: z.string().optional(),
    access: z.string().optional(),
  }),
  z.strictObject({ part: z.literal('safeguard'), text: z.string().min(1) }),
]);
type LayoutPart = z.infer<typeof LayoutPart>;

/** The payload schema of each field: the extracted item without span and confidence. */
export const PAYLOADS: Record<string, z.ZodType<Record<string, unknown>>> = {
  facilities: bare(ExtractedFacility),
  places: bare(ExtractedPlace),
  organizations: bare(ExtractedOrganization),
  people: bare(ExtractedPerson),
  legal_refs: bare(ExtractedLegalRef),
  counts: bare(ExtractedCount),
  dates: bare(ExtractedDate),
  statements: bare(ExtractedStatement),
  reported_figures: bare(ExtractedReportedFigure),
  facility_layout: LayoutPart as unknown as z.ZodType<Record<string, unknown>>,
};

/**
 * What a reviewer may add that the text does not give, or links to make by hand. These are not
 * changes to the fact: `accept` may carry them; changing the fact's own fields is an `edit`.
 */
export const RecordOptions = z.strictObject({
  /** This fact is that existing record (facility, organization, person, area): link, do not match or create. */
  link: RecordKey.optional(),
  facilityId: RecordKey.optional(),
  statementId: RecordKey.optional(),
  speakerPersonId: RecordKey.optional(),
  speakerOrganizationId: RecordKey.optional(),
  organizationId: RecordKey.optional(),
  statedOn: PartialDate.optional(),
  statedPrecision: DatePrecisionSchema.optional(),
  asOf: PartialDate.optional(),
  asOfPrecision: DatePrecisionSchema.optional(),
  scope: Line.optional(),
  counts: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a snake_case id such as torture_reports')
    .optional(),
  roles: z.array(PersonRoleSchema).min(1).max(6).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter country code')
    .optional(),
  name: Line.optional(),
  declaredBy: Line.optional(),
});
export type RecordOptions = z.infer<typeof RecordOptions>;
export const OPTION_KEYS = new Set(Object.keys(RecordOptions.shape));

/** The record an accepted fact became or was linked to. */
export interface RecordRef {
  recordType: string;
  recordId: string;
}

/** What every acceptance works with: the run, all its facts as they stand, the services and the writer. */
export interface AcceptContext {
  svc: Services;
  actor: Actor;
  w: AuditedWriter;
  run: ReviewRun;
  facts: FactRow[];
}

/** Funnel stage → the `counts` id statistics compare reported figures on (public-statistics COUNTERPARTS). */
const STAGE_COUNTS: Record<FunnelStage, string> = {
  reports: 'torture_reports',
  investigations: 'criminal_investigations',
  inquiries: 'internal_inquiries',
  charges: 'indictments',
  convictions: 'convictions',
  victims: 'victims',
};

// Titles that make a named person an official acting in public (who may carry a public name).
const OFFICIAL_ROLE_RE =
  /minist|advis|spokes|representative|head\b|chief|director|deputy|prosecutor|judge|ombuds|commissioner|official|officer|governor|akim|chair|secretary|investigator|warden|министр|советник|представител|начальник|руководител|директор|заместител|прокурор|судь|омбудсмен|уполномоченн|аким|председател|секретар|следовател|официальн/iu;

const decided = (f: FactRow) => f.status === 'accepted' || f.status === 'edited';
const payloadOf = (f: FactRow) => ({ ...f.payload, ...(f.edits ?? {}) });
const within = (outer: FactRow, inner: FactRow) =>
  outer.span.start <= inner.span.start && inner.span.end <= outer.span.end;

function ambiguous(what: string, ids: string[]): VigilError {
  return new VigilError('state.guard_failed', `${ids.length} ${what} records match; choose one with edits.link`, {
    path: 'edits.link',
    details: { candidates: ids },
  });
}

/** The Source of the run: the one given or linked, else one with the same URL, else a new one made of the article. */
async function ensureSource(ctx: AcceptContext): Promise<string> {
  const { svc, actor, w, run } = ctx;
  if (run.sourceId) return run.sourceId;
  let id = run.url ? await matchSourceByUrl(w.trx, run.url) : undefined;
  if (!id) {
    const title =
      run.title ??
      (
        run.text
          .split('\n')
          .map((l) => l.trim())
          .find((l) => l !== '') ?? 'Untitled article'
      ).slice(0, 300);
    id = (
      await createSource(
        svc,
        actor,
        {
          kind: run.sourceKind,
          title,
          ...(run.url ? { url: run.url } : {}),
          ...(/^[a-z]{2,3}$/.test(run.language) && run.language !== 'other' ? { language: run.language } : {}),
          collectedAt: w.ctx.at,
          content: run.text,
        },
        w,
      )
    ).id;
  }
  ctx.run = await linkExtractionSource(w, run.id, id);
  return id;
}

/** The one facility accepted from this run, if exactly one was. */
function runFacility(ctx: AcceptContext): string | undefined {
  const ids = new Set(
    ctx.facts.flatMap((f) => (f.field === 'facilities' && decided(f) && f.recordId ? [f.recordId] : [])),
  );
  return ids.size === 1 ? [...ids][0] : undefined;
}

/** The accepted statement of this run whose words contain the fact's words. */
function containingStatement(ctx: AcceptContext, fact: FactRow): string | undefined {
  const hit = ctx.facts.find(
    (f) => f.field === 'statements' && decided(f) && f.recordId && f.id !== fact.id && within(f, fact),
  );
  return hit?.recordId ?? undefined;
}

/** A date the text gives ("end of January"), resolved through the run's date facts when they carry a year. */
function resolveDate(
  ctx: AcceptContext,
  text: string | null,
): { iso?: string; precision: DatePrecision; text?: string } {
  if (!text) return { precision: 'unknown' };
  const key = foldKey(text);
  for (const f of ctx.facts) {
    if (f.field !== 'dates' || f.status === 'rejected') continue;
    const d = payloadOf(f) as { text?: string; iso?: string | null; precision?: DatePrecision };
    if (d.text && foldKey(d.text) === key && d.iso) return { iso: d.iso, precision: d.precision ?? 'unknown', text };
  }
  return { precision: 'unknown', text };
}

function precisionOf(iso: string): DatePrecision {
  return iso.length === 4 ? 'year' : iso.length === 7 ? 'month' : 'day';
}

/** The country the run's places name, when they name exactly one. */
function runCountry(ctx: AcceptContext): string | undefined {
  const names = new Set(
    ctx.facts
      .filter((f) => f.field === 'places' && f.status !== 'rejected')
      .map(payloadOf)
      .filter((p) => p.type === 'country')
      .map((p) => String(p.name)),
  );
  return names.size === 1 ? [...names][0] : undefined;
}

/** The organization or person a speaker names: first what this run accepted, then the records (an unambiguous match only). */
async function speakerOf(
  ctx: AcceptContext,
  speaker: string,
  o: RecordOptions,
): Promise<{ speakerPersonId?: string; speakerOrganizationId?: string }> {
  if (o.speakerPersonId || o.speakerOrganizationId) {
    return {
      ...(o.speakerPersonId ? { speakerPersonId: o.speakerPersonId } : {}),
      ...(o.speakerOrganizationId ? { speakerOrganizationId: o.speakerOrganizationId } : {}),
    };
  }
  if (speaker === 'article author') return {};
  const key = foldKey(speaker);
  for (const f of ctx.facts) {
    if (!decided(f) || !f.recordId) continue;
    const p = payloadOf(f);
    const said = [p.name, p.text].filter((s): s is string => typeof s === 'string').map(foldKey);
    if (!said.includes(key)) continue;
    if (f.field === 'organizations') return { speakerOrganizationId: f.recordId };
    if (f.field === 'people') return { speakerPersonId: f.recordId };
  }
  const orgs = await matchOrganization(ctx.w.trx, { name: speaker, text: speaker, canonical: null });
  if (orgs.length === 1 && orgs[0] !== undefined) return { speakerOrganizationId: orgs[0] };
  const people = await matchPerson(ctx.svc, ctx.w.trx, speaker, ctx.actor);
  if (people.length === 1 && people[0] !== undefined) return { speakerPersonId: people[0] };
  return {};
}

async function acceptStatement(
  ctx: AcceptContext,
  fact: FactRow,
  p: z.infer<typeof ExtractedStatement>,
  o: RecordOptions,
): Promise<RecordRef> {
  const sourceId = await ensureSource(ctx);
  const date = resolveDate(ctx, p.date);
  const statedOn = o.statedOn ?? date.iso;
  const facilityId = o.facilityId ?? runFacility(ctx);
  const { id } = await createStatement(
    ctx.svc,
    ctx.actor,
    {
      speakerLabel: p.speaker,
      ...(await speakerOf(ctx, p.speaker, o)),
      ...(statedOn
        ? { statedOn, statedPrecision: o.statedPrecision ?? (o.statedOn ? precisionOf(o.statedOn) : date.precision) }
        : { statedPrecision: 'unknown' }),
      ...(date.text ? { statedText: date.text } : {}),
      sourceId,
      stance: p.stance,
      gist: p.gist,
      quote: ctx.run.text.slice(fact.span.start, fact.span.end),
      ...(facilityId ? { facilityId } : {}),
    },
    ctx.w,
  );
  return { recordType: 'statement', recordId: id };
}

async function acceptFigure(
  ctx: AcceptContext,
  fact: FactRow,
  p: z.infer<typeof ExtractedReportedFigure>,
  o: RecordOptions,
): Promise<RecordRef> {
  // ST2: value, what it counts, scope, as-of date, speaker and source, or no record.
  if (!p.speaker)
    throw new VigilError(
      'validation.invalid',
      'the text names no speaker for this figure: edit the fact with speaker',
      { path: 'edits.speaker' },
    );
  const date = resolveDate(ctx, p.date);
  const asOf = o.asOf ?? date.iso;
  if (!asOf) {
    throw new VigilError(
      'validation.invalid',
      `the text gives no year for "${p.date ?? 'the figure'}": add edits.asOf (YYYY, YYYY-MM or YYYY-MM-DD)`,
      { path: 'edits.asOf' },
    );
  }
  const scope = o.scope ?? runCountry(ctx);
  if (!scope)
    throw new VigilError('validation.invalid', 'the scope of the figure is not clear from the text: add edits.scope', {
      path: 'edits.scope',
    });
  const sourceId = await ensureSource(ctx);
  const statementId = o.statementId ?? containingStatement(ctx, fact);
  const { id } = await createReportedFigure(
    ctx.svc,
    ctx.actor,
    {
      value: p.value,
      counts: o.counts ?? STAGE_COUNTS[p.stage],
      countsLabel: p.what,
      scope,
      asOf,
      asOfPrecision: o.asOfPrecision ?? (o.asOf ? precisionOf(o.asOf) : date.precision),
      ...(date.text ? { asOfText: date.text } : {}),
      speakerLabel: p.speaker,
      sourceId,
      ...(statementId ? { statementId } : {}),
    },
    ctx.w,
  );
  return { recordType: 'reported_figure', recordId: id };
}

const capitalize = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

async function acceptFacility(
  ctx: AcceptContext,
  p: z.infer<typeof ExtractedFacility>,
  o: RecordOptions,
): Promise<RecordRef> {
  await ensureSource(ctx);
  if (o.link)
    return {
      recordType: 'facility',
      recordId: await resolveRef(ctx.w.trx, 'facility', o.link, 'edits.link', ctx.actor),
    };
  const hits = await matchFacility(ctx.w.trx, p);
  if (hits.length > 1) throw ambiguous('facility', hits);
  if (hits.length === 1 && hits[0] !== undefined) return { recordType: 'facility', recordId: hits[0] };
  const aliases = [...new Set([p.text, ...(p.code ? [p.code] : [])].map((s) => s.trim()).filter((s) => s !== ''))];
  const { id } = await createFacility(
    ctx.svc,
    ctx.actor,
    {
      name: o.name ?? capitalize(p.text.trim()),
      kind: p.kind,
      ...(p.code ? { code: p.code } : {}),
      aliases,
      ...(p.city ? { city: p.city } : {}),
      ...(o.country ? { country: o.country } : {}),
    },
    ctx.w,
  );
  return { recordType: 'facility', recordId: id };
}

async function acceptOrganization(
  ctx: AcceptContext,
  p: z.infer<typeof ExtractedOrganization>,
  o: RecordOptions,
): Promise<RecordRef> {
  await ensureSource(ctx);
  if (o.link)
    return {
      recordType: 'organization',
      recordId: await resolveRef(ctx.w.trx, 'organization', o.link, 'edits.link', ctx.actor),
    };
  const hits = await matchOrganization(ctx.w.trx, p);
  if (hits.length > 1) throw ambiguous('organization', hits);
  if (hits.length === 1 && hits[0] !== undefined) return { recordType: 'organization', recordId: hits[0] };
  const aliases = foldKey(p.text) === foldKey(p.name) ? [] : [p.text.trim()];
  const { id } = await createOrganization(
    ctx.svc,
    ctx.actor,
    {
      name: o.name ?? p.name,
      kind: p.kind,
      aliases,
      ...(o.country ? { country: o.country } : {}),
    },
    ctx.w,
  );
  return { recordType: 'organization', recordId: id };
}

/**
 * A person: matched by blind index or an official's public name, else created. A role the text
 * gives that is an official title makes an official with a public name and role (PersonInput
 * allows public names only to officials); anyone else is recorded with a sealed name only, and
 * the reviewer must say who they are (`edits.roles`): Vigil does not guess that someone is a victim.
 */
async function acceptPerson(
  ctx: AcceptContext,
  p: z.infer<typeof ExtractedPerson>,
  o: RecordOptions,
): Promise<RecordRef> {
  await ensureSource(ctx);
  if (o.link)
    return { recordType: 'person', recordId: await resolveRef(ctx.w.trx, 'person', o.link, 'edits.link', ctx.actor) };
  const hits = await matchPerson(ctx.svc, ctx.w.trx, p.name, ctx.actor);
  if (hits.length > 1) throw ambiguous('person', hits);
  if (hits.length === 1 && hits[0] !== undefined) return { recordType: 'person', recordId: hits[0] };
  const official = o.roles ? o.roles.every((r) => r === 'official') : p.role !== null && OFFICIAL_ROLE_RE.test(p.role);
  if (!official && !o.roles) {
    throw new VigilError(
      'validation.invalid',
      'the text gives no official role for this person: add edits.roles (victim, witness, relative…)',
      { path: 'edits.roles' },
    );
  }
  const { id } = await createPerson(
    ctx.svc,
    ctx.actor,
    {
      roles: o.roles ?? ['official'],
      ...(official ? { publicName: p.name, ...(p.role ? { publicRole: p.role } : {}) } : {}),
      ...(o.organizationId ? { organizationId: o.organizationId } : {}),
      identity: { name: p.name },
    },
    ctx.w,
  );
  return { recordType: 'person', recordId: id };
}

/** Building and room facts become Areas of the run's facility; cells fill the facility's count if it has none. */
async function acceptLayout(ctx: AcceptContext, fact: FactRow, p: LayoutPart, o: RecordOptions): Promise<RecordRef> {
  const sourceId = await ensureSource(ctx);
  if (p.part === 'safeguard') return { recordType: 'source', recordId: sourceId };
  const given = o.facilityId ?? runFacility(ctx);
  if (!given) {
    throw new VigilError('state.guard_failed', 'accept the facility of this layout first, or give edits.facilityId', {
      path: 'edits.facilityId',
    });
  }
  const facilityId = await resolveRef(ctx.w.trx, 'facility', given, 'edits.facilityId', ctx.actor);
  if (p.part === 'cells') {
    // A count already recorded stays: a differing claim remains visible as this accepted fact and its words.
    if ((await facilityCells(ctx.w.trx, facilityId)) === null) await setFacilityCells(ctx.w, facilityId, p.value);
    return { recordType: 'facility', recordId: facilityId };
  }
  if (o.link)
    return { recordType: 'area', recordId: await resolveRef(ctx.w.trx, 'area', o.link, 'edits.link', ctx.actor) };
  const hits = await matchArea(ctx.w.trx, facilityId, p.label);
  if (hits.length > 1) throw ambiguous('area', hits);
  if (hits.length === 1 && hits[0] !== undefined) return { recordType: 'area', recordId: hits[0] };
  const statementId = o.statementId ?? containingStatement(ctx, fact);
  const common = {
    facilityId,
    label: p.label,
    ...(o.declaredBy ? { declaredBy: o.declaredBy } : {}),
    ...(statementId ? { declaredInStatementId: statementId } : {}),
  };
  const input =
    p.part === 'building'
      ? {
          ...common,
          level: 'building',
          ...(p.count > 0 ? { count: p.count } : {}),
          ...(p.floors !== null ? { floors: String(p.floors) } : {}),
        }
      : {
          ...common,
          level: 'room',
          declaredUse: p.declared_use,
          ...(p.location ? { location: p.location } : {}),
          ...(p.access ? { access: p.access } : {}),
        };
  const { id } = await createArea(ctx.svc, ctx.actor, input, ctx.w);
  return { recordType: 'area', recordId: id };
}

/**
 * Creates or links the record of an accepted fact. Places, legal references, counts, dates and
 * declared safeguards have no record type of their own: they stay accepted facts tied to the
 * run's Source (`record_type` `source`), with their span, so the source page can list them.
 */
export async function recordFact(
  ctx: AcceptContext,
  fact: FactRow,
  payload: Record<string, unknown>,
  o: RecordOptions,
): Promise<RecordRef> {
  switch (fact.field) {
    case 'statements':
      return acceptStatement(ctx, fact, payload as z.infer<typeof ExtractedStatement>, o);
    case 'reported_figures':
      return acceptFigure(ctx, fact, payload as z.infer<typeof ExtractedReportedFigure>, o);
    case 'facilities':
      return acceptFacility(ctx, payload as z.infer<typeof ExtractedFacility>, o);
    case 'organizations':
      return acceptOrganization(ctx, payload as z.infer<typeof ExtractedOrganization>, o);
    case 'people':
      return acceptPerson(ctx, payload as z.infer<typeof ExtractedPerson>, o);
    case 'facility_layout':
      return acceptLayout(ctx, fact, payload as LayoutPart, o);
    default:
      return { recordType: 'source', recordId: await ensureSource(ctx) };
  }
}
