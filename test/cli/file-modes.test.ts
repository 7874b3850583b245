import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openStore } from '../../src/store/database.ts';
import { describeEachDialect, freshDatabaseConfig } from '../support/databases.ts';
import { cliEnv } from '../support/cli.ts';

const modeOf = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describeEachDialect('files Vigil writes are 0600', (dialect) => {
  it('database, WAL and SHM, key file, exports, rejects, backups and the audit checkpoint', {
    timeout: 120_000,
  }, async () => {
    const db = await freshDatabaseConfig(dialect);
    const cli = cliEnv(db.config);
    delete cli.env.VIGIL_KEY;
    const oldUmask = process.umask(0o022);
    try {
      expect(cli.run(['demo']).code).toBe(0);
      expect(modeOf(path.join(cli.dir, 'vigil.key'))).toBe('600');

      const out = path.join(cli.dir, 'all.jsonl');
      expect(cli.run(['export', '--out', out]).code).toBe(0);
      expect(modeOf(out)).toBe('600');
      // An existing file others could read is made private before anything is written into it.
      const loose = path.join(cli.dir, 'loose.csv');
      fs.writeFileSync(loose, 'old\n', { mode: 0o644 });
      fs.chmodSync(loose, 0o644);
      expect(cli.run(['export', '--out', loose]).code).toBe(0);
      expect(modeOf(loose)).toBe('600');

      const bad = path.join(cli.dir, 'bad.jsonl');
      fs.writeFileSync(bad, '{"type":"person","roles":["nobody"]}\n');
      expect(cli.run(['import', bad]).code).toBe(2);
      expect(modeOf(path.join(cli.dir, 'bad.rejects.jsonl'))).toBe('600');

      const backup = path.join(cli.dir, 'backups', 'vigil.backup');
      const b = cli.run(['backup', backup]);
      expect(b.code, b.stderr).toBe(0);
      expect(modeOf(backup)).toBe('600');

      const v = cli.run(['verify']);
      expect(v.code, v.stderr).toBe(0);
      expect(modeOf(path.join(cli.dir, 'audit-checkpoint.json'))).toBe('600');

      if (db.config.dialect === 'sqlite') {
        const file = db.config.file;
        expect(modeOf(file)).toBe('600');
        // While the database is open and written, its WAL and SHM exist: private too.
        const store = await openStore(db.config);
        try {
          await store.db.updateTable('counter').set({ value: 1 }).where('name', '=', 'no such counter').execute();
          for (const f of [file, `${file}-wal`, `${file}-shm`]) expect([f, modeOf(f)]).toEqual([f, '600']);
        } finally {
          await store.close();
        }
        // A database made before Vigil set modes is made private when it is opened.
        fs.chmodSync(file, 0o644);
        expect(cli.run(['user', 'list']).code).toBe(0);
        expect(modeOf(file)).toBe('600');
      }
    } finally {
      process.umask(oldUmask);
      cli.cleanup();
      await db.drop();
    }
  });
});
