/** Stance of a statement from its words: denial, admission, allegation, confirmation or neutral. */
import type { ExtractedStatement } from './types.ts';

type Stance = ExtractedStatement['stance'];

const DENIAL =
  /\b(?:den(?:y|ies|ied|ying)|not true|untrue|refut\w*|reject\w* (?:the )?(?:claims|allegations|reports)|no evidence|groundless|baseless|fake|did not (?:use|torture|beat|find|confirm)|were not (?:confirmed|found)|was not (?:confirmed|found)|not confirmed|(?:is|are|was|were) (?:false|untrue|fake)|not (?:widespread|systematic|systemic|massive)|no (?:torture|violations|signs)|never (?:used|tortured|beat))|(?<![\p{L}])(?:опроверг\p{L}*|отрица\p{L}*|не соответству\p{L}*|не подтверди\p{L}*|не подтвержда\p{L}*|не подтвердились|не выявлен\p{L}*|не установлен\p{L}*|не было|(?:является|являются|была|были|оказалась|оказались) ложн\p{L}*|не (?:нос\p{L}*|является|являются) (?:массов|систем)\p{L}*|нет (?:фактов|оснований|доказательств)|не применял\p{L}*|не имеют отношения|не имеет отношения|нарушений не|фейк\p{L}*|слух\p{L}* .{0,60}не|недостоверн\p{L}*|законно|в рамках закона|в соответствии с законом)/iu;
const ADMISSION =
  /\b(?:admit(?:s|ted|ting)?\b|acknowledg(?:ed|es|ing)\b|confess(?:ed|es)\b|pleaded guilty|took responsibility|apologi[sz]\w*)|(?<![\p{L}])(?:призна(?:л|ла|ли|ет|ют|ёт)\p{L}*|признание|извини\p{L}*|извинени\p{L}*)/iu;
const ALLEGATION =
  /\b(?:alleg\w*|claim\w*|accus\w*|complain\w*|were tortured|was tortured|been tortured|tortured|torturing|use torture|used torture|beat(?:en|ing)?|abus(?:ed|ing)|ill-treat\w*|subjected to|knocking out confessions|forced to confess|electric shocks?|scald\w*|hot iron|(?:red-hot )?(?:clothes )?iron\b|pulling (?:out )?(?:of )?teeth|rape\w*|with a baton|plastic bag)|(?<![\p{L}])(?:утвержда\p{L}*|жалу\p{L}*|обвиня\p{L}*|пытали|пытал\p{L}*|избива\p{L}*|избил\p{L}*|избит\p{L}*|применяли пытки|применяют пытки|подверг\p{L}*|выбива\p{L}*|истязал\p{L}*|издевал\p{L}*|унижа\p{L}*|утюг\p{L}*|пакет\p{L}* на голов\p{L}*|дубинк\p{L}*|электрошок\p{L}*|изнасил\p{L}*)/iu;
const CONFIRMATION =
  /\b(?:confirm\w*|launched|opened|initiated|registered|instituted|charged|detained|arrested|convicted|sentenced|found guilty|dismissed|fired|suspended|are being investigated|is being investigated|investigation (?:has been|was) (?:launched|opened)|(?:pre-trial|criminal) investigations?|criminal cases?|held accountable|punished|checked|examined|died|deaths?)|(?<![\p{L}])(?:подтверд\p{L}*|подтвержда\p{L}*|возбужд\p{L}*|начат\p{L}*|начал\p{L}* (?:расследован|досудебн)\p{L}*|инициирован\p{L}*|зарегистрирован\p{L}*|задержан\p{L}*|осужд[её]н\p{L}*|осудил\p{L}*|приговор\p{L}*|расследуются|расследован\p{L}*|уголовн\p{L}* дел\p{L}*|проверк\p{L}*|уволен\p{L}*|отстранен\p{L}*|отстранён\p{L}*|привлечен\p{L}*|привлечён\p{L}*|поступил\p{L}*|поступа\p{L}*|установлено|зафиксирован\p{L}*|признан\p{L}* виновн\p{L}*|скончал\p{L}*|погиб\p{L}*|умер\p{L}*)/iu;

