import { describe, expect, it } from 'vitest';
import { VigilError } from './errors.ts';
import {
  nextProceedingStages,
  proceedingTransitions,
  transitionProceeding,
  type ProceedingStageDetails,
  type ProceedingTransitionInput,
} from './proceeding-workflow.ts';
import {
  PROCEEDING_KINDS,
  PROCEEDING_STAGES,
  USER_ROLES,
  type ProceedingKind,
  type ProceedingStage,
  type UserRole,
} from './vocabularies.ts';

const STAGES = PROCEEDING_STAGES.map((s) => s.id);
const ROLES = USER_ROLES.map((r) => r.id);
const OTHER_KINDS = PROCEEDING_KINDS.map((k) => k.id).filter((k) => k !== 'criminal_case');

// domain.md 3.2, written out independently of the implementation; every step is an analyst's.
const CRIMINAL: [ProceedingStage | null, ProceedingStage][] = [
  [null, 'complaint_filed'],
  ['complaint_filed', 'registered_erdr'],
  ['complaint_filed', 'registration_refused'],
  ['registration_refused', 'complaint_filed'],
  ['registered_erdr', 'pre_trial_investigation'],
  ['pre_trial_investigation', 'suspended'],
  ['pre_trial_investigation', 'terminated'],
  ['pre_trial_investigation', 'indictment_sent'],
  ['suspended', 'pre_trial_investigation'],
  ['terminated', 'pre_trial_investigation'],
  ['indictment_sent', 'trial'],
  ['trial', 'verdict'],
  ['verdict', 'appeal'],
  ['verdict', 'final'],
  ['appeal', 'final'],
  ['appeal', 'trial'],
];
const OTHER: [ProceedingStage | null, ProceedingStage][] = [
  [null, 'opened'],
  ['opened', 'concluded'],
];
const tableOf = (kind: ProceedingKind) => (kind === 'criminal_case' ? CRIMINAL : OTHER);

const DETAILS: ProceedingStageDetails = {
  body: 'Prosecutor of Almaty',
  reference: 'IN-2022-0142',
  refiling: 'appealed',
  erdrNumber: '227500031000123',
  article: '146',
  part: '2',
  refusalKind: 'refused',
  suspensionGround: 'suspect not identified',
  terminationGround: 'no_corpus_delicti',
  accusedIds: ['person-1'],
  articles: ['146-2'],
  courtId: 'org-court-1',
  caseNumber: '7511-22-00-1/15',
  verdicts: [{ accusedId: 'person-1', outcome: 'convicted', article: '146-2', sentence: '5 years' }],
  appellantId: 'person-1',
  decision: 'upheld',
  outcome: 'sanction',
};

function valid(
  kind: ProceedingKind,
  from: ProceedingStage | null,
  to: ProceedingStage,
  role: UserRole = 'analyst',
): ProceedingTransitionInput {
  return {
    kind,
    from,
    to,
    actor: { id: `u-${role}`, role },
    onDate: '2022-02-01',
    sourceId: 'source-1',
    decidedBy: 'investigator',
    details: DETAILS,
  };
}

function errorOf(fn: () => unknown): VigilError {
  try {
    fn();
  } catch (err) {
    if (err instanceof VigilError) return err;
    throw err;
  }
  throw new Error('expected a VigilError');
}

