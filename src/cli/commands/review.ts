import fs from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { VigilError } from '../../domain/errors.ts';
import type { Services } from '../../services/context.ts';
import type { ProposedFactView } from '../../services/extraction-review.service.ts';

// Loaded when a review command runs: the queue's service, the store and jsdom would slow every other command.
const reviewService = () => import('../../services/extraction-review.service.ts');
const runtime = () => import('../runtime.ts');

const MAX_FILE_BYTES = 5 * 1024 * 1024;
const out = (line: string) => process.stdout.write(`${line}\n`);

/** One line of the queue: id, status, field, confidence, the words, and the record once decided. */
function factLine(f: ProposedFactView): string {
  const words = f.words.replace(/\s+/g, ' ');
  const shown = words.length > 80 ? `${words.slice(0, 77)}…` : words;
  const record = f.recordType ? `\t→ ${f.recordType} ${f.recordId}` : '';
  return `${f.id}\t${f.status}\t${f.field}\t${f.confidence.toFixed(2)}\t[${f.span.start}–${f.span.end}] ${shown}${record}`;
}

/** `--set key=value`: a JSON value when it parses as one (numbers, lists), else the text as it is. */
function setting(raw: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('must be key=value');
  const key = raw.slice(0, eq).trim();
  const text = raw.slice(eq + 1);
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // not JSON: the plain text is the value
  }
  return { ...previous, [key]: value };
}

/** The text of an article file: plain text, or the readable text of an HTML page. */
async function readArticle(file: string): Promise<{ text: string; title: string | null }> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw new VigilError('validation.invalid', `no such file: ${file}`, { path: 'file' });
  if (fs.statSync(file).size > MAX_FILE_BYTES)
    throw new VigilError('validation.invalid', `${file} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`, {
      path: 'file',
    });
  const raw = fs.readFileSync(file);
  if (raw.includes(0)) throw new VigilError('validation.invalid', `${file} is not a text file`, { path: 'file' });
  const text = raw.toString('utf8');
  if (/\.x?html?$/i.test(file) || /^\s*(?:<!doctype html|<html)/i.test(text)) {
    const { articleText } = await import('../../services/extract.service.ts');
    return articleText(text);
  }
  return { text, title: null };
}

async function show(svc: Services, id: string): Promise<void> {
  const [{ getExtraction, getFact }, { consoleActor }] = await Promise.all([reviewService(), runtime()]);
  const actor = consoleActor();
  const run = await getExtraction(svc, actor, id).catch((err: unknown) => {
    if (err instanceof VigilError && err.code === 'record.not_found') return undefined;
    throw err;
  });
  if (!run) {
    const f = await getFact(svc, actor, id);
    out(factLine(f));
    out(`payload\t${JSON.stringify(f.payload)}`);
    if (f.edits) out(`edits\t${JSON.stringify(f.edits)}`);
    if (f.decidedBy) out(`decided\t${f.decidedAt} by ${f.decidedBy}${f.decisionReason ? `: ${f.decisionReason}` : ''}`);
    out(`version\t${f.version}`);
    return;
  }
  out(`${run.id}\t${run.title ?? '(no title)'}\t${run.url ?? ''}`);
  out(
    `language ${run.language}, ${run.text.length} characters, extractor ${run.extractorVersion}, source ${run.sourceId ?? 'none yet'}`,
  );
  const c = run.facts;
  out(`facts: ${c.proposed} proposed, ${c.accepted} accepted, ${c.edited} edited, ${c.rejected} rejected`);
  for (const f of run.items) out(factLine(f));
}

async function decide(
  svc: Services,
  id: string,
  decision: 'accept' | 'reject',
  opts: { set?: Record<string, unknown>; reason?: string },
): Promise<void> {
  const [{ decideFact, getFact, OPTION_KEYS }, { consoleActor }] = await Promise.all([reviewService(), runtime()]);
  const actor = consoleActor();
  const fact = await getFact(svc, actor, id);
  const edits = opts.set ?? {};
  // Setting a field of the fact itself corrects it (an edit); the other keys only add what the record needs.
  const changes = decision === 'accept' && Object.keys(edits).some((k) => !OPTION_KEYS.has(k));
  const r = await decideFact(svc, actor, fact.id, {
    decision: changes ? 'edit' : decision,
    version: fact.version,
    ...(Object.keys(edits).length > 0 ? { edits } : {}),
    ...(opts.reason ? { reason: opts.reason } : {}),
  });
  out(`${r.id}\t${r.status}${r.recordType ? `\t→ ${r.recordType} ${r.recordId}` : ''}`);
}

