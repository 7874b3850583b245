/**
 * Statements: who said what, with stance. A sentence (or a quotation block) is attributed to the
 * person or body named with a speech verb ("X said that …", "«…», — сказал X", "according to X",
 * "по словам X"); a pronoun or "the press service" goes to the previous speaker. A sentence with
 * no speaker but with a strong stance is the article's own voice ("article author"). Consecutive
 * statements of one speaker with one stance are one statement.
 */
import { normalizeNameKey } from '../domain/text/index.ts';
import { keyedWords } from './gazetteer.ts';
import { orgIndex } from './organizations.ts';
import { hasAuthorStance, stanceOf, type SpeakerSide } from './stance.ts';
import { clean, contentKeys, type Sentence } from './text.ts';
import type { ExtractedDate, ExtractedOrganization, ExtractedPerson, ExtractedStatement } from './types.ts';

const VERBS_EN =
  'promised|promises|pledged|vowed|urged|expressed|said|says|say|stated|states|state|noted|notes|told|tells|emphasized|emphasised|emphasizes|stressed|stresses|added|adds|explained|explains|reported|report|reports|announced|announces|confirmed|confirms|denied|denies|deny|admitted|admits|claimed|claims|claim|alleged|allege|alleges|recalled|recalls|wrote|writes|declared|declares|insisted|insists|argued|argues|warned|warns|pointed out|described|describes|called|complained|complain|complains|informed|assured|assures|believes|believe|stated';
const VERBS_RU =
  'пообещал|пообещала|пообещали|обещал|призвал|призвала|призвали|выразил|выразила|говорится|указывается|отмечается|заявил|заявила|заявили|заявляет|заявляют|сообщил|сообщила|сообщили|сообщает|сообщают|отметил|отметила|отметили|отмечает|отмечают|подчеркнул|подчеркнула|подчеркнули|рассказал|рассказала|рассказали|рассказывает|рассказывают|пояснил|пояснила|пояснили|поясняют|добавил|добавила|добавили|напомнил|напомнила|напомнили|признал|признала|признали|признает|подтвердил|подтвердила|подтвердили|подтверждает|опроверг|опровергла|опровергли|опровергает|опровергают|отрицает|отрицают|отрицал|утверждает|утверждают|утверждал|утверждала|сказал|сказала|сказали|считает|считают|говорит|говорят|говорил|пишет|пишут|писал|жалуются|жалуется|уверяет|уверяют|настаивает|назвал|назвала|назвали|прокомментировал|прокомментировали|ответил|ответили|проинформировал|уточнил|уточнила|уточнили|сообщается|информирует';
const VERB_RE = new RegExp(String.raw`(?<![\p{L}])(?:${VERBS_EN}|${VERBS_RU})(?![\p{L}])`, 'giu');
const SOCIAL_RE =
  /\b(?:on|in|via) social (?:networks|media)\b|(?<![\p{L}])(?:в|во|по) (?:соцсет\p{L}*|социальн\p{L}* сет\p{L}*)/iu;
const language = (s: string) => (/[\u0400-\u04ff]/.test(s) ? 'ru' : 'en');

// Words that are verbs of saying only when a clause follows ("relatives report that …", not "credible reports of …").
const NOUNISH_RE = /^(?:report|reports|claim|claims|state|states|notes|call|called|describes|believes|believe)$/i;
const ACCORDING_RE =
  /(?:according to|as reported by|as stated by|citing|со ссылкой на|как (?:сообщил\p{L}*|заявил\p{L}*|отметил\p{L}*|рассказал\p{L}*|пояснил\p{L}*|уточнил\p{L}*|сообщает|сообщают|пишет|пишут|передает|передаёт)|по словам|по данным|по информации|как сообщили в|как сообщает|как сообщают в|как отметили в|согласно)\s+([^,.;:]{3,120})/iu;
const PRONOUN_RE =
  /^(?:he|she|they|it|him|her|them|our|us|we|мы|нас|наш\p{L}*|он|она|они|оно|него|неё|нее|них|его|её|их|(?:the )?official|(?:the )?minister|(?:the )?ministry|(?:the )?department|(?:the )?agency|(?:the )?prosecutor|(?:the )?spokesman|(?:the )?spokeswoman|(?:the )?press service|(?:the )?office|(?:the )?court|ведомство|в ведомстве|прокурор|министр|спикер|чиновник|пресс-служба|в пресс-службе|(?:в\s+)?(?:\p{L}+\s+){0,3}(?:пресс-релиз\p{L}*|сообщени\p{L}*|заявлени\p{L}*)|(?:the\s+)?(?:press release|statement)|представитель ведомства|официальный представитель ведомства|в министерстве|в департаменте)(?![\p{L}])/iu;
