/**
 * SYNTHETIC data generator for benchmarks and load tests.
 *
 * Everything this module produces is invented: facility names, people's names (syllable
 * combinations), report texts. Every record has an external id starting with `syn:` and its
 * text says "SYNTHETIC", so a generated record can never be mistaken for a real allegation
 * (and can be found and removed by `externalId LIKE 'syn:%'`).
 *
 * The output is deterministic for a given `{ allegations, seed }`: the same lines, byte for byte.
 *
 *   import { generateDataset } from './generate.ts';
 *   for (const line of generateDataset({ allegations: 1000, seed: 1 })) …
 *
 *   tsx bench/generate.ts --allegations 200000 --seed 1 --out /tmp/syn.jsonl
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ACT_KINDS } from '../src/domain/vocabularies.ts';
import { fmtInt, intArg, must, parseArgs } from './lib/args.ts';
import { progressBar } from './lib/progress.ts';

export interface DatasetOptions {
  /** Number of allegations; each comes with one victim (person) and one source. */
  allegations: number;
  /** PRNG seed (32-bit integer). */
  seed: number;
  /** Number of facilities the allegations are spread over (default 12). */
  facilities?: number;
}

/** One import line (`{ type, ...fields }`), as `importRecords` / `vigil import` read it. */
export type DatasetLine = { type: 'facility' | 'person' | 'source' | 'allegation' } & Record<string, unknown>;

/** How many lines of each type a dataset has. */
export function datasetCounts(opts: DatasetOptions): {
  facility: number;
  person: number;
  source: number;
  allegation: number;
  lines: number;
} {
  const facility = opts.facilities ?? 12;
  const n = opts.allegations;
  return { facility, person: n, source: n, allegation: n, lines: facility + 3 * n };
}

/** mulberry32: a small, fast, seeded 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LATIN_SYLLABLES = [
  'na',
  'ur',
  'dil',
  'da',
  'or',
  'az',
  'kar',
  'bek',
  'ai',
  'gul',
  'nur',
  'zhan',
  'ser',
  'ik',
  'mar',
  'at',
  'tim',
  'er',
  'lan',
  'sa',
  'ku',
  'ta',
  'li',
  'mu',
  'ra',
  'bo',
];
const CYRILLIC_SYLLABLES = [
  'на',
  'ур',
  'диль',
  'да',
  'ор',
  'аз',
  'кар',
  'бек',
  'ай',
  'гуль',
  'нур',
  'жан',
  'сер',
  'ик',
  'мар',
  'ат',
  'тим',
  'ер',
  'лан',
  'са',
  'ку',
  'та',
  'ли',
  'му',
  'ра',
  'бо',
];
const CITIES = [
  ['Synthcity', 'Синтград'],
  ['Testopol', 'Тестополь'],
  ['Mockstan', 'Мокстан'],
  ['Fakeabad', 'Фейкабад'],
] as const;
const FACILITY_KINDS = [
  ['pretrial_detention', 'SIZO', 'СИЗО', 'pre-trial detention centre', 'следственный изолятор'],
  ['temporary_detention_isolator', 'IVS', 'ИВС', 'temporary detention isolator', 'изолятор временного содержания'],
  ['police_station', 'OP', 'ОП', 'police station', 'отдел полиции'],
  ['penal_colony', 'IK', 'ИК', 'correctional colony', 'исправительная колония'],
] as const;
const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const MONTHS_RU = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];
const RELATIVES = [
  ['My brother', 'брат'],
  ['My son', 'сын'],
  ['My husband', 'муж'],
  ['My nephew', 'племянник'],
  ['My father', 'отец'],
] as const;
const PHRASES = [
  'он сказал на свидании',
  'we could not reach a lawyer',
  'следы на теле',
  'the investigator refused to register the complaint',
  'адвоката не пустили',
  'he was made to sign a confession',
  'угрожали семье',
  'no medical examination was done',
  'в подвальном помещении',
  'the guards covered his head',
  'ночью, без записи в журнале',
  'we filed a complaint to the prosecutor',
];
/** Act kinds the generator uses: the whole vocabulary except `other` (which would need a description). */
const KINDS = ACT_KINDS.filter((k) => k.id !== 'other');
const RELIABILITY = ['B', 'C', 'D', 'E', 'F'] as const;
const CREDIBILITY = ['2', '3', '4', '5', '6'] as const;
const CUSTODY = ['in_custody', 'released', 'unknown'] as const;
const RISK = ['low', 'low', 'medium', 'high'] as const;