/** `vigil review …`: the review queue at the console (docs/review-queue.md); `argv` is the command line after `vigil`. */
export async function registerReview(program: Command, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const review = program
    .command('review')
    .description('the review queue: facts proposed from articles, each accepted, edited or rejected by a person');
  // The choices come from the queue's service, loaded only when the command line names the review command.
  const status = new Option('--status <status>', 'which facts').default('proposed');
  const field = new Option('--field <field>', 'only facts of this field');
  if (argv.includes('review')) {
    const { FACT_STATUSES, REVIEW_FIELDS } = await reviewService();
    status.choices([...FACT_STATUSES, 'all']);
    field.choices([...REVIEW_FIELDS]);
  }

  review
    .command('add')
    .description('propose facts from an article file (text or HTML) into the queue; records nothing yet')
    .argument('<file>', 'the article')
    .option('--url <url>', 'where the article was published (kept on its Source)')
    .option('--title <title>', 'its title (default: the page title or first line)')
    .action(async (file: string, opts: { url?: string; title?: string }) => {
      const { text, title } = await readArticle(file);
      const [{ proposeFromText }, { consoleActor, withServices }] = await Promise.all([reviewService(), runtime()]);
      const t = opts.title ?? title ?? undefined;
      const r = await withServices((svc) =>
        proposeFromText(svc, consoleActor(), {
          text,
          ...(opts.url ? { url: opts.url } : {}),
          ...(t ? { title: t } : {}),
        }),
      );
      out(
        `${r.id}\t${r.created ? `${r.facts} facts proposed` : `already proposed (${r.facts} facts)`}: vigil review show ${r.id}`,
      );
    });

  review
    .command('list')
    .description('facts waiting for a decision (or in another status)')
    .addOption(status)
    .option('--run <id>', 'only the facts of this run')
    .addOption(field)
    .action(async (opts: { status: string; run?: string; field?: string }) => {
      const [{ listQueue }, { consoleActor, withServices }] = await Promise.all([reviewService(), runtime()]);
      const facts = await withServices((svc) =>
        listQueue(svc, consoleActor(), {
          status: opts.status,
          ...(opts.run ? { extractionId: opts.run } : {}),
          ...(opts.field ? { field: opts.field } : {}),
          limit: 1000,
        }),
      );
      for (const f of facts) out(factLine(f));
      if (facts.length === 0) out(`no ${opts.status === 'all' ? '' : `${opts.status} `}facts`);
    });

  review
    .command('show')
    .description('a run (its facts, with their words) or one fact (its payload and decision)')
    .argument('<id>', 'run id or fact id')
    .action(async (id: string) => (await runtime()).withServices((svc) => show(svc, id)));

  review
    .command('accept')
    .description(
      "accept a fact: creates or links its record (the article's Source first); --set a field of the fact to correct it",
    )
    .argument('<fact>', 'fact id')
    .option(
      '--set <key=value>',
      'a correction (e.g. stance=denial) or what the record needs (asOf=2022-01, scope=Kazakhstan, link=ID); repeatable',
      setting,
    )
    .option('--reason <text>', 'why (kept in the audit log)')
    .action(async (id: string, opts: { set?: Record<string, unknown>; reason?: string }) =>
      (await runtime()).withServices((svc) => decide(svc, id, 'accept', opts)),
    );

  review
    .command('reject')
    .description('reject a fact (nothing is recorded; the decision is audited)')
    .argument('<fact>', 'fact id')
    .option('--reason <text>', 'why (kept in the audit log)')
    .action(async (id: string, opts: { reason?: string }) =>
      (await runtime()).withServices((svc) => decide(svc, id, 'reject', opts)),
    );
}
