import { describe, expect, it } from 'vitest';
import {
  allegationTransitions,
  nextAllegationStatuses,
  requiresTwoAnalysts,
  transitionAllegation,
  type AllegationFacts,
  type AllegationTransitionInput,
} from './allegation-workflow.ts';
import { VigilError } from './errors.ts';
import type { Actor } from './state-machine.ts';
import { USER_ROLES, VERIFICATION_STATUSES, type UserRole, type VerificationStatus } from './vocabularies.ts';

const STATUSES = VERIFICATION_STATUSES.map((s) => s.id);
const ROLES = USER_ROLES.map((r) => r.id);
const OPEN = STATUSES.filter((s) => !['withdrawn', 'duplicate', 'on_hold_safety'].includes(s));
const OUTCOMES: VerificationStatus[] = ['corroborated', 'partially_corroborated', 'uncorroborated', 'inconsistent'];

// domain.md 3.1, written out independently of the implementation.
const EXPECTED: [VerificationStatus | null, VerificationStatus, UserRole[]][] = [
  [null, 'received', ['documenter', 'analyst', 'monitor']],
  ['received', 'triage', ['analyst']],
  ['triage', 'consent_safety_check', ['analyst']],
  ['triage', 'duplicate', ['analyst']],
  ['consent_safety_check', 'under_verification', ['analyst']],
  ...OUTCOMES.map((o): [VerificationStatus, VerificationStatus, UserRole[]] => ['under_verification', o, ['analyst']]),
  ...OUTCOMES.map((o): [VerificationStatus, VerificationStatus, UserRole[]] => [o, 'under_verification', ['analyst']]),
  ['duplicate', 'triage', ['analyst']],
  ...OPEN.map((s): [VerificationStatus, VerificationStatus, UserRole[]] => [s, 'on_hold_safety', ['analyst', 'admin']]),
  ...STATUSES.filter((s) => s !== 'withdrawn').map((s): [VerificationStatus, VerificationStatus, UserRole[]] => [
    s,
    'withdrawn',
    ['documenter', 'analyst'],
  ]),
  ...OPEN.map((s): [VerificationStatus, VerificationStatus, UserRole[]] => ['on_hold_safety', s, ['analyst']]),
  ['withdrawn', 'consent_safety_check', ['analyst']],
];

const allowed = (from: VerificationStatus | null, to: VerificationStatus, role: UserRole) =>
  EXPECTED.some(([f, t, roles]) => f === from && t === to && roles.includes(role));

const FACTS: AllegationFacts = {
  consentScopes: ['record'],
  onlyPublicSources: false,
  riskAssessed: true,
  independentSourceCount: 2,
  independentlyBackedActCount: 1,
  hasContradictingSource: true,
  duplicateOf: 'allegation-1',
};

const analyst: Actor = { id: 'u-analyst', role: 'analyst' };
const secondAnalyst: Actor = { id: 'u-analyst-2', role: 'analyst' };

