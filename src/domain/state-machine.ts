/**
 * The small engine behind the workflow modules: a transition table of (from, to, roles, guard)
 * rows, the two errors a transition can fail with, and guard checks that name the missing field.
 */
import { VigilError } from './errors.ts';
import { isIsoDate } from './deadline.ts';
import { isTermId, type Vocabulary } from './vocabulary.ts';
import type { UserRole } from './vocabularies-people.ts';

/** The signed-in user asking for a transition. */
export interface Actor {
  readonly id: string;
  readonly role: UserRole;
}

/** The two ends of a transition; `from` is null when the record is being created. */
export interface Step<S extends string> {
  readonly from: S | null;
  readonly to: S;
}

/** A row of a transition table without its guard: who may move a record from where to where. */
export interface TransitionRow<S extends string> {
  readonly from: S | null;
  readonly to: S;
  readonly roles: readonly UserRole[];
}

/** One row of a transition table; `guard` throws a `state.guard_failed` VigilError when unmet. */
export interface TransitionRule<S extends string, I> extends TransitionRow<S> {
  readonly guard?: (input: I, check: GuardCheck) => void;
}

/** Rows for several `from` states sharing one target, roles and guard. */
export function rows<S extends string, I>(
  froms: readonly (S | null)[],
  to: S,
  roles: readonly UserRole[],
  guard?: (input: I, check: GuardCheck) => void,
): TransitionRule<S, I>[] {
  return froms.map((from) => (guard ? { from, to, roles, guard } : { from, to, roles }));
}

const show = (state: string | null): string => (state === null ? '(new)' : `"${state}"`);

/** The error for a transition absent from the table (for this role, when `role` is given). */
export function transitionNotAllowed(
  machine: string,
  step: Step<string>,
  extra: { role?: UserRole; details?: Record<string, unknown> } = {},
): VigilError {
  const move = `${machine} cannot go from ${show(step.from)} to ${show(step.to)}`;
  const message = extra.role ? `${move} for the ${extra.role} role` : move;
  return new VigilError('state.transition_not_allowed', message, {
    path: 'status',
    details: { from: step.from, to: step.to, ...(extra.role ? { role: extra.role } : {}), ...extra.details },
  });
}

/** True for a string with something other than whitespace; callers may pass loosely typed data. */
export function filled(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Checks for guards; each failure is a `state.guard_failed` error whose path names the field. */
export class GuardCheck {
  constructor(private readonly step: Step<string>) {}

  /** Fails the guard at `path` with `message`. */
  fail(path: string, message: string, details: Record<string, unknown> = {}): never {
    throw new VigilError('state.guard_failed', message, {
      path,
      details: { from: this.step.from, to: this.step.to, ...details },
    });
  }

  /** Requires `ok`, else fails at `path`. */
  that(ok: boolean, path: string, message: string): void {
    if (!ok) this.fail(path, message);
  }

  /** Requires a non-blank string. */
  text(value: string | undefined, path: string, what: string): void {
    if (!filled(value)) this.fail(path, `${what} is required`);
  }

  /** Requires a non-empty list. */
  list(value: readonly unknown[] | undefined, path: string, what: string): void {
    if (!Array.isArray(value) || value.length === 0) this.fail(path, `${what} is required (at least one)`);
  }

  /** Requires an ISO 8601 date (`YYYY-MM-DD`) or date-time with a zone. */
  date(value: string | undefined, path: string, what: string): void {
    if (value === undefined || value === '') this.fail(path, `${what} is required`);
    if (!isIsoDate(value)) this.fail(path, `${what} must be an ISO 8601 date, got ${JSON.stringify(value)}`);
  }

  /** Requires an id of `vocabulary`. */
  term(vocabulary: Vocabulary, value: string | undefined, path: string, what: string): void {
    if (value === undefined || value === '') this.fail(path, `${what} is required`);
    if (!isTermId(vocabulary, value)) {
      this.fail(
        path,
        `unknown ${what} ${JSON.stringify(value)}; expected one of: ${vocabulary.map((t) => t.id).join(', ')}`,
      );
    }
  }
}

/** A transition table with lookup, role check and the list of next states. */
export class TransitionTable<S extends string, I> {
  constructor(
    private readonly machine: string,
    private readonly rules: readonly TransitionRule<S, I>[],
  ) {}

  /** Runs the row for `step` and `role` with its guard, or throws. */
  apply(step: Step<S>, role: UserRole, input: I): void {
    const matching = this.rules.filter((r) => r.from === step.from && r.to === step.to);
    if (matching.length === 0) throw transitionNotAllowed(this.machine, step);
    const rule = matching.find((r) => r.roles.includes(role));
    // The row exists for other roles: still "not allowed", with the role named so the UI can explain.
    if (!rule) throw transitionNotAllowed(this.machine, step, { role });
    rule.guard?.(input, new GuardCheck(step));
  }

  /** Targets reachable from `from` by `role`, guards not evaluated, in table order without repeats. */
  next(from: S | null, role: UserRole, keep: (rule: TransitionRule<S, I>) => boolean = () => true): S[] {
    const out: S[] = [];
    for (const r of this.rules) {
      if (r.from === from && r.roles.includes(role) && keep(r) && !out.includes(r.to)) out.push(r.to);
    }
    return out;
  }

  /** Every (from, to, roles) row, for documentation and tests. */
  entries(): readonly TransitionRow<S>[] {
    return this.rules.map(({ from, to, roles }) => ({ from, to, roles }));
  }
}
