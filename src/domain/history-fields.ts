/**
 * The words of a record's history (issue 11): what each field of each audited record is called in
 * English and Russian, and how its values read (a vocabulary, a record named by reference, a
 * date, a flag, free text). Used by history-text.ts; pure data.
 */
import type { VocabularyName } from './vocabularies.ts';

/** Something said in both of the app's languages. */
export interface Text {
  readonly en: string;
  readonly ru: string;
}

/** Records a change can point to, named for the reader by the history service (pseudonyms for people). */
export type RefKind =
  | 'person'
  | 'user'
  | 'source'
  | 'facility'
  | 'area'
  | 'allegation'
  | 'organization'
  | 'statement'
  | 'visit'
  | 'proceeding'
  | 'finding';

/** How the values of a field read. */
type ValueKind =
  /** A code of a vocabulary (or of the second, when the first does not have it). */
  | { readonly vocab: VocabularyName; readonly or?: VocabularyName }
  /** A list of codes, each granted and withdrawn on its own (consent): read as what was added and removed. */
  | { readonly scopes: VocabularyName }
  /** A list of codes of a vocabulary. */
  | { readonly codes: VocabularyName }
  | { readonly ref: RefKind }
  | 'text'
  /** A number or code written by people that is not a vocabulary (an ERDR number, an article, a hash): shown as it is, unquoted. */
  | 'plain'
  | 'date'
  | 'flag'
  | 'number'
  /** An object or list kept as JSON (a checklist, a stage's details). */
  | 'json';

export interface FieldSpec {
  readonly label: Text;
  readonly value: ValueKind;
}

const t = (en: string, ru: string): Text => ({ en, ru });
const f = (en: string, ru: string, value: ValueKind = 'text'): FieldSpec => ({ label: t(en, ru), value });

const EXTERNAL_ID = f('External id', 'Внешний идентификатор', 'plain');

