/**
 * Vocabularies of allegations and their sources (domain.md 2.2–2.10). Ids are stable and never
 * renamed or reused; labels may change. Re-exported by `vocabularies.ts`.
 */
import { vocabularySchema, type Term, type Vocabulary } from './vocabulary.ts';

/** Groups of acts, after the Istanbul Protocol's categories. */
export const ACT_GROUPS = [
  { id: 'physical', en: 'Physical', ru: 'Физическое' },
  { id: 'sexual', en: 'Sexual', ru: 'Сексуальное' },
  { id: 'psychological', en: 'Psychological', ru: 'Психологическое' },
  { id: 'deprivation', en: 'Deprivation', ru: 'Лишения' },
  { id: 'procedural', en: 'Procedural', ru: 'Процессуальные нарушения' },
  { id: 'other', en: 'Other', ru: 'Иное' },
] as const satisfies Vocabulary;
/** An ActGroup id. */
export type ActGroup = (typeof ACT_GROUPS)[number]['id'];
/** Validates an ActGroup. */
export const ActGroupSchema = vocabularySchema(ACT_GROUPS, 'act group');

type ActTerm = Term & { readonly group: ActGroup };

/** Acts alleged (domain.md 2.2), each in one group; `other` requires a description. */
export const ACT_KINDS = [
  { id: 'beating', en: 'Beating', ru: 'Избиение', group: 'physical' },
  { id: 'falanga', en: 'Blows to the soles', ru: 'Удары по стопам', group: 'physical' },
  { id: 'suspension', en: 'Suspension', ru: 'Подвешивание', group: 'physical' },
  { id: 'stress_position', en: 'Stress position', ru: 'Болезненная поза, фиксация', group: 'physical' },
  { id: 'burning', en: 'Burning', ru: 'Ожоги', group: 'physical' },
  { id: 'hot_iron', en: 'Hot iron', ru: 'Прижигание утюгом', group: 'physical' },
  { id: 'electric_shock', en: 'Electric shock', ru: 'Электрошок', group: 'physical' },
  { id: 'asphyxiation', en: 'Asphyxiation', ru: 'Удушение (пакет, противогаз, вода)', group: 'physical' },
  { id: 'water_dousing', en: 'Water dousing', ru: 'Кипяток, ледяная вода', group: 'physical' },
  { id: 'tooth_damage', en: 'Tooth damage', ru: 'Удаление зубов', group: 'physical' },
  { id: 'forced_medication', en: 'Forced medication', ru: 'Принудительные препараты', group: 'physical' },
  { id: 'rape', en: 'Rape', ru: 'Изнасилование', group: 'sexual' },
  { id: 'sexual_violence_other', en: 'Other sexual violence', ru: 'Иное сексуальное насилие', group: 'sexual' },
  { id: 'forced_nudity', en: 'Forced nudity', ru: 'Принудительное раздевание', group: 'sexual' },
  { id: 'threats', en: 'Threats', ru: 'Угрозы жертве, родным', group: 'psychological' },
  { id: 'mock_execution', en: 'Mock execution', ru: 'Инсценировка казни', group: 'psychological' },
  { id: 'humiliation', en: 'Humiliation', ru: 'Унижение', group: 'psychological' },
  { id: 'sensory_stress', en: 'Sensory stress', ru: 'Мешок на голову, шум, свет', group: 'psychological' },
  { id: 'forced_witnessing', en: 'Forced witnessing', ru: 'Принуждение наблюдать насилие', group: 'psychological' },
  { id: 'sleep_deprivation', en: 'Sleep deprivation', ru: 'Лишение сна', group: 'deprivation' },
  { id: 'food_water_deprivation', en: 'No food or water', ru: 'Лишение пищи, воды', group: 'deprivation' },
  { id: 'medical_care_denial', en: 'Medical care denial', ru: 'Отказ в медпомощи', group: 'deprivation' },
  { id: 'isolation', en: 'Isolation', ru: 'Изоляция', group: 'deprivation' },
  {
    id: 'inhuman_conditions',
    en: 'Inhuman conditions',
    ru: 'Переполненность, холод, антисанитария',
    group: 'deprivation',
  },
  { id: 'incommunicado', en: 'Incommunicado', ru: 'Без связи', group: 'procedural' },
  {
    id: 'unrecorded_detention',
    en: 'Unrecorded detention',
    ru: 'Незарегистрированное задержание',
    group: 'procedural',
  },
  { id: 'lawyer_denied', en: 'Lawyer denied', ru: 'Отказ в адвокате', group: 'procedural' },
  { id: 'forced_signature', en: 'Forced signature', ru: 'Принуждение к подписи', group: 'procedural' },
  { id: 'reprisal_for_complaint', en: 'Reprisal for complaint', ru: 'Преследование за жалобу', group: 'procedural' },
  { id: 'other', en: 'Other', ru: 'Иное', group: 'other' },
] as const satisfies readonly [ActTerm, ...ActTerm[]];
/** An ActKind id. */
export type ActKind = (typeof ACT_KINDS)[number]['id'];
/** Validates an ActKind. */
export const ActKindSchema = vocabularySchema(ACT_KINDS, 'act kind');

