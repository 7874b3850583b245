/**
 * The verification workflow of an Allegation (domain.md 3.1). Pure: the service gathers the facts
 * the guards need from stored records, calls `transitionAllegation`, then writes the new status
 * and its audit entry (actor, reason) in one transaction.
 */
import {
  rows,
  transitionNotAllowed,
  TransitionTable,
  type Actor,
  type GuardCheck,
  type TransitionRow,
  type TransitionRule,
} from './state-machine.ts';
import {
  consistencyAtLeast,
  VERIFICATION_STATUSES,
  type ConsentScope,
  type ConsistencyLevel,
  type VerificationStatus,
} from './vocabularies-allegation.ts';
import type { UserRole } from './vocabularies-people.ts';

/** What the guards read; the service derives each from stored records at the moment of the call. */
export interface AllegationFacts {
  /** Consent scopes granted and not withdrawn, for the victim the allegation concerns. */
  readonly consentScopes: readonly ConsentScope[];
  /** True when every linked source is public, so there is nobody to ask for `record` consent. */
  readonly onlyPublicSources: boolean;
  /** A risk assessment is on file; when leaving `on_hold_safety` it must postdate the hold. */
  readonly riskAssessed: boolean;
  /** Distinct origins among the sources related `reports` or `corroborates`. */
  readonly independentSourceCount: number;
  /** Acts backed by a `corroborates` source whose origin differs from the reporting source's. */
  readonly independentlyBackedActCount: number;
  /** Highest Istanbul Protocol consistency given to a testimony, if any was assessed. */
  readonly maxTestimonyConsistency?: ConsistencyLevel;
  /** A source is linked `contradicts`; absent physical findings alone never count as one. */
  readonly hasContradictingSource: boolean;
  /** The allegation this one repeats, when marking it a duplicate. */
  readonly duplicateOf?: string;
  /** A victim is still in custody and at risk; makes the safety check urgent. */
  readonly victimInCustodyAtRisk?: boolean;
}

/** Why an allegation is withdrawn. */
type WithdrawalGround = 'consent_withdrawn' | 'report_retracted';

/** A request to move an allegation from one status to another. */
export interface AllegationTransitionInput {
  /** Current status; null when the allegation is being recorded. */
  readonly from: VerificationStatus | null;
  readonly to: VerificationStatus;
  /** Who asks; for a two-analyst step, the approving analyst (or, with `proposing`, the proposing one). */
  readonly actor: Actor;
  /** Required to reopen an outcome or duplicate and to put on hold; audited with every step. */
  readonly reason?: string;
  /**
   * For a two-analyst step, the open proposal `actor` approves, as the service found it stored
   * (see allegation-proposal.ts for what makes it approvable: open, in time, another analyst's).
   */
  readonly proposal?: { readonly proposer: Actor };
  /** True when `actor` proposes the step rather than takes it: the guards are checked, the second analyst comes later. */
  readonly proposing?: boolean;
  /** The status before `on_hold_safety`, which is the only way back out of the hold. */
  readonly priorStatus?: VerificationStatus;
  /** Required to withdraw. */
  readonly withdrawalGround?: WithdrawalGround;
  readonly facts: AllegationFacts;
}

/** The status to store, and whether the next step is urgent. */
export interface AllegationTransitionResult {
  readonly status: VerificationStatus;
  /** Set on triage → consent_safety_check: a victim in custody is at risk. */
  readonly urgent?: boolean;
}

type Input = AllegationTransitionInput;
type Rule = TransitionRule<VerificationStatus, Input>;

const ALL = VERIFICATION_STATUSES.map((s) => s.id);
/** States an allegation can be put on hold from: all but the closed and the held ones. */
const OPEN_VERIFICATION_STATUSES: readonly VerificationStatus[] = ALL.filter(
  (s) => s !== 'withdrawn' && s !== 'duplicate' && s !== 'on_hold_safety',
);
/** The results of verification. */
const VERIFICATION_OUTCOMES = [
  'corroborated',
  'partially_corroborated',
  'uncorroborated',
  'inconsistent',
] as const satisfies readonly VerificationStatus[];
/** Targets that need a second analyst: a proposer other than the approver. */
const TWO_ANALYST_STATUSES: readonly VerificationStatus[] = ['corroborated', 'partially_corroborated', 'inconsistent'];

const MACHINE = 'verification status';
const ANALYST: readonly UserRole[] = ['analyst'];

function hasRecordConsent(input: Input): boolean {
  return input.facts.consentScopes.includes('record');
}

function requireReason(input: Input, check: GuardCheck): void {
  check.text(input.reason, 'reason', 'a reason');
}

// Four eyes on any finding that could be published or used against a state body: one analyst
// proposes the step, another approves that stored proposal.
function requireSecondAnalyst(input: Input, check: GuardCheck): void {
  if (input.proposing) return;
  const proposal = input.proposal;
  if (!proposal)
    check.fail('proposalId', 'this step needs two analysts: approve an open proposal by another analyst (proposalId)');
  check.that(
    proposal.proposer.role === 'analyst',
    'proposalId',
    `the proposer must be an analyst, not ${proposal.proposer.role}`,
  );
  check.that(
    proposal.proposer.id !== input.actor.id,
    'proposalId',
    'the proposer cannot also approve: a second analyst must',
  );
}

