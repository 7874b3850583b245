/**
 * Test data made through the services (so every record is validated, audited and indexed the
 * way real data is). Each `make…` takes the fields that matter to the test as overrides, fills
 * the rest with valid defaults, and returns the new record's id.
 *
 *   const { svc, dispose } = await openTestServices(dialect);
 *   const f = await makeFacility(svc, { name: 'SIZO 1', aliases: ['СИЗО №1'] });
 *   const a = await makeAllegation(svc, { facilityId: f, acts: [{ kind: 'beating' }] });
 *   const p = await makeCriminalCase(svc, { allegationId: a });
 *   await registerErdr(svc, p);
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { AllegationInput } from '../../src/domain/entities/allegation.ts';
import type { FacilityInput } from '../../src/domain/entities/facility.ts';
import type { ProceedingImport } from '../../src/domain/entities/import-line.ts';
import type { PersonInput } from '../../src/domain/entities/person.ts';
import type { ProceedingStageInput } from '../../src/domain/entities/proceeding.ts';
import type { SourceInput } from '../../src/domain/entities/source.ts';
import type { ReportedFigureInput, StatementInput } from '../../src/domain/entities/statement.ts';
import type { Classification, VerificationStatus } from '../../src/domain/vocabularies.ts';
import {
  classifyAllegation,
  createAllegation,
  transitionAllegationStatus,
} from '../../src/services/allegation.service.ts';
import { makeServices, SYSTEM, type Actor, type Services } from '../../src/services/context.ts';
import { createFacility } from '../../src/services/facility.service.ts';
import { createPerson } from '../../src/services/person.service.ts';
import { advanceProceeding, openProceeding } from '../../src/services/proceeding.service.ts';
import { createSource } from '../../src/services/source.service.ts';
import { createReportedFigure, createStatement } from '../../src/services/statement.service.ts';
import { runWrite } from '../../src/store/audited-writer.ts';
import type { Store } from '../../src/store/database.ts';
import { Keyring } from '../../src/store/keyring.ts';
import type { TestDialect } from './databases.ts';
import { fakeClock, openTestStore } from './store.ts';

/** A migrated, empty store with services on it: a fresh key and a fake clock (one second per reading). */
export async function openTestServices(
  dialect: TestDialect,
  opts: { clock?: () => Date; newId?: () => string } = {},
): Promise<{ svc: Services; store: Store; dispose(): Promise<void> }> {
  const t = await openTestStore(dialect);
  const svc = makeServices(t.store, new Keyring(randomBytes(32)), {
    clock: opts.clock ?? fakeClock(),
    newId: opts.newId,
    blobs: t.blobs,
  });
  return { svc, store: t.store, dispose: t.dispose };
}

let counter = 0;
/** A short label unique within the test run, for titles and references. */
export function uniqueLabel(prefix = 't'): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

type Overrides<S extends z.ZodType> = Partial<z.input<S>>;

/** A pre-trial detention centre. */
export async function makeFacility(
  svc: Services,
  overrides: Overrides<typeof FacilityInput> = {},
  actor: Actor = SYSTEM,
): Promise<string> {
  const input: FacilityInput = { name: `Facility ${uniqueLabel('f')}`, kind: 'pretrial_detention', ...overrides };
  return (await createFacility(svc, actor, input)).id;
}

/** A news article. */
export async function makeSource(
  svc: Services,
  overrides: Overrides<typeof SourceInput> = {},
  actor: Actor = SYSTEM,
): Promise<string> {
  const input: SourceInput = {
    kind: 'news_article',
    title: `Source ${uniqueLabel('s')}`,
    language: 'en',
    publishedAt: '2022-02',
    ...overrides,
  };
  return (await createSource(svc, actor, input)).id;
}

/** A statement (a neutral one by default); makes a source unless `sourceId` is given. */
export async function makeStatement(
  svc: Services,
  overrides: Overrides<typeof StatementInput> = {},
  actor: Actor = SYSTEM,
): Promise<string> {
  const sourceId = overrides.sourceId ?? (await makeSource(svc, {}, actor));
  const input: StatementInput = {
    speakerLabel: 'Ministry press service',
    stance: 'neutral',
    gist: `Statement ${uniqueLabel('st')}`,
    statedOn: '2022-02',
    statedPrecision: 'month',
    ...overrides,
    sourceId,
  };
  return (await createStatement(svc, actor, input)).id;
}

