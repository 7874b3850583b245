/**
 * Deadline arithmetic for the `overdue` flags. Pure: the caller passes `now`. Deadlines are
 * derived from the clock and never stored, so a changed rule applies to old records at once.
 */

/** A legal or policy duration; months are calendar months. */
export interface Duration {
  readonly hours?: number;
  readonly days?: number;
  readonly months?: number;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

/** True for `YYYY-MM-DD` (a real calendar day) or an ISO 8601 date-time with a zone. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const day = DATE_ONLY.exec(value);
  if (day) {
    const [, y, m, d] = day.map(Number) as [number, number, number, number];
    const parsed = new Date(Date.UTC(y, m - 1, d));
    // Date.UTC rolls 2024-02-30 over to March; a round trip rejects it.
    return parsed.getUTCFullYear() === y && parsed.getUTCMonth() === m - 1 && parsed.getUTCDate() === d;
  }
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * The instant a recorded date stands for when counting a deadline. A bare date counts from the
 * end of that day (UTC, later than Kazakhstan's local midnight), so nothing is flagged overdue
 * before it could have been.
 */
export function deadlineInstant(value: string): Date {
  if (DATE_ONLY.test(value)) return new Date(Date.parse(`${value}T00:00:00Z`) + DAY_MS);
  return new Date(Date.parse(value));
}

/** `start` plus `duration`; a month step keeps the day of month, clamped to the month's last day. */
export function addDuration(start: Date, duration: Duration): Date {
  let t = start.getTime();
  if (duration.months) {
    const d = new Date(t);
    const targetMonth = d.getUTCMonth() + duration.months;
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
    t = Date.UTC(
      d.getUTCFullYear(),
      targetMonth,
      Math.min(d.getUTCDate(), lastDay),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    );
  }
  return new Date(t + (duration.days ?? 0) * DAY_MS + (duration.hours ?? 0) * 3_600_000);
}

/** Whether `now` is at or past the instant `due`. */
export function isPast(due: Date, now: Date): boolean {
  return now.getTime() >= due.getTime();
}
