/**
 * Vocabularies of people, organisations, users and dates. Ids are stable and never renamed or
 * reused; labels may change. Re-exported by `vocabularies.ts`.
 */
import { vocabularySchema, type Vocabulary } from './vocabulary.ts';

/** The part a Person plays in a case; one person may hold several. */
export const PERSON_ROLES = [
  { id: 'victim', en: 'Victim', ru: 'Пострадавший' },
  { id: 'witness', en: 'Witness', ru: 'Свидетель' },
  { id: 'alleged_perpetrator', en: 'Alleged perpetrator', ru: 'Предполагаемый исполнитель' },
  { id: 'official', en: 'Official', ru: 'Должностное лицо' },
  { id: 'relative', en: 'Relative', ru: 'Родственник' },
  { id: 'source', en: 'Source', ru: 'Источник' },
] as const satisfies Vocabulary;
/** A PersonRole id. */
export type PersonRole = (typeof PERSON_ROLES)[number]['id'];
/** Validates a PersonRole. */
export const PersonRoleSchema = vocabularySchema(PERSON_ROLES, 'person role');

/** Kinds of organisation: authorities, monitors and others who speak or act in a case. */
export const ORGANIZATION_KINDS = [
  { id: 'ministry', en: 'Ministry', ru: 'Министерство' },
  { id: 'law_enforcement', en: 'Law enforcement', ru: 'Правоохранительный орган' },
  { id: 'prosecutor', en: "Prosecutor's office", ru: 'Прокуратура' },
  { id: 'court', en: 'Court', ru: 'Суд' },
  { id: 'ombudsman', en: 'Ombudsman', ru: 'Уполномоченный по правам человека' },
  { id: 'npm', en: 'National preventive mechanism', ru: 'Национальный превентивный механизм' },
  { id: 'public_monitoring', en: 'Public monitoring commission', ru: 'Общественная наблюдательная комиссия' },
  { id: 'ngo', en: 'NGO', ru: 'НПО' },
  { id: 'un_body', en: 'UN body', ru: 'Орган ООН' },
  { id: 'media', en: 'Media', ru: 'СМИ' },
  { id: 'other', en: 'Other', ru: 'Иное' },
] as const satisfies Vocabulary;
/** An OrganizationKind id. */
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number]['id'];
/** Validates an OrganizationKind. */
export const OrganizationKindSchema = vocabularySchema(ORGANIZATION_KINDS, 'organization kind');

/** Roles of signed-in users; the state machines say which role may take which step. */
export const USER_ROLES = [
  { id: 'admin', en: 'Admin', ru: 'Администратор' },
  { id: 'analyst', en: 'Analyst', ru: 'Аналитик' },
  { id: 'documenter', en: 'Documenter', ru: 'Документатор' },
  { id: 'monitor', en: 'Monitor', ru: 'Наблюдатель' },
  { id: 'viewer', en: 'Viewer', ru: 'Читатель' },
] as const satisfies Vocabulary;
/** A UserRole id. */
export type UserRole = (typeof USER_ROLES)[number]['id'];
/** Validates a UserRole. */
export const UserRoleSchema = vocabularySchema(USER_ROLES, 'user role');

/** How precisely a date is known; reports often give only a month or "early March". */
export const DATE_PRECISIONS = [
  { id: 'day', en: 'Day', ru: 'День' },
  { id: 'month', en: 'Month', ru: 'Месяц' },
  { id: 'part_of_month', en: 'Part of month', ru: 'Часть месяца' },
  { id: 'year', en: 'Year', ru: 'Год' },
  { id: 'unknown', en: 'Unknown', ru: 'Неизвестно' },
] as const satisfies Vocabulary;
/** A DatePrecision id. */
export type DatePrecision = (typeof DATE_PRECISIONS)[number]['id'];
/** Validates a DatePrecision. */
export const DatePrecisionSchema = vocabularySchema(DATE_PRECISIONS, 'date precision');
