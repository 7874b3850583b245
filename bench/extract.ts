/**
 * Extraction benchmark: `npm run bench -- extract [--rounds 20]`
 *
 * - MEASURED: `extract(text)` over every article of the development set (every test/articles/SLUG/article.txt,
 *   plus ../shared/scenarios/ when present), read from disk each round; articles per second.
 * - BASELINE (the floor): reading the same files and splitting them into sentences and words with
 *   Intl.Segmenter, the least any extractor must do; articles per second.
 *
 * The figure is the ratio of the two (extraction / floor): the share of the floor's speed the
 * extractor keeps. Both are timed after one warm-up round, best round of N.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultArticles } from '../src/extract/eval/run.ts';
import { extract } from '../src/extract/extract.ts';
import { fmtInt, intArg, parseArgs } from './lib/args.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2));
const rounds = intArg(args, 'rounds', 20);
const files = defaultArticles(repoRoot).map((a) => path.join(a.dir, 'article.txt'));
if (files.length === 0) {
  console.error('bench extract: no articles under test/articles/');
  process.exit(2);
}

const sentenceSeg = new Intl.Segmenter('ru', { granularity: 'sentence' });
const wordSeg = new Intl.Segmenter('ru', { granularity: 'word' });

/** The floor: read, split into sentences, then words. Returns a count so the work is not optimised away. */
function floor(file: string): number {
  const text = fs.readFileSync(file, 'utf8');
  let n = 0;
  for (const s of sentenceSeg.segment(text)) for (const w of wordSeg.segment(s.segment)) if (w.isWordLike) n++;
  return n;
}

function measured(file: string): number {
  const e = extract(fs.readFileSync(file, 'utf8'));
  return e.facilities.length + e.statements.length + e.counts.length;
}

function best(fn: (f: string) => number): { ms: number; sink: number } {
  let sink = 0;
  for (const f of files) sink += fn(f); // warm-up
  let ms = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const f of files) sink += fn(f);
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, sink };
}

const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
const base = best(floor);
const ext = best(measured);
const aps = (ms: number) => (files.length / ms) * 1000;
console.log(`articles: ${files.length} (${fmtInt(bytes / 1024)} KiB), best of ${rounds} rounds`);
console.log(
  `floor (read + Intl.Segmenter sentences/words): ${fmtInt(aps(base.ms))} articles/s (${(base.ms / files.length).toFixed(2)} ms/article)`,
);
console.log(
  `extract:                                      ${fmtInt(aps(ext.ms))} articles/s (${(ext.ms / files.length).toFixed(2)} ms/article)`,
);
console.log(`ratio extract/floor: ${(aps(ext.ms) / aps(base.ms)).toFixed(3)}`);
