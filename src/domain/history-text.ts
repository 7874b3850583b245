/**
 * A history entry in words (issue 11): a headline ("Status changed", "Act added", "Identity
 * revealed: V-0007") and one line per change ("Status: Received → Triage", "Name: changed"), in
 * English and Russian, with codes turned into their vocabulary labels and ids into the names the
 * reader may see (pseudonyms for people, usernames for users). Pure: the history service resolves
 * the names (and leaves out whatever need-to-know hides) and hands them in as {@link HistoryRefs}.
 *
 * @example
 *   entryText({ action: 'transition:received->triage', entityType: 'allegation', entityId: 'a1', changes: null }, refs)
 *   // { label: { en: 'Status changed', ru: 'Статус изменён' }, details: [{ en: 'Status: Received → Triage', ru: 'Статус: Получено → Первичная оценка' }] }
 */
import {
  ENTITIES,
  FIELDS,
  JSON_KEYS,
  fallbackField,
  type FieldSpec,
  type RefKind,
  type Text,
} from './history-fields.ts';
import { VOCABULARIES, type VocabularyName } from './vocabularies.ts';

export type { Text } from './history-fields.ts';

type Lang = keyof Text;

/** One change as an entry records it (src/store/audit-changes.ts). */
export type Change = { field: string; from?: unknown; to?: unknown; changed?: true };

/** What the headline and lines are made from. */
export interface EntryFacts {
  action: string;
  entityType: string;
  entityId: string;
  /** The entry's changes; null for a note and for entries written before changes were recorded. */
  changes: readonly Change[] | null;
}

/** Names of the records an entry points to, as the reader may see them; undefined when unknown. */
export interface HistoryRefs {
  name(kind: RefKind, id: string): Text | undefined;
}

/** An entry in words. */
export interface EntryText {
  label: Text;
  details: Text[];
}

const t = (en: string, ru: string): Text => ({ en, ru });
const both = (s: string): Text => ({ en: s, ru: s });
const map = (f: (lang: Lang) => string): Text => ({ en: f('en'), ru: f('ru') });

/** Fields that only repeat what the entry says already (its actor, its time, its headline). */
const QUIET: ReadonlySet<string> = new Set([
  'proceeding_stage.seq',
  'proceeding_stage.recorded_by',
  'allegation_proposal.proposed_by',
  'allegation_proposal.decided_by',
  'allegation_proposal.decided_at',
  'allegation_proposal.status',
  // A proposal's reason is the entry's reason, shown beside it.
  'allegation_proposal.reason',
]);

const LONG_TEXT = 300;

function spec(entityType: string, field: string): FieldSpec {
  return FIELDS[entityType]?.[field] ?? fallbackField(field);
}

function vocabLabel(name: VocabularyName, id: unknown, lang: Lang, or?: VocabularyName): string {
  const find = (n: VocabularyName) =>
    (VOCABULARIES[n] as readonly { id: string; en: string; ru: string }[]).find((x) => x.id === id);
  const term = find(name) ?? (or ? find(or) : undefined);
  return term ? term[lang] : String(id);
}

/** A date as it is; an instant as its UTC date and minute (`2022-02-01 09:00 UTC`). */
function dateText(v: unknown): string {
  const m = typeof v === 'string' ? /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(v) : null;
  return m ? `${m[1]} ${m[2]} UTC` : String(v);
}

function quote(s: string, lang: Lang): string {
  const short = s.length > LONG_TEXT ? `${s.slice(0, LONG_TEXT)}…` : s;
  return lang === 'ru' ? `«${short}»` : `“${short}”`;
}

function jsonText(v: unknown, lang: Lang): string {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  if (v !== null && typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => {
        const key = JSON_KEYS[k];
        const value =
          key?.vocab && typeof x === 'string'
            ? vocabLabel(key.vocab, x, lang)
            : typeof x === 'boolean'
              ? x
                ? YES[lang]
                : NO[lang]
              : typeof x === 'string'
                ? x
                : JSON.stringify(x);
        return `${key ? key.label[lang] : k}: ${value}`;
      })
      .join('; ');
  }
  return String(v);
}