// Said by victims, relatives, NGOs or the media, these words report abuse.
const VICTIM_SIDE_ALLEGATION =
  /\b(?:perpetrators?|impunity|abuses?|arbitrar\w*|brutal\w*|mistreat\w*|ill-treatment|beatings?|torture|concern\w*|violat\w*)\b|(?<![\p{L}])(?:виновны\p{L}*|безнаказанн\p{L}*|пытк\p{L}*|насили\p{L}*|избиени\p{L}*|нарушени\p{L}*|произвол\p{L}*|издевательств\p{L}*)/iu;

/** Who a speaker is, as far as the stance goes. */
export type SpeakerSide = 'authority' | 'victim_side' | 'unknown';

const ALLEGING_VERB_RE =
  /\b(?:claim\w*|alleg\w*|accus\w*|complain\w*)|(?<![\p{L}])(?:утвержда\p{L}*|жалу\p{L}*|обвиня\p{L}*|заявля\p{L}* о пытк\p{L}*)/iu;

/**
 * The stance of a statement's words. An authority (ministry, prosecutor, police, court, ombudsman)
 * that reports acts or cases confirms them; victims, relatives, NGOs and the media allege them;
 * anyone else confirms what they report as done (cases opened, people charged) and alleges the rest.
 */
export function stanceOf(words: string, side: SpeakerSide | boolean): Stance {
  const who: SpeakerSide = side === true ? 'authority' : side === false ? 'unknown' : side;
  if (DENIAL.test(words)) return 'denial';
  if (
    ADMISSION.test(words) &&
    !/признан\p{L}* (?:виновн|потерпевш|подозреваем)|recogni[sz]ed as (?:victims|suspects)/iu.test(words)
  )
    return 'admission';
  const allegation = ALLEGATION.test(words);
  const confirmation = CONFIRMATION.test(words);
  if (who === 'authority') return allegation || confirmation ? 'confirmation' : 'neutral';
  if (ALLEGING_VERB_RE.test(words)) return 'allegation';
  if (who === 'victim_side')
    return allegation || VICTIM_SIDE_ALLEGATION.test(words) ? 'allegation' : confirmation ? 'confirmation' : 'neutral';
  if (confirmation) return 'confirmation';
  if (allegation) return 'allegation';
  return 'neutral';
}

const PERPETRATOR_RE =
  /\b(?:police|policemen|officers|guards|investigators|security service)\b|(?<![\p{L}])(?:полицейск\p{L}*|сотрудник\p{L}*|следовател\p{L}*|охранник\p{L}*|надзирател\p{L}*|оперативник\p{L}*)/iu;
const AUTHOR_ACTION_RE =
  /\b(?:charged|suspects?|suspected|placed in custody|arrested|convicted|sentenced|found guilty|criminal (?:case|investigation)s?|investigation (?:was|has been|had been) (?:opened|launched|completed)|dismissed|fired)\b|(?<![\p{L}])(?:возбужд\p{L}*|заведен\p{L}*|завели|задержан\p{L}*|арестован\p{L}*|осужд\p{L}*|осуждён\p{L}*|приговор\p{L}*|подозрева\p{L}*|обвин\p{L}*|уволен\p{L}*|проверк\p{L}* (?:проводится|продолжается)|расследуется|расследуются)/iu;
const ABOUT_ILL_TREATMENT_RE =
  /\b(?:tortur\w*|ill-treat\w*|beat(?:en|ing)?|abuse\w*|police officers?|policemen|officers|death of (?:a|the) detainee)\b|(?<![\p{L}])(?:пыт(?:к|ал|ат)\p{L}*|избиени\p{L}*|избил\p{L}*|избива\p{L}*|жесток\p{L}*|полицейск\p{L}*|сотрудник\p{L}* (?:полиции|колонии|изолятора|СИЗО|ИВС|КНБ)|превышени\p{L}* (?:власти|полномочий))/iu;

/** True when the article's own words say that torture happened or that it was investigated, charged or tried. */
export function hasAuthorStance(words: string): boolean {
  if (
    /\b(?:have been confirmed|has been confirmed|were confirmed|was confirmed)\b|(?<![\p{L}])(?:подтвердил\p{L}*|подтвердились)/iu.test(
      words,
    )
  )
    return true;
  if (AUTHOR_ACTION_RE.test(words) && ABOUT_ILL_TREATMENT_RE.test(words)) return true;
  // the article itself says officers did it: "Taldykorgan police used a hot iron …"
  return ALLEGATION.test(words) && PERPETRATOR_RE.test(words) && !/\?\s*$/.test(words);
}