/** A reported figure ("27 torture reports"); makes a source unless `sourceId` is given. */
export async function makeReportedFigure(
  svc: Services,
  overrides: Partial<z.input<typeof ReportedFigureInput>> = {},
  actor: Actor = SYSTEM,
): Promise<string> {
  const sourceId = overrides.sourceId ?? (await makeSource(svc, {}, actor));
  const input: ReportedFigureInput = {
    value: 1,
    counts: 'torture_reports',
    countsLabel: 'reports of torture',
    scope: 'Kazakhstan',
    asOf: '2022-01',
    asOfPrecision: 'month',
    speakerLabel: 'Ministry spokesman',
    ...overrides,
    sourceId,
  };
  return (await createReportedFigure(svc, actor, input)).id;
}

/** A person (a victim by default); identity fields given in `identity` are sealed. */
export async function makePerson(
  svc: Services,
  overrides: Partial<z.input<typeof PersonInput>> = {},
  actor: Actor = SYSTEM,
): Promise<string> {
  const input: PersonInput = { roles: ['victim'], ...overrides };
  return (await createPerson(svc, actor, input)).id;
}

/** An allegation as recorded (status `received`, classification `undetermined`). */
export async function makeAllegation(
  svc: Services,
  overrides: Overrides<typeof AllegationInput> = {},
  actor: Actor = SYSTEM,
): Promise<string> {
  const input: AllegationInput = {
    title: `Allegation ${uniqueLabel('a')}`,
    period: { start: '2022-01-10', precision: 'day' },
    acts: [{ kind: 'beating' }],
    ...overrides,
  };
  return (await createAllegation(svc, actor, input)).id;
}

/** Sets an analyst's classification. */
export async function classify(
  svc: Services,
  allegationId: string,
  classification: Classification,
  rationale = 'test classification',
): Promise<void> {
  await classifyAllegation(svc, SYSTEM, allegationId, { classification, rationale });
}

/**
 * Moves an allegation along the verification workflow from `received`, one step at a time:
 * `triage`, `consent_safety_check` (record consent needed later), `under_verification`,
 * `uncorroborated`. Other statuses need more facts (sources, a second analyst): use the service.
 */
export async function advanceAllegation(
  svc: Services,
  allegationId: string,
  to: Extract<VerificationStatus, 'triage' | 'consent_safety_check' | 'under_verification' | 'uncorroborated'>,
): Promise<void> {
  const path: VerificationStatus[] = ['triage', 'consent_safety_check', 'under_verification', 'uncorroborated'];
  for (const step of path.slice(0, path.indexOf(to) + 1)) {
    await transitionAllegationStatus(
      svc,
      SYSTEM,
      allegationId,
      step === 'under_verification' ? { to: step, risk: 'low' } : { to: step },
    );
  }
}

/** Marks an allegation (from `received`) as a duplicate of another. */
export async function markDuplicate(svc: Services, allegationId: string, of: string): Promise<void> {
  await transitionAllegationStatus(svc, SYSTEM, allegationId, { to: 'triage' });
  await transitionAllegationStatus(svc, SYSTEM, allegationId, {
    to: 'duplicate',
    duplicateOf: of,
    reason: 'same incident',
  });
}

/** Opens a proceeding; a criminal case starts as `complaint_filed`, anything else as `opened`. */
export async function makeProceeding(
  svc: Services,
  overrides: Partial<z.input<typeof ProceedingImport>> = {},
  actor: Actor = SYSTEM,
): Promise<string> {
  const input: z.input<typeof ProceedingImport> = {
    kind: 'criminal_case',
    body: "Prosecutor's Office of Almaty",
    reference: uniqueLabel('ref'),
    openedOn: '2022-01-20',
    ...overrides,
  };
  return (await openProceeding(svc, actor, input)).id;
}

/** A criminal case (a complaint). */
export function makeCriminalCase(
  svc: Services,
  overrides: Partial<z.input<typeof ProceedingImport>> = {},
): Promise<string> {
  return makeProceeding(svc, { ...overrides, kind: 'criminal_case' });
}

/** An internal (official) inquiry. */
export function makeInternalInquiry(
  svc: Services,
  overrides: Partial<z.input<typeof ProceedingImport>> = {},
): Promise<string> {
  return makeProceeding(svc, { body: 'Internal security department', ...overrides, kind: 'internal_inquiry' });
}

type StageOverrides = Partial<z.input<typeof ProceedingStageInput>>;

/** Records the next stage of a proceeding; a source documenting it is made unless given. */
export async function advanceStage(
  svc: Services,
  proceedingId: string,
  input: z.input<typeof ProceedingStageInput>,
): Promise<void> {
  const sourceId =
    input.sourceId ?? (await makeSource(svc, { kind: 'procedural_document', title: `Decision ${uniqueLabel('doc')}` }));
  await advanceProceeding(svc, SYSTEM, proceedingId, { ...input, sourceId });
}

