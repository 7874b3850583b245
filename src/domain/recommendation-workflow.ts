/**
 * The follow-up of a Recommendation (domain.md 3.4). The guards read the recommendation as it
 * will be after the step, so each error path is the recommendation's own field name.
 */
import { deadlineInstant, isPast } from './deadline.ts';
import { filled, rows, TransitionTable, type Actor, type TransitionRow } from './state-machine.ts';
import type { RecommendationStatus } from './vocabularies-monitoring.ts';
import type { UserRole } from './vocabularies-people.ts';

/** The recommendation's fields the guards read, as they stand after the step. */
export interface RecommendationFields {
  readonly addressee?: string;
  readonly deadline?: string;
  /** The authority's reply accepting or rejecting, as a Statement. */
  readonly replyStatementId?: string;
  /** The authority's claim that it implemented the recommendation, as a Statement. */
  readonly claimStatementId?: string;
  /** The Source the claim came from, so it cannot be reused as its own proof. */
  readonly claimSourceId?: string;
  /** A later visit that checked implementation. */
  readonly followUpVisitId?: string;
  /** A document proving (or disproving) implementation. */
  readonly evidenceSourceId?: string;
  /** A visit finding showing non-implementation. */
  readonly findingId?: string;
  /** A renewed commitment after rejection or non-implementation, as a Statement. */
  readonly commitmentStatementId?: string;
}

/** A request to move a recommendation to its next status. */
export interface RecommendationTransitionInput {
  /** Current status; null when the recommendation is being issued. */
  readonly from: RecommendationStatus | null;
  readonly to: RecommendationStatus;
  readonly actor: Actor;
  readonly recommendation: RecommendationFields;
}

type Input = RecommendationTransitionInput;

const MONITOR: readonly UserRole[] = ['monitor'];

const RULES = [
  ...rows<RecommendationStatus, Input>([null], 'issued', MONITOR, ({ recommendation: r }, check) => {
    check.text(r.addressee, 'addressee', 'the addressee');
    check.date(r.deadline, 'deadline', 'the deadline');
  }),
  ...rows<RecommendationStatus, Input>(['issued'], 'accepted', MONITOR, ({ recommendation: r }, check) => {
    check.text(r.replyStatementId, 'replyStatementId', 'the reply, linked as a Statement');
  }),
  ...rows<RecommendationStatus, Input>(['issued'], 'rejected', MONITOR, ({ recommendation: r }, check) => {
    check.text(r.replyStatementId, 'replyStatementId', 'the reply, linked as a Statement');
  }),
  ...rows<RecommendationStatus, Input>(['accepted'], 'in_progress', MONITOR),
  ...rows<RecommendationStatus, Input>(
    ['accepted', 'in_progress'],
    'reported_implemented',
    MONITOR,
    ({ recommendation: r }, check) => {
      check.text(r.claimStatementId, 'claimStatementId', "the authority's claim, linked as a Statement");
    },
  ),
  ...rows<RecommendationStatus, Input>(
    ['reported_implemented'],
    'implemented_verified',
    MONITOR,
    ({ recommendation: r }, check) => {
      check.that(
        filled(r.followUpVisitId) || filled(r.evidenceSourceId),
        'followUpVisitId',
        'verification needs a follow-up visit or a document',
      );
      // An authority saying it did the work is not proof that it did.
      check.that(
        !r.evidenceSourceId || r.evidenceSourceId !== r.claimSourceId,
        'evidenceSourceId',
        "the authority's own claim cannot verify itself",
      );
    },
  ),
  ...rows<RecommendationStatus, Input>(
    ['accepted', 'in_progress', 'reported_implemented'],
    'not_implemented',
    MONITOR,
    ({ recommendation: r }, check) => {
      check.that(
        filled(r.findingId) || filled(r.evidenceSourceId),
        'findingId',
        'non-implementation needs a finding or evidence',
      );
    },
  ),
  ...rows<RecommendationStatus, Input>(
    ['rejected', 'not_implemented'],
    'in_progress',
    MONITOR,
    ({ recommendation: r }, check) => {
      check.text(r.commitmentStatementId, 'commitmentStatementId', 'the new commitment, linked as a Statement');
    },
  ),
];

const TABLE = new TransitionTable<RecommendationStatus, Input>('recommendation status', RULES);

/** Checks a recommendation status change against domain.md 3.4 and returns the status to store. */
export function transitionRecommendation(input: RecommendationTransitionInput): {
  readonly status: RecommendationStatus;
} {
  TABLE.apply({ from: input.from, to: input.to }, input.actor.role, input);
  return { status: input.to };
}

/** Statuses `role` may move a recommendation to from `from` (guards not evaluated). */
export function nextRecommendationStatuses(from: RecommendationStatus | null, role: UserRole): RecommendationStatus[] {
  return TABLE.next(from, role);
}

/** Every row of the table as (from, to, roles), for documentation and tests. */
export function recommendationTransitions(): readonly TransitionRow<RecommendationStatus>[] {
  return TABLE.entries();
}

const AWAITING: readonly RecommendationStatus[] = ['issued', 'accepted', 'in_progress'];

/** Whether a recommendation is overdue at `now`; `due` is the instant its deadline lapses (ISO, UTC). */
export function overdueRecommendation(
  recommendation: { readonly status: RecommendationStatus; readonly deadline?: string | null },
  now: Date,
): { readonly overdue: boolean; readonly due?: string } {
  if (!AWAITING.includes(recommendation.status) || !recommendation.deadline) return { overdue: false };
  // A deadline date counts to the end of that day.
  const due = deadlineInstant(recommendation.deadline);
  return { overdue: isPast(due, now), due: due.toISOString() };
}
