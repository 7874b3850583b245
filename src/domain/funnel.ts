/**
 * The accountability funnel: what became of the complaints, step by step. One definition for the
 * staff statistics and the public pages; the database counts (store/repositories/
 * statistics.repository.ts) and this module turns the counts into the steps.
 *
 * Steps are "ever reached", read from the stage history (ST5), so a case later terminated still
 * counts as registered and investigated. `registered` is the number Vigil reports as criminal
 * investigations: only criminal cases that reached `registered_erdr`. Internal inquiries are
 * counted apart and never added to it.
 */

/** The steps, in the order they are shown. */
export const FUNNEL_STEPS = [
  'complaints',
  'refused',
  'registered',
  'investigated',
  'indicted',
  'convicted',
  'internalInquiries',
] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/** Vigil's own proceedings, step by step ("ever reached"). */
export interface Funnel {
  /** Criminal cases: every one starts as a complaint (`complaint_filed`). */
  complaints: number;
  /** Criminal cases whose registration was ever refused (some were later refiled and registered). */
  refused: number;
  /** Criminal cases that ever reached `registered_erdr`: what Vigil counts as criminal investigations (ST5). */
  registered: number;
  /** … that ever reached `pre_trial_investigation`. */
  investigated: number;
  /** … that ever reached `indictment_sent`. */
  indicted: number;
  /** … with a verdict convicting at least one accused. */
  convicted: number;
  /** Internal (official) inquiries: counted apart, never added to criminal investigations. */
  internalInquiries: number;
}

/** The proceeding kind the criminal steps follow. */
export const CRIMINAL_CASE = 'criminal_case';
/** The proceeding kind counted apart. */
const INTERNAL_INQUIRY = 'internal_inquiry';
/** The stage whose details say whether anyone was convicted. */
export const VERDICT_STAGE = 'verdict';

/** The stage a criminal case must ever have reached to count at each staged step. */
const STEP_STAGE = {
  refused: 'registration_refused',
  registered: 'registered_erdr',
  investigated: 'pre_trial_investigation',
  indicted: 'indictment_sent',
} as const;

/** What the database counts for the funnel, over the proceedings in scope. */
export interface FunnelCounts {
  /** Proceedings by kind. */
  byKind: ReadonlyMap<string, number>;
  /** Criminal cases by stage ever reached. */
  criminalEverReached: ReadonlyMap<string, number>;
  /** Criminal cases with a verdict that {@link isConviction}. */
  convicted: number;
}

/** A verdict stage's details convict when at least one of its verdicts has outcome `convicted`. */
export function isConviction(details: unknown): boolean {
  const list =
    details !== null && typeof details === 'object' ? (details as { verdicts?: unknown }).verdicts : undefined;
  return (
    Array.isArray(list) &&
    list.some((x) => x !== null && typeof x === 'object' && (x as { outcome?: unknown }).outcome === 'convicted')
  );
}

/** The steps from the counts, in {@link FUNNEL_STEPS} order. */
export function funnelSteps(c: FunnelCounts): Funnel {
  const reached = (step: keyof typeof STEP_STAGE) => c.criminalEverReached.get(STEP_STAGE[step]) ?? 0;
  return {
    complaints: c.byKind.get(CRIMINAL_CASE) ?? 0,
    refused: reached('refused'),
    registered: reached('registered'),
    investigated: reached('investigated'),
    indicted: reached('indicted'),
    convicted: c.convicted,
    internalInquiries: c.byKind.get(INTERNAL_INQUIRY) ?? 0,
  };
}