const YES = t('yes', 'да');
const NO = t('no', 'нет');
const NONE = '—';

/** How one value of a field reads. */
function valueText(s: FieldSpec, v: unknown, lang: Lang, refs: HistoryRefs): string {
  if (v === null || v === undefined || v === '') return NONE;
  const kind = s.value;
  if (kind === 'flag') return v === 1 || v === true ? YES[lang] : NO[lang];
  if (kind === 'number' || kind === 'plain')
    return typeof v === 'string' || typeof v === 'number' ? String(v) : jsonText(v, lang);
  if (kind === 'date') return dateText(v);
  if (kind === 'json') return jsonText(v, lang);
  if (kind === 'text') return typeof v === 'string' ? quote(v, lang) : jsonText(v, lang);
  if ('vocab' in kind) return vocabLabel(kind.vocab, v, lang, kind.or);
  if ('codes' in kind || 'scopes' in kind) {
    const name = 'codes' in kind ? kind.codes : kind.scopes;
    const list = Array.isArray(v) ? v : [v];
    return list.length === 0 ? NONE : list.map((x) => vocabLabel(name, x, lang)).join(', ');
  }
  return refs.name(kind.ref, String(v))?.[lang] ?? String(v);
}

const CHANGED = t('changed', 'изменено');
const GIVEN = t('Consent given', 'Согласие дано');
const WITHDRAWN = t('Consent withdrawn', 'Согласие отозвано');

/** Scopes granted and withdrawn between two lists (consent). */
function scopeDiff(from: unknown, to: unknown): { added: string[]; removed: string[] } {
  const a = Array.isArray(from) ? from.map(String) : [];
  const b = Array.isArray(to) ? to.map(String) : [];
  return { added: b.filter((x) => !a.includes(x)), removed: a.filter((x) => !b.includes(x)) };
}

/** The lines of one change: "Label: from → to", "Label: value" for a part added or removed, "Label: changed". */
function changeLines(facts: EntryFacts, c: Change, refs: HistoryRefs): Text[] {
  const s = spec(facts.entityType, c.field);
  if (c.changed === true) return [map((l) => `${s.label[l]}: ${CHANGED[l]}`)];
  const kind = s.value;
  if (typeof kind === 'object' && 'scopes' in kind && facts.action !== 'create' && facts.action !== 'delete') {
    const { added, removed } = scopeDiff(c.from, c.to);
    const out: Text[] = [];
    if (removed.length)
      out.push(map((l) => `${WITHDRAWN[l]}: ${removed.map((x) => vocabLabel(kind.scopes, x, l)).join(', ')}`));
    if (added.length)
      out.push(map((l) => `${GIVEN[l]}: ${added.map((x) => vocabLabel(kind.scopes, x, l)).join(', ')}`));
    return out;
  }
  const from = c.from ?? null;
  const to = c.to ?? null;
  if (from === null && facts.action !== 'update' && !facts.action.includes(':'))
    return [map((l) => `${s.label[l]}: ${valueText(s, to, l, refs)}`)];
  if (to === null && facts.action === 'delete') return [map((l) => `${s.label[l]}: ${valueText(s, from, l, refs)}`)];
  return [map((l) => `${s.label[l]}: ${valueText(s, from, l, refs)} → ${valueText(s, to, l, refs)}`)];
}

/** The vocabulary of the status a `transition:from->to` or `stage:from->to` action moves, by entity. */
const STEP_VOCAB: Readonly<Record<string, VocabularyName>> = {
  allegation: 'verification_status',
  visit: 'visit_status',
  recommendation: 'recommendation_status',
  proceeding: 'proceeding_stage',
};

/** For an entry without recorded changes (written before 0012): the step its action names, as a line. */
function stepLine(facts: EntryFacts): Text | undefined {
  const m = /^(transition|stage):([\w-]+)->([\w-]+)$/.exec(facts.action);
  const vocab = STEP_VOCAB[facts.entityType];
  if (!m || !vocab) return undefined;
  const field = facts.entityType === 'proceeding' ? t('Stage', 'Стадия') : t('Status', 'Статус');
  return map((l) => `${field[l]}: ${vocabLabel(vocab, m[2], l)} → ${vocabLabel(vocab, m[3], l)}`);
}

