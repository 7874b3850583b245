/**
 * Vocabularies of places, monitoring visits and recommendations (domain.md 2.1, 3.3, 3.4).
 * Ids are stable and never renamed or reused; labels may change. Re-exported by `vocabularies.ts`.
 */
import { vocabularySchema, type Vocabulary } from './vocabulary.ts';

/** Kinds of place of detention (domain.md 2.1); `other` takes a `kindDetail`. */
export const FACILITY_KINDS = [
  { id: 'pretrial_detention', en: 'Pre-trial detention centre', ru: 'СИЗО' },
  { id: 'temporary_detention_isolator', en: 'Temporary detention isolator', ru: 'ИВС' },
  { id: 'police_station', en: 'Police station', ru: 'Отдел полиции' },
  { id: 'penal_colony', en: 'Correctional colony', ru: 'Исправительная колония' },
  { id: 'prison', en: 'Prison', ru: 'Тюрьма' },
  { id: 'psychiatric', en: 'Psychiatric facility', ru: 'Психиатрический стационар' },
  { id: 'migration', en: 'Migration detention', ru: 'Учреждение для иностранцев' },
  { id: 'military', en: 'Military guardhouse', ru: 'Гауптвахта' },
  { id: 'juvenile', en: 'Juvenile facility', ru: 'Учреждение для несовершеннолетних' },
  { id: 'other', en: 'Other', ru: 'Иное' },
] as const satisfies Vocabulary;
/** A FacilityKind id. */
export type FacilityKind = (typeof FACILITY_KINDS)[number]['id'];
/** Validates a FacilityKind. */
export const FacilityKindSchema = vocabularySchema(FACILITY_KINDS, 'facility kind');

/** Levels of the Area tree under a facility. */
export const AREA_LEVELS = [
  { id: 'site', en: 'Site', ru: 'Территория' },
  { id: 'building', en: 'Building', ru: 'Здание' },
  { id: 'floor', en: 'Floor', ru: 'Этаж' },
  { id: 'room', en: 'Room', ru: 'Помещение' },
  { id: 'cell', en: 'Cell', ru: 'Камера' },
  { id: 'other', en: 'Other', ru: 'Иное' },
] as const satisfies Vocabulary;
/** An AreaLevel id. */
export type AreaLevel = (typeof AREA_LEVELS)[number]['id'];
/** Validates an AreaLevel. */
export const AreaLevelSchema = vocabularySchema(AREA_LEVELS, 'area level');

/** Where a monitoring visit is in its cycle (domain.md 3.3). */
export const VISIT_STATUSES = [
  { id: 'planned', en: 'Planned', ru: 'Запланирован' },
  { id: 'conducted', en: 'Conducted', ru: 'Проведён' },
  { id: 'cancelled', en: 'Cancelled', ru: 'Отменён' },
  { id: 'findings_drafted', en: 'Findings drafted', ru: 'Выводы подготовлены' },
  { id: 'report_sent', en: 'Report sent', ru: 'Отчёт направлен' },
  { id: 'response_received', en: 'Response received', ru: 'Ответ получен' },
  { id: 'closed', en: 'Closed', ru: 'Закрыт' },
] as const satisfies Vocabulary;
/** A VisitStatus id. */
export type VisitStatus = (typeof VISIT_STATUSES)[number]['id'];
/** Validates a VisitStatus. */
export const VisitStatusSchema = vocabularySchema(VISIT_STATUSES, 'visit status');

/** Kinds of monitoring visit. */
export const VISIT_TYPES = [
  { id: 'in_depth', en: 'In-depth', ru: 'Углублённый' },
  { id: 'thematic', en: 'Thematic', ru: 'Тематический' },
  { id: 'ad_hoc', en: 'Ad hoc', ru: 'Внеплановый' },
  { id: 'follow_up', en: 'Follow-up', ru: 'Повторный' },
] as const satisfies Vocabulary;
/** A VisitType id. */
export type VisitType = (typeof VISIT_TYPES)[number]['id'];
/** Validates a VisitType. */
export const VisitTypeSchema = vocabularySchema(VISIT_TYPES, 'visit type');

