/** Legal references: "part 2 of Article 146 of the Criminal Code", "ч. 2 ст. 146 УК РК", normalised to code + article + part. */
import data from './gazetteers/legal-codes.json' with { type: 'json' };
import { keyedWords, PhraseIndex } from './gazetteer.ts';
import type { ExtractedLegalRef } from './types.ts';

type Code = ExtractedLegalRef['code'];
let index: PhraseIndex<Code> | null = null;
function codeIndex(): PhraseIndex<Code> {
  if (index) return index;
  index = new PhraseIndex<Code>();
  for (const c of (data as { codes: { code: string; aliases: string[] }[] }).codes)
    for (const a of c.aliases) index.add(a, c.code as Code);
  return index;
}

/** The legal code named at the start of `s` ("of the Criminal Code", "УК РК"), with the length consumed. */
function codeAt(s: string): { code: Code; length: number } | null {
  const lead =
    /^\s*(?:of\s+the\s+|of\s+|under\s+the\s+|)(?:(?:Republic\s+of\s+Kazakhstan(?:'s|’s)?|Kazakhstan(?:'s|’s)?|RK|Kazakh)\s+)?/i.exec(
      s,
    )?.[0] ?? '';
  const rest = s.slice(lead.length, lead.length + 80);
  const ws = keyedWords(rest);
  const [first] = ws;
  if (!first || first.start > 0) return null;
  const m = codeIndex().matchAt(ws, 0, rest);
  if (!m) return null;
  let length = lead.length + m.end;
  const q = /^(?:\s+(?:РК|Республики\s+Казахстан|of\s+(?:the\s+)?(?:Republic\s+of\s+)?Kazakhstan|of\s+the\s+RK))/u.exec(
    s.slice(length),
  );
  if (q) length += q[0].length;
  return { code: m.value, length };
}

const NUM = String.raw`\d+(?:[-‑]\d+)?(?:\.\d+)?`;
const LIST = String.raw`${NUM}(?:\s*(?:,|and|or|и|или)\s*${NUM})*`;
// part/paragraph before the article: "part 2 of Article 146", "ч. 2 ст. 146", "частью 2 статьи 146", "п. 3 ч. 2 ст. 146"
const REF_RE = new RegExp(
  String.raw`(?:(?:(?:paragraph|subparagraph|item|para\.?|пункт\p{L}*|п\.)\s*(${NUM})\s*(?:of\s+)?)?(?:(?:part|Part|parts|Parts|част\p{L}*|Част\p{L}*|ч\.)\s*(${LIST})\s*(?:of\s+(?:the\s+)?)?))?` +
    String.raw`(?:Articles?|articles?|Arts?\.|arts?\.|стат\p{L}*|Стат\p{L}*|ст\.\s*ст\.|ст\.|ст(?=\s\d))\s*(${LIST})` +
    String.raw`(?:\s*(?:,\s*)?(?:part|Part|ч\.|част\p{L}*)\s*(${NUM}))?`,
  'gu',
);
const TOPIC_RE = /^\s*\(?\s*[«"“„]([^»"”“]{2,120})[»"”“]\s*\)?/u;

/** Legal references of `text`; a reference without a code takes the code of the next one in the same sentence or the previous one. */
export function extractLegalRefs(text: string): ExtractedLegalRef[] {
  const out: ExtractedLegalRef[] = [];
  let lastCode: Code | null = null;
  for (const m of text.matchAll(REF_RE)) {
    const start = m.index;
    let end = start + m[0].length;
    const after = text.slice(end, end + 160);
    let code: Code | null = null;
    const c = codeAt(after);
    let confidence = 0.6;
    if (c) {
      code = c.code;
      end += c.length;
      confidence = 0.95;
    } else {
      // "статьи 146 и 147 ... УК" — look a little further, within the sentence
      const sentenceRest = after.split(/[.;!?](?:\s|$)/)[0] ?? '';
      const ws = keyedWords(sentenceRest);
      for (let i = 0; i < ws.length && i < 8 && !code; i++) {
        const mm = codeIndex().matchAt(ws, i, sentenceRest);
        if (mm) code = mm.value;
      }
      if (code) confidence = 0.8;
      else if (lastCode) {
        code = lastCode;
        confidence = 0.5;
      }
    }
    if (!code) continue;
    lastCode = code;
    let topic: string | null = null;
    const t = TOPIC_RE.exec(text.slice(end, end + 140));
    if (t) {
      topic = (t[1] ?? '').trim().toLowerCase();
      end += t[0].length;
    }
    const articles = (m[3] ?? '').split(/\s*(?:,|and|or|и|или)\s*/).filter(Boolean);
    const parts = m[2] ? m[2].split(/\s*(?:,|and|or|и|или)\s*/).filter(Boolean) : [m[4] ?? null];
    const refText = text.slice(start, end).trim();
    for (const article of articles) {
      for (const part of parts.length ? parts : [null]) {
        out.push({
          text: refText,
          code,
          article: article.replace(/‑/g, '-'),
          part: articles.length > 1 ? null : part,
          topic,
          span: { start, end },
          confidence,
        });
      }
    }
  }
  return dedupe(out);
}

function dedupe(refs: ExtractedLegalRef[]): ExtractedLegalRef[] {
  const seen = new Map<string, ExtractedLegalRef>();
  for (const r of refs) {
    const key = `${r.code}|${r.article}|${r.part ?? ''}`;
    const prev = seen.get(key);
    if (!prev) seen.set(key, r);
    else if (!prev.topic && r.topic) prev.topic = r.topic;
  }
  return [...seen.values()];
}
