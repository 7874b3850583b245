import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect, freshDatabaseConfig } from '../support/databases.ts';
import { cliEnv } from '../support/cli.ts';

describeEachDialect('a missing or different identity key', (dialect) => {
  it('serve, verify and every command that opens sealed data refuse with exit 2 and one line; backup needs no key', {
    timeout: 180_000,
  }, async () => {
    const db = await freshDatabaseConfig(dialect);
    const cli = cliEnv(db.config);
    delete cli.env.VIGIL_KEY;
    const keyFile = path.join(cli.dir, 'vigil.key');
    try {
      const people = path.join(cli.dir, 'people.jsonl');
      fs.writeFileSync(
        people,
        `${JSON.stringify({ type: 'person', externalId: 'p-1', roles: ['victim'], identity: { name: 'Sealed Person' } })}\n`,
      );
      expect(cli.run(['import', people]).code).toBe(0);
      const shown = cli.run(['key', 'show', '--format', 'identity-fingerprint']);
      expect(shown.stdout).toMatch(/^[0-9a-f]{64}\n$/);
      expect(cli.run(['key', 'show']).stdout).toContain(
        `fingerprint: ${shown.stdout.trim()} (key id ${shown.stdout.slice(0, 16)})`,
      );

      // A restored database without its key: refused, and no new key is made for it.
      fs.renameSync(keyFile, `${keyFile}.away`);
      for (const args of [['verify'], ['export'], ['serve', '--port', '0']]) {
        const r = cli.run(args, { timeoutMs: 60_000 });
        expect([args[0], r.code]).toEqual([args[0], 2]);
        expect(r.stderr).toMatch(
          /^error: key\.missing: no identity key: .*vigil\.key does not exist and VIGIL_KEY is not set, but this database holds sealed values \(key fingerprint [0-9a-f]{16}\); restore the key it was sealed with\n$/,
        );
      }
      expect(fs.existsSync(keyFile)).toBe(false);
      expect(cli.run(['backup', path.join(cli.dir, 'copy.backup')]).code).toBe(0);

      // Another key: refused the same way, from the environment or from the file.
      const other = randomBytes(32);
      for (const env of [{ VIGIL_KEY: other.toString('hex') }, {}]) {
        if (!('VIGIL_KEY' in env)) fs.writeFileSync(keyFile, `${other.toString('base64')}\n`, { mode: 0o600 });
        Object.assign(cli.env, env);
        for (const args of [['verify'], ['import', people], ['serve', '--port', '0']]) {
          const r = cli.run(args, { timeoutMs: 60_000 });
          expect([args[0], r.code]).toEqual([args[0], 2]);
          expect(r.stderr).toMatch(
            /^error: key\.mismatch: the identity key in (VIGIL_KEY|.*vigil\.key) \(fingerprint [0-9a-f]{16}\) is not the key this database was sealed with \(fingerprint [0-9a-f]{16}\)\n$/,
          );
        }
        delete cli.env.VIGIL_KEY;
      }

      fs.renameSync(`${keyFile}.away`, keyFile);
      const ok = cli.run(['verify']);
      expect(ok.code, ok.stderr).toBe(0);
    } finally {
      cli.cleanup();
      await db.drop();
    }
  });
});
