/**
 * `npm run eval:extract [-- --json] [-- DIR ...]`: scores the extractor against every expected.json
 * under test/articles/ and ../shared/scenarios/ (skipped when absent), or under the given folders.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultArticles, evaluate, findArticles, formatReport, summarize, prf } from '../src/extract/eval/run.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const dirs = args.filter((a) => !a.startsWith('--'));
const articles = dirs.length
  ? dirs.flatMap((d) => findArticles(path.resolve(d), path.basename(d)))
  : defaultArticles(repoRoot);
if (articles.length === 0) {
  process.stderr.write('eval:extract: no article folders with article.txt and expected.json found\n');
  process.exit(2);
}
const results = evaluate(articles);
if (json) {
  const sets = [...new Set(results.map((r) => r.set))];
  process.stdout.write(
    `${JSON.stringify(
      {
        sets: Object.fromEntries(
          sets.map((s) => {
            const sum = summarize(results.filter((r) => r.set === s));
            return [s, { ...sum, ...prf(sum.total) }];
          }),
        ),
        articles: results,
      },
      null,
      1,
    )}\n`,
  );
} else process.stdout.write(`${formatReport(results)}\n`);