/** Who is alleged to have acted (domain.md 2.3); *alleged* until a conviction. */
export const PERPETRATOR_KINDS = [
  { id: 'police', en: 'Police', ru: 'Полиция' },
  { id: 'penitentiary_staff', en: 'Penitentiary staff', ru: 'Сотрудники УИС' },
  { id: 'security_service', en: 'National Security Committee', ru: 'КНБ' },
  { id: 'national_guard', en: 'National guard', ru: 'Нацгвардия' },
  { id: 'armed_forces', en: 'Armed forces', ru: 'Армия' },
  { id: 'anti_corruption', en: 'Anti-Corruption Agency', ru: 'Антикоррупционная служба' },
  { id: 'prosecution', en: 'Prosecution', ru: 'Прокуратура' },
  { id: 'medical_staff', en: 'Medical staff', ru: 'Медперсонал' },
  { id: 'detainee_instigated', en: 'Detainee acting for officials', ru: 'Заключённый по указанию сотрудников' },
  { id: 'other_official', en: 'Other official', ru: 'Иное должностное лицо' },
  { id: 'unknown', en: 'Unknown', ru: 'Неизвестно' },
] as const satisfies Vocabulary;
/** A PerpetratorKind id. */
export type PerpetratorKind = (typeof PERPETRATOR_KINDS)[number]['id'];
/** Validates a PerpetratorKind. */
export const PerpetratorKindSchema = vocabularySchema(PERPETRATOR_KINDS, 'perpetrator kind');

/** Istanbul Protocol consistency of a finding with the account (domain.md 2.6), weakest first. */
export const CONSISTENCY_LEVELS = [
  { id: 'not_consistent', en: 'Not consistent', ru: 'Не соответствует' },
  { id: 'consistent', en: 'Consistent with', ru: 'Соответствует' },
  { id: 'highly_consistent', en: 'Highly consistent', ru: 'Высоко соответствует' },
  { id: 'typical', en: 'Typical of', ru: 'Типично' },
  { id: 'diagnostic', en: 'Diagnostic of', ru: 'Диагностично' },
  { id: 'not_assessed', en: 'Not assessed', ru: 'Не оценивалось' },
] as const satisfies Vocabulary;
/** A ConsistencyLevel id. */
export type ConsistencyLevel = (typeof CONSISTENCY_LEVELS)[number]['id'];
/** Validates a ConsistencyLevel. */
export const ConsistencyLevelSchema = vocabularySchema(CONSISTENCY_LEVELS, 'consistency level');

// `not_assessed` is outside the scale: an absent assessment is neither weak nor strong.
const CONSISTENCY_SCALE: readonly ConsistencyLevel[] = [
  'not_consistent',
  'consistent',
  'highly_consistent',
  'typical',
  'diagnostic',
];

/** True when `level` is on the IP scale at or above `min`; `not_assessed` never is. */
export function consistencyAtLeast(level: ConsistencyLevel | undefined, min: ConsistencyLevel): boolean {
  if (level === undefined) return false;
  const rank = CONSISTENCY_SCALE.indexOf(level);
  const minRank = CONSISTENCY_SCALE.indexOf(min);
  return rank >= 0 && minRank >= 0 && rank >= minRank;
}

