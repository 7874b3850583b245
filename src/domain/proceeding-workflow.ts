/**
 * The stages of a Proceeding in Kazakhstan (domain.md 3.2). A `criminal_case` follows the
 * criminal table; every other kind runs `opened → concluded`, so an inquiry can never pass for a
 * criminal investigation (ST5). Deadlines and the ST5 test live in `proceeding-deadlines.ts`.
 */
import { rows, TransitionTable, type Actor, type GuardCheck, type TransitionRow } from './state-machine.ts';
import type { UserRole } from './vocabularies-people.ts';
import {
  DECIDED_BY,
  INQUIRY_OUTCOMES,
  REFUSAL_KINDS,
  TERMINATION_GROUNDS,
  VERDICT_OUTCOMES,
  type DecidedBy,
  type InquiryOutcome,
  type ProceedingKind,
  type ProceedingStage,
  type RefusalKind,
  type TerminationGround,
  type VerdictOutcome,
} from './vocabularies-proceedings.ts';

export { overdueProceeding } from './proceeding-deadlines.ts';

/** The outcome of a trial for one accused. */
interface VerdictEntry {
  readonly accusedId: string;
  readonly outcome: VerdictOutcome;
  /** Required when convicted or reclassified: the article applied. */
  readonly article?: string;
  /** Required when convicted. */
  readonly sentence?: string;
}

/** What a stage may carry beyond its date, Source and decider; which fields are required depends on the step. */
export interface ProceedingStageDetails {
  /** The body a complaint or inquiry is addressed to. */
  readonly body?: string;
  /** The complaint's outgoing or incoming reference. */
  readonly reference?: string;
  /** How a refused complaint came back. */
  readonly refiling?: 'refiled' | 'appealed';
  readonly erdrNumber?: string;
  /** Criminal Code article, e.g. `146`; text because articles carry suffixes such as `146-1`. */
  readonly article?: string;
  readonly part?: string;
  readonly refusalKind?: RefusalKind;
  readonly suspensionGround?: string;
  readonly terminationGround?: TerminationGround;
  readonly accusedIds?: readonly string[];
  readonly articles?: readonly string[];
  readonly courtId?: string;
  readonly caseNumber?: string;
  readonly verdicts?: readonly VerdictEntry[];
  readonly appellantId?: string;
  readonly decision?: string;
  readonly outcome?: InquiryOutcome;
}

/** A request to record the next stage of a proceeding. */
export interface ProceedingTransitionInput {
  readonly kind: ProceedingKind;
  /** Current stage; null when the proceeding is being opened. */
  readonly from: ProceedingStage | null;
  readonly to: ProceedingStage;
  readonly actor: Actor;
  /** The official date of the stage (for `final`, the day the judgment entered into force). */
  readonly onDate?: string;
  /** The Source documenting the stage. */
  readonly sourceId?: string;
  readonly decidedBy?: DecidedBy;
  readonly details?: ProceedingStageDetails;
}

/** The stage to store and, when the step spawns one, the kind of linked proceeding to open. */
export interface ProceedingTransitionResult {
  readonly stage: ProceedingStage;
  readonly opens?: 'internal_inquiry' | 'criminal_case';
}

type Input = ProceedingTransitionInput;
type Guard = (input: Input, check: GuardCheck) => void;

const ANALYST: readonly UserRole[] = ['analyst'];

function details(input: Input): ProceedingStageDetails {
  return input.details ?? {};
}

function requireDate(input: Input, check: GuardCheck): void {
  check.date(input.onDate, 'onDate', 'the official date of the stage');
}

function requireComplaint(input: Input, check: GuardCheck): void {
  requireDate(input, check);
  check.text(details(input).body, 'details.body', 'the body the complaint went to');
  check.text(details(input).reference, 'details.reference', 'the complaint reference');
}

// A decision exists only as someone's act on paper: keep who took it and the document.
function requireDecision(input: Input, check: GuardCheck): void {
  requireDate(input, check);
  check.text(input.sourceId, 'sourceId', 'the Source documenting the stage');
  check.term(DECIDED_BY, input.decidedBy, 'decidedBy', 'decided by');
}

function decision(extra?: Guard): Guard {
  return (input, check) => {
    requireDecision(input, check);
    extra?.(input, check);
  };
}

function requireVerdicts(input: Input, check: GuardCheck): void {
  const verdicts = details(input).verdicts;
  check.list(verdicts, 'details.verdicts', 'a verdict per accused');
  (verdicts ?? []).forEach((v, i) => {
    const at = `details.verdicts.${i}`;
    if (typeof v !== 'object' || v === null) check.fail(at, 'each verdict names an accused and an outcome');
    check.text(v.accusedId, `${at}.accusedId`, 'the accused');
    check.term(VERDICT_OUTCOMES, v.outcome, `${at}.outcome`, 'verdict outcome');
    if (v.outcome === 'convicted' || v.outcome === 'reclassified')
      check.text(v.article, `${at}.article`, 'the article applied');
    if (v.outcome === 'convicted') check.text(v.sentence, `${at}.sentence`, 'the sentence');
  });
}

