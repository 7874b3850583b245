/**
 * People: capitalised word pairs or triples that look like a person's name (a known first name,
 * a surname ending, an initial, or a role word right before), with the role the text gives
 * ("adviser to the minister", "начальник службы …"). Later surname-only mentions join the full name.
 */
import names from './gazetteers/first-names.json' with { type: 'json' };
import { normalizeNameKey } from '../domain/text/index.ts';
import { monthOf } from './dates.ts';
import { clean } from './text.ts';
import type { ExtractedPerson } from './types.ts';

const FIRST = new Set((names as { names: string[] }).names.map((n) => normalizeNameKey(n)));
const FIRST_STEMS = new Set([...FIRST].map((k) => k.replace(/[aeiouy]$/, '')));
/** A known first name in any case form (Татьяны, Ризабека). */
function isFirstName(word: string): boolean {
  const k = normalizeNameKey(word);
  if (FIRST.has(k)) return true;
  const stem = k.replace(/(?:oi|ei|om|em|u|a|y|i|e|o)$/, '');
  return stem.length >= 3 && (FIRST.has(stem) || FIRST_STEMS.has(stem));
}
const SURNAME_RE =
  /(?:(?:ov|ev|in|yn)a?|sky|skiy|skaya|enko|uly|kyzy|ovich|evich|ovna|evna|(?:ов|ёв|ев|ин|ын)(?:а|у|ым|ой|е|ы)?|ский|ская|ского|скому|ской|енко|улы|кызы|ович|евич|овна|евна)$/u;
const ROLE_WORDS_EN =
  /\b(?:lawyer|attorney|advocate|adviser|advisor|minister|head|chief|chairman|chairwoman|chair|spokesman|spokeswoman|spokesperson|representative|director|judge|prosecutor|mayor|akim|deputy|activist|resident|officer|investigator|journalist|ombudsman|ombudswoman|commissioner|official|president|governor|colonel|general|lieutenant|major|captain|sergeant|brother|sister|mother|father|wife|husband|son|daughter|relative|victim|detainee|defendant|founder|member|coordinator|expert|researcher|analyst|citizen|blogger|doctor|inmate|prisoner|senator|MP|leader|secretary|manager|editor|correspondent|witness|student|worker)s?\b/i;
const ROLE_WORDS_RU =
  /(?<![\p{L}])(?:адвокат|министр|начальник|глав[аеуы]|руководител|заместител|представител|прокурор|судь[яи]|аким|депутат|председател|правозащитни|директор|следовател|журналист|жител|омбудсмен|уполномоченн|советник|сотрудник|спикер|полицейск|задержанн|осужденн|осуждённ|заключенн|заключённ|потерпевш|брат|сестр|мать|отец|супруг|сын|дочь|родственни|активист|эксперт|координатор|член|лидер|основател|юрист|блогер|врач|пресс-секретар|президент|генерал|полковник|майор|капитан|подполковник|лейтенант|сержант|инспектор|оперуполномоченн|следователь)\p{L}*/iu;

const NOT_NAME = new Set(
  (
    'The A An In On At Of For From By With And Or But As This That These Those It He She They We I You His Her Their Its Our ' +
    'According After Before During Since Under Over Into About Against When While Where Also However Then So Such Some All Each Other ' +
    'Mr Mrs Ms Dr Prof Republic Kazakhstan Ministry Department Committee Office Court Police Prosecutor General State Human Rights Watch ' +
    'National Security Internal Affairs Interior Commissioner Center Centre City Region District Criminal Code Article Part Torture Coalition ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday Radio Free Europe Liberty Bloody January Facebook Telegram Instagram Twitter YouTube ' +
    'В На По С Из За Об О К У И А Но Как Что Это Так Также При После До Для Все Его Ее Их Он Она Они Мы Согласно Кроме Однако Если Когда ' +
    'Республики Республика Казахстан Казахстана Министерство Министерства МВД КНБ Генеральной Генеральная Прокуратура Уголовного Кодекса Суд Об Об Ранее Позже Сейчас Сегодня Вчера Теперь Кроме Между Также Тогда Поэтому Кто ' +
    'Специализированный Межрайонный Районный Городской Областной Верховный Общественная Казахстанская Восточно-Казахстанской Западно-Казахстанской Северо-Казахстанской Алматинской Как Где Здесь Там Всего Из-за ' +
    'UN OSCE EU USA UK NGO NPM ООН ОБСЕ НПО НПМ ИВС СИЗО President Minister Judge Kazakh Deputy Senator Colonel Major Lawyer Akim Президент Министр Судья Аким Генпрокуратуры Генпрокуратура Прокуратуры Службы'
  ).split(' '),
);

const TITLE_RE =
  /\b(?:Mr|Mrs|Ms|Dr)\.?\s+(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)|(?<![\p{L}])(?:г-н|г-жа|господин|госпожа)\s+(\p{Lu}\p{Ll}+)/gu;