/** Legal classification of an allegation (domain.md 2.7); only an analyst sets it. */
export const CLASSIFICATIONS = [
  { id: 'torture', en: 'Torture', ru: 'Пытка' },
  {
    id: 'cidt',
    en: 'Cruel, inhuman or degrading treatment',
    ru: 'Жестокое, бесчеловечное или унижающее достоинство обращение',
  },
  { id: 'undetermined', en: 'Undetermined', ru: 'Не определено' },
] as const satisfies Vocabulary;
/** A Classification id. */
export type Classification = (typeof CLASSIFICATIONS)[number]['id'];
/** Validates a Classification. */
export const ClassificationSchema = vocabularySchema(CLASSIFICATIONS, 'classification');

/** Whether a CAT checklist answer meets its element (`unknown` is neither). */
export type CatElementMet = 'met' | 'not_met' | 'unknown';
type CatTerm = Term & { readonly met: CatElementMet };

/** CAT art. 1 severity of pain or suffering (domain.md 2.7). */
export const CAT_SEVERITIES = [
  { id: 'severe', en: 'Severe', ru: 'Сильная боль или страдание', met: 'met' },
  { id: 'not_severe', en: 'Not severe', ru: 'Не сильная', met: 'not_met' },
  { id: 'unknown', en: 'Unknown', ru: 'Неизвестно', met: 'unknown' },
] as const satisfies readonly [CatTerm, ...CatTerm[]];
/** A CatSeverity id. */
export type CatSeverity = (typeof CAT_SEVERITIES)[number]['id'];
/** Validates a CatSeverity. */
export const CatSeveritySchema = vocabularySchema(CAT_SEVERITIES, 'severity');

/** CAT art. 1 intent (domain.md 2.7). */
export const CAT_INTENTS = [
  { id: 'intentional', en: 'Intentional', ru: 'Умышленно', met: 'met' },
  { id: 'negligent', en: 'Negligent', ru: 'По неосторожности', met: 'not_met' },
  { id: 'unknown', en: 'Unknown', ru: 'Неизвестно', met: 'unknown' },
] as const satisfies readonly [CatTerm, ...CatTerm[]];
/** A CatIntent id. */
export type CatIntent = (typeof CAT_INTENTS)[number]['id'];
/** Validates a CatIntent. */
export const CatIntentSchema = vocabularySchema(CAT_INTENTS, 'intent');

/** CAT art. 1 purpose (domain.md 2.7). */
export const CAT_PURPOSES = [
  {
    id: 'confession_or_information',
    en: 'Confession or information',
    ru: 'Получение признания или сведений',
    met: 'met',
  },
  { id: 'punishment', en: 'Punishment', ru: 'Наказание', met: 'met' },
  { id: 'intimidation_or_coercion', en: 'Intimidation or coercion', ru: 'Запугивание или принуждение', met: 'met' },
  { id: 'discrimination', en: 'Discrimination', ru: 'Дискриминация', met: 'met' },
  { id: 'other', en: 'Other purpose', ru: 'Иная цель', met: 'met' },
  { id: 'none', en: 'No purpose', ru: 'Цели нет', met: 'not_met' },
  { id: 'unknown', en: 'Unknown', ru: 'Неизвестно', met: 'unknown' },
] as const satisfies readonly [CatTerm, ...CatTerm[]];
/** A CatPurpose id. */
export type CatPurpose = (typeof CAT_PURPOSES)[number]['id'];
/** Validates a CatPurpose. */
export const CatPurposeSchema = vocabularySchema(CAT_PURPOSES, 'purpose');

/** CAT art. 1 link to a public official (domain.md 2.7). */
export const CAT_OFFICIAL_LINKS = [
  { id: 'direct', en: 'By an official', ru: 'Должностным лицом', met: 'met' },
  {
    id: 'instigation',
    en: 'At the instigation of an official',
    ru: 'По подстрекательству должностного лица',
    met: 'met',
  },
  {
    id: 'consent_or_acquiescence',
    en: 'With the consent or acquiescence of an official',
    ru: 'С согласия или молчаливого согласия должностного лица',
    met: 'met',
  },
  { id: 'none', en: 'No official link', ru: 'Нет связи с должностным лицом', met: 'not_met' },
  { id: 'unknown', en: 'Unknown', ru: 'Неизвестно', met: 'unknown' },
] as const satisfies readonly [CatTerm, ...CatTerm[]];
/** A CatOfficialLink id. */
export type CatOfficialLink = (typeof CAT_OFFICIAL_LINKS)[number]['id'];
/** Validates a CatOfficialLink. */
export const CatOfficialLinkSchema = vocabularySchema(CAT_OFFICIAL_LINKS, 'official link');

