/**
 * The evaluation: every `expected.json` under test/articles/ and ../shared/scenarios/ (beside its
 * article.txt) is compared with the extraction of that article; precision, recall and F1 per field
 * and overall (micro-averaged: the sums of true/false positives and false negatives).
 */
import fs from 'node:fs';
import path from 'node:path';
import { extract } from '../extract.ts';
import { FACT_FIELDS, type FactField } from '../types.ts';
import { scoreArticle, type Tally } from './match.ts';

/** One article of an evaluation set. */
export interface EvalArticle {
  set: string;
  slug: string;
  dir: string;
}

/** Article folders (with article.txt and expected.json) under `root`, sorted by name; [] when absent. */
export function findArticles(root: string, set: string): EvalArticle[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter(
      (d) =>
        d.isDirectory() &&
        fs.existsSync(path.join(root, d.name, 'expected.json')) &&
        fs.existsSync(path.join(root, d.name, 'article.txt')),
    )
    .map((d) => ({ set, slug: d.name, dir: path.join(root, d.name) }))
    .sort((a, b) => a.slug.localeCompare(b.slug));
}

/** The development set and the scenarios of a repository root. */
export function defaultArticles(repoRoot: string): EvalArticle[] {
  return [
    ...findArticles(path.join(repoRoot, 'test', 'articles'), 'dev'),
    ...findArticles(path.resolve(repoRoot, '..', 'shared', 'scenarios'), 'scenario'),
  ];
}

/** Precision, recall and F1 of a tally (1 when there was nothing to find and nothing proposed). */
export function prf(t: Tally): { p: number; r: number; f1: number } {
  const p = t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp);
  const r = t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn);
  const f1 = p + r === 0 ? 0 : (2 * p * r) / (p + r);
  return { p, r, f1 };
}

/** Scores of one article. */
export interface ArticleResult extends EvalArticle {
  fields: Record<FactField, Tally>;
  total: Tally;
}

const add = (a: Tally, b: Tally): Tally => ({ tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn });
const zero = (): Tally => ({ tp: 0, fp: 0, fn: 0 });

/** Extracts and scores each article. */
export function evaluate(articles: EvalArticle[]): ArticleResult[] {
  return articles.map((a) => {
    const text = fs.readFileSync(path.join(a.dir, 'article.txt'), 'utf8');
    const expected = JSON.parse(fs.readFileSync(path.join(a.dir, 'expected.json'), 'utf8')) as Record<string, unknown>;
    const scores = scoreArticle(expected, extract(text));
    const fields = {} as Record<FactField, Tally>;
    let total = zero();
    for (const f of FACT_FIELDS) {
      const { tp, fp, fn } = scores[f];
      fields[f] = { tp, fp, fn };
      total = add(total, fields[f]);
    }
    return { ...a, fields, total };
  });
}

/** Field tallies summed over articles, and the overall tally. */
export function summarize(results: ArticleResult[]): { fields: Record<FactField, Tally>; total: Tally } {
  const fields = Object.fromEntries(FACT_FIELDS.map((f) => [f, zero()])) as Record<FactField, Tally>;
  let total = zero();
  for (const r of results) {
    for (const f of FACT_FIELDS) fields[f] = add(fields[f], r.fields[f]);
    total = add(total, r.total);
  }
  return { fields, total };
}

const pct = (x: number) => x.toFixed(3);

/** The printed report: a per-field table for each set, then one line per article. */
export function formatReport(results: ArticleResult[]): string {
  const lines: string[] = [];
  const sets = [...new Set(results.map((r) => r.set))];
  for (const set of sets) {
    const rs = results.filter((r) => r.set === set);
    const s = summarize(rs);
    lines.push(`${set} (${rs.length} article${rs.length === 1 ? '' : 's'})`);
    lines.push(
      `  ${'field'.padEnd(22)} ${'tp'.padStart(4)} ${'fp'.padStart(4)} ${'fn'.padStart(4)}  ${'P'.padStart(5)}  ${'R'.padStart(5)}  ${'F1'.padStart(5)}`,
    );
    const row = (name: string, t: Tally) => {
      const { p, r, f1 } = prf(t);
      lines.push(
        `  ${name.padEnd(22)} ${String(t.tp).padStart(4)} ${String(t.fp).padStart(4)} ${String(t.fn).padStart(4)}  ${pct(p)}  ${pct(r)}  ${pct(f1)}`,
      );
    };
    for (const f of FACT_FIELDS) row(f, s.fields[f]);
    row('OVERALL', s.total);
    lines.push('');
  }
  lines.push('per article');
  for (const r of results) {
    const { p, r: rec, f1 } = prf(r.total);
    const worst = FACT_FIELDS.filter((f) => r.fields[f].fp + r.fields[f].fn > 0)
      .map((f) => `${f}:${r.fields[f].tp}/${r.fields[f].tp + r.fields[f].fp}/${r.fields[f].tp + r.fields[f].fn}`)
      .join(' ');
    lines.push(`  ${r.set.padEnd(8)} ${r.slug.padEnd(42)} P ${pct(p)}  R ${pct(rec)}  F1 ${pct(f1)}  ${worst}`);
  }
  return lines.join('\n');
}
