/**
 * Need-to-know benchmark: `npm run bench -- need-to-know [--allegations 100000] [--confidential 10] [--runs 7]`
 *
 * Loads the SYNTHETIC dataset (bench/generate.ts; each allegation with one victim and one
 * source) into a fresh SQLite store through the real import, then marks `--confidential` percent
 * of the allegations confidential (straight in SQL: a benchmark fixture, not a Vigil change) and
 * puts an analyst on the team of a tenth of those. For each read, the median of `--runs` runs:
 * - BASELINE: the same repository call for Vigil's own work (no viewer: no need-to-know condition);
 * - MEASURED: the call for that analyst, with the condition along links (src/domain/policy.ts).
 * Prints both and the ratio measured / baseline (the cost of the policy on that read).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { SYSTEM, type Actor } from '../src/services/context.ts';
import { limitedViewer, may } from '../src/services/policy.ts';
import { search } from '../src/services/search.service.ts';
import { statistics } from '../src/services/statistics.service.ts';
import { addUser } from '../src/services/user.service.ts';
import { listAllegations } from '../src/store/repositories/allegation.repository.ts';
import { listPeople, listProceedings, listSources } from '../src/store/repositories/case-read.repository.ts';
import { fmtInt, intArg, must, parseArgs } from './lib/args.ts';
import { syntheticStore } from './lib/synthetic-store.ts';

const args = parseArgs(process.argv.slice(2));
const allegations = intArg(args, 'allegations', 100_000);
const confidentialPct = intArg(args, 'confidential', 10);
const runs = intArg(args, 'runs', 7);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-ntk-'));

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return must(times.sort((a, b) => a - b)[Math.floor(times.length / 2)], 'median time');
}

async function main() {
  console.log(
    `Vigil need-to-know benchmark — SYNTHETIC data, ${fmtInt(allegations)} allegations, ${confidentialPct}% confidential, SQLite, median of ${runs}, Node ${process.version}, ${os.availableParallelism()} CPUs`,
  );
  const svc = await syntheticStore(dir, allegations);
  const store = svc.store;

  const db = store.db;
  const analyst = await addUser(svc, SYSTEM, { username: 'bench-analyst', role: 'analyst' });
  const viewer: Actor = { id: analyst.id, role: 'analyst' };
  const everyNth = Math.max(1, Math.round(100 / Math.max(confidentialPct, 1)));
  await sql`UPDATE allegation SET sensitivity = 'confidential' WHERE (abs(random()) % ${everyNth}) = 0`.execute(db);
  const hidden = await db.selectFrom('allegation').select('id').where('sensitivity', '=', 'confidential').execute();
  const team = hidden.filter((_, i) => i % 10 === 0);
  for (const [i, a] of team.entries()) {
    await db
      .insertInto('allegation_assignment')
      .values({
        id: `bench-${i}`,
        external_id: null,
        allegation_id: a.id,
        user_id: analyst.id,
        created_at: '2026-01-01',
        updated_at: '2026-01-01',
        version: 1,
      })
      .execute();
  }
  console.log(
    `fixture   ${fmtInt(hidden.length)} confidential allegations, the analyst on ${fmtInt(team.length)} of their teams`,
  );
  const victim = (
    await db
      .selectFrom('allegation_person')
      .select('person_id')
      .where('allegation_id', '=', must(hidden[0], 'hidden allegation').id)
      .executeTakeFirstOrThrow()
  ).person_id;
  const midPseudonym = (
    await db
      .selectFrom('person')
      .select('pseudonym')
      .orderBy('pseudonym')
      .offset(Math.floor(allegations / 2))
      .limit(1)
      .executeTakeFirstOrThrow()
  ).pseudonym;

  const v = limitedViewer(viewer);
  const cases: Array<[string, (visibleTo: string | undefined, who: Actor) => Promise<unknown>]> = [
    ['allegations, first page of 50', (visibleTo) => listAllegations(db, { limit: 50, visibleTo })],
    ['people, first page of 50', (visibleTo) => listPeople(db, { limit: 50, visibleTo })],
    ['people, a page in the middle', (visibleTo) => listPeople(db, { limit: 50, after: midPseudonym, visibleTo })],
    ['sources, first page of 50', (visibleTo) => listSources(db, { limit: 50, visibleTo })],
    ['proceedings, first page of 50', (visibleTo) => listProceedings(db, { limit: 50, visibleTo })],
    ['one person by id (policy check)', (_v, who) => may(db, who, 'read', 'person', victim)],
    ['staff statistics', (_v, who) => statistics(svc, who)],
    ['search, broad term', (_v, who) => search(svc, { q: 'SYNTHETIC', limit: 20 }, who)],
  ];
  console.log(`${'read'.padEnd(34)} ${'baseline'.padStart(10)} ${'measured'.padStart(10)} ${'ratio'.padStart(7)}`);
  for (const [name, fn] of cases) {
    const base = await median(() => fn(undefined, SYSTEM));
    const measured = await median(() => fn(v, viewer));
    console.log(
      `${name.padEnd(34)} ${`${base.toFixed(2)} ms`.padStart(10)} ${`${measured.toFixed(2)} ms`.padStart(10)} ${(measured / Math.max(base, 0.001)).toFixed(2).padStart(7)}`,
    );
  }
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
