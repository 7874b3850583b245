import { describe, expect, it } from 'vitest';
import { VigilError } from './errors.ts';
import {
  nextRecommendationStatuses,
  overdueRecommendation,
  recommendationTransitions,
  transitionRecommendation,
  type RecommendationFields,
  type RecommendationTransitionInput,
} from './recommendation-workflow.ts';
import { RECOMMENDATION_STATUSES, USER_ROLES, type RecommendationStatus, type UserRole } from './vocabularies.ts';

const STATUSES = RECOMMENDATION_STATUSES.map((s) => s.id);
const ROLES = USER_ROLES.map((r) => r.id);

// domain.md 3.4, written out independently of the implementation; every step is a monitor's.
const TABLE: [RecommendationStatus | null, RecommendationStatus][] = [
  [null, 'issued'],
  ['issued', 'accepted'],
  ['issued', 'rejected'],
  ['accepted', 'in_progress'],
  ['accepted', 'reported_implemented'],
  ['in_progress', 'reported_implemented'],
  ['reported_implemented', 'implemented_verified'],
  ['accepted', 'not_implemented'],
  ['in_progress', 'not_implemented'],
  ['reported_implemented', 'not_implemented'],
  ['rejected', 'in_progress'],
  ['not_implemented', 'in_progress'],
];

const FIELDS: RecommendationFields = {
  addressee: 'Ministry of Internal Affairs',
  deadline: '2022-06-30',
  replyStatementId: 'statement-reply',
  claimStatementId: 'statement-claim',
  claimSourceId: 'source-claim',
  followUpVisitId: 'visit-2',
  evidenceSourceId: 'source-photos',
  findingId: 'finding-3',
  commitmentStatementId: 'statement-commitment',
};

function valid(
  from: RecommendationStatus | null,
  to: RecommendationStatus,
  role: UserRole = 'monitor',
  fields: Partial<RecommendationFields> = {},
): RecommendationTransitionInput {
  return { from, to, actor: { id: `u-${role}`, role }, recommendation: { ...FIELDS, ...fields } };
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

const guardPath = (input: RecommendationTransitionInput) => {
  const err = errorOf(() => transitionRecommendation(input));
  expect(err.code).toBe('state.guard_failed');
  expect(err.details).toMatchObject({ from: input.from, to: input.to });
  return err.path;
};

describe('transitionRecommendation: the table', () => {
  const isAllowed = (from: RecommendationStatus | null, to: RecommendationStatus) =>
    TABLE.some(([f, t]) => f === from && t === to);

  it.each(TABLE.map(([from, to]) => ({ from, to })))('lets a monitor move $from → $to', ({ from, to }) => {
    expect(transitionRecommendation(valid(from, to))).toEqual({ status: to });
  });

  it('refuses every other step, and every step for other roles', () => {
    for (const from of [null, ...STATUSES]) {
      for (const to of STATUSES) {
        for (const role of ROLES) {
          if (isAllowed(from, to) && role === 'monitor') continue;
          const err = errorOf(() => transitionRecommendation(valid(from, to, role)));
          expect(err.code, `${from} → ${to} as ${role}`).toBe('state.transition_not_allowed');
        }
      }
    }
  });

  it('refuses to verify straight from a claim-free status', () => {
    expect(errorOf(() => transitionRecommendation(valid('in_progress', 'implemented_verified'))).code).toBe(
      'state.transition_not_allowed',
    );
  });

  it('lists the next statuses per the table', () => {
    for (const from of [null, ...STATUSES]) {
      expect(nextRecommendationStatuses(from, 'monitor').sort()).toEqual(
        TABLE.filter(([f]) => f === from)
          .map(([, t]) => t)
          .sort(),
      );
      expect(nextRecommendationStatuses(from, 'admin')).toEqual([]);
    }
    expect(recommendationTransitions()).toHaveLength(TABLE.length);
  });
});

describe('transitionRecommendation: guards', () => {
  it('needs an addressee and a deadline to issue', () => {
    expect(guardPath(valid(null, 'issued', 'monitor', { addressee: '' }))).toBe('addressee');
    expect(guardPath(valid(null, 'issued', 'monitor', { deadline: undefined }))).toBe('deadline');
    expect(guardPath(valid(null, 'issued', 'monitor', { deadline: 'end of June' }))).toBe('deadline');
  });

  it.each(['accepted', 'rejected'] as const)('needs the linked reply for %s', (to) => {
    expect(guardPath(valid('issued', to, 'monitor', { replyStatementId: undefined }))).toBe('replyStatementId');
  });

  it.each(['accepted', 'in_progress'] as const)(
    'needs the authority claim to report implementation from %s',
    (from) => {
      expect(guardPath(valid(from, 'reported_implemented', 'monitor', { claimStatementId: undefined }))).toBe(
        'claimStatementId',
      );
    },
  );

  it('verifies implementation by a follow-up visit or a document, never the claim alone', () => {
    const from = 'reported_implemented';
    const to = 'implemented_verified';
    expect(guardPath(valid(from, to, 'monitor', { followUpVisitId: undefined, evidenceSourceId: undefined }))).toBe(
      'followUpVisitId',
    );
    expect(
      guardPath(valid(from, to, 'monitor', { followUpVisitId: undefined, evidenceSourceId: 'source-claim' })),
    ).toBe('evidenceSourceId');
    expect(transitionRecommendation(valid(from, to, 'monitor', { evidenceSourceId: undefined })).status).toBe(to);
    expect(transitionRecommendation(valid(from, to, 'monitor', { followUpVisitId: undefined })).status).toBe(to);
  });

  it.each(['accepted', 'in_progress', 'reported_implemented'] as const)(
    'needs a finding or evidence to mark %s not implemented',
    (from) => {
      expect(
        guardPath(valid(from, 'not_implemented', 'monitor', { findingId: undefined, evidenceSourceId: ' ' })),
      ).toBe('findingId');
      expect(transitionRecommendation(valid(from, 'not_implemented', 'monitor', { findingId: undefined })).status).toBe(
        'not_implemented',
      );
    },
  );

  it.each(['rejected', 'not_implemented'] as const)('needs a new commitment to resume from %s', (from) => {
    expect(guardPath(valid(from, 'in_progress', 'monitor', { commitmentStatementId: undefined }))).toBe(
      'commitmentStatementId',
    );
  });
});

describe('overdueRecommendation', () => {
  const after = new Date('2022-07-01T00:00:00Z');
  const before = new Date('2022-06-30T12:00:00Z');

  it.each(['issued', 'accepted', 'in_progress'] as const)('is overdue past the deadline while %s', (status) => {
    expect(overdueRecommendation({ status, deadline: '2022-06-30' }, after)).toEqual({
      overdue: true,
      due: '2022-07-01T00:00:00.000Z',
    });
    expect(overdueRecommendation({ status, deadline: '2022-06-30' }, before)).toEqual({
      overdue: false,
      due: '2022-07-01T00:00:00.000Z',
    });
  });

  it.each(['rejected', 'reported_implemented', 'implemented_verified', 'not_implemented'] as const)(
    'is never overdue while %s',
    (status) => {
      expect(overdueRecommendation({ status, deadline: '2022-06-30' }, after)).toEqual({ overdue: false });
    },
  );
});
