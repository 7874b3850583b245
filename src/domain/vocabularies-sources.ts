/**
 * Vocabularies of sources, their grading and official statements (domain.md 2.4, 2.5, 2.8).
 * Ids are stable and never renamed or reused; labels may change. Re-exported by `vocabularies.ts`.
 */
import { vocabularySchema, type Vocabulary } from './vocabulary.ts';

/** Where information came from (domain.md 2.4). */
export const SOURCE_KINDS = [
  { id: 'testimony', en: 'Testimony', ru: 'Показания' },
  { id: 'relative_report', en: 'Relative report', ru: 'Сообщение родственника' },
  { id: 'lawyer_report', en: 'Lawyer report', ru: 'Сообщение адвоката' },
  { id: 'social_media_post', en: 'Social media post', ru: 'Пост в соцсети' },
  { id: 'messenger_post', en: 'Messenger post', ru: 'Мессенджер' },
  { id: 'news_article', en: 'News article', ru: 'Статья СМИ' },
  { id: 'official_statement', en: 'Official statement', ru: 'Официальное заявление' },
  { id: 'medical_record', en: 'Medical record', ru: 'Медицинский документ' },
  { id: 'procedural_document', en: 'Procedural document', ru: 'Судебный, процессуальный документ' },
  { id: 'visit_report', en: 'Visit report', ru: 'Отчёт о посещении' },
  { id: 'ngo_report', en: 'NGO or UN report', ru: 'Доклад НПО, ООН' },
  { id: 'other', en: 'Other', ru: 'Иное' },
] as const satisfies Vocabulary;
/** A SourceKind id. */
export type SourceKind = (typeof SOURCE_KINDS)[number]['id'];
/** Validates a SourceKind. */
export const SourceKindSchema = vocabularySchema(SOURCE_KINDS, 'source kind');

/** How a Source bears on an Allegation (domain.md 2.4). */
export const SOURCE_RELATIONS = [
  { id: 'reports', en: 'Reports', ru: 'Сообщает' },
  { id: 'corroborates', en: 'Corroborates', ru: 'Подтверждает' },
  { id: 'contradicts', en: 'Contradicts', ru: 'Противоречит' },
] as const satisfies Vocabulary;
/** A SourceRelation id. */
export type SourceRelation = (typeof SOURCE_RELATIONS)[number]['id'];
/** Validates a SourceRelation. */
export const SourceRelationSchema = vocabularySchema(SOURCE_RELATIONS, 'source relation');

/** Admiralty reliability of a Source, graded apart from the information (domain.md 2.5). */
export const RELIABILITY = [
  { id: 'A', en: 'Completely reliable', ru: 'Полностью надёжен' },
  { id: 'B', en: 'Usually reliable', ru: 'Обычно надёжен' },
  { id: 'C', en: 'Fairly reliable', ru: 'Достаточно надёжен' },
  { id: 'D', en: 'Not usually reliable', ru: 'Обычно ненадёжен' },
  { id: 'E', en: 'Unreliable', ru: 'Ненадёжен' },
  { id: 'F', en: 'Cannot be judged', ru: 'Оценить нельзя' },
] as const satisfies Vocabulary;
/** A Reliability id. */
export type Reliability = (typeof RELIABILITY)[number]['id'];
/** Validates a Reliability. */
export const ReliabilitySchema = vocabularySchema(RELIABILITY, 'reliability');
/** Ungraded sources, officials included, start at F rather than borrowing trust. */
export const DEFAULT_RELIABILITY: Reliability = 'F';

/** Admiralty credibility of the information, graded apart from its Source (domain.md 2.5). */
export const CREDIBILITY = [
  { id: '1', en: 'Confirmed elsewhere', ru: 'Подтверждено' },
  { id: '2', en: 'Probably true', ru: 'Вероятно верно' },
  { id: '3', en: 'Possibly true', ru: 'Возможно верно' },
  { id: '4', en: 'Doubtful', ru: 'Сомнительно' },
  { id: '5', en: 'Improbable', ru: 'Маловероятно' },
  { id: '6', en: 'Cannot be judged', ru: 'Оценить нельзя' },
] as const satisfies Vocabulary;
/** A Credibility id (a digit as a string). */
export type Credibility = (typeof CREDIBILITY)[number]['id'];
/** Validates a Credibility. */
export const CredibilitySchema = vocabularySchema(CREDIBILITY, 'credibility');
/** Ungraded information starts at 6 rather than borrowing trust. */
export const DEFAULT_CREDIBILITY: Credibility = '6';

/** What a Statement does (domain.md 2.8). */
export const STATEMENT_STANCES = [
  { id: 'allegation', en: 'Allegation', ru: 'Утверждение о нарушении' },
  { id: 'denial', en: 'Denial', ru: 'Отрицание' },
  { id: 'admission', en: 'Admission of own wrongdoing', ru: 'Признание' },
  { id: 'confirmation', en: 'Confirmation of facts or action', ru: 'Подтверждение' },
  { id: 'neutral', en: 'Neutral', ru: 'Нейтрально' },
] as const satisfies Vocabulary;
/** A StatementStance id. */
export type StatementStance = (typeof STATEMENT_STANCES)[number]['id'];
/** Validates a StatementStance. */
export const StatementStanceSchema = vocabularySchema(STATEMENT_STANCES, 'statement stance');

/** An analyst's rating of a Statement against the evidence (domain.md 2.8). */
export const REVIEW_RATINGS = [
  { id: 'accurate', en: 'Accurate', ru: 'Соответствует действительности' },
  { id: 'misleading', en: 'Misleading', ru: 'Вводит в заблуждение' },
  { id: 'unsupported', en: 'Unsupported', ru: 'Не подкреплено доказательствами' },
  { id: 'contradicted_by_evidence', en: 'Contradicted by evidence', ru: 'Опровергается доказательствами' },
  { id: 'false', en: 'False', ru: 'Ложно' },
  { id: 'unverifiable', en: 'Unverifiable', ru: 'Невозможно проверить' },
] as const satisfies Vocabulary;
/** A ReviewRating id. */
export type ReviewRating = (typeof REVIEW_RATINGS)[number]['id'];
/** Validates a ReviewRating. */
export const ReviewRatingSchema = vocabularySchema(REVIEW_RATINGS, 'review rating');