/** Fields by entity type (the audited table) and field name (the column; a sealed column by its field). */
export const FIELDS: Readonly<Record<string, Readonly<Record<string, FieldSpec>>>> = {
  allegation: {
    external_id: EXTERNAL_ID,
    title: f('Title', 'Заголовок'),
    summary: f('Summary', 'Краткое описание'),
    period_start: f('Period from', 'Период с', 'date'),
    period_end: f('Period to', 'Период по', 'date'),
    period_precision: f('Date precision', 'Точность даты', { vocab: 'date_precision' }),
    period_text: f('Period as told', 'Период со слов'),
    facility_id: f('Facility', 'Учреждение', { ref: 'facility' }),
    area_id: f('Place', 'Место', { ref: 'area' }),
    classification: f('Classification', 'Квалификация', { vocab: 'classification' }),
    classification_rationale: f('Rationale', 'Обоснование'),
    cat_checklist: f('CAT checklist', 'Контрольный перечень КПП', 'json'),
    verification_status: f('Status', 'Статус', { vocab: 'verification_status' }),
    prior_status: f('Status to return to', 'Статус для возврата', { vocab: 'verification_status' }),
    sensitivity: f('Sensitivity', 'Конфиденциальность', { vocab: 'sensitivity' }),
    risk: f('Risk', 'Риск', { vocab: 'risk_level' }),
    urgent: f('Urgent', 'Срочно', 'flag'),
    consent: f('Consent', 'Согласие', { scopes: 'consent_scope' }),
    duplicate_of: f('Duplicate of', 'Дубликат сообщения', { ref: 'allegation' }),
  },
  allegation_act: {
    kind: f('Act', 'Действие', { vocab: 'act_kind' }),
    victim_id: f('Victim', 'Пострадавший', { ref: 'person' }),
    area_id: f('Place', 'Место', { ref: 'area' }),
    description: f('Description', 'Описание'),
  },
  allegation_person: {
    person_id: f('Person', 'Лицо', { ref: 'person' }),
    role: f('Role', 'Роль', { vocab: 'person_role' }),
    perpetrator_kind: f('Perpetrator', 'Исполнитель', { vocab: 'perpetrator_kind' }),
  },
  allegation_source: {
    source_id: f('Source', 'Источник', { ref: 'source' }),
    relation: f('Relation', 'Отношение', { vocab: 'source_relation' }),
  },
  allegation_assignment: {
    external_id: EXTERNAL_ID,
    user_id: f('Member', 'Участник', { ref: 'user' }),
  },
  allegation_proposal: {
    external_id: EXTERNAL_ID,
    from_status: f('From', 'Из статуса', { vocab: 'verification_status' }),
    to_status: f('To', 'В статус', { vocab: 'verification_status' }),
    reason: f('Reason', 'Причина'),
    proposed_by: f('Proposed by', 'Предложил', { ref: 'user' }),
    expires_at: f('Open until', 'Действует до', 'date'),
    status: f('Proposal', 'Предложение', 'text'),
    decided_by: f('Decided by', 'Решение принял', { ref: 'user' }),
    decided_at: f('Decided', 'Дата решения', 'date'),
    decision_reason: f('Why', 'Почему'),
  },
  person: {
    external_id: EXTERNAL_ID,
    pseudonym: f('Pseudonym', 'Псевдоним'),
    roles: f('Roles', 'Роли', { codes: 'person_role' }),
    public_name: f('Public name', 'Публичное имя'),
    public_role: f('Public role', 'Публичная должность'),
    organization_id: f('Organisation', 'Организация', { ref: 'organization' }),
    perpetrator_kind: f('Perpetrator kind', 'Вид исполнителя', { vocab: 'perpetrator_kind' }),
    is_unit: f('A unit, not one person', 'Подразделение, а не один человек', 'flag'),
    custody: f('Custody', 'Содержание под стражей', { vocab: 'custody_state' }),
    risk: f('Risk', 'Риск', { vocab: 'risk_level' }),
    name: f('Name', 'Имя'),
    birth_date: f('Date of birth', 'Дата рождения'),
    contacts: f('Contacts', 'Контакты'),
    notes: f('Identifying notes', 'Идентифицирующие заметки'),
  },
  proceeding: {
    external_id: EXTERNAL_ID,
    allegation_id: f('Allegation', 'Сообщение', { ref: 'allegation' }),
    parent_id: f('Opened from', 'Открыто из', { ref: 'proceeding' }),
    kind: f('Kind', 'Вид', { vocab: 'proceeding_kind' }),
    stage: f('Stage', 'Стадия', { vocab: 'proceeding_stage' }),
    body: f('Body', 'Орган'),
    reference: f('Reference', 'Номер', 'plain'),
    erdr_number: f('ERDR number', 'Номер ЕРДР', 'plain'),
    code_article: f('Article', 'Статья', 'plain'),
    code_part: f('Part', 'Часть', 'plain'),
    outcome: f('Outcome', 'Итог', { vocab: 'inquiry_outcome', or: 'termination_ground' }),
    opened_on: f('Opened', 'Открыто', 'date'),
    stage_on: f('Stage date', 'Дата стадии', 'date'),
  },
  proceeding_stage: {
    seq: f('Number', 'Номер', 'number'),
    stage: f('Stage', 'Стадия', { vocab: 'proceeding_stage' }),
    on_date: f('Date', 'Дата', 'date'),
    source_id: f('Source', 'Источник', { ref: 'source' }),
    decided_by: f('Decided by', 'Решение принял', { vocab: 'decided_by' }),
    details: f('Details', 'Подробности', 'json'),
    recorded_by: f('Recorded by', 'Записал', { ref: 'user' }),
  },
  evidence_item: {
    external_id: EXTERNAL_ID,
    source_id: f('Source', 'Источник', { ref: 'source' }),
    allegation_id: f('Allegation', 'Сообщение', { ref: 'allegation' }),
    sha256: f('SHA-256', 'SHA-256', 'plain'),
    size: f('Size (bytes)', 'Размер (байт)', 'number'),
    media_type: f('Media type', 'Тип файла', 'plain'),
    original_name: f('File name', 'Имя файла'),
    captured_from: f('Captured from', 'Получено из'),
    captured_at: f('Captured', 'Получено', 'date'),
    captured_by: f('Captured by', 'Получил', { ref: 'user' }),
    tool: f('Tool', 'Инструмент'),
    copy_kind: f('Copy', 'Копия'),
    parent_sha256: f('Made from (SHA-256)', 'Сделано из (SHA-256)', 'plain'),
    transformation: f('Transformation', 'Преобразование'),
  },
  source: {
    external_id: EXTERNAL_ID,
    kind: f('Kind', 'Вид', { vocab: 'source_kind' }),
    title: f('Title', 'Название'),
    url: f('Link', 'Ссылка', 'plain'),
    outlet: f('Outlet', 'Издание'),
    handle: f('Account or channel', 'Аккаунт или канал'),
    language: f('Language', 'Язык', 'plain'),
    published_at: f('Published', 'Опубликовано', 'date'),
    collected_at: f('Collected', 'Собрано', 'date'),
    collected_by: f('Collected by', 'Собрал'),
    reliability: f('Source reliability', 'Надёжность источника', { vocab: 'reliability' }),
    credibility: f('Information credibility', 'Достоверность сведений', { vocab: 'credibility' }),
    summary: f('Summary', 'Краткое описание'),
    content: f('Content', 'Содержание'),
  },
  facility: {
    external_id: EXTERNAL_ID,
    name: f('Name', 'Название'),
    name_ru: f('Name in Russian', 'Название по-русски'),
    kind: f('Kind', 'Вид', { vocab: 'facility_kind' }),
    kind_detail: f('Kind, in detail', 'Вид, подробно'),
    code: f('Code', 'Код', 'plain'),
    aliases: f('Other names', 'Другие названия', 'json'),
    authority: f('Authority', 'Ведомство'),
    region: f('Region', 'Регион'),
    city: f('City', 'Город'),
    country: f('Country', 'Страна'),
    capacity: f('Capacity', 'Вместимость', 'number'),
    cells: f('Cells', 'Камер', 'number'),
    notes: f('Notes', 'Заметки'),
  },
  area: {
    external_id: EXTERNAL_ID,
    facility_id: f('Facility', 'Учреждение', { ref: 'facility' }),
    parent_id: f('Within', 'Входит в', { ref: 'area' }),
    level: f('Level', 'Уровень', { vocab: 'area_level' }),
    label: f('Name', 'Название'),
    label_ru: f('Name in Russian', 'Название по-русски'),
    count: f('Count', 'Количество', 'number'),
    floors: f('Floors', 'Этажи'),
    location: f('Location', 'Расположение'),
    access: f('Access', 'Доступ'),
    declared_use: f('Declared use', 'Заявленное назначение', 'json'),
    declared_by: f('Declared by', 'Заявил'),
    declared_in_statement_id: f('Declared in', 'Заявлено в', { ref: 'statement' }),
    notes: f('Notes', 'Заметки'),
  },
  organization: {
    external_id: EXTERNAL_ID,
    name: f('Name', 'Название'),
    name_ru: f('Name in Russian', 'Название по-русски'),
    kind: f('Kind', 'Вид', { vocab: 'organization_kind' }),
    aliases: f('Other names', 'Другие названия', 'json'),
    country: f('Country', 'Страна'),
  },
  statement: {
    external_id: EXTERNAL_ID,
    speaker_label: f('Speaker', 'Кто сказал'),
    speaker_person_id: f('Speaker (person)', 'Кто сказал (лицо)', { ref: 'person' }),
    speaker_organization_id: f('Speaker (organisation)', 'Кто сказал (организация)', { ref: 'organization' }),
    stated_on: f('Stated on', 'Дата заявления', 'date'),
    stated_precision: f('Date precision', 'Точность даты', { vocab: 'date_precision' }),
    stated_text: f('Date as told', 'Дата со слов'),
    source_id: f('Source', 'Источник', { ref: 'source' }),
    stance: f('Stance', 'Позиция', { vocab: 'statement_stance' }),
    gist: f('Gist', 'Суть'),
    quote: f('Quote', 'Цитата'),
    facility_id: f('Facility', 'Учреждение', { ref: 'facility' }),
    review_rating: f('Rating', 'Оценка', { vocab: 'review_rating' }),
    review_rationale: f('Internal rationale', 'Внутреннее обоснование'),
    reviewed_by: f('Reviewed by', 'Проверил', { ref: 'user' }),
    reviewed_at: f('Reviewed', 'Проверено', 'date'),
    review_public: f('Published review', 'Опубликованная оценка'),
  },
  reported_figure: {
    external_id: EXTERNAL_ID,
    value: f('Value', 'Значение', 'number'),
    value_max: f('Up to', 'До', 'number'),
    counts: f('Counts', 'Что считается', 'plain'),
    counts_label: f('Counts, as said', 'Что считается, со слов'),
    scope: f('Scope', 'Охват'),
    as_of: f('As of', 'По состоянию на', 'date'),
    as_of_precision: f('Date precision', 'Точность даты', { vocab: 'date_precision' }),
    as_of_text: f('As of, as said', 'По состоянию на, со слов'),
    speaker_label: f('Speaker', 'Кто сказал'),
    statement_id: f('Statement', 'Заявление', { ref: 'statement' }),
    source_id: f('Source', 'Источник', { ref: 'source' }),
  },
  visit: {
    external_id: EXTERNAL_ID,
    facility_id: f('Facility', 'Учреждение', { ref: 'facility' }),
    body: f('Body', 'Орган'),
    visit_date: f('Visit date', 'Дата посещения', 'date'),
    visit_type: f('Type', 'Тип', { vocab: 'visit_type' }),
    mode: f('Mode', 'Порядок', { vocab: 'visit_mode' }),
    status: f('Status', 'Статус', { vocab: 'visit_status' }),
    team: f('Team', 'Состав группы', 'json'),
    safeguards: f('Safeguards', 'Гарантии', 'json'),
    findings: f('Findings', 'Выводы'),
    findings_public: f('Published findings', 'Опубликованные выводы'),
    response_due: f('Response due', 'Ответ ожидается до', 'date'),
    started_at: f('Started', 'Начало', 'date'),
    ended_at: f('Ended', 'Окончание', 'date'),
    area_ids: f('Places visited', 'Осмотренные места', 'json'),
    registers_examined: f('Registers examined', 'Проверенные журналы', 'json'),
    refused_access: f('Access refused', 'Отказано в доступе', 'json'),
    cancellation_reason: f('Why cancelled', 'Причина отмены'),
    reply_statement_id: f('Reply', 'Ответ', { ref: 'statement' }),
  },
  recommendation: {
    external_id: EXTERNAL_ID,
    visit_id: f('Visit', 'Посещение', { ref: 'visit' }),
    text: f('Recommendation', 'Рекомендация'),
    addressee: f('Addressee', 'Адресат'),
    deadline: f('Deadline', 'Срок', 'date'),
    status: f('Status', 'Статус', { vocab: 'recommendation_status' }),
    reply_statement_id: f('Reply', 'Ответ', { ref: 'statement' }),
    claim_statement_id: f('Claim of implementation', 'Заявление о выполнении', { ref: 'statement' }),
    follow_up_visit_id: f('Follow-up visit', 'Повторное посещение', { ref: 'visit' }),
    evidence_source_id: f('Evidence', 'Доказательство', { ref: 'source' }),
    finding_id: f('Finding of non-implementation', 'Вывод о невыполнении', { ref: 'visit' }),
    commitment_statement_id: f('Commitment', 'Обязательство', { ref: 'statement' }),
  },
  app_user: {
    external_id: EXTERNAL_ID,
    username: f('Username', 'Имя пользователя'),
    display_name: f('Display name', 'Отображаемое имя'),
    role: f('Role', 'Роль', { vocab: 'user_role' }),
    disabled: f('Disabled', 'Отключён', 'flag'),
    password_hash: f('Password', 'Пароль'),
  },
  extraction: {
    external_id: EXTERNAL_ID,
    source_id: f('Source', 'Источник', { ref: 'source' }),
    source_kind: f('Source kind', 'Вид источника', { vocab: 'source_kind' }),
    url: f('Link', 'Ссылка'),
    title: f('Title', 'Название'),
    language: f('Language', 'Язык'),
    text: f('Text', 'Текст'),
    text_sha256: f('Text SHA-256', 'SHA-256 текста'),
    extractor_version: f('Extractor version', 'Версия извлечения'),
    proposed_by: f('Proposed by', 'Предложил', { ref: 'user' }),
  },
  proposed_fact: {
    external_id: EXTERNAL_ID,
    status: f('Decision', 'Решение'),
    edits: f('Edits', 'Правки', 'json'),
    decided_by: f('Decided by', 'Решение принял', { ref: 'user' }),
    decided_at: f('Decided', 'Дата решения', 'date'),
    decision_reason: f('Why', 'Почему'),
    record_type: f('Record', 'Запись'),
    record_id: f('Record id', 'Идентификатор записи'),
  },
};