/** Whether the facility was told of the visit beforehand. */
export const VISIT_MODES = [
  { id: 'announced', en: 'Announced', ru: 'Объявленный' },
  { id: 'unannounced', en: 'Unannounced', ru: 'Необъявленный' },
] as const satisfies Vocabulary;
/** A VisitMode id. */
export type VisitMode = (typeof VISIT_MODES)[number]['id'];
/** Validates a VisitMode. */
export const VisitModeSchema = vocabularySchema(VISIT_MODES, 'visit mode');

/** Safeguards a visit checks (domain.md 3.3). */
export const SAFEGUARD_CHECKS = [
  { id: 'custody_register', en: 'Custody register', ru: 'Журнал учёта задержанных' },
  { id: 'relative_notified', en: 'Relative notified', ru: 'Уведомление родственников' },
  { id: 'lawyer_from_outset', en: 'Lawyer from the outset', ru: 'Адвокат с момента задержания' },
  { id: 'medical_screening', en: 'Medical screening', ru: 'Медицинский осмотр' },
  { id: 'injuries_reported', en: 'Injuries reported', ru: 'Фиксация телесных повреждений' },
  { id: 'rights_in_writing', en: 'Rights in writing', ru: 'Письменное разъяснение прав' },
  { id: 'cctv', en: 'CCTV', ru: 'Видеонаблюдение' },
  { id: 'restraint_register', en: 'Restraint register', ru: 'Журнал применения спецсредств' },
  { id: 'confidential_complaints', en: 'Confidential complaints', ru: 'Конфиденциальная подача жалоб' },
] as const satisfies Vocabulary;
/** A SafeguardCheck id. */
export type SafeguardCheck = (typeof SAFEGUARD_CHECKS)[number]['id'];
/** Validates a SafeguardCheck. */
export const SafeguardCheckSchema = vocabularySchema(SAFEGUARD_CHECKS, 'safeguard check');

/** Answers to a safeguard check; `not_checked` is an answer, a missing one is not. */
export const SAFEGUARD_ANSWERS = [
  { id: 'yes', en: 'Yes', ru: 'Да' },
  { id: 'no', en: 'No', ru: 'Нет' },
  { id: 'partial', en: 'Partial', ru: 'Частично' },
  { id: 'not_checked', en: 'Not checked', ru: 'Не проверялось' },
] as const satisfies Vocabulary;
/** A SafeguardAnswer id. */
export type SafeguardAnswer = (typeof SAFEGUARD_ANSWERS)[number]['id'];
/** Validates a SafeguardAnswer. */
export const SafeguardAnswerSchema = vocabularySchema(SAFEGUARD_ANSWERS, 'safeguard answer');

/** Where a recommendation is in its follow-up (domain.md 3.4). */
export const RECOMMENDATION_STATUSES = [
  { id: 'issued', en: 'Issued', ru: 'Выдана' },
  { id: 'accepted', en: 'Accepted', ru: 'Принята' },
  { id: 'rejected', en: 'Rejected', ru: 'Отклонена' },
  { id: 'in_progress', en: 'In progress', ru: 'Выполняется' },
  { id: 'reported_implemented', en: 'Reported implemented', ru: 'Выполнена по сообщению органа' },
  { id: 'implemented_verified', en: 'Implementation verified', ru: 'Выполнение подтверждено' },
  { id: 'not_implemented', en: 'Not implemented', ru: 'Не выполнена' },
] as const satisfies Vocabulary;
/** A RecommendationStatus id. */
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number]['id'];
/** Validates a RecommendationStatus. */
export const RecommendationStatusSchema = vocabularySchema(RECOMMENDATION_STATUSES, 'recommendation status');
