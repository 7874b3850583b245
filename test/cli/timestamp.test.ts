/**
 * The CLI with a TSA configured (VIGIL_TSA_URL, VIGIL_TSA_CERT), against a real TSA (openssl ts on
 * loopback): `evidence add` gets a token or says why not, `vigil timestamp` retries, bundles carry
 * the tokens and `verify-bundle --tsa-cert` checks them offline, `vigil verify` checks the heads.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { makeServices } from '../../src/services/context.ts';
import { FsBlobStore } from '../../src/evidence/fs-blob-store.ts';
import { openStore } from '../../src/store/database.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { cliEnv, type CliEnv } from '../support/cli.ts';
import { describeEachDialect, freshDatabaseConfig, type FreshDatabase } from '../support/databases.ts';
import { makeAllegation, makeFacility } from '../support/factories.ts';
import { startTestTsa, type TestTsa } from '../support/tsa.ts';

/** Each command is a new Node process: several seconds apiece on a loaded machine. */
const CLI_TIMEOUT = 240_000;

/**
 * Runs a command without blocking this process: the TSA answers from this process's event loop,
 * which a synchronous spawn would stall.
 */
function run(
  cli: CliEnv,
  args: string[],
  env: NodeJS.ProcessEnv = cli.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: cli.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const BIN = path.resolve(import.meta.dirname, '../../bin/vigil.js');

let tsa: TestTsa;
let other: TestTsa;
beforeAll(async () => {
  [tsa, other] = await Promise.all([startTestTsa(), startTestTsa({ name: 'Another TSA' })]);
});
afterAll(async () => Promise.all([tsa.close(), other.close()]));

describeEachDialect('vigil with a TSA', (dialect) => {
  let db: FreshDatabase;
  let cli: CliEnv;
  let allegationId: string;
  beforeEach(async () => {
    db = await freshDatabaseConfig(dialect);
    cli = cliEnv(db.config);
    fs.writeFileSync(path.join(cli.dir, 'tsa-ca.pem'), tsa.caPem);
    fs.writeFileSync(path.join(cli.dir, 'other-ca.pem'), other.caPem);
    fs.writeFileSync(path.join(cli.dir, 'statement.txt'), 'the statement of the detainee\n');
    fs.writeFileSync(path.join(cli.dir, 'photo.bin'), Buffer.alloc(2048, 9));
    Object.assign(cli.env, { VIGIL_TSA_URL: tsa.url, VIGIL_TSA_CERT: path.join(cli.dir, 'tsa-ca.pem') });
    const store = await openStore(db.config);
    try {
      const svc = makeServices(store, new Keyring(Buffer.from(cli.env.VIGIL_KEY!, 'hex')), {
        blobs: new FsBlobStore(path.join(cli.dir, 'blobs')),
      });
      allegationId = await makeAllegation(svc, { facilityId: await makeFacility(svc) });
    } finally {
      await store.close();
    }
  });
  afterEach(async () => {
    tsa.down = false;
    cli.cleanup();
    await db.drop();
  });

  it(
    'stamps filed evidence, survives a TSA that is down, retries, and bundles tokens that verify offline',
    async () => {
      const first = await run(cli, ['evidence', 'add', 'statement.txt', '--allegation', allegationId]);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^timestamp: the TSA's token says \d{4}-\d\d-\d\dT[\d:.]+Z$/m);

      tsa.down = true;
      const second = await run(cli, ['evidence', 'add', 'photo.bin', '--allegation', allegationId]);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain(`timestamp: no token yet (the TSA at ${tsa.url} cannot be reached`);
      const stillDown = await run(cli, ['timestamp']);
      expect(stillDown.code).toBe(1);
      expect(stillDown.stdout).toContain(
        `timestamp: 0 evidence hashes stamped by ${tsa.url}, 1 without a token: the TSA at ${tsa.url} cannot be reached`,
      );
      expect(stillDown.stdout).toContain(
        `timestamp: the chain's head has no token: the TSA at ${tsa.url} cannot be reached`,
      );

      tsa.down = false;
      const retried = await run(cli, ['timestamp']);
      expect(retried.stdout).toContain(`timestamp: 1 evidence hash stamped by ${tsa.url}, 0 without a token`);
      expect(retried.stdout).toMatch(/^timestamp: the head at entry \d+ is covered by a token of \S+Z$/m);
      expect(retried.code).toBe(0);

      const out = path.join(cli.dir, 'case.zip');
      const made = await run(cli, ['bundle', '--allegation', allegationId, '--out', out]);
      expect(made.code).toBe(0);
      expect(made.stdout).toContain('2 of 2 files carry an RFC 3161 timestamp token (check with --tsa-cert)');

      // Offline: no TSA, no database.
      const offline = {
        ...cli.env,
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        VIGIL_TSA_URL: 'http://127.0.0.1:1/',
      };
      const checked = await run(cli, ['verify-bundle', out, '--tsa-cert', path.join(cli.dir, 'tsa-ca.pem')], offline);
      expect(checked.stdout).toContain(
        '✓ timestamps: 2 of 2 files carry an RFC 3161 token that verifies against the TSA certificate (O=Vigil tests, CN=Vigil Test TSA)',
      );
      expect(
        checked.stdout.match(
          /^ {4}files\/[0-9a-f]{64}\/(statement\.txt|photo\.bin): timestamped \S+Z by O=Vigil tests, CN=Vigil Test TSA$/gm,
        ),
      ).toHaveLength(2);
      expect(checked.code).toBe(0);

      const unchecked = await run(cli, ['verify-bundle', out]);
      expect(unchecked.code).toBe(0);
      expect(unchecked.stdout).toContain('– timestamps: 2 of 2 files carry an RFC 3161 token, present but not checked');

      const foreign = await run(cli, ['verify-bundle', out, '--tsa-cert', 'other-ca.pem']);
      expect(foreign.code).toBe(1);
      expect(foreign.stdout).toMatch(
        /^FAILED: files\/[0-9a-f]{64}\/\S+: its timestamp token is BROKEN: the token was signed by another TSA \(O=Vigil tests, CN=Vigil Test TSA\), not by the trusted O=Vigil tests, CN=Another TSA CA$/m,
      );

      const missing = await run(cli, ['verify-bundle', out, '--tsa-cert', 'nowhere.pem']);
      expect(missing).toMatchObject({ code: 2, stdout: '' });
      expect(missing.stderr.trim()).toBe('error: tsa-cert: cannot read the TSA certificate file nowhere.pem');
    },
    CLI_TIMEOUT,
  );

  it(
    'verify checks the head timestamps when a TSA is configured, and refuses a URL without a certificate',
    async () => {
      await run(cli, ['evidence', 'add', 'statement.txt', '--allegation', allegationId]);
      const waiting = await run(cli, ['verify', '--no-checkpoint']);
      expect(waiting.stdout).toMatch(/^ok: \d+ entries/m);
      expect(waiting.stdout).toMatch(
        /^timestamps: 0 TSA tokens on heads verified; \d+ newer entries wait for a token \(within the grace of 1h\)$/m,
      );
      expect(waiting.code).toBe(0);
      const stamped = await run(cli, ['timestamp']);
      const head = /the head at entry (\d+) is covered/.exec(stamped.stdout)![1];
      const ok = await run(cli, ['verify', '--no-checkpoint']);
      expect(ok.stdout).toMatch(
        new RegExp(
          `^timestamps: 1 TSA token on heads verified, entries up to ${head} covered \\(latest \\S+Z\\)$`,
          'm',
        ),
      );
      expect(ok.code).toBe(0);

      const noCert = await run(cli, ['verify', '--no-checkpoint'], { ...cli.env, VIGIL_TSA_CERT: '' });
      expect(noCert.code).toBe(2);
      expect(noCert.stderr.trim()).toBe(
        "error: VIGIL_TSA_CERT: VIGIL_TSA_URL is set but VIGIL_TSA_CERT is not: name the PEM file of the TSA's certificate (or its CA) that tokens are checked against",
      );
    },
    CLI_TIMEOUT,
  );
});