const RULES: readonly Rule[] = [
  ...rows<VerificationStatus, Input>([null], 'received', ['documenter', 'analyst', 'monitor'], (input, check) => {
    // A monitor meets victims in person, so their intake is testimony that needs consent to record.
    if (input.actor.role === 'monitor') {
      check.that(
        hasRecordConsent(input),
        'facts.consentScopes',
        'a monitor can record a report only with `record` consent',
      );
    }
  }),
  ...rows<VerificationStatus, Input>(['received'], 'triage', ANALYST),
  ...rows<VerificationStatus, Input>(['triage'], 'consent_safety_check', ANALYST),
  ...rows<VerificationStatus, Input>(['triage'], 'duplicate', ANALYST, (input, check) => {
    check.text(input.facts.duplicateOf, 'facts.duplicateOf', 'the allegation this one duplicates');
  }),
  ...rows<VerificationStatus, Input>(['consent_safety_check'], 'under_verification', ANALYST, (input, check) => {
    check.that(
      hasRecordConsent(input) || input.facts.onlyPublicSources,
      'facts.consentScopes',
      'verification needs `record` consent unless every source is public',
    );
    check.that(input.facts.riskAssessed, 'facts.riskAssessed', 'verification needs a risk assessment first');
  }),
  ...rows<VerificationStatus, Input>(['under_verification'], 'corroborated', ANALYST, (input, check) => {
    requireSecondAnalyst(input, check);
    const { independentSourceCount, maxTestimonyConsistency } = input.facts;
    check.that(
      independentSourceCount >= 2 || consistencyAtLeast(maxTestimonyConsistency, 'highly_consistent'),
      'facts.independentSourceCount',
      `corroboration needs 2 independent sources (have ${independentSourceCount}) or testimony rated at least highly consistent`,
    );
  }),
  ...rows<VerificationStatus, Input>(['under_verification'], 'partially_corroborated', ANALYST, (input, check) => {
    requireSecondAnalyst(input, check);
    check.that(
      input.facts.independentlyBackedActCount >= 1,
      'facts.independentlyBackedActCount',
      'partial corroboration needs an independent source backing at least one act',
    );
  }),
  ...rows<VerificationStatus, Input>(['under_verification'], 'uncorroborated', ANALYST),
  ...rows<VerificationStatus, Input>(['under_verification'], 'inconsistent', ANALYST, (input, check) => {
    requireSecondAnalyst(input, check);
    check.that(
      input.facts.hasContradictingSource,
      'facts.hasContradictingSource',
      'inconsistent needs a contradicting source; missing physical findings are not one',
    );
  }),
  ...rows<VerificationStatus, Input>(VERIFICATION_OUTCOMES, 'under_verification', ANALYST, requireReason),
  ...rows<VerificationStatus, Input>(['duplicate'], 'triage', ANALYST, requireReason),
  ...rows<VerificationStatus, Input>(OPEN_VERIFICATION_STATUSES, 'on_hold_safety', ['analyst', 'admin'], requireReason),
  ...rows<VerificationStatus, Input>(
    ALL.filter((s) => s !== 'withdrawn'),
    'withdrawn',
    ['documenter', 'analyst'],
    (input, check) => {
      check.that(
        input.withdrawalGround === 'consent_withdrawn' || input.withdrawalGround === 'report_retracted',
        'withdrawalGround',
        'withdrawal needs a ground: consent_withdrawn or report_retracted',
      );
    },
  ),
  // One row per open state; the guard admits only the state the allegation was held from.
  ...OPEN_VERIFICATION_STATUSES.flatMap((prior) =>
    rows<VerificationStatus, Input>(['on_hold_safety'], prior, ANALYST, (input, check) => {
      if (input.priorStatus === undefined) check.fail('priorStatus', 'the status before the hold is required');
      if (input.priorStatus !== prior) {
        throw transitionNotAllowed(
          MACHINE,
          { from: 'on_hold_safety', to: prior },
          { details: { priorStatus: input.priorStatus } },
        );
      }
      check.that(input.facts.riskAssessed, 'facts.riskAssessed', 'leaving the hold needs a new risk assessment');
    }),
  ),
  ...rows<VerificationStatus, Input>(['withdrawn'], 'consent_safety_check', ANALYST, (input, check) => {
    check.that(
      hasRecordConsent(input),
      'facts.consentScopes',
      'reopening a withdrawn allegation needs new `record` consent',
    );
  }),
];

const TABLE = new TransitionTable<VerificationStatus, Input>(MACHINE, RULES);

/** Checks a verification-status change against domain.md 3.1 and returns the status to store. */
export function transitionAllegation(input: AllegationTransitionInput): AllegationTransitionResult {
  TABLE.apply({ from: input.from, to: input.to }, input.actor.role, input);
  if (input.from === 'triage' && input.to === 'consent_safety_check') {
    return { status: input.to, urgent: input.facts.victimInCustodyAtRisk === true };
  }
  return { status: input.to };
}

/** Statuses `role` may move an allegation to from `from` (guards not evaluated); pass `priorStatus` when held. */
export function nextAllegationStatuses(
  from: VerificationStatus | null,
  role: UserRole,
  opts: { priorStatus?: VerificationStatus } = {},
): VerificationStatus[] {
  return TABLE.next(
    from,
    role,
    (rule) => from !== 'on_hold_safety' || rule.to === 'withdrawn' || rule.to === opts.priorStatus,
  );
}

/** True when moving to `to` needs a second analyst's approval. */
export function requiresTwoAnalysts(to: VerificationStatus): boolean {
  return TWO_ANALYST_STATUSES.includes(to);
}

/** Every row of the table as (from, to, roles), for documentation and tests. */
export function allegationTransitions(): readonly TransitionRow<VerificationStatus>[] {
  return TABLE.entries();
}
