/**
 * Vocabularies of the official response in Kazakhstan (domain.md 3.2). Ids are stable and never
 * renamed or reused; labels may change. Re-exported by `vocabularies.ts`.
 */
import { vocabularySchema, type Vocabulary } from './vocabulary.ts';

/** Kinds of official response; only `criminal_case` counts as a criminal investigation (ST5). */
export const PROCEEDING_KINDS = [
  { id: 'criminal_case', en: 'Criminal case', ru: 'Уголовное дело' },
  { id: 'internal_inquiry', en: 'Internal inquiry', ru: 'Служебная проверка' },
  { id: 'prosecutor_check', en: 'Prosecutor check', ru: 'Прокурорская проверка' },
  { id: 'disciplinary', en: 'Disciplinary case', ru: 'Дисциплинарное производство' },
  { id: 'civil_claim', en: 'Civil claim', ru: 'Гражданский иск' },
  { id: 'ombudsman_complaint', en: 'Ombudsman complaint', ru: 'Жалоба Уполномоченному по правам человека' },
  { id: 'un_communication', en: 'UN communication', ru: 'Сообщение в орган ООН' },
] as const satisfies Vocabulary;
/** A ProceedingKind id. */
export type ProceedingKind = (typeof PROCEEDING_KINDS)[number]['id'];
/** Validates a ProceedingKind. */
export const ProceedingKindSchema = vocabularySchema(PROCEEDING_KINDS, 'proceeding kind');

/** Stages of a proceeding: the criminal track, then `opened`/`concluded` for the other kinds. */
export const PROCEEDING_STAGES = [
  { id: 'complaint_filed', en: 'Complaint filed', ru: 'Заявление подано' },
  { id: 'registered_erdr', en: 'Registered in ERDR', ru: 'Зарегистрировано в ЕРДР' },
  { id: 'registration_refused', en: 'Registration refused', ru: 'Отказ в регистрации' },
  { id: 'pre_trial_investigation', en: 'Pre-trial investigation', ru: 'Досудебное расследование' },
  { id: 'suspended', en: 'Suspended', ru: 'Приостановлено' },
  { id: 'terminated', en: 'Terminated', ru: 'Прекращено' },
  { id: 'indictment_sent', en: 'Indictment sent to court', ru: 'Направлено в суд' },
  { id: 'trial', en: 'Trial', ru: 'Судебное разбирательство' },
  { id: 'verdict', en: 'Verdict', ru: 'Приговор' },
  { id: 'appeal', en: 'Appeal', ru: 'Апелляция' },
  { id: 'final', en: 'Final', ru: 'Вступило в законную силу' },
  { id: 'opened', en: 'Opened', ru: 'Начато' },
  { id: 'concluded', en: 'Concluded', ru: 'Завершено' },
] as const satisfies Vocabulary;
/** A ProceedingStage id. */
export type ProceedingStage = (typeof PROCEEDING_STAGES)[number]['id'];
/** Validates a ProceedingStage. */
export const ProceedingStageSchema = vocabularySchema(PROCEEDING_STAGES, 'proceeding stage');

/** How an internal inquiry ended. */
export const INQUIRY_OUTCOMES = [
  { id: 'sanction', en: 'Sanction', ru: 'Взыскание' },
  { id: 'no_sanction', en: 'No sanction', ru: 'Без взыскания' },
  {
    id: 'referred_to_criminal',
    en: 'Referred for criminal investigation',
    ru: 'Передано для уголовного преследования',
  },
] as const satisfies Vocabulary;
/** An InquiryOutcome id. */
export type InquiryOutcome = (typeof INQUIRY_OUTCOMES)[number]['id'];
/** Validates an InquiryOutcome. */
export const InquiryOutcomeSchema = vocabularySchema(INQUIRY_OUTCOMES, 'inquiry outcome');

/** Why a complaint did not reach the ERDR. */
export const REFUSAL_KINDS = [
  { id: 'refused', en: 'Refused', ru: 'Отказано' },
  {
    id: 'redirected_to_internal_inquiry',
    en: 'Redirected to an internal inquiry',
    ru: 'Направлено на служебную проверку',
  },
  { id: 'no_response', en: 'No response', ru: 'Нет ответа' },
] as const satisfies Vocabulary;
/** A RefusalKind id. */
export type RefusalKind = (typeof REFUSAL_KINDS)[number]['id'];
/** Validates a RefusalKind. */
export const RefusalKindSchema = vocabularySchema(REFUSAL_KINDS, 'refusal kind');

/** Grounds for terminating a pre-trial investigation. */
export const TERMINATION_GROUNDS = [
  { id: 'no_event', en: 'No event', ru: 'Отсутствие события' },
  { id: 'no_corpus_delicti', en: 'No corpus delicti', ru: 'Отсутствие состава уголовного правонарушения' },
  { id: 'not_involved', en: 'Not involved', ru: 'Непричастность' },
  { id: 'insufficient_evidence', en: 'Insufficient evidence', ru: 'Недоказанность' },
  { id: 'amnesty_or_limitation', en: 'Amnesty or limitation', ru: 'Амнистия или истечение срока давности' },
  { id: 'other', en: 'Other', ru: 'Иное' },
] as const satisfies Vocabulary;
/** A TerminationGround id. */
export type TerminationGround = (typeof TERMINATION_GROUNDS)[number]['id'];
/** Validates a TerminationGround. */
export const TerminationGroundSchema = vocabularySchema(TERMINATION_GROUNDS, 'termination ground');

/** Outcome of a verdict for one accused. */
export const VERDICT_OUTCOMES = [
  { id: 'convicted', en: 'Convicted', ru: 'Осуждён' },
  { id: 'acquitted', en: 'Acquitted', ru: 'Оправдан' },
  { id: 'reclassified', en: 'Reclassified', ru: 'Переквалифицировано' },
  { id: 'dismissed', en: 'Dismissed', ru: 'Дело прекращено' },
] as const satisfies Vocabulary;
/** A VerdictOutcome id. */
export type VerdictOutcome = (typeof VERDICT_OUTCOMES)[number]['id'];
/** Validates a VerdictOutcome. */
export const VerdictOutcomeSchema = vocabularySchema(VERDICT_OUTCOMES, 'verdict outcome');

/** Who took the decision recorded as a criminal stage. */
export const DECIDED_BY = [
  { id: 'investigator', en: 'Investigator', ru: 'Следователь' },
  { id: 'procedural_prosecutor', en: 'Procedural prosecutor', ru: 'Процессуальный прокурор' },
  { id: 'investigating_judge', en: 'Investigating judge', ru: 'Следственный судья' },
  { id: 'court', en: 'Court', ru: 'Суд' },
  { id: 'agency', en: 'Agency', ru: 'Ведомство' },
] as const satisfies Vocabulary;
/** A DecidedBy id. */
export type DecidedBy = (typeof DECIDED_BY)[number]['id'];
/** Validates a DecidedBy. */
export const DecidedBySchema = vocabularySchema(DECIDED_BY, 'decided by');
