import { describe, expect, it } from 'vitest';
import { VigilError } from './errors.ts';
import {
  nextVisitStatuses,
  overdueVisit,
  transitionVisit,
  visitTransitions,
  type VisitFields,
  type VisitTransitionInput,
} from './visit-workflow.ts';
import { SAFEGUARD_CHECKS, USER_ROLES, VISIT_STATUSES, type UserRole, type VisitStatus } from './vocabularies.ts';

const STATUSES = VISIT_STATUSES.map((s) => s.id);
const ROLES = USER_ROLES.map((r) => r.id);

// domain.md 3.3, written out independently of the implementation; every step is a monitor's.
const TABLE: [VisitStatus | null, VisitStatus][] = [
  [null, 'planned'],
  ['planned', 'conducted'],
  ['planned', 'cancelled'],
  ['conducted', 'findings_drafted'],
  ['findings_drafted', 'report_sent'],
  ['report_sent', 'response_received'],
  ['report_sent', 'closed'],
  ['response_received', 'closed'],
];

const VISIT: VisitFields = {
  facilityId: 'facility-la-155-18',
  visitDate: '2022-02-15',
  visitType: 'ad_hoc',
  mode: 'unannounced',
  team: ['monitor-1', 'monitor-2'],
  startedAt: '2022-02-15T10:00:00+06:00',
  endedAt: '2022-02-15T16:30:00+06:00',
  areaIds: ['area-basement'],
  registersExamined: ['custody register'],
  refusedAccess: [],
  cancellationReason: 'quarantine',
  safeguards: Object.fromEntries(SAFEGUARD_CHECKS.map((c) => [c.id, 'partial'])),
  responseDue: '2022-04-15',
  replyStatementId: 'statement-7',
};

function valid(
  from: VisitStatus | null,
  to: VisitStatus,
  role: UserRole = 'monitor',
  visit: Partial<VisitFields> = {},
): VisitTransitionInput {
  return { from, to, actor: { id: `u-${role}`, role }, visit: { ...VISIT, ...visit } };
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

const guardPath = (input: VisitTransitionInput) => {
  const err = errorOf(() => transitionVisit(input));
  expect(err.code).toBe('state.guard_failed');
  return err.path;
};

describe('transitionVisit: the table', () => {
  const isAllowed = (from: VisitStatus | null, to: VisitStatus) => TABLE.some(([f, t]) => f === from && t === to);

  it.each(TABLE.map(([from, to]) => ({ from, to })))('lets a monitor move $from → $to', ({ from, to }) => {
    expect(transitionVisit(valid(from, to))).toEqual({ status: to });
  });

  it('refuses every other step, and every step for other roles', () => {
    for (const from of [null, ...STATUSES]) {
      for (const to of STATUSES) {
        for (const role of ROLES) {
          if (isAllowed(from, to) && role === 'monitor') continue;
          const err = errorOf(() => transitionVisit(valid(from, to, role)));
          expect(err.code, `${from} → ${to} as ${role}`).toBe('state.transition_not_allowed');
          expect(err.details).toMatchObject({ from, to });
        }
      }
    }
  });

  it('lists the next statuses per the table', () => {
    for (const from of [null, ...STATUSES]) {
      expect(nextVisitStatuses(from, 'monitor').sort()).toEqual(
        TABLE.filter(([f]) => f === from)
          .map(([, t]) => t)
          .sort(),
      );
      expect(nextVisitStatuses(from, 'analyst')).toEqual([]);
    }
    expect(visitTransitions().map((r) => [r.from, r.to])).toEqual(TABLE);
  });
});

describe('transitionVisit: guards', () => {
  it.each([
    ['facilityId', { facilityId: undefined }],
    ['visitDate', { visitDate: undefined }],
    ['visitDate', { visitDate: '15.02.2022' }],
    ['visitType', { visitType: 'surprise' as 'ad_hoc' }],
    ['mode', { mode: undefined }],
    ['team', { team: [] }],
  ] as const)('refuses to plan without %s', (path, visit) => {
    expect(guardPath(valid(null, 'planned', 'monitor', visit))).toBe(path);
  });

  it.each([
    ['startedAt', { startedAt: undefined }],
    ['endedAt', { endedAt: undefined }],
    ['endedAt', { endedAt: '2022-02-15T09:00:00+06:00' }],
    ['areaIds', { areaIds: undefined }],
    ['registersExamined', { registersExamined: undefined }],
    ['refusedAccess', { refusedAccess: undefined }],
    ['areaIds', { areaIds: [], refusedAccess: [] }],
  ] as const)('refuses to mark conducted without a valid %s', (path, visit) => {
    expect(guardPath(valid('planned', 'conducted', 'monitor', visit))).toBe(path);
  });

  it('accepts a visit refused everywhere, with nothing examined', () => {
    expect(
      transitionVisit(
        valid('planned', 'conducted', 'monitor', { areaIds: [], registersExamined: [], refusedAccess: ['basement'] }),
      ).status,
    ).toBe('conducted');
  });

  it('needs a reason to cancel', () => {
    expect(guardPath(valid('planned', 'cancelled', 'monitor', { cancellationReason: ' ' }))).toBe('cancellationReason');
  });

  it('needs every safeguard answered, not_checked included, before findings', () => {
    const { cctv: _, ...rest } = VISIT.safeguards!;
    expect(guardPath(valid('conducted', 'findings_drafted', 'monitor', { safeguards: rest }))).toBe('safeguards.cctv');
    expect(
      guardPath(valid('conducted', 'findings_drafted', 'monitor', { safeguards: { ...rest, cctv: 'maybe' as 'no' } })),
    ).toBe('safeguards.cctv');
    expect(guardPath(valid('conducted', 'findings_drafted', 'monitor', { safeguards: undefined }))).toBe(
      'safeguards.custody_register',
    );
    expect(
      transitionVisit(
        valid('conducted', 'findings_drafted', 'monitor', { safeguards: { ...rest, cctv: 'not_checked' } }),
      ).status,
    ).toBe('findings_drafted');
  });

  it('needs a response date to send the report and a linked reply to record one', () => {
    expect(guardPath(valid('findings_drafted', 'report_sent', 'monitor', { responseDue: undefined }))).toBe(
      'responseDue',
    );
    expect(guardPath(valid('report_sent', 'response_received', 'monitor', { replyStatementId: undefined }))).toBe(
      'replyStatementId',
    );
  });
});

describe('overdueVisit', () => {
  it('is overdue once the response date has passed with the report still unanswered', () => {
    const sent = { status: 'report_sent', responseDue: '2022-04-15' } as const;
    expect(overdueVisit(sent, new Date('2022-04-15T23:59:59Z'))).toEqual({
      overdue: false,
      due: '2022-04-16T00:00:00.000Z',
    });
    expect(overdueVisit(sent, new Date('2022-04-16T00:00:00Z'))).toEqual({
      overdue: true,
      due: '2022-04-16T00:00:00.000Z',
    });
  });

  it('is never overdue in another status or without a date', () => {
    const late = new Date('2030-01-01T00:00:00Z');
    expect(overdueVisit({ status: 'response_received', responseDue: '2022-04-15' }, late)).toEqual({ overdue: false });
    expect(overdueVisit({ status: 'closed', responseDue: '2022-04-15' }, late)).toEqual({ overdue: false });
    expect(overdueVisit({ status: 'report_sent', responseDue: null }, late)).toEqual({ overdue: false });
  });
});
