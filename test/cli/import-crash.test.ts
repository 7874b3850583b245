import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openStore } from '../../src/store/database.ts';
import { describeEachDialect, freshDatabaseConfig } from '../support/databases.ts';
import { cliEnv } from '../support/cli.ts';
import { syntheticJsonl } from '../support/synthetic-lines.ts';

// With a victim and a source each, plus one facility: 15,001 records, 31 batches of 500 lines. Enough to
// be killed mid-file with batches committed before and after the kill; the import benchmark
// (`npm run bench -- import`) measures the large sizes.
const ALLEGATIONS = 5_000;

async function countRecords(config: Parameters<typeof openStore>[0]) {
  const store = await openStore(config, { migrate: false });
  try {
    const n = async (t: 'allegation' | 'person' | 'source' | 'facility') =>
      Number((await store.db.selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    return {
      allegation: await n('allegation'),
      person: await n('person'),
      source: await n('source'),
      facility: await n('facility'),
    };
  } catch {
    return { allegation: 0, person: 0, source: 0, facility: 0 };
  } finally {
    await store.close();
  }
}

describeEachDialect('kill -9 during import', (dialect) => {
  it('keeps every record exactly once after a re-run, and the audit chain verifies', { timeout: 600_000 }, async () => {
    const db = await freshDatabaseConfig(dialect);
    const cli = cliEnv(db.config);
    try {
      const file = path.join(cli.dir, 'records.jsonl');
      fs.writeFileSync(file, syntheticJsonl(ALLEGATIONS));
      const child = cli.spawn(['import', file]);
      // Wait until some batches are committed, then kill without warning, mid-batch.
      const started = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        const c = await countRecords(db.config);
        if (c.allegation > 1000 || Date.now() - started > 120_000) break;
      }
      child.kill('SIGKILL');
      await once(child, 'exit');
      const partial = await countRecords(db.config);
      expect(partial.allegation).toBeGreaterThan(0);
      expect(partial.allegation).toBeLessThan(ALLEGATIONS);

      // A shared CI machine may be slow: the re-run imports most of the file again.
      const rerun = cli.run(['import', file], { timeoutMs: 300_000 });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stdout).toMatch(/0 rejected/);
      expect(await countRecords(db.config)).toEqual({
        allegation: ALLEGATIONS,
        person: ALLEGATIONS,
        source: ALLEGATIONS,
        facility: 1,
      });
      const v = cli.run(['verify'], { timeoutMs: 300_000 });
      expect(v.code, v.stdout).toBe(0);
      expect(v.stdout).toMatch(/^ok: \d+ entries, \d+ records, \d+ signed heads \(key [0-9a-f]{16}\)\n$/);
    } finally {
      cli.cleanup();
      await db.drop();
    }
  });
});