describe.each(['criminal_case', ...OTHER_KINDS] as ProceedingKind[])(
  'transitionProceeding for %s: the table',
  (kind) => {
    const table = tableOf(kind);
    const isAllowed = (from: ProceedingStage | null, to: ProceedingStage) =>
      table.some(([f, t]) => f === from && t === to);
    const cases = [null, ...STAGES].flatMap((from) => STAGES.map((to) => ({ from, to })));

    it.each(table.map(([from, to]) => ({ from, to })))('lets an analyst record $from → $to', ({ from, to }) => {
      expect(transitionProceeding(valid(kind, from, to)).stage).toBe(to);
    });

    it('refuses every other step, and every step for other roles', () => {
      for (const { from, to } of cases) {
        for (const role of ROLES) {
          if (isAllowed(from, to) && role === 'analyst') continue;
          const err = errorOf(() => transitionProceeding(valid(kind, from, to, role)));
          expect(err.code, `${from} → ${to} as ${role}`).toBe('state.transition_not_allowed');
          expect(err.path).toBe('status');
        }
      }
    });

    it('lists the next stages per the table', () => {
      for (const from of [null, ...STAGES]) {
        const expected = table.filter(([f]) => f === from).map(([, t]) => t);
        expect(nextProceedingStages(kind, from, 'analyst').sort()).toEqual(expected.sort());
        expect(nextProceedingStages(kind, from, 'monitor')).toEqual([]);
      }
      expect(proceedingTransitions(kind).map((r) => [r.from, r.to])).toEqual(table);
    });
  },
);

