import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDialect, freshDatabaseConfig } from '../support/databases.ts';
import { cliEnv } from '../support/cli.ts';

describeEachDialect('vigil serve at start', (dialect) => {
  it('removes partial uploads older than a day, says so, and leaves a recent one alone', {
    timeout: 120_000,
  }, async () => {
    const db = await freshDatabaseConfig(dialect);
    const cli = cliEnv(db.config);
    try {
      const incoming = path.join(cli.dir, 'blobs', '.incoming');
      fs.mkdirSync(incoming, { recursive: true });
      const old = path.join(incoming, 'cut-off.part');
      const recent = path.join(incoming, 'in-progress.part');
      fs.writeFileSync(old, 'x'.repeat(1000));
      fs.writeFileSync(recent, 'y');
      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
      fs.utimesSync(old, twoDaysAgo, twoDaysAgo);

      const server = cli.spawn(['serve', '--port', '0']);
      let stderr = '';
      server.stderr?.on('data', (b: Buffer) => {
        stderr += b.toString();
      });
      const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
      try {
        await expect.poll(() => stderr, { timeout: 90_000, interval: 100 }).toMatch(/Vigil on http/);
      } finally {
        server.kill('SIGTERM');
        await exited;
      }
      expect(stderr).toContain(
        'evidence: removed 1 partial upload(s) older than a day (1000 bytes), left by an upload that was cut off\n',
      );
      expect(fs.existsSync(old)).toBe(false);
      expect(fs.existsSync(recent)).toBe(true);
    } finally {
      cli.cleanup();
      await db.drop();
    }
  });
});