/** Where an allegation is in verification (domain.md 3.1). */
export const VERIFICATION_STATUSES = [
  { id: 'received', en: 'Received', ru: 'Получено' },
  { id: 'triage', en: 'Triage', ru: 'Первичный разбор' },
  { id: 'consent_safety_check', en: 'Consent and safety check', ru: 'Проверка согласия и безопасности' },
  { id: 'duplicate', en: 'Duplicate', ru: 'Дубликат' },
  { id: 'under_verification', en: 'Under verification', ru: 'На проверке' },
  { id: 'corroborated', en: 'Corroborated', ru: 'Подтверждено' },
  { id: 'partially_corroborated', en: 'Partially corroborated', ru: 'Частично подтверждено' },
  { id: 'uncorroborated', en: 'Uncorroborated', ru: 'Не подтверждено' },
  { id: 'inconsistent', en: 'Inconsistent', ru: 'Противоречиво' },
  { id: 'on_hold_safety', en: 'On hold for safety', ru: 'Приостановлено из соображений безопасности' },
  { id: 'withdrawn', en: 'Withdrawn', ru: 'Отозвано' },
] as const satisfies Vocabulary;
/** A VerificationStatus id. */
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number]['id'];
/** Validates a VerificationStatus. */
export const VerificationStatusSchema = vocabularySchema(VERIFICATION_STATUSES, 'verification status');

/** What a person consented to (domain.md 2.9); each granted and withdrawn on its own. */
export const CONSENT_SCOPES = [
  { id: 'record', en: 'Record', ru: 'Запись' },
  { id: 'share', en: 'Share with partners', ru: 'Передача партнёрам' },
  { id: 'refer_to_authorities', en: 'Refer to authorities', ru: 'Передача в госорганы' },
  { id: 'publish_anonymised', en: 'Publish anonymised', ru: 'Публикация обезличенно' },
  { id: 'publish_named', en: 'Publish named', ru: 'Публикация с именем' },
  { id: 'photos', en: 'Injury photos', ru: 'Фото травм' },
  { id: 'intimate_images', en: 'Intimate images', ru: 'Интимные изображения' },
] as const satisfies Vocabulary;
/** A ConsentScope id. */
export type ConsentScope = (typeof CONSENT_SCOPES)[number]['id'];
/** Validates a ConsentScope. */
export const ConsentScopeSchema = vocabularySchema(CONSENT_SCOPES, 'consent scope');

/** Who may read a record (domain.md 2.10). */
export const SENSITIVITIES = [
  { id: 'public', en: 'Public', ru: 'Публично' },
  { id: 'internal', en: 'Internal', ru: 'Внутреннее' },
  { id: 'confidential', en: 'Confidential', ru: 'Конфиденциально' },
  { id: 'restricted', en: 'Restricted', ru: 'Ограничено' },
] as const satisfies Vocabulary;
/** A Sensitivity id. */
export type Sensitivity = (typeof SENSITIVITIES)[number]['id'];
/** Validates a Sensitivity. */
export const SensitivitySchema = vocabularySchema(SENSITIVITIES, 'sensitivity');

/** Risk to a person from the work on their case (domain.md 2.10). */
export const RISK_LEVELS = [
  { id: 'low', en: 'Low', ru: 'Низкий' },
  { id: 'medium', en: 'Medium', ru: 'Средний' },
  { id: 'high', en: 'High', ru: 'Высокий' },
  { id: 'critical', en: 'Critical', ru: 'Критический' },
] as const satisfies Vocabulary;
/** A RiskLevel id. */
export type RiskLevel = (typeof RISK_LEVELS)[number]['id'];
/** Validates a RiskLevel. */
export const RiskLevelSchema = vocabularySchema(RISK_LEVELS, 'risk level');

/** Whether a victim is still detained (domain.md 2.10). */
export const CUSTODY_STATES = [
  { id: 'in_custody', en: 'In custody', ru: 'Под стражей' },
  { id: 'released', en: 'Released', ru: 'Освобождён' },
  { id: 'unknown', en: 'Unknown', ru: 'Неизвестно' },
] as const satisfies Vocabulary;
/** A CustodyState id. */
export type CustodyState = (typeof CUSTODY_STATES)[number]['id'];
/** Validates a CustodyState. */
export const CustodyStateSchema = vocabularySchema(CUSTODY_STATES, 'custody state');