/** The records themselves, as a history names them. */
export const ENTITIES: Readonly<Record<string, Text>> = {
  allegation: t('Allegation', 'Сообщение'),
  allegation_act: t('Act', 'Действие'),
  allegation_person: t('Person named', 'Упомянутое лицо'),
  allegation_source: t('Source link', 'Связь с источником'),
  allegation_assignment: t('Case team', 'Команда дела'),
  allegation_proposal: t('Two-analyst proposal', 'Предложение для второго аналитика'),
  person: t('Person', 'Лицо'),
  proceeding: t('Proceeding', 'Производство'),
  proceeding_stage: t('Proceeding stage', 'Стадия производства'),
  evidence_item: t('File', 'Файл'),
  custody_event: t('Custody log', 'Журнал хранения'),
  source: t('Source', 'Источник'),
  facility: t('Facility', 'Учреждение'),
  area: t('Place', 'Место'),
  organization: t('Organisation', 'Организация'),
  statement: t('Statement', 'Заявление'),
  reported_figure: t('Reported figure', 'Опубликованная цифра'),
  visit: t('Visit', 'Посещение'),
  recommendation: t('Recommendation', 'Рекомендация'),
  app_user: t('User', 'Пользователь'),
  extraction: t('Extraction', 'Извлечение'),
  proposed_fact: t('Proposed fact', 'Предложенный факт'),
  key: t('Identity key', 'Ключ идентичности'),
  database: t('Database', 'База данных'),
};

