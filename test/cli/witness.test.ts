import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, freshDatabaseConfig, type FreshDatabase } from '../support/databases.ts';
import { cliEnv, type CliEnv } from '../support/cli.ts';
import { freePort, openInstance, runCli, witnessToken, type TestInstance } from '../support/witness.ts';

describeEachDialect('vigil witness and verify --witness', (dialect) => {
  let db: FreshDatabase;
  let cli: CliEnv;
  let partner: TestInstance | undefined;
  beforeEach(async () => {
    db = await freshDatabaseConfig(dialect);
    cli = cliEnv(db.config);
  });
  afterEach(async () => {
    await partner?.dispose();
    partner = undefined;
    cli.cleanup();
    await db.drop();
  });

  /** The CLI without blocking this process, which serves the partner. */
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { ...cli.env, ...env }, cli.dir);

  it('pushes to a witness file and a partner, shows the queue when the partner is down, and verifies against the file', async () => {
    const port = await freePort();
    partner = await openInstance(dialect, { port });
    const token = await witnessToken(partner.svc, 'the CLI instance');
    const file = path.join(cli.dir, 'elsewhere.jsonl');
    const url = `http://127.0.0.1:${port}`;
    const env = { VIGIL_WITNESS_FILE: file, VIGIL_WITNESS_PARTNERS: `${url}|${token.token}` };

    expect(cli.run(['demo']).code).toBe(0);
    const pushed = await run(['witness', 'push'], env);
    expect(pushed.stderr).toBe('');
    const seq = Number(/delivered entry (\d+)/.exec(pushed.stdout)?.[1]);
    expect(pushed.stdout.split('\n').sort()).toEqual(
      [
        '',
        `file:${file}: delivered entry ${seq}`,
        `partner:${url}: delivered entry ${seq}`,
        'pushing to 2 witnesses…',
      ].sort(),
    );
    expect(pushed.code).toBe(0);

    // The partner goes down; a write at the console, then a push: the file takes it, the partner's is queued.
    await partner.stop();
    expect(cli.run(['user', 'add', 'ana', '--role', 'analyst']).code).toBe(0);
    const failed = await run(['witness', 'push'], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`file:${file}: delivered entry ${seq + 1}`);
    expect(failed.stdout).toMatch(
      new RegExp(`partner:${url}: FAILED entry ${seq + 1}: .*ECONNREFUSED.*; kept in the queue, next try at `),
    );
    const status = await run(['witness', 'status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^head: entry ${seq + 1}, hash [0-9a-f]{16}…, signed by key [0-9a-f]{16} at `)),
      expect.stringMatching(new RegExp(`^file:${file}\tdelivered entry ${seq + 1} at \\S+\tpending: none$`)),
      expect.stringMatching(
        new RegExp(
          `^partner:${url}\tdelivered entry ${seq} at \\S+\tpending: entry ${seq + 1}, 1 attempt\\(s\\), next \\S+, last error: .*ECONNREFUSED`,
        ),
      ),
      '',
    ]);

    const verified = await run(['verify', '--no-checkpoint', '--witness', file]);
    expect(verified).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`witness file:${file}: ok, 2 head(s) up to entry ${seq + 1} match the chain`),
    });
    expect(verified.stdout).toMatch(/^ok: /);
    const unreachable = await run(['verify', '--no-checkpoint', '--witness', url], env);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stdout).toMatch(
      new RegExp(`^ok: .*\nUNCHECKED witness partner:${url}: could not ask it: .*ECONNREFUSED`),
    );
  }, 180_000);

  it('refuses a bad witness configuration with exit 2 and one line', async () => {
    const bad = await run(['witness', 'status'], { VIGIL_WITNESS_PARTNERS: 'https://partner.example' });
    expect(bad).toMatchObject({
      code: 2,
      stderr:
        'error: VIGIL_WITNESS_PARTNERS.0: must be URL|TOKEN (the witness token the partner made for this instance)\n',
    });
    const noToken = await run(['verify', '--witness', 'https://partner.example/']);
    expect(noToken).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^error: witness: no witness token for https:\/\/partner.example: add https:\/\/partner.example\|TOKEN to VIGIL_WITNESS_PARTNERS/,
      ),
    });
    expect(noToken.stderr.trim().split('\n')).toHaveLength(1);
  }, 120_000);
});