const CUSTODY: Readonly<Record<string, Text>> = {
  collected: t('File received into custody', 'Файл принят на хранение'),
  received: t('File received again', 'Файл получен повторно'),
  hashed: t('File hashed', 'Файл хеширован'),
  viewed: t('File viewed', 'Файл просмотрен'),
  downloaded: t('File downloaded', 'Файл скачан'),
  copied: t('Working copy made', 'Сделана рабочая копия'),
  derived: t('Derived copy stored', 'Сохранена производная копия'),
  analysed: t('File analysed', 'Файл изучен'),
  redacted: t('File redacted', 'Файл обезличен'),
  exported: t('File exported', 'Файл выгружен'),
  transferred: t('File handed over', 'Файл передан'),
  verified: t('File checked', 'Файл проверен'),
  disposed: t('File disposed of', 'Файл уничтожен'),
};

/** Notes and named actions, whatever record they are about. */
const ADDED_TO_TEAM = t('Added to the case team', 'Добавлен участник команды дела');
const ACTIONS: Readonly<Record<string, Text>> = {
  classify: t('Classified', 'Квалификация установлена'),
  assign: ADDED_TO_TEAM,
  'bundle.export': t('Evidence bundle made', 'Сформирован пакет доказательств'),
  export: t('Records exported', 'Записи выгружены'),
  migrate: t('Schema upgraded', 'Схема обновлена'),
  'identity.view': t('Identity revealed', 'Раскрыта личность'),
  'identity.reseal': t('Identity sealed again', 'Личность зашифрована заново'),
  'identity.copy_removed': t('Copied identity value removed', 'Удалено скопированное значение личности'),
  'key.rotate': t('Sealed under a new key', 'Зашифровано новым ключом'),
  'key.rotation_started': t('Key rotation started', 'Начата смена ключа'),
  'key.rotated': t('Key rotated', 'Ключ сменён'),
  'key.fingerprint_recorded': t('Key fingerprint recorded', 'Записан отпечаток ключа'),
  link_source: t('Source linked', 'Привязан источник'),
  disable: t('User disabled', 'Пользователь отключён'),
  'auth.password_set': t('Password set', 'Пароль установлен'),
  'auth.login': t('Signed in', 'Вход'),
  'auth.logout': t('Signed out', 'Выход'),
  'auth.login_failed': t('Failed sign-in', 'Неудачная попытка входа'),
  'auth.second_factor_asked': t('Second factor asked for', 'Запрошен второй фактор'),
  'auth.session_replace': t('Session replaced', 'Сеанс заменён'),
  'auth.sessions_revoke': t('Sessions ended', 'Сеансы завершены'),
  'auth.tokens_revoke': t('API tokens revoked', 'API-токены отозваны'),
  'auth.token_create': t('API token created', 'Создан API-токен'),
  'auth.token_revoke': t('API token revoked', 'API-токен отозван'),
  'auth.totp_enrol_start': t('Second factor set-up started', 'Начата настройка второго фактора'),
  'auth.totp_enrol_confirm': t('Second factor switched on', 'Второй фактор включён'),
  'auth.second_factor_reset': t('Second factor reset', 'Второй фактор сброшен'),
  'auth.recovery_code_use': t('Recovery code used', 'Использован код восстановления'),
  'auth.second_factor_require': t('Second factor required', 'Второй фактор обязателен'),
  'auth.second_factor_waive': t('Second factor no longer required', 'Второй фактор больше не обязателен'),
};

