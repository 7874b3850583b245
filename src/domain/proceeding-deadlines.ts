/**
 * Proceeding deadlines (domain.md 3.2) and the ST5 test. `overdue` is derived from the clock each
 * time and never stored. The durations are placeholders until checked against current law.
 */
import { addDuration, deadlineInstant, isPast, type Duration } from './deadline.ts';
import type { ProceedingKind, ProceedingStage } from './vocabularies-proceedings.ts';

/** One recorded stage, in the order the stages were recorded. */
export interface StageRecord {
  readonly stage: ProceedingStage;
  /** Official date, `YYYY-MM-DD` or an ISO date-time with zone. */
  readonly onDate: string;
}

/** A deadline: once `from` is recorded, one of `until` must follow within `duration`. */
export interface ProceedingDeadlineRule {
  readonly id: 'erdr_registration' | 'pretrial_term' | 'appeal_window' | 'authority_reply';
  readonly from: ProceedingStage;
  readonly until: readonly ProceedingStage[];
  readonly duration: Duration;
  readonly basis: string;
  /** False until the duration is checked against the law in force: the UI must say so. */
  readonly verified: false;
}

/** The deadline rules of domain.md 3.2; every duration is an unverified placeholder. */
export const PROCEEDING_DEADLINES: readonly ProceedingDeadlineRule[] = [
  {
    id: 'erdr_registration',
    from: 'complaint_filed',
    until: ['registered_erdr', 'registration_refused'],
    duration: { hours: 24 },
    basis: 'placeholder from domain.md 3.2; verify against the CPC in force',
    verified: false,
  },
  {
    id: 'pretrial_term',
    from: 'registered_erdr',
    until: ['indictment_sent', 'terminated', 'suspended'],
    duration: { months: 2 },
    basis: 'CPC art. 192, extendable; placeholder, verify against the CPC in force',
    verified: false,
  },
  {
    id: 'appeal_window',
    from: 'verdict',
    until: ['appeal', 'final'],
    duration: { days: 15 },
    basis: 'placeholder from domain.md 3.2; verify against the CPC in force',
    verified: false,
  },
  {
    id: 'authority_reply',
    from: 'complaint_filed',
    // The only stages that can follow a complaint, so any recorded response ends the wait.
    until: ['registered_erdr', 'registration_refused'],
    duration: { days: 30 },
    basis: 'Vigil policy: an authority answers a complaint within 30 days',
    verified: false,
  },
];

/** Whether a proceeding is overdue now and which deadline applies; `due` is the instant it lapses (ISO, UTC). */
export interface ProceedingOverdue {
  readonly overdue: boolean;
  readonly rule?: ProceedingDeadlineRule['id'];
  readonly due?: string;
}

/**
 * The deadline of a proceeding at `now`: the most recently lapsed one if any (the longest allowed
 * wait already exceeded, e.g. 30 days unanswered rather than 24 hours unregistered), else the next
 * to lapse, else none. A rule runs from the latest `from` stage until an `until` stage follows it;
 * a bare date counts from the end of that day. Resumed investigations are not re-timed while the
 * pre-trial term is unverified.
 */
export function overdueProceeding(stages: readonly StageRecord[], now: Date): ProceedingOverdue {
  const running: { rule: ProceedingDeadlineRule['id']; due: Date }[] = [];
  for (const rule of PROCEEDING_DEADLINES) {
    const start = stages.map((s) => s.stage).lastIndexOf(rule.from);
    if (start < 0) continue;
    const started = stages[start];
    if (!started || stages.slice(start + 1).some((s) => rule.until.includes(s.stage))) continue;
    running.push({ rule: rule.id, due: addDuration(deadlineInstant(started.onDate), rule.duration) });
  }
  const byDue = running.sort((a, b) => a.due.getTime() - b.due.getTime());
  const lapsed = byDue.filter((r) => isPast(r.due, now));
  const pick = lapsed.length > 0 ? lapsed[lapsed.length - 1] : byDue[0];
  if (!pick) return { overdue: false };
  return { overdue: lapsed.length > 0, rule: pick.rule, due: pick.due.toISOString() };
}

/** True when a criminal case ever reached `registered_erdr`: the only thing ST5 counts as an investigation. */
export function reachedErdr(proceeding: {
  readonly kind: ProceedingKind;
  readonly stages: readonly StageRecord[];
}): boolean {
  return proceeding.kind === 'criminal_case' && proceeding.stages.some((s) => s.stage === 'registered_erdr');
}