const pad = (n: number, w = 6) => String(n).padStart(w, '0');
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Yields the dataset's import lines: the facilities first, then for each allegation its victim,
 * its source and the allegation itself (which refers to both, and to a facility, by external id).
 */
export function* generateDataset(opts: DatasetOptions): Generator<DatasetLine> {
  const rnd = mulberry32(opts.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => must(xs[Math.floor(rnd() * xs.length)], 'element to pick');
  const prefix = `syn:s${opts.seed}`;
  const nFacilities = opts.facilities ?? 12;

  const facilities: Array<{ key: string; name: string; code: string; codeRu: string }> = [];
  for (let f = 1; f <= nFacilities; f++) {
    const [kind, abbr, abbrRu, kindEn, kindRu] = pick(FACILITY_KINDS);
    const [city, cityRu] = pick(CITIES);
    const code = `SYN-${abbr}-${f}`;
    const codeRu = `СИН-${abbrRu}-${f}`;
    const name = `SYNTHETIC facility ${f} (${kindEn}, ${city})`;
    const key = `${prefix}:facility:${pad(f, 3)}`;
    facilities.push({ key, name, code, codeRu });
    yield {
      type: 'facility',
      externalId: key,
      name,
      nameRu: `СИНТЕТИЧЕСКИЙ объект №${f}: ${kindRu} (${cityRu})`,
      kind,
      code,
      aliases: [code, codeRu, `${abbrRu} ${codeRu}`, `SYNTHETIC ${abbr} ${f}`],
      authority: 'SYNTHETIC ministry of synthetic affairs',
      region: `SYNTHETIC region ${1 + (f % 4)}`,
      city,
      country: 'KZ',
      capacity: int(50, 2000),
      cells: int(10, 300),
      notes: 'SYNTHETIC facility generated by bench/generate.ts for benchmarks; it does not exist.',
    };
  }

  const word = (syllables: readonly string[], lo: number, hi: number) => {
    let w = '';
    for (let i = int(lo, hi); i > 0; i--) w += pick(syllables);
    return cap(w);
  };
  const personName = () => {
    const cyr = rnd() < 0.5;
    const s = cyr ? CYRILLIC_SYLLABLES : LATIN_SYLLABLES;
    const female = rnd() < 0.3;
    const suffix = cyr ? (female ? 'ова' : 'ов') : female ? 'ova' : 'ov';
    return `${word(s, 2, 3)} ${word(s, 2, 3)}${suffix}`;
  };

  for (let n = 1; n <= opts.allegations; n++) {
    const id = pad(n);
    const personKey = `${prefix}:person:${id}`;
    const sourceKey = `${prefix}:source:${id}`;
    const facility = must(facilities[int(0, facilities.length - 1)], 'facility');

    // The victim: an identity sealed on import; the notes say it is synthetic.
    const identity: Record<string, string> = {
      name: personName(),
      notes: `SYNTHETIC person ${n}, generated by bench/generate.ts (seed ${opts.seed}).`,
    };
    if (rnd() < 0.5) identity.birthDate = String(int(1960, 2004));
    yield {
      type: 'person',
      externalId: personKey,
      roles: ['victim'],
      custody: pick(CUSTODY),
      risk: pick(RISK),
      identity,
    };

    // What happened, and when, as precisely as known.
    const nActs = int(1, 3);
    const acts: Array<(typeof KINDS)[number]> = [];
    while (acts.length < nActs) {
      const k = pick(KINDS);
      if (!acts.includes(k)) acts.push(k);
    }
    const y = int(2018, 2024);
    const m = int(1, 12);
    const mm = String(m).padStart(2, '0');
    const last = daysIn(y, m);
    const precision = pick(['day', 'day', 'month', 'part_of_month', 'year'] as const);
    let period: Record<string, string>;
    let whenEn: string;
    let whenRu: string;
    if (precision === 'day') {
      const d = `${y}-${mm}-${String(int(1, last)).padStart(2, '0')}`;
      period = { start: d, end: d, precision };
      whenEn = `on ${d}`;
      whenRu = d;
    } else if (precision === 'month') {
      period = { start: `${y}-${mm}`, end: `${y}-${mm}`, precision };
      whenEn = `in ${MONTHS_EN[m - 1]} ${y}`;
      whenRu = `в ${MONTHS_RU[m - 1]} ${y}`;
    } else if (precision === 'part_of_month') {
      whenEn = `end of ${MONTHS_EN[m - 1]} ${y}`;
      whenRu = `в конце ${MONTHS_RU[m - 1]} ${y}`;
      period = { start: `${y}-${mm}-21`, end: `${y}-${mm}-${last}`, precision, text: whenEn };
    } else {
      period = { start: String(y), end: String(y), precision };
      whenEn = `in ${y}`;
      whenRu = `в ${y} году`;
    }
    const actsEn = acts.map((a) => a.en.toLowerCase()).join(', ');
    const actsRu = acts.map((a) => a.ru.toLowerCase()).join(', ');

    // The source: a relative's report or a social-media post, mixing Russian and English.
    const social = rnd() < 0.4;
    const [rel, relRu] = pick(RELATIVES);
    const lang = rnd() < 0.6 ? 'ru' : 'en';
    const content =
      `SYNTHETIC ${social ? 'post' : 'report'} #${n}, generated for benchmarks. ${rel} (${relRu}) was held at ${facility.name} (${facility.codeRu}) ${whenEn}. ` +
      `${cap(actsRu)} — ${actsEn}. ${cap(pick(PHRASES))}; ${pick(PHRASES)}. ${cap(whenRu)}: ${pick(PHRASES)}.`;
    const source: DatasetLine = {
      type: 'source',
      externalId: sourceKey,
      kind: social ? 'social_media_post' : 'relative_report',
      title: `SYNTHETIC ${social ? 'social media post' : 'relative report'} ${n}: ${must(acts[0], 'first act').en.toLowerCase()} at ${facility.code}`,
      language: lang,
      publishedAt: `${y}-${mm}`,
      reliability: pick(RELIABILITY),
      credibility: pick(CREDIBILITY),
      content,
    };
    if (social) {
      source.handle = `@syn_user_${int(1, 99_999)}`;
      source.outlet = 'SYNTHETIC social network';
      source.url = `https://social.example/syn/${opts.seed}/${n}`;
    }
    yield source;

    yield {
      type: 'allegation',
      externalId: `${prefix}:allegation:${id}`,
      title: `SYNTHETIC allegation ${n}: ${actsEn} at ${facility.code}`,
      summary: `SYNTHETIC. A detainee reports ${actsEn} ${whenEn} at ${facility.name}; ${actsRu} (${facility.codeRu}).`,
      period,
      facilityId: facility.key,
      acts: acts.map((a) => ({ kind: a.id })),
      victims: [{ personId: personKey }],
      sources: [{ sourceId: sourceKey, relation: 'reports' }],
      consent: ['record'],
      risk: pick(RISK),
    };
  }
}

/** Writes the dataset as JSON Lines to `file`, streamed with backpressure. Returns lines and bytes written. */
export async function writeDataset(
  file: string,
  opts: DatasetOptions,
  onLine?: (lines: number) => void,
): Promise<{ lines: number; bytes: number }> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const out = fs.createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  let lines = 0;
  let bytes = 0;
  let chunk = '';
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed]);
  };
  for (const line of generateDataset(opts)) {
    chunk += `${JSON.stringify(line)}\n`;
    lines += 1;
    if (chunk.length >= 1 << 16) {
      await write(chunk);
      chunk = '';
      onLine?.(lines);
    }
  }
  if (chunk) await write(chunk);
  onLine?.(lines);
  await Promise.race([new Promise<void>((r) => out.end(r)), failed]);
  return { lines, bytes };
}