const DISCOURSE_RE =
  /^(?:(?:so|also|however|meanwhile|moreover|in addition|at the same time|earlier|later|then|thus|furthermore|besides|and|but|а|но|и|также|кроме того|между тем|в свою очередь|при этом|так|ранее|позже|затем|однако|впрочем|напомним)[,\s]+)+/iu;
const QUOTE_OPEN = '“«"„';
const QUOTE_CLOSE = '”»"“';

interface Speaker {
  label: string;
  key: string;
  authority: SpeakerSide;
}

interface Raw {
  speaker: Speaker;
  content: string;
  start: number;
  end: number;
  date: string | null;
  stance: ExtractedStatement['stance'];
  confidence: number;
}

/** Everything the statement finder needs from the other extractors. */
export interface StatementContext {
  text: string;
  sentences: Sentence[];
  people: ExtractedPerson[];
  organizations: ExtractedOrganization[];
  dates: ExtractedDate[];
}

const AUTHOR: Speaker = { label: 'article author', key: 'author', authority: 'unknown' };

/** The last speakers, by kind: pronouns and descriptions refer back to them. */
interface Recent {
  any: Speaker | null;
  person: Speaker | null;
  body: Speaker | null;
}

function remember(recent: Recent, s: Speaker): void {
  if (s.key === 'n:social') return;
  recent.any = s;
  if (s.key.startsWith('p:')) recent.person = s;
  // a news outlet that reports is not "the department" a later sentence speaks of
  if (s.key.startsWith('o:') && s.authority === 'authority') recent.body = s;
}

/** A piece of text to attribute: a sentence, or a sentence of a quotation with the quotation's attribution. */
interface Unit {
  start: number;
  end: number;
  paragraph: number;
  quoteAttribution?: { start: number; end: number };
}

const ABOUT_THIS_RE = /^(?:об этом|о том|как|this was|these figures were|this is what)\s/iu;