describe('transitionProceeding: required fields', () => {
  const without = (input: ProceedingTransitionInput, key: string): ProceedingTransitionInput => {
    if (key.startsWith('details.')) {
      const details: Record<string, unknown> = { ...input.details };
      delete details[key.slice('details.'.length)];
      return { ...input, details: details as ProceedingStageDetails };
    }
    const copy: Record<string, unknown> = { ...input };
    delete copy[key];
    return copy as unknown as ProceedingTransitionInput;
  };
  const guardPath = (input: ProceedingTransitionInput) => {
    const err = errorOf(() => transitionProceeding(input));
    expect(err.code).toBe('state.guard_failed');
    expect(err.details).toMatchObject({ from: input.from, to: input.to });
    return err.path;
  };

  const DECISION = ['onDate', 'sourceId', 'decidedBy'];
  const REQUIRED: [ProceedingStage | null, ProceedingStage, string[]][] = [
    [null, 'complaint_filed', ['onDate', 'details.body', 'details.reference']],
    ['complaint_filed', 'registered_erdr', [...DECISION, 'details.erdrNumber', 'details.article', 'details.part']],
    ['complaint_filed', 'registration_refused', [...DECISION, 'details.refusalKind']],
    ['registration_refused', 'complaint_filed', ['details.refiling', 'onDate', 'details.body', 'details.reference']],
    ['registered_erdr', 'pre_trial_investigation', DECISION],
    ['pre_trial_investigation', 'suspended', [...DECISION, 'details.suspensionGround']],
    ['pre_trial_investigation', 'terminated', [...DECISION, 'details.terminationGround']],
    ['pre_trial_investigation', 'indictment_sent', [...DECISION, 'details.accusedIds', 'details.articles']],
    ['suspended', 'pre_trial_investigation', DECISION],
    ['terminated', 'pre_trial_investigation', DECISION],
    ['indictment_sent', 'trial', [...DECISION, 'details.courtId', 'details.caseNumber']],
    ['trial', 'verdict', [...DECISION, 'details.verdicts']],
    ['verdict', 'appeal', [...DECISION, 'details.appellantId']],
    ['verdict', 'final', DECISION],
    ['appeal', 'final', [...DECISION, 'details.decision']],
    ['appeal', 'trial', DECISION],
  ];

  it.each(REQUIRED.flatMap(([from, to, keys]) => keys.map((key) => ({ from, to, key }))))(
    'refuses $from → $to without $key',
    ({ from, to, key }) => {
      expect(guardPath(without(valid('criminal_case', from, to), key))).toBe(key);
    },
  );

  it('checks values against their vocabularies and formats', () => {
    const base = valid('criminal_case', 'pre_trial_investigation', 'terminated');
    const bad = (details: Partial<ProceedingStageDetails>) =>
      ({ ...base, details: { ...DETAILS, ...details } }) as ProceedingTransitionInput;
    expect(guardPath(bad({ terminationGround: 'lack_of_will' as 'other' }))).toBe('details.terminationGround');
    expect(guardPath({ ...base, decidedBy: 'minister' as 'agency' })).toBe('decidedBy');
    expect(guardPath({ ...base, onDate: '2022-02-30' })).toBe('onDate');
    expect(guardPath({ ...base, onDate: '1 Feb 2022' })).toBe('onDate');
    expect(guardPath({ ...base, onDate: 20220201 as unknown as string })).toBe('onDate');
    expect(guardPath({ ...base, sourceId: 7 as unknown as string })).toBe('sourceId');
    expect(transitionProceeding({ ...base, onDate: '2022-02-01T10:30:00+05:00' }).stage).toBe('terminated');
    const empty = valid('criminal_case', 'pre_trial_investigation', 'indictment_sent');
    expect(guardPath({ ...empty, details: { ...DETAILS, accusedIds: [] } })).toBe('details.accusedIds');
  });

  it('needs an article and sentence for a conviction, an article for a reclassification', () => {
    const base = valid('criminal_case', 'trial', 'verdict');
    const verdicts = (v: ProceedingStageDetails['verdicts']) => ({ ...base, details: { ...DETAILS, verdicts: v } });
    expect(guardPath(verdicts([{ accusedId: 'p1', outcome: 'convicted', article: '146-2' }]))).toBe(
      'details.verdicts.0.sentence',
    );
    expect(
      guardPath(
        verdicts([
          { accusedId: 'p1', outcome: 'acquitted' },
          { accusedId: 'p2', outcome: 'reclassified' },
        ]),
      ),
    ).toBe('details.verdicts.1.article');
    expect(guardPath(verdicts([{ accusedId: '', outcome: 'acquitted' }]))).toBe('details.verdicts.0.accusedId');
    expect(guardPath(verdicts([{ accusedId: 'p1', outcome: 'pardoned' as 'dismissed' }]))).toBe(
      'details.verdicts.0.outcome',
    );
    expect(guardPath(verdicts([null as unknown as { accusedId: string; outcome: 'acquitted' }]))).toBe(
      'details.verdicts.0',
    );
    expect(
      transitionProceeding(
        verdicts([
          { accusedId: 'p1', outcome: 'acquitted' },
          { accusedId: 'p2', outcome: 'dismissed' },
        ]),
      ).stage,
    ).toBe('verdict');
  });

  it('records silence as a refusal with only its date', () => {
    const input: ProceedingTransitionInput = {
      kind: 'criminal_case',
      from: 'complaint_filed',
      to: 'registration_refused',
      actor: { id: 'a', role: 'analyst' },
      onDate: '2022-03-01',
      details: { refusalKind: 'no_response' },
    };
    expect(transitionProceeding(input)).toEqual({ stage: 'registration_refused' });
    expect(guardPath({ ...input, onDate: undefined })).toBe('onDate');
  });

  it('asks for a linked inquiry when the complaint is redirected to one', () => {
    const input = valid('criminal_case', 'complaint_filed', 'registration_refused');
    expect(
      transitionProceeding({ ...input, details: { ...DETAILS, refusalKind: 'redirected_to_internal_inquiry' } }),
    ).toEqual({
      stage: 'registration_refused',
      opens: 'internal_inquiry',
    });
  });

  it('needs an outcome to conclude an internal inquiry, and asks for a criminal case on referral', () => {
    const base = valid('internal_inquiry', 'opened', 'concluded');
    expect(guardPath(without(base, 'details.outcome'))).toBe('details.outcome');
    expect(transitionProceeding(base)).toEqual({ stage: 'concluded' });
    expect(transitionProceeding({ ...base, details: { outcome: 'referred_to_criminal' } })).toEqual({
      stage: 'concluded',
      opens: 'criminal_case',
    });
    expect(transitionProceeding({ ...valid('civil_claim', 'opened', 'concluded'), details: {} }).stage).toBe(
      'concluded',
    );
  });

  it('needs a body and a date to open a non-criminal proceeding', () => {
    expect(guardPath(without(valid('internal_inquiry', null, 'opened'), 'details.body'))).toBe('details.body');
    expect(guardPath(without(valid('prosecutor_check', null, 'opened'), 'onDate'))).toBe('onDate');
  });
});