/** A field with no entry in {@link FIELDS}: its name made readable, the same in both languages rather than a code. */
export function fallbackField(field: string): FieldSpec {
  const words = field.replace(/_id$/, '').replace(/_/g, ' ');
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  return { label: { en: label, ru: label }, value: 'text' };
}

/** Keys inside JSON fields (a CAT checklist, a stage's details), with the vocabulary their values come from. */
export const JSON_KEYS: Readonly<Record<string, { label: Text; vocab?: VocabularyName }>> = {
  severity: { label: t('Severe pain or suffering', 'Сильная боль или страдание'), vocab: 'cat_severity' },
  intent: { label: t('Intent', 'Умысел'), vocab: 'cat_intent' },
  purpose: { label: t('Purpose', 'Цель'), vocab: 'cat_purpose' },
  officialLink: { label: t('Link to an official', 'Связь с должностным лицом'), vocab: 'cat_official_link' },
  lawfulSanctionOnly: { label: t('Lawful sanctions only', 'Только законные санкции') },
  erdrNumber: { label: t('ERDR number', 'Номер ЕРДР') },
  article: { label: t('Article', 'Статья') },
  part: { label: t('Part', 'Часть') },
  outcome: { label: t('Outcome', 'Итог'), vocab: 'inquiry_outcome' },
  refusalKind: { label: t('Refusal', 'Отказ'), vocab: 'refusal_kind' },
  terminationGround: { label: t('Ground', 'Основание'), vocab: 'termination_ground' },
  openedFrom: { label: t('Opened from', 'Открыто из') },
  courtId: { label: t('Court', 'Суд') },
  caseNumber: { label: t('Case number', 'Номер дела') },
  body: { label: t('Body', 'Орган') },
  reference: { label: t('Reference', 'Номер') },
  refiling: { label: t('Filed again', 'Подано повторно') },
  suspensionGround: { label: t('Why suspended', 'Основание приостановления') },
  accusedIds: { label: t('Accused', 'Обвиняемые') },
  articles: { label: t('Articles', 'Статьи') },
  verdicts: { label: t('Verdicts', 'Приговоры') },
  appellantId: { label: t('Appellant', 'Апеллянт') },
  decision: { label: t('Decision', 'Решение') },
};