const CRIMINAL_RULES = [
  ...rows<ProceedingStage, Input>([null], 'complaint_filed', ANALYST, requireComplaint),
  ...rows<ProceedingStage, Input>(
    ['complaint_filed'],
    'registered_erdr',
    ANALYST,
    decision((input, check) => {
      check.text(details(input).erdrNumber, 'details.erdrNumber', 'the ERDR number');
      check.text(details(input).article, 'details.article', 'the Criminal Code article');
      check.text(details(input).part, 'details.part', 'the part of the article');
    }),
  ),
  ...rows<ProceedingStage, Input>(['complaint_filed'], 'registration_refused', ANALYST, (input, check) => {
    check.term(REFUSAL_KINDS, details(input).refusalKind, 'details.refusalKind', 'refusal kind');
    // Silence is nobody's decision and leaves no document: only the date it was noted is known.
    if (details(input).refusalKind === 'no_response') requireDate(input, check);
    else requireDecision(input, check);
  }),
  ...rows<ProceedingStage, Input>(['registration_refused'], 'complaint_filed', ANALYST, (input, check) => {
    const refiling = details(input).refiling;
    check.that(
      refiling === 'refiled' || refiling === 'appealed',
      'details.refiling',
      'say whether the complaint was refiled or appealed',
    );
    requireComplaint(input, check);
  }),
  ...rows<ProceedingStage, Input>(['registered_erdr'], 'pre_trial_investigation', ANALYST, decision()),
  ...rows<ProceedingStage, Input>(
    ['pre_trial_investigation'],
    'suspended',
    ANALYST,
    decision((input, check) => {
      check.text(details(input).suspensionGround, 'details.suspensionGround', 'the ground for suspension');
    }),
  ),
  ...rows<ProceedingStage, Input>(
    ['pre_trial_investigation'],
    'terminated',
    ANALYST,
    decision((input, check) => {
      check.term(
        TERMINATION_GROUNDS,
        details(input).terminationGround,
        'details.terminationGround',
        'termination ground',
      );
    }),
  ),
  ...rows<ProceedingStage, Input>(
    ['pre_trial_investigation'],
    'indictment_sent',
    ANALYST,
    decision((input, check) => {
      check.list(details(input).accusedIds, 'details.accusedIds', 'the accused');
      check.list(details(input).articles, 'details.articles', 'the articles charged');
    }),
  ),
  // Resumed after suspension, or termination overturned: the decision itself is the requirement.
  ...rows<ProceedingStage, Input>(['suspended', 'terminated'], 'pre_trial_investigation', ANALYST, decision()),
  ...rows<ProceedingStage, Input>(
    ['indictment_sent'],
    'trial',
    ANALYST,
    decision((input, check) => {
      check.text(details(input).courtId, 'details.courtId', 'the court');
      check.text(details(input).caseNumber, 'details.caseNumber', 'the court case number');
    }),
  ),
  ...rows<ProceedingStage, Input>(['trial'], 'verdict', ANALYST, decision(requireVerdicts)),
  ...rows<ProceedingStage, Input>(
    ['verdict'],
    'appeal',
    ANALYST,
    decision((input, check) => {
      check.text(details(input).appellantId, 'details.appellantId', 'the appellant');
    }),
  ),
  ...rows<ProceedingStage, Input>(['verdict'], 'final', ANALYST, decision()),
  ...rows<ProceedingStage, Input>(
    ['appeal'],
    'final',
    ANALYST,
    decision((input, check) => {
      check.text(details(input).decision, 'details.decision', 'the appeal decision');
    }),
  ),
  ...rows<ProceedingStage, Input>(['appeal'], 'trial', ANALYST, decision()),
];

const OTHER_RULES = [
  ...rows<ProceedingStage, Input>([null], 'opened', ANALYST, (input, check) => {
    requireDate(input, check);
    check.text(details(input).body, 'details.body', 'the body in charge');
  }),
  ...rows<ProceedingStage, Input>(['opened'], 'concluded', ANALYST, (input, check) => {
    requireDate(input, check);
    // Other kinds have no outcome vocabulary yet; only an inquiry's outcome feeds ST5.
    if (input.kind === 'internal_inquiry')
      check.term(INQUIRY_OUTCOMES, details(input).outcome, 'details.outcome', 'inquiry outcome');
  }),
];

const CRIMINAL = new TransitionTable<ProceedingStage, Input>('criminal case stage', CRIMINAL_RULES);
const OTHER = new TransitionTable<ProceedingStage, Input>('proceeding stage', OTHER_RULES);

function tableFor(kind: ProceedingKind): TransitionTable<ProceedingStage, Input> {
  return kind === 'criminal_case' ? CRIMINAL : OTHER;
}

/** Checks a stage change against domain.md 3.2 (required fields included) and returns the stage to store. */
export function transitionProceeding(input: ProceedingTransitionInput): ProceedingTransitionResult {
  tableFor(input.kind).apply({ from: input.from, to: input.to }, input.actor.role, input);
  if (input.to === 'registration_refused' && details(input).refusalKind === 'redirected_to_internal_inquiry') {
    return { stage: input.to, opens: 'internal_inquiry' };
  }
  if (input.to === 'concluded' && details(input).outcome === 'referred_to_criminal') {
    return { stage: input.to, opens: 'criminal_case' };
  }
  return { stage: input.to };
}

/** Stages `role` may record next for a proceeding of `kind` at `from` (guards not evaluated). */
export function nextProceedingStages(
  kind: ProceedingKind,
  from: ProceedingStage | null,
  role: UserRole,
): ProceedingStage[] {
  return tableFor(kind).next(from, role);
}

/** Every row of the table for `kind` as (from, to, roles), for documentation and tests. */
export function proceedingTransitions(kind: ProceedingKind): readonly TransitionRow<ProceedingStage>[] {
  return tableFor(kind).entries();
}