/** Generates with a progress bar (for the benchmarks and the CLI). */
export async function writeDatasetWithProgress(
  file: string,
  opts: DatasetOptions,
): Promise<{ lines: number; bytes: number; ms: number }> {
  const total = datasetCounts(opts).lines;
  const bar = progressBar('generate (lines)', total);
  const t0 = performance.now();
  try {
    const r = await writeDataset(file, opts, (n) => bar.update(n));
    return { ...r, ms: performance.now() - t0 };
  } finally {
    bar.stop();
  }
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const out = args.get('out');
  if (!out || args.has('help')) {
    console.error('usage: tsx bench/generate.ts --allegations N [--seed S] [--facilities F] --out FILE.jsonl');
    process.exit(args.has('help') ? 0 : 2);
  }
  const opts: DatasetOptions = {
    allegations: intArg(args, 'allegations', 200_000),
    seed: intArg(args, 'seed', 1),
    facilities: intArg(args, 'facilities', 12),
  };
  const r = await writeDatasetWithProgress(out, opts);
  const c = datasetCounts(opts);
  console.log(
    `SYNTHETIC dataset (seed ${opts.seed}): ${fmtInt(r.lines)} lines — ${fmtInt(c.facility)} facilities, ${fmtInt(c.person)} people, ` +
      `${fmtInt(c.source)} sources, ${fmtInt(c.allegation)} allegations — ${(r.bytes / 1e6).toFixed(1)} MB in ${(r.ms / 1000).toFixed(1)} s → ${out}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