/** Actions whose words depend on the record: a record made, removed, changed, or acted on. */
const BY_ENTITY: Readonly<Record<string, Readonly<Record<string, Text>>>> = {
  allegation: {
    create: t('Allegation recorded', 'Сообщение записано'),
    update: t('Allegation changed', 'Сообщение изменено'),
  },
  allegation_act: { create: t('Act added', 'Добавлено действие'), delete: t('Act removed', 'Удалено действие') },
  allegation_source: {
    create: t('Source linked', 'Привязан источник'),
    delete: t('Source unlinked', 'Отвязан источник'),
  },
  allegation_proposal: {
    propose: t('Step proposed for a second analyst', 'Шаг предложен второму аналитику'),
    approve: t('Proposal approved', 'Предложение утверждено'),
    withdraw: t('Proposal withdrawn', 'Предложение отозвано'),
    expire: t('Proposal expired', 'Срок предложения истёк'),
    supersede: t('Proposal superseded', 'Предложение заменено'),
  },
  person: {
    create: t('Person recorded', 'Записано лицо'),
    update: t('Person’s record changed', 'Изменена запись лица'),
  },
  proceeding: {
    create: t('Proceeding opened', 'Открыто производство'),
    update: t('Proceeding changed', 'Производство изменено'),
  },
  proceeding_stage: { create: t('Stage recorded', 'Записана стадия') },
  evidence_item: { create: t('File preserved', 'Сохранён файл') },
  facility: {
    create: t('Facility recorded', 'Учреждение записано'),
    update: t('Facility changed', 'Учреждение изменено'),
  },
  area: { create: t('Place recorded', 'Место записано'), update: t('Place changed', 'Место изменено') },
  organization: {
    create: t('Organisation recorded', 'Организация записана'),
    update: t('Organisation changed', 'Организация изменена'),
  },
  source: { create: t('Source recorded', 'Источник записан'), update: t('Source changed', 'Источник изменён') },
  statement: {
    create: t('Statement recorded', 'Заявление записано'),
    update: t('Statement changed', 'Заявление изменено'),
    review: t('Statement reviewed', 'Заявление проверено'),
  },
  reported_figure: {
    create: t('Reported figure recorded', 'Опубликованная цифра записана'),
    update: t('Reported figure changed', 'Опубликованная цифра изменена'),
  },
  visit: { create: t('Visit recorded', 'Посещение записано'), update: t('Visit changed', 'Посещение изменено') },
  recommendation: {
    create: t('Recommendation recorded', 'Рекомендация записана'),
    update: t('Recommendation changed', 'Рекомендация изменена'),
  },
  app_user: { create: t('User added', 'Пользователь добавлен'), update: t('User changed', 'Пользователь изменён') },
  extraction: { propose: t('Article queued for review', 'Статья поставлена на проверку') },
  proposed_fact: {
    propose: t('Fact proposed', 'Предложен факт'),
    reject: t('Fact rejected', 'Факт отклонён'),
    accept: t('Fact accepted', 'Факт принят'),
    edit: t('Fact accepted with edits', 'Факт принят с правками'),
  },
};

const ROLE_ADDED: Readonly<Record<string, Text>> = {
  victim: t('Victim named', 'Добавлен пострадавший'),
  alleged_perpetrator: t('Alleged perpetrator named', 'Добавлен предполагаемый исполнитель'),
  witness: t('Witness named', 'Добавлен свидетель'),
};
const ROLE_REMOVED: Readonly<Record<string, Text>> = {
  victim: t('Victim removed', 'Удалён пострадавший'),
  alleged_perpetrator: t('Alleged perpetrator removed', 'Удалён предполагаемый исполнитель'),
  witness: t('Witness removed', 'Удалён свидетель'),
};

const changedValue = (facts: EntryFacts, field: string): unknown => {
  const c = facts.changes?.find((x) => x.field === field);
  return c ? (c.to ?? c.from) : undefined;
};

const entityName = (type: string): Text => ENTITIES[type] ?? both(type);
const withSubject = (label: Text, subject: Text | undefined): Text =>
  subject ? map((l) => `${label[l]}: ${subject[l]}`) : label;

/** The record an entry is about, named, for entries of records other than the page's own. */
function subjectOf(facts: EntryFacts, refs: HistoryRefs): Text | undefined {
  const kind: RefKind | undefined =
    facts.entityType === 'person' ? 'person' : facts.entityType === 'proceeding' ? 'proceeding' : undefined;
  return kind ? refs.name(kind, facts.entityId) : undefined;
}