interface Candidate {
  name: string;
  start: number;
  end: number;
  evidence: number;
}

const CAP_WORD = String.raw`\p{Lu}[\p{Ll}’'\-]*\p{Ll}|\p{Lu}\.`;
const NAME_RE = new RegExp(String.raw`(?<![\p{L}\d])(?:${CAP_WORD})(?:\s+(?:${CAP_WORD})){1,4}(?![\p{L}])`, 'gu');

function plausibleWord(w: string): boolean {
  if (NOT_NAME.has(w) || NOT_NAME.has(w.replace(/[’']s$/, ''))) return false;
  if (monthOf(w) !== null && w.length > 2) return false;
  return true;
}

/** People named in `text`, with roles. */
export function extractPeople(text: string, exclude: { start: number; end: number }[] = []): ExtractedPerson[] {
  const cands: Candidate[] = [];
  for (const m of text.matchAll(NAME_RE)) {
    // the runs of plausible words inside the match: "Interior Minister Erlan Turgumbayev" → "Erlan Turgumbayev"
    const all = m[0].split(/\s+/);
    const runs: string[][] = [];
    let cur: string[] = [];
    for (const w of all) {
      if (plausibleWord(w)) cur.push(w);
      else {
        if (cur.length) runs.push(cur);
        cur = [];
      }
    }
    if (cur.length) runs.push(cur);
    let searchFrom = m.index;
    for (const run of runs) {
      let parts = run.length > 3 ? run.slice(-3) : run;
      const [w0, w1] = parts;
      if (w0 === undefined) continue;
      let start = text.indexOf(w0, searchFrom);
      searchFrom = start + 1;
      // "Генпрокуратуры Елдос Килымжанов": a first name in the middle starts the name
      if (parts.length === 3 && w1 !== undefined && !isFirstName(w0) && isFirstName(w1) && !/^\p{Lu}\.$/u.test(w0)) {
        parts = parts.slice(1);
        start = text.indexOf(w1, start + 1);
      }
      const [first] = parts;
      const last = parts.at(-1);
      if (parts.length < 2 || first === undefined || last === undefined) continue;
      const name = parts.join(' ');
      const end = start + text.slice(start).indexOf(last) + last.length;
      if (exclude.some((s) => start < s.end && end > s.start)) continue;
      // "Батырбаева А.Б. Сообщаем": initials closing a name, then a new sentence
      if (/^\p{Lu}\.$/u.test(first) && /\p{Lu}\.$/u.test(text.slice(Math.max(0, start - 2), start))) continue;
      // "село Ынтымак Сауранского района" is a place
      if (/^\s+(?:район\p{L}*|област\p{L}*|district|region|village|oblast)/iu.test(text.slice(end, end + 12))) continue;
      if (
        /(?:сел[оаеу]|посел\p{L}*|аул\p{L}*|город\p{L}*|г\.|village of|town of|city of|street|улиц\p{L}*|ул\.)\s*$/iu.test(
          text.slice(Math.max(0, start - 14), start),
        )
      )
        continue;
      let evidence = 0;
      if (parts.some((p) => isFirstName(p))) evidence += 2;
      if (parts.some((p, i) => (i > 0 || parts.length === 2 ? SURNAME_RE.test(p) : false))) evidence += 1;
      if (parts.some((p) => /^\p{Lu}\.$/u.test(p))) evidence += 1;
      const before = text.slice(Math.max(0, start - 60), start);
      if (
        ROLE_WORDS_EN.test(before.split(/[,.;:()]/).pop() ?? '') ||
        ROLE_WORDS_RU.test(before.split(/[,.;:()]/).pop() ?? '')
      )
        evidence += 1;
      const appos = /^,\s*([^,.;:()]{2,80})/u.exec(text.slice(end, end + 90))?.[1] ?? '';
      if (appos && (ROLE_WORDS_EN.test(appos) || ROLE_WORDS_RU.test(appos))) evidence += 1;
      if (
        /(?:said|says|told|according to|сказал\p{L}*|сообщил\p{L}*|отметил\p{L}*|заявил\p{L}*|по словам)\s*$/iu.test(
          text.slice(Math.max(0, start - 16), start),
        )
      )
        evidence += 1;
      if (
        /^\s*(?:said|says|told|noted|stated|added|explained|wrote|сказал|сообщил|отметил|заявил|рассказал|пояснил|добавил|подчеркнул)/u.test(
          text.slice(end, end + 16),
        )
      )
        evidence += 1;
      if (evidence >= 2) cands.push({ name, start, end, evidence });
    }
  }
  // "Mr. Oraz", "г-жа Азимова": a surname after a title is a person even alone
  for (const m of text.matchAll(TITLE_RE)) {
    const name = m[1] ?? m[2] ?? '';
    const start = m.index + m[0].length - name.length;
    if (!cands.some((c) => c.start <= start && c.end >= start + name.length))
      cands.push({ name, start, end: start + name.length, evidence: 2 });
  }
  cands.sort((a, b) => a.start - b.start);
  const people: (ExtractedPerson & { key: string; tokens: string[] })[] = [];
  for (const c of cands) {
    const key = normalizeNameKey(c.name);
    const tokens = key.split(' ');
    const same = people.find(
      (p) =>
        p.key === key ||
        sameByStem(p.tokens, tokens) ||
        (tokens.length === 1 && p.tokens.some((t) => sameByStem([t], tokens))),
    );
    if (same) {
      if (!same.role) same.role = roleOf(text, c.start, c.end);
      continue;
    }
    people.push({
      name: c.name,
      role: roleOf(text, c.start, c.end),
      text: c.name,
      span: { start: c.start, end: c.end },
      confidence: Math.min(0.95, 0.5 + 0.15 * c.evidence),
      key,
      tokens,
    });
  }
  return people.map(({ key: _k, tokens: _t, ...p }) => p);
}

/** Russian case forms of one name ("Ожаров"/"Ожарова") share a stem: compare token by token by prefix. */
function sameByStem(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((t, i) => {
    const u = sb[i] ?? '';
    const n = Math.min(t.length, u.length);
    return (
      n >= 3 && t.slice(0, Math.max(3, n - 2)) === u.slice(0, Math.max(3, n - 2)) && Math.abs(t.length - u.length) <= 2
    );
  });
}

const CLAUSE_RE =
  /(?<![\p{L}])(?:by|were|was|is|are|said|says|told|that|who|according to|as|with|from|to|\p{L}+(?:ил|ила|или|ал|ала|али|ял|ела|ел|ет|ит|ют|ят))\s+/giu;
const ADJ_BEFORE_RE =
  /(?:(?<![\p{L}])(?!(?:the|a|an|of|and|to|by|for|with|as|и|в|на|с)\s)(?:[A-Z][a-z]+|official|senior|top|former|chief|deputy|human|rights|local|regional|independent|leading|prominent|state|special|public|defen[cs]e|police|prison|acting|first|lead|\p{L}+(?:ый|ий|ой|ая|ое|ые|ого|его|ей))\s+){1,3}$/iu;

/** The role the text gives a person: an apposition after the name, or the words before it back to a role word. */
function roleOf(text: string, start: number, end: number): string | null {
  const after =
    /^,\s*((?:an?\s+|the\s+)?[\p{Ll}\p{Lu}][^,.;:()«»"“”]{2,150}?)(?:,|\s+(?:said|says|told|noted|stated|—|–)|\.|\))/u.exec(
      text.slice(end, end + 170),
    );
  const apposition = after?.[1];
  if (
    apposition !== undefined &&
    !/^(?:who|which|that|whose|said|says|told|added|noted|stated|explained|где|кто|котор|сказал|заявил|сообщил|отметил|добавил)/iu.test(
      apposition,
    ) &&
    (ROLE_WORDS_EN.test(apposition) || ROLE_WORDS_RU.test(apposition))
  )
    return clean(apposition);
  const before = text.slice(Math.max(0, start - 160), start);
  let chunk = before.split(/[,.;:()«»"“”!?—–\n]/).pop() ?? '';
  // "The Commissioner for Human Rights in Kazakhstan, Artur Lastayev, said": the role before the comma
  if (!chunk.trim() && /,\s*$/.test(before)) {
    const lead =
      before
        .replace(/,\s*$/, '')
        .split(/[.;:()«»"“”!?—–\n]/)
        .pop() ?? '';
    if (lead.split(/\s+/).length <= 12 && (ROLE_WORDS_EN.test(lead) || ROLE_WORDS_RU.test(lead)))
      return clean(lead.replace(/^\s*(?:the|a|an)\s+/i, ''));
  }
  // the role starts after the last verb or clause word ("… were represented by the lawyers X", "сообщил начальник X")
  const cut = [...chunk.matchAll(CLAUSE_RE)].pop();
  if (cut) chunk = chunk.slice(cut.index + cut[0].length);
  const idxEn = chunk.search(ROLE_WORDS_EN);
  const idxRu = chunk.search(ROLE_WORDS_RU);
  const idx = [idxEn, idxRu].filter((i) => i >= 0).sort((a, b) => a - b)[0];
  if (idx !== undefined) {
    // keep adjectives right before the role word ("official representative", "human rights lawyer")
    const adj = ADJ_BEFORE_RE.exec(chunk.slice(0, idx));
    const role = clean(chunk.slice(idx - (adj ? adj[0].length : 0)));
    if (role.length >= 3) return role;
  }
  return null;
}