/** Statements of the text, in order. */
export function extractStatements(ctx: StatementContext): ExtractedStatement[] {
  const { text } = ctx;
  const raws: (Raw & { paragraph: number })[] = [];
  const previous: Recent = { any: null, person: null, body: null };
  const units = unitsOf(ctx);

  for (const [ui, u] of units.entries()) {
    const sentence = text.slice(u.start, u.end);
    let speaker: Speaker | null = null;
    let content = sentence;
    let confidence = 0.6;
    let verbWord = '';
    if (u.quoteAttribution) {
      const attr = text.slice(u.quoteAttribution.start, u.quoteAttribution.end);
      speaker = speakerIn(ctx, u.quoteAttribution.start, u.quoteAttribution.end, attr, previous);
      content = sentence.replace(/^[\s“«"„\-—–]+|[\s”»"“,\-—–]+$/g, '');
      confidence = 0.75;
    } else {
      const accPronoun =
        /(?<![\p{L}])(?:по (его|её|ее|их) словам|по (его|её|ее|их) данным|according to (him|her|them))(?![\p{L}])/iu.exec(
          sentence,
        );
      const acc = accPronoun ? null : ACCORDING_RE.exec(sentence);
      VERB_RE.lastIndex = 0;
      let verb = VERB_RE.exec(sentence);
      while (
        verb &&
        (/(?:\b(?:been|was|were|is|are|be|being)\s+)$/i.test(sentence.slice(0, verb.index)) ||
          (NOUNISH_RE.test(verb[0]) && !/^\s+(?:that|on|to|in)\b/i.test(sentence.slice(verb.index + verb[0].length))))
      )
        verb = VERB_RE.exec(sentence);
      VERB_RE.lastIndex = 0;
      const passiveBy =
        /^(?:this|that|it|these figures|the figures)\s+(?:was|were|has been|have been)\s+(?:announced|stated|reported|said|confirmed|told|disclosed|revealed)\s+by\s+/i.exec(
          sentence.trim(),
        );
      if (passiveBy) {
        const from = u.start + (sentence.length - sentence.trimStart().length) + passiveBy[0].length;
        const sp: Speaker | null =
          speakerAfter(ctx, from, u.end) ?? speakerIn(ctx, from, u.end, text.slice(from, u.end), previous);
        if (sp) {
          for (const prev of raws)
            if (prev.speaker === AUTHOR && prev.paragraph === u.paragraph) {
              prev.speaker = sp;
              prev.stance = stanceOf(prev.content, sp.authority);
            }
          remember(previous, sp);
          continue;
        }
      }
      const authorVoice =
        /^(?:напомним|следует отметить|стоит отметить|it should be noted|it is worth noting|note that)/iu.test(
          sentence.trim(),
        );
      if (accPronoun) {
        const pr = (accPronoun[1] ?? accPronoun[2] ?? accPronoun[3] ?? '').toLowerCase();
        speaker = /^(?:их|them)$/.test(pr) ? previous.any : (previous.person ?? previous.any);
        content = sentence.slice(0, accPronoun.index) + sentence.slice(accPronoun.index + accPronoun[0].length);
        confidence = 0.65;
      } else if (acc) {
        const who = acc[1] ?? '';
        const s = u.start + acc.index + acc[0].length - who.length;
        speaker = speakerIn(ctx, s, s + who.length, who, previous);
        content = sentence.slice(0, acc.index) + sentence.slice(acc.index + acc[0].length);
        confidence = 0.7;
      } else if (verb && !authorVoice) {
        verbWord = verb[0];
        const vStart = u.start + verb.index;
        const vEnd = vStart + verb[0].length;
        const before = text.slice(u.start, vStart);
        const after = text.slice(vEnd, u.end);
        const inverted =
          /(?:[”»"]\s*,?|,\s*[—–-])\s*$/.test(before) ||
          (/,\s*$/.test(before) && ctx.people.some((p) => p.span.start >= vEnd && p.span.start < vEnd + 150));
        if (inverted) {
          speaker = speakerIn(ctx, vEnd, u.end, after, previous);
          content = before;
        } else if (ABOUT_THIS_RE.test(`${before.trim()} `) || /^(?:об этом|about this)/iu.test(before.trim())) {
          // "Об этом сообщил X": X said what the previous sentence says
          speaker = speakerAfter(ctx, vEnd, u.end) ?? speakerIn(ctx, u.start, vStart, before, previous);
          const prev = raws[raws.length - 1];
          if (speaker && prev && prev.speaker === AUTHOR && prev.end <= u.start && u.start - prev.end < 400) {
            prev.speaker = speaker;
            prev.stance = stanceOf(prev.content, speaker.authority);
            prev.end = u.end;
            remember(previous, speaker);
            continue;
          }
          const p = units[ui - 1];
          content = p ? text.slice(p.start, p.end) : after;
        } else {
          const subjStart = u.start + Math.max(0, before.lastIndexOf(';') + 1);
          speaker =
            speakerIn(ctx, subjStart, vStart, text.slice(subjStart, vStart), previous) ??
            speakerAfter(ctx, vEnd, Math.min(u.end, vEnd + 160));
          const rest = after.replace(/^\s*(?:at|in|on|during)\s+(?:a|the)\s+\w+(?:\s+\w+)?\s+(?=that\b)/i, ' ');
          const that = /(?:^|\s)that\s|,\s*что\s|^\s*:\s*/iu.exec(rest.slice(0, 220));
          content = (that ? rest.slice(that.index + that[0].length) : rest).trim();
          // "…, Human Rights Watch said today.": the words are before the verb
          if (content.split(/\s+/).length < 4) content = before;
        }
        confidence = 0.7;
      }
    }
    const date = ctx.dates.find((d) => d.span.start >= u.start && d.span.end <= u.end)?.text ?? null;
    if (!speaker && SOCIAL_RE.test(sentence) && stanceOf(sentence, 'victim_side') === 'allegation') {
      speaker = {
        label: language(sentence) === 'ru' ? 'социальные сети' : 'social media',
        key: 'n:social',
        authority: 'victim_side',
      };
      confidence = 0.5;
    }
    if (!speaker) {
      if (!hasAuthorStance(sentence) || /\?\s*$/.test(sentence)) continue;
      speaker = AUTHOR;
      confidence = 0.45;
    } else if (speaker !== AUTHOR) remember(previous, speaker);
    const stance = stanceOf(speaker === AUTHOR ? sentence : `${verbWord} ${content}`, speaker.authority);
    raws.push({
      speaker,
      content: gistOf(content),
      start: u.start,
      end: u.end,
      date,
      stance,
      confidence,
      paragraph: u.paragraph,
    });
  }
  return mergeStatements(raws).map((r) => ({
    speaker: r.speaker.label,
    stance: r.stance,
    gist: r.content,
    date: r.date,
    span: { start: r.start, end: r.end },
    confidence: r.confidence,
  }));
}

/** Sentences and quotation sentences, in order; the title line and datelines are left out. */
function unitsOf(ctx: StatementContext): Unit[] {
  const { text } = ctx;
  const quotes = quoteBlocks(text);
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
  // the number of line breaks before `pos` (binary search)
  const paragraphOf = (pos: number) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((newlines[mid] ?? pos) < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const units: Unit[] = [];
  const firstLineEnd = text.indexOf('\n') < 0 ? text.length : text.indexOf('\n');
  const titleLine = !/[.!?…»"”]\s*$/.test(text.slice(0, firstLineEnd)) && text.length > firstLineEnd + 1;
  for (const s of ctx.sentences) {
    if (titleLine && s.start < firstLineEnd) continue;
    if (/^\d{1,2}\s+\p{L}+\s+\d{4},?\s+\d{1,2}:\d\d/u.test(s.text)) continue;
    const q = quotes.find((q) => s.start < q.end && s.end > q.start);
    if (q) continue;
    units.push({ start: s.start, end: s.end, paragraph: paragraphOf(s.start) });
  }
  for (const q of quotes) {
    const para = paragraphOf(q.quote.start);
    for (const s of ctx.sentences) {
      const start = Math.max(s.start, q.quote.start);
      const end = Math.min(s.end, q.quote.end);
      if (end - start < 3) continue;
      units.push({ start, end, paragraph: para, quoteAttribution: q.attribution });
    }
  }
  return units.sort((a, b) => a.start - b.start);
}

/** A person or body named right after a verb ("сообщил начальник … Ризабек Ожаров"). */
function speakerAfter(ctx: StatementContext, start: number, end: number): Speaker | null {
  const p = ctx.people.find((x) => x.span.start >= start && x.span.start < end);
  if (p) return { label: p.name, key: `p:${normalizeNameKey(p.name)}`, authority: sideOfRole(p.role) };
  const o = ctx.organizations.find((x) => x.span.start >= start && x.span.start < Math.min(end, start + 40));
  if (o) return { label: o.name, key: `o:${o.canonical ?? o.name.toLowerCase()}`, authority: sideOfOrg(o.kind) };
  return null;
}

/** The speaker named in [start, end): a person first, then a body, then a pronoun (previous speaker), then a short noun phrase. */
function speakerIn(ctx: StatementContext, start: number, end: number, words: string, previous: Recent): Speaker | null {
  const persons = ctx.people.filter((p) => p.span.start >= start && p.span.end <= end);
  const person = persons.at(-1);
  if (person) {
    return { label: person.name, key: `p:${normalizeNameKey(person.name)}`, authority: sideOfRole(person.role) };
  }
  // a surname alone, or a case form, of a person named before
  for (const p of ctx.people) {
    if (surnameRe(p.name).test(words)) {
      return { label: p.name, key: `p:${normalizeNameKey(p.name)}`, authority: sideOfRole(p.role) };
    }
  }
  VERB_RE.lastIndex = 0;
  const trimmed = clean(
    words
      .replace(VERB_RE, ' ')
      .replace(DISCOURSE_RE, '')
      .replace(/^(?:the|a)\s+/i, ''),
  );
  VERB_RE.lastIndex = 0;
  // "официальный представитель ведомства", "the spokesman": the person the article gives that role
  let byRole = ctx.people.find((p) => p.role && sharesRoleWord(p.role, trimmed.split(/\s+/).slice(0, 3).join(' ')));
  // "представитель Генпрокуратуры": the person the article places in that body
  if (!byRole && ROLE_HEAD_RE.test(trimmed)) {
    ROLE_HEAD_RE.lastIndex = 0;
    const body = orgIndex().findAll(keyedWords(trimmed), trimmed)[0]?.value.id;
    if (body)
      byRole = ctx.people.find(
        (p) =>
          p.role &&
          orgIndex()
            .findAll(keyedWords(p.role), p.role)
            .some((m) => m.value.id === body),
      );
  }
  ROLE_HEAD_RE.lastIndex = 0;
  if (byRole)
    return { label: byRole.name, key: `p:${normalizeNameKey(byRole.name)}`, authority: sideOfRole(byRole.role) };
  // every mention counts, not only the first one kept in the list: look the region up again
  const orgs = [
    ...ctx.organizations.filter((o) => o.span.start < end && o.span.end > start),
    ...orgIndex()
      .findAll(keyedWords(words), words)
      .map(
        (m) =>
          ctx.organizations.find((x) => x.canonical === m.value.id) ?? {
            name: m.value.name,
            canonical: m.value.id,
            kind: m.value.kind,
          },
      ),
  ].sort(
    (a, b) =>
      words.toLowerCase().indexOf(a.name.toLowerCase().slice(0, 6)) -
      words.toLowerCase().indexOf(b.name.toLowerCase().slice(0, 6)),
  );
  const [o] = orgs;
  if (o) {
    return { label: o.name, key: `o:${o.canonical ?? o.name.toLowerCase()}`, authority: sideOfOrg(o.kind) };
  }
  if (
    (PRONOUN_RE.test(trimmed) && trimmed.split(/\s+/).length <= 4) ||
    /^(?:press service|пресс-служб\p{L}*)/iu.test(trimmed) ||
    /^(?:the\s+)?(?:ministry|department|agency|office|ведомств\p{L}*)$/iu.test(trimmed)
  ) {
    // "он", "his office" → the last person; "в ведомстве", "the press service" → the last body; "they", "the statement" → the last speaker
    const personal = /^(?:he|she|him|her|он|она|него|неё|нее|его|её)(?![\p{L}])/iu.test(trimmed);
    const bodyWord =
      /(?:ministry|department|agency|office|press service|ведомств|пресс-служб|министерств|департамент)/iu.test(
        trimmed,
      );
    const recent = personal ? (previous.person ?? previous.any) : bodyWord ? previous.body : previous.any;
    if (recent) return recent;
    // "пресс-служба суда": the body the description names, else the first authority of the article
    const authorities = ctx.organizations.filter(
      (x) => x.kind === 'ministry' || x.kind === 'law_enforcement' || x.kind === 'prosecutor' || x.kind === 'court',
    );
    const words = new Set(contentKeys(trimmed));
    const o =
      authorities.find((x) => contentKeys(x.name).some((k) => words.has(k))) ??
      authorities.find((x) => x.kind !== 'court');
    if (o) return { label: o.name, key: `o:${o.canonical ?? o.name.toLowerCase()}`, authority: 'authority' };
    // nothing to refer back to: "the ministry" stays the speaker as written (below), a pronoun does not
    if (!bodyWord) return null;
  }
  // the subject is the last clause before the verb: "… – at the trial, victims noted"
  const lastClause = trimmed.split(/[,;:–—]\s*/).pop() ?? trimmed;
  const np = lastClause
    .replace(/^(?:в|во|at|in)\s+/iu, '')
    .replace(/\s+(?:on|in|at|via)\s+(?:social (?:networks|media)|соцсетях|социальных сетях).*$/iu, '')
    .trim();
  const nWords = np.split(/\s+/).length;
  if (np && nWords <= 9 && SPEAKER_NOUN_RE.test(np) && !/\b(?:have|has|been|was|were|is|are)\b/i.test(np)) {
    const side: SpeakerSide =
      /police|officials?|ministry|prosecutor|investigators|authorities|court|полици|прокурор|ведомств|министерств|следовател|власт|суд/iu.test(
        np,
      )
        ? 'authority'
        : 'victim_side';
    return { label: np.charAt(0).toLowerCase() + np.slice(1), key: `n:${np.toLowerCase()}`, authority: side };
  }
  return null;
}

const SPEAKER_NOUN_RE =
  /\b(?:relatives|families|activists|defenders|lawyers|attorneys|witnesses|victims|detainees|residents|officials|police|experts|sources|media|journalists|monitors|users|observers|human rights|rights groups|prisoners|inmates|survivors|report|reports|study|survey|mother|father|wife|brother|sister|son|daughter|investigators|prosecutors|authorities|ministry|department|agency|office|court|posts|publications)\b|(?<![\p{L}])(?:родственник\p{L}*|правозащитник\p{L}*|адвокат\p{L}*|свидетел\p{L}*|потерпевш\p{L}*|задержанн\p{L}*|жител\p{L}*|очевид\p{L}*|эксперт\p{L}*|источник\p{L}*|СМИ|пользовател\p{L}*|публикаци\p{L}*|доклад\p{L}*|отчет\p{L}*|отчёт\p{L}*|исследовани\p{L}*|заключенн\p{L}*|осужденн\p{L}*|мать|отец|жена|брат|сестр\p{L}*|сын|дочь|следовател\p{L}*|власт\p{L}*|ведомств\p{L}*|министерств\p{L}*|департамент\p{L}*|полици\p{L}*|суд)/iu;

function sideOfRole(role: string | null): SpeakerSide {
  if (
    role &&
    /victim|relative|mother|father|wife|brother|sister|son|daughter|detainee|prisoner|inmate|lawyer|attorney|activist|defender|resident|journalist|пострадавш|потерпевш|родственни|мать|отец|жена|брат|сестр|сын|дочь|задержанн|осужд|заключ|адвокат|правозащит|активист|жител|журналист/iu.test(
      role,
    )
  )
    return 'victim_side';
  return isAuthorityRole(role) ? 'authority' : 'unknown';
}

function sideOfOrg(kind: string): SpeakerSide {
  return kind === 'ngo' || kind === 'media' ? 'victim_side' : kind === 'other' ? 'unknown' : 'authority';
}

function isAuthorityRole(role: string | null): boolean {
  return (
    !!role &&
    /minist|prosecut|police|official|spokes|representative|head|chief|department|judge|akim|mayor|governor|commissioner|ombuds|investigator|министр|прокур|полици|представител|начальник|руководител|глава|департамент|судья|аким|заместител|уполномоченн|омбудсмен|следовател/iu.test(
      role,
    )
  );
}

const ROLE_HEAD_RE =
  /(?<![\p{L}])(?:представител\p{L}*|спикер\p{L}*|пресс-секретар\p{L}*|начальник\p{L}*|руководител\p{L}*|министр\p{L}*|прокурор\p{L}*|заместител\p{L}*|spokes\w*|representative|minister|prosecutor|head|chief|director|adviser|advisor|ombudsman|ombudswoman|commissioner)(?![\p{L}])/giu;

/** True when a description ("официальный представитель ведомства") and a role share a role noun. */
const headCache = new Map<string, Set<string>>();
function roleHeads(s: string): Set<string> {
  let h = headCache.get(s);
  if (!h) {
    h = new Set([...s.matchAll(ROLE_HEAD_RE)].map((m) => m[0].toLowerCase().slice(0, 8)));
    if (headCache.size > 5000) headCache.clear();
    headCache.set(s, h);
  }
  return h;
}

function sharesRoleWord(role: string, description: string): boolean {
  const heads = roleHeads;
  const a = heads(role);
  for (const h of heads(description)) if (a.has(h)) return true;
  return false;
}

const surnameCache = new Map<string, RegExp>();
/** Matches the surname of a name in any case form ("Ожаров", "Ожарова"). */
function surnameRe(name: string): RegExp {
  let re = surnameCache.get(name);
  if (!re) {
    const surname = name.split(' ').at(-1) ?? name;
    const stem = surname.slice(0, Math.max(3, surname.length - 1));
    re = new RegExp(String.raw`(?<![\p{L}])${escapeRe(stem)}\p{L}{0,3}(?![\p{L}])`, 'u');
    if (surnameCache.size > 5000) surnameCache.clear();
    surnameCache.set(name, re);
  }
  return re;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Quotation blocks ("“…,” the press service noted." / "- …, - сказал X.") with their attribution. */
let attributionRe: RegExp | null = null;
/** The attribution after a quotation: ", — сказал X." / ", the press service noted." */
function attributionAt(rest: string): RegExpExecArray | null {
  attributionRe ??= new RegExp(
    String.raw`^\s*[,.]?\s*[-—–]?\s*((?:${VERBS_EN}|${VERBS_RU})\s+[^\n.]{2,200}|(?:the\s+)?[^\n.]{2,160}?\s+(?:${VERBS_EN}|${VERBS_RU}))[.!]?`,
    'iu',
  );
  return attributionRe.exec(rest);
}

type QuoteBlock = {
  start: number;
  end: number;
  quote: { start: number; end: number };
  attribution: { start: number; end: number };
};

/** Quotation paragraphs ("“…,” the press service noted." / "- …, - сказал X.") with their attribution. */
function quoteBlocks(text: string): QuoteBlock[] {
  const out: QuoteBlock[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const lead = line.length - line.trimStart().length;
    const start = lineStart + lead;
    const body = line.slice(lead);
    lineStart += line.length + 1;
    const opener = body.charAt(0);
    const candidates: { qStart: number; qEnd: number; restFrom: number }[] = [];
    if (QUOTE_OPEN.includes(opener)) {
      for (let i = 21; i < body.length; i++)
        if (QUOTE_CLOSE.includes(body.charAt(i))) candidates.push({ qStart: 1, qEnd: i, restFrom: i + 1 });
    } else if (/^[-—–]\s/.test(body)) {
      for (const m of body.matchAll(/,?\s+[-—–](?=\s)/g))
        if (m.index >= 22) candidates.push({ qStart: 2, qEnd: m.index, restFrom: m.index + m[0].length });
    }
    for (const c of candidates) {
      const a = attributionAt(body.slice(c.restFrom));
      if (!a) continue;
      const attribution = a[1] ?? '';
      const aStart = start + c.restFrom + a[0].indexOf(attribution);
      out.push({
        start,
        end: start + c.restFrom + a[0].length,
        quote: { start: start + c.qStart, end: start + c.qEnd },
        attribution: { start: aStart, end: aStart + attribution.length },
      });
      break;
    }
  }
  return out;
}

function gistOf(content: string, max = 300): string {
  const g = clean(content.replace(/\s+/g, ' ').replace(/,(?:\s*,)+/g, ','));
  return g.length > max ? `${g.slice(0, max - 3).replace(/\s+\S*$/, '')}…` : g;
}

/**
 * One statement per speaker and stance within a paragraph (a quotation may mix a confirmation and
 * a denial); neutral statements of one speaker in a row are one statement across paragraphs.
 */
const LAW_RE = /\b(?:Article|article|Art\.)\s*\d+|(?<![\p{L}])(?:стать\p{L}*|ст\.)\s*\d+/u;

function mergeStatements(raws: (Raw & { paragraph: number })[]): Raw[] {
  const out: (Raw & { paragraph: number; pieces: number })[] = [];
  for (const r of raws) {
    // within a paragraph a neutral piece belongs to the speaker's statement there; a neutral statement takes the stance of what follows
    let same = out.find((o) => o.speaker.key === r.speaker.key && o.stance === r.stance && o.paragraph === r.paragraph);
    if (!same) {
      const para = out.find(
        (o) =>
          o.speaker.key === r.speaker.key &&
          o.paragraph === r.paragraph &&
          (r.stance === 'neutral' || o.stance === 'neutral'),
      );
      if (para) {
        if (para.stance === 'neutral') para.stance = r.stance;
        same = para;
      }
    }
    const last = out[out.length - 1];
    // a neutral piece that cites the law is a statement of its own (a warning), not more of a description
    const citesLaw = (t: string) => LAW_RE.test(t);
    const target =
      same ??
      (last &&
      last.speaker.key === r.speaker.key &&
      last.stance === r.stance &&
      r.stance === 'neutral' &&
      citesLaw(r.content) === citesLaw(last.content)
        ? last
        : undefined);
    if (target) {
      target.end = Math.max(target.end, r.end);
      target.date ??= r.date;
      // each merged sentence keeps its opening words in the gist
      if (target.pieces < 6 && !target.content.includes(r.content)) {
        if (target.pieces === 1) target.content = gistOf(target.content, 200);
        target.content = `${target.content}; ${gistOf(r.content, 160)}`;
        target.pieces++;
      }
      continue;
    }
    out.push({ ...r, pieces: 1 });
  }
  return out;
}