/** The headline of an entry. */
function headline(facts: EntryFacts, refs: HistoryRefs): Text {
  const { action, entityType } = facts;
  const base = action.split(':')[0] ?? action;
  const subject = subjectOf(facts, refs);
  if (entityType === 'custody_event' && action.startsWith('custody.'))
    return CUSTODY[action.slice('custody.'.length)] ?? entityName(entityType);
  if (entityType === 'allegation_person' && (action === 'create' || action === 'delete')) {
    const role = String(changedValue(facts, 'role') ?? '');
    const byRole = (action === 'create' ? ROLE_ADDED : ROLE_REMOVED)[role];
    const who = changedValue(facts, 'person_id');
    const name = typeof who === 'string' ? refs.name('person', who) : undefined;
    return withSubject(
      byRole ?? (action === 'create' ? t('Person named', 'Добавлено лицо') : t('Person removed', 'Удалено лицо')),
      name,
    );
  }
  if (entityType === 'allegation_assignment' && (action === 'assign' || action === 'create' || action === 'delete')) {
    const who = changedValue(facts, 'user_id');
    const name = typeof who === 'string' ? refs.name('user', who) : undefined;
    return withSubject(
      action === 'delete' ? t('Removed from the case team', 'Удалён участник команды дела') : ADDED_TO_TEAM,
      name,
    );
  }
  if (
    entityType === 'allegation' &&
    action === 'update' &&
    facts.changes &&
    facts.changes.length > 0 &&
    facts.changes.every((c) => c.field === 'consent')
  ) {
    const { added, removed } = scopeDiff(facts.changes[0]?.from, facts.changes[0]?.to);
    return removed.length && !added.length
      ? WITHDRAWN
      : added.length && !removed.length
        ? GIVEN
        : t('Consent changed', 'Согласие изменено');
  }
  // An update that changed none of the record's own fields (only its parts, in the same transaction).
  if (action === 'update' && facts.changes !== null && facts.changes.length === 0) {
    if (entityType === 'allegation')
      return t('Allegation saved, its own fields unchanged', 'Сообщение сохранено, его поля не изменились');
    return map(
      (l) =>
        `${t('Saved, no field changed', 'Сохранено без изменения полей')[l]}: ${entityName(entityType)[l].toLowerCase()}`,
    );
  }
  const named = BY_ENTITY[entityType]?.[action] ?? ACTIONS[action];
  if (named) return withSubject(named, subject);
  if (base === 'transition') return withSubject(t('Status changed', 'Статус изменён'), subject);
  if (base === 'stage') return withSubject(t('Proceeding moved to a new stage', 'Новая стадия производства'), subject);
  const entity = entityName(entityType);
  const generic: Readonly<Record<string, Text>> = {
    create: t('Recorded', 'Записано'),
    delete: t('Removed', 'Удалено'),
    update: t('Changed', 'Изменено'),
  };
  const verb = generic[action];
  if (verb)
    return withSubject(
      map((l) => `${verb[l]}: ${entity[l].toLowerCase()}`),
      subject,
    );
  return withSubject(
    map((l) => `${entity[l]}: ${action}`),
    subject,
  );
}

/** An entry's headline and lines, in both languages. */
export function entryText(facts: EntryFacts, refs: HistoryRefs): EntryText {
  const details: Text[] = [];
  if (facts.changes === null) {
    const step = stepLine(facts);
    if (step) details.push(step);
  } else {
    for (const c of facts.changes) {
      if (QUIET.has(`${facts.entityType}.${c.field}`)) continue;
      details.push(...changeLines(facts, c, refs));
    }
  }
  return { label: headline(facts, refs), details };
}

/** Who did it, for a reader: the username, or what a non-user actor is. */
export function actorText(actor: string, username: string | null): Text {
  if (username) return both(username);
  if (actor === 'system') return t('Vigil (system)', 'Vigil (система)');
  if (actor === 'anonymous') return t('signed-out visitor', 'посетитель без входа');
  if (actor.startsWith('cli:')) return map((l) => `${t('console', 'консоль')[l]} (${actor.slice(4)})`);
  return both(actor);
}
