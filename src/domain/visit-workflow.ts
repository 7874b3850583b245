/**
 * The cycle of a monitoring Visit (domain.md 3.3). The guards read the visit as it will be after
 * the step (the service merges the request into the stored visit), so each error path is the
 * visit's own field name.
 */
import { deadlineInstant, isPast } from './deadline.ts';
import { rows, TransitionTable, type Actor, type GuardCheck, type TransitionRow } from './state-machine.ts';
import {
  SAFEGUARD_ANSWERS,
  SAFEGUARD_CHECKS,
  VISIT_MODES,
  VISIT_TYPES,
  type SafeguardAnswer,
  type SafeguardCheck,
  type VisitMode,
  type VisitStatus,
  type VisitType,
} from './vocabularies-monitoring.ts';
import type { UserRole } from './vocabularies-people.ts';

/** The visit's fields the guards read, as they stand after the step. */
export interface VisitFields {
  readonly facilityId?: string;
  readonly visitDate?: string;
  readonly visitType?: VisitType;
  readonly mode?: VisitMode;
  /** Members of the visiting team. */
  readonly team?: readonly string[];
  readonly startedAt?: string;
  readonly endedAt?: string;
  /** Areas inspected. */
  readonly areaIds?: readonly string[];
  /** Registers examined; an empty list is an answer ("none shown"), a missing one is not. */
  readonly registersExamined?: readonly string[];
  /** Places or documents the team was refused; empty when access was complete. */
  readonly refusedAccess?: readonly string[];
  /** Why the visit was cancelled. */
  readonly cancellationReason?: string;
  readonly safeguards?: Readonly<Partial<Record<SafeguardCheck, SafeguardAnswer>>>;
  /** When the authority's reply to the report is due. */
  readonly responseDue?: string;
  /** The authority's reply, recorded as a Statement. */
  readonly replyStatementId?: string;
}

/** A request to move a visit to its next status. */
export interface VisitTransitionInput {
  /** Current status; null when the visit is being planned. */
  readonly from: VisitStatus | null;
  readonly to: VisitStatus;
  readonly actor: Actor;
  readonly visit: VisitFields;
}

type Input = VisitTransitionInput;

const MONITOR: readonly UserRole[] = ['monitor'];

function presentList(value: readonly string[] | undefined, path: string, what: string, check: GuardCheck): void {
  check.that(Array.isArray(value), path, `${what} must be recorded, as an empty list if there were none`);
}

function requireConduct({ visit: v }: Input, check: GuardCheck): void {
  check.date(v.startedAt, 'startedAt', 'the start time');
  check.date(v.endedAt, 'endedAt', 'the end time');
  check.that(
    Date.parse(v.endedAt ?? '') >= Date.parse(v.startedAt ?? ''),
    'endedAt',
    'the visit cannot end before it starts',
  );
  presentList(v.areaIds, 'areaIds', 'the areas inspected', check);
  presentList(v.registersExamined, 'registersExamined', 'the registers examined', check);
  presentList(v.refusedAccess, 'refusedAccess', 'refused access', check);
  // A visit that saw nothing and was refused nothing did not happen as recorded.
  check.that(
    (v.areaIds?.length ?? 0) + (v.refusedAccess?.length ?? 0) > 0,
    'areaIds',
    'record the areas inspected or the access refused',
  );
}

function requireSafeguards({ visit: v }: Input, check: GuardCheck): void {
  for (const { id } of SAFEGUARD_CHECKS) {
    check.term(SAFEGUARD_ANSWERS, v.safeguards?.[id], `safeguards.${id}`, `answer to safeguard "${id}"`);
  }
}

const RULES = [
  ...rows<VisitStatus, Input>([null], 'planned', MONITOR, ({ visit: v }, check) => {
    check.text(v.facilityId, 'facilityId', 'the facility');
    check.date(v.visitDate, 'visitDate', 'the visit date');
    check.term(VISIT_TYPES, v.visitType, 'visitType', 'visit type');
    check.term(VISIT_MODES, v.mode, 'mode', 'visit mode');
    check.list(v.team, 'team', 'the visiting team');
  }),
  ...rows<VisitStatus, Input>(['planned'], 'conducted', MONITOR, requireConduct),
  ...rows<VisitStatus, Input>(['planned'], 'cancelled', MONITOR, ({ visit: v }, check) => {
    check.text(v.cancellationReason, 'cancellationReason', 'a reason for cancelling');
  }),
  ...rows<VisitStatus, Input>(['conducted'], 'findings_drafted', MONITOR, requireSafeguards),
  ...rows<VisitStatus, Input>(['findings_drafted'], 'report_sent', MONITOR, ({ visit: v }, check) => {
    check.date(v.responseDue, 'responseDue', 'the date the response is due');
  }),
  ...rows<VisitStatus, Input>(['report_sent'], 'response_received', MONITOR, ({ visit: v }, check) => {
    check.text(v.replyStatementId, 'replyStatementId', 'the reply, linked as a Statement');
  }),
  // Closing without a reply is allowed: silence is itself a finding, kept as the overdue record.
  ...rows<VisitStatus, Input>(['report_sent', 'response_received'], 'closed', MONITOR),
];

const TABLE = new TransitionTable<VisitStatus, Input>('visit status', RULES);

/** Checks a visit status change against domain.md 3.3 and returns the status to store. */
export function transitionVisit(input: VisitTransitionInput): { readonly status: VisitStatus } {
  TABLE.apply({ from: input.from, to: input.to }, input.actor.role, input);
  return { status: input.to };
}

/** Statuses `role` may move a visit to from `from` (guards not evaluated). */
export function nextVisitStatuses(from: VisitStatus | null, role: UserRole): VisitStatus[] {
  return TABLE.next(from, role);
}

/** Every row of the table as (from, to, roles), for documentation and tests. */
export function visitTransitions(): readonly TransitionRow<VisitStatus>[] {
  return TABLE.entries();
}

/** Whether a reply to a sent report is overdue at `now`; `due` is the instant it lapses (ISO, UTC). */
export function overdueVisit(
  visit: { readonly status: VisitStatus; readonly responseDue?: string | null },
  now: Date,
): { readonly overdue: boolean; readonly due?: string } {
  if (visit.status !== 'report_sent' || !visit.responseDue) return { overdue: false };
  // A due date counts to the end of that day, so a reply on the day itself is on time.
  const due = deadlineInstant(visit.responseDue);
  return { overdue: isPast(due, now), due: due.toISOString() };
}