/** An input that meets every guard, so only the table decides. */
function valid(
  from: VerificationStatus | null,
  to: VerificationStatus,
  role: UserRole = 'analyst',
): AllegationTransitionInput {
  return {
    from,
    to,
    actor: { id: `u-${role}`, role },
    reason: 'new information',
    proposal: { proposer: secondAnalyst },
    priorStatus: to,
    withdrawalGround: 'report_retracted',
    facts: FACTS,
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

describe('transitionAllegation: the table', () => {
  const froms: (VerificationStatus | null)[] = [null, ...STATUSES];
  const cases = froms.flatMap((from) => STATUSES.flatMap((to) => ROLES.map((role) => ({ from, to, role }))));
  const allowedCases = cases.filter((c) => allowed(c.from, c.to, c.role));

  it.each(allowedCases)('allows $from → $to for $role', ({ from, to, role }) => {
    expect(transitionAllegation(valid(from, to, role)).status).toBe(to);
  });

  it('refuses every other (from, to, role) with state.transition_not_allowed on path status', () => {
    const refused = cases.filter((c) => !allowed(c.from, c.to, c.role));
    expect(refused.length + allowedCases.length).toBe(12 * 11 * 5);
    for (const { from, to, role } of refused) {
      const err = errorOf(() => transitionAllegation(valid(from, to, role)));
      expect(err.code, `${from} → ${to} as ${role}`).toBe('state.transition_not_allowed');
      expect(err.path).toBe('status');
      expect(err.details).toMatchObject({ from, to });
    }
  });

  it('names the role when the step exists for other roles', () => {
    const err = errorOf(() => transitionAllegation(valid('received', 'triage', 'documenter')));
    expect(err.details).toEqual({ from: 'received', to: 'triage', role: 'documenter' });
    expect(err.message).toBe('verification status cannot go from "received" to "triage" for the documenter role');
  });

  it('refuses samples of forbidden steps', () => {
    for (const [from, to] of [
      ['received', 'corroborated'],
      ['triage', 'under_verification'],
      ['withdrawn', 'under_verification'],
      ['duplicate', 'on_hold_safety'],
      ['corroborated', 'inconsistent'],
      [null, 'triage'],
    ] as const) {
      expect(errorOf(() => transitionAllegation(valid(from, to))).code).toBe('state.transition_not_allowed');
    }
  });

  it('lists every row of domain.md 3.1', () => {
    const rows = allegationTransitions().flatMap((r) => r.roles.map((role) => `${r.from}>${r.to}>${role}`));
    const expected = EXPECTED.flatMap(([f, t, roles]) => roles.map((role) => `${f}>${t}>${role}`));
    expect(rows.sort()).toEqual(expected.sort());
  });
});

describe('nextAllegationStatuses', () => {
  it('agrees with the table for every state and role', () => {
    for (const from of [null, ...STATUSES]) {
      for (const role of ROLES) {
        const expected = STATUSES.filter(
          (to) => allowed(from, to, role) && (from !== 'on_hold_safety' || to === 'withdrawn'),
        );
        expect(nextAllegationStatuses(from, role).sort(), `${from} as ${role}`).toEqual(expected.sort());
      }
    }
  });

  it('offers the way back from a hold only to the prior status', () => {
    expect(nextAllegationStatuses('on_hold_safety', 'analyst', { priorStatus: 'triage' })).toEqual([
      'withdrawn',
      'triage',
    ]);
    expect(nextAllegationStatuses('on_hold_safety', 'documenter', { priorStatus: 'triage' })).toEqual(['withdrawn']);
  });

  it('gives a viewer nothing', () => {
    for (const from of [null, ...STATUSES]) expect(nextAllegationStatuses(from, 'viewer')).toEqual([]);
  });
});

describe('transitionAllegation: guards', () => {
  const guardPath = (input: AllegationTransitionInput) => {
    const err = errorOf(() => transitionAllegation(input));
    expect(err.code).toBe('state.guard_failed');
    expect(err.details).toMatchObject({ from: input.from, to: input.to });
    return err.path;
  };
  const withFacts = (input: AllegationTransitionInput, facts: Partial<AllegationFacts>) => ({
    ...input,
    facts: { ...input.facts, ...facts },
  });

  it('lets a monitor record a report only with record consent', () => {
    expect(guardPath(withFacts(valid(null, 'received', 'monitor'), { consentScopes: ['share'] }))).toBe(
      'facts.consentScopes',
    );
    expect(transitionAllegation(withFacts(valid(null, 'received', 'documenter'), { consentScopes: [] })).status).toBe(
      'received',
    );
  });

  it('needs the original to mark a duplicate', () => {
    const { duplicateOf: _, ...facts } = FACTS;
    expect(guardPath({ ...valid('triage', 'duplicate'), facts })).toBe('facts.duplicateOf');
    expect(guardPath(withFacts(valid('triage', 'duplicate'), { duplicateOf: '  ' }))).toBe('facts.duplicateOf');
  });

  it('flags the safety check urgent when a victim in custody is at risk', () => {
    expect(
      transitionAllegation(withFacts(valid('triage', 'consent_safety_check'), { victimInCustodyAtRisk: true })),
    ).toEqual({
      status: 'consent_safety_check',
      urgent: true,
    });
    expect(transitionAllegation(valid('triage', 'consent_safety_check')).urgent).toBe(false);
    expect(transitionAllegation(valid('received', 'triage')).urgent).toBeUndefined();
  });

  it('starts verification only with consent or public sources, and a risk assessment', () => {
    const base = valid('consent_safety_check', 'under_verification');
    expect(guardPath(withFacts(base, { consentScopes: ['publish_named'] }))).toBe('facts.consentScopes');
    expect(transitionAllegation(withFacts(base, { consentScopes: [], onlyPublicSources: true })).status).toBe(
      'under_verification',
    );
    expect(guardPath(withFacts(base, { riskAssessed: false }))).toBe('facts.riskAssessed');
  });

  it.each(['corroborated', 'partially_corroborated', 'inconsistent'] as const)(
    'needs two different analysts for %s',
    (to) => {
      const base = valid('under_verification', to);
      const { proposal: _, ...noProposal } = base;
      expect(requiresTwoAnalysts(to)).toBe(true);
      expect(guardPath(noProposal)).toBe('proposalId');
      expect(guardPath({ ...base, proposal: { proposer: analyst }, actor: analyst })).toBe('proposalId');
      expect(guardPath({ ...base, proposal: { proposer: { id: 'u-doc', role: 'documenter' } } })).toBe('proposalId');
      // Proposing checks the step and its guards; the second analyst comes with the approval.
      expect(transitionAllegation({ ...noProposal, actor: analyst, proposing: true }).status).toBe(to);
      expect(
        guardPath({
          ...withFacts(noProposal, {
            independentSourceCount: 0,
            independentlyBackedActCount: 0,
            hasContradictingSource: false,
          }),
          proposing: true,
        }),
      ).toMatch(/^facts\./);
    },
  );

  it('does not need a second analyst to find an allegation uncorroborated', () => {
    const { proposal: _, ...input } = valid('under_verification', 'uncorroborated');
    expect(requiresTwoAnalysts('uncorroborated')).toBe(false);
    expect(transitionAllegation(input).status).toBe('uncorroborated');
  });

  it('corroborates on two independent sources or testimony at least highly consistent', () => {
    const base = withFacts(valid('under_verification', 'corroborated'), { independentSourceCount: 1 });
    expect(guardPath(withFacts(base, { maxTestimonyConsistency: 'consistent' }))).toBe('facts.independentSourceCount');
    expect(guardPath(withFacts(base, { maxTestimonyConsistency: 'not_assessed' }))).toBe(
      'facts.independentSourceCount',
    );
    expect(guardPath(base)).toBe('facts.independentSourceCount');
    for (const level of ['highly_consistent', 'typical', 'diagnostic'] as const) {
      expect(transitionAllegation(withFacts(base, { maxTestimonyConsistency: level })).status).toBe('corroborated');
    }
  });

  it('partially corroborates only when an independent source backs an act', () => {
    const base = valid('under_verification', 'partially_corroborated');
    expect(guardPath(withFacts(base, { independentlyBackedActCount: 0 }))).toBe('facts.independentlyBackedActCount');
  });

  it('finds an allegation inconsistent only on a contradicting source', () => {
    expect(guardPath(withFacts(valid('under_verification', 'inconsistent'), { hasContradictingSource: false }))).toBe(
      'facts.hasContradictingSource',
    );
  });

  it('needs a reason to reopen, to return a duplicate and to hold', () => {
    for (const [from, to] of [
      ...OUTCOMES.map((o) => [o, 'under_verification'] as const),
      ['duplicate', 'triage'] as const,
      ['triage', 'on_hold_safety'] as const,
    ]) {
      const { reason: _, ...noReason } = valid(from, to);
      expect(guardPath(noReason)).toBe('reason');
      expect(guardPath({ ...noReason, reason: '   ' })).toBe('reason');
    }
  });

  it('lets an admin hold, with a reason', () => {
    expect(transitionAllegation(valid('corroborated', 'on_hold_safety', 'admin')).status).toBe('on_hold_safety');
  });

  it('needs a ground to withdraw', () => {
    const { withdrawalGround: _, ...input } = valid('under_verification', 'withdrawn', 'documenter');
    expect(guardPath(input)).toBe('withdrawalGround');
    expect(transitionAllegation({ ...input, withdrawalGround: 'consent_withdrawn' }).status).toBe('withdrawn');
  });

  it('returns from a hold only to the prior status, after a new risk assessment', () => {
    const { priorStatus: _, ...noPrior } = valid('on_hold_safety', 'under_verification');
    expect(guardPath(noPrior)).toBe('priorStatus');
    const wrong = errorOf(() => transitionAllegation({ ...noPrior, priorStatus: 'triage' }));
    expect(wrong.code).toBe('state.transition_not_allowed');
    expect(wrong.details).toMatchObject({ from: 'on_hold_safety', to: 'under_verification', priorStatus: 'triage' });
    expect(guardPath(withFacts(valid('on_hold_safety', 'triage'), { riskAssessed: false }))).toBe('facts.riskAssessed');
  });

  it('reopens a withdrawn allegation only with new record consent', () => {
    expect(guardPath(withFacts(valid('withdrawn', 'consent_safety_check'), { consentScopes: [] }))).toBe(
      'facts.consentScopes',
    );
  });
});
