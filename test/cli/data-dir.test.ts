import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDialect, freshDatabaseConfig } from '../support/databases.ts';
import { cliEnv } from '../support/cli.ts';

describeEachDialect('a missing data directory', (dialect) => {
  it('is refused by every command but those that set an instance up, which create it', {
    timeout: 180_000,
  }, async () => {
    const db = await freshDatabaseConfig(dialect);
    const cli = cliEnv(db.config);
    const missing = path.join(cli.dir, 'not-here');
    cli.env.VIGIL_DATA_DIR = missing;
    if (dialect === 'sqlite') cli.env.DATABASE_URL = '';
    try {
      for (const args of [['verify'], ['export'], ['user', 'list'], ['key', 'show'], ['backup', 'x.backup']]) {
        const r = cli.run(args);
        expect([args.join(' '), r.code, r.stdout]).toEqual([args.join(' '), 2, '']);
        expect(r.stderr).toBe(
          `error: VIGIL_DATA_DIR: no Vigil data directory at ${missing}: set VIGIL_DATA_DIR to the instance's data directory, or run this where its data/ is (vigil serve, demo, import and user add create one)\n`,
        );
        expect(fs.existsSync(missing)).toBe(false);
      }
      const demo = cli.run(['demo']);
      expect(demo.code, demo.stderr).toBe(0);
      expect(fs.existsSync(missing)).toBe(true);
      const verify = cli.run(['verify']);
      expect(verify.code, verify.stderr).toBe(0);
    } finally {
      cli.cleanup();
      await db.drop();
    }
  });
});