/** complaint_filed → registered_erdr (art. 146 part 2). */
export function registerErdr(svc: Services, proceedingId: string, o: StageOverrides = {}): Promise<void> {
  return advanceStage(svc, proceedingId, {
    to: 'registered_erdr',
    onDate: '2022-01-21',
    decidedBy: 'investigator',
    ...o,
    details: { erdrNumber: uniqueLabel('erdr'), article: '146', part: '2', ...o.details },
  });
}

/** complaint_filed → registration_refused (`refused` by default). */
export function refuseRegistration(svc: Services, proceedingId: string, o: StageOverrides = {}): Promise<void> {
  return advanceStage(svc, proceedingId, {
    to: 'registration_refused',
    onDate: '2022-01-22',
    decidedBy: 'investigator',
    ...o,
    details: { refusalKind: 'refused', ...o.details },
  });
}

/** registered_erdr → pre_trial_investigation. */
export function startInvestigation(svc: Services, proceedingId: string, o: StageOverrides = {}): Promise<void> {
  return advanceStage(svc, proceedingId, {
    to: 'pre_trial_investigation',
    onDate: '2022-01-23',
    decidedBy: 'investigator',
    details: {},
    ...o,
  });
}

/** pre_trial_investigation → indictment_sent. */
function sendIndictment(svc: Services, proceedingId: string, o: StageOverrides = {}): Promise<void> {
  return advanceStage(svc, proceedingId, {
    to: 'indictment_sent',
    onDate: '2022-03-01',
    decidedBy: 'procedural_prosecutor',
    ...o,
    details: { accusedIds: ['accused-1'], articles: ['146-2'], ...o.details },
  });
}

/** indictment_sent → trial. */
function startTrial(svc: Services, proceedingId: string, o: StageOverrides = {}): Promise<void> {
  return advanceStage(svc, proceedingId, {
    to: 'trial',
    onDate: '2022-04-01',
    decidedBy: 'court',
    ...o,
    details: { courtId: 'Almaty city court', caseNumber: uniqueLabel('case'), ...o.details },
  });
}

/** One accused's verdict (domain VerdictEntry). */
export type TestVerdict = {
  accusedId: string;
  outcome: 'convicted' | 'acquitted' | 'reclassified' | 'dismissed';
  article?: string;
  sentence?: string;
};

/** trial → verdict, through the proceeding service, one verdict per accused. */
async function recordVerdict(
  svc: Services,
  proceedingId: string,
  verdicts: TestVerdict[],
  o: { onDate?: string; sourceId?: string } = {},
): Promise<void> {
  const sourceId =
    o.sourceId ?? (await makeSource(svc, { kind: 'procedural_document', title: `Judgment ${uniqueLabel('doc')}` }));
  await advanceProceeding(svc, SYSTEM, proceedingId, {
    to: 'verdict',
    onDate: o.onDate ?? '2022-06-01',
    sourceId,
    decidedBy: 'court',
    details: {
      verdicts: verdicts.map(
        (v) => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Record<string, string>,
      ),
    },
  });
}

/** A criminal case taken through the services to trial, then to a verdict with {@link recordVerdict}. */
export async function makeCaseWithVerdict(
  svc: Services,
  verdicts: TestVerdict[],
  overrides: Partial<z.input<typeof ProceedingImport>> = {},
): Promise<string> {
  const id = await makeCriminalCase(svc, overrides);
  await registerErdr(svc, id);
  await startInvestigation(svc, id);
  await sendIndictment(svc, id, { details: { accusedIds: verdicts.map((v) => v.accusedId), articles: ['146-2'] } });
  await startTrial(svc, id);
  await recordVerdict(svc, id, verdicts);
  return id;
}

/**
 * Makes the test's actors real users, with the ids the test gave them (audited inserts, as
 * `addUser` makes them), so the chain names only actors who existed, as `vigil verify` checks.
 */
export async function registerActors(svc: Services, ...actors: Actor[]): Promise<void> {
  await runWrite(svc.store, { actor: 'system', at: svc.clock().toISOString() }, async (w) => {
    for (const a of actors) {
      if (a.role === 'system') continue;
      const taken = await w.trx.selectFrom('app_user').select('id').where('id', '=', a.id).executeTakeFirst();
      if (taken) continue;
      await w.insert('app_user', {
        id: a.id,
        external_id: null,
        username: a.id,
        display_name: null,
        role: a.role,
        disabled: 0,
        password_hash: null,
      });
    }
  });
}
