import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ephemeralSigningKey } from '../../src/evidence/signing-key.ts';
import { FsBlobStore } from '../../src/evidence/fs-blob-store.ts';
import { makeServices, SYSTEM } from '../../src/services/context.ts';
import { fileEvidence, getEvidence } from '../../src/services/evidence.service.ts';
import { openStore } from '../../src/store/database.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { cliEnv, type CliEnv } from '../support/cli.ts';
import { describeEachDialect, freshDatabaseConfig, type FreshDatabase } from '../support/databases.ts';
import { makeAllegation, makeFacility } from '../support/factories.ts';

/** Each command is a new Node process: several seconds apiece on a loaded machine. */
const CLI_TIMEOUT = 240_000;

async function* bytes(s: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(s);
}

describeEachDialect('vigil bundle, verify-bundle, key show', (dialect) => {
  let db: FreshDatabase;
  let cli: CliEnv;
  let allegationId: string;
  let itemId: string;
  beforeEach(async () => {
    db = await freshDatabaseConfig(dialect);
    cli = cliEnv(db.config);
    // Records made through the services on the CLI's own database, key and blob directory.
    const store = await openStore(db.config);
    try {
      const svc = makeServices(store, new Keyring(Buffer.from(cli.env.VIGIL_KEY!, 'hex')), {
        blobs: new FsBlobStore(path.join(cli.dir, 'blobs')),
      });
      allegationId = await makeAllegation(svc, { facilityId: await makeFacility(svc) });
      itemId = (
        await fileEvidence(svc, SYSTEM, bytes('the statement of the detainee\n'), {
          allegationId,
          originalName: 'statement.txt',
        })
      ).id;
      await fileEvidence(svc, SYSTEM, bytes('a second file'), { allegationId, originalName: 'second.txt' });
    } finally {
      await store.close();
    }
  });
  afterEach(async () => {
    cli.cleanup();
    await db.drop();
  });

  it(
    'shows the signing key (made on first need, mode 0600), bundles, and verifies offline with the key pinned',
    async () => {
      const shown = cli.run(['key', 'show']);
      expect(shown.code).toBe(0);
      const keyFile = path.join(cli.dir, 'vigil-signing.key');
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      const fingerprint = /fingerprint: ([0-9a-f]{16})/.exec(shown.stdout)![1]!;
      expect(shown.stdout).toContain('-----BEGIN PUBLIC KEY-----');
      const base64 = cli.run(['key', 'show', '--format', 'base64']).stdout.trim();
      expect(shown.stdout).toContain(`public key (32 bytes, base64): ${base64}`);

      const out = path.join(cli.dir, 'case.zip');
      const made = cli.run(['bundle', '--allegation', allegationId, '--out', out, '--purpose', 'complaint annex']);
      expect(made.stderr).toBe('');
      expect(made.code).toBe(0);
      expect(made.stdout).toContain(`bundle: 2 files (43 B), 2 custody events`);
      expect(made.stdout).toContain(`signed by key ${fingerprint}`);

      // Offline: a database URL that cannot be reached changes nothing.
      const env = { ...cli.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
      const { spawnSync } = await import('node:child_process');
      const bin = path.resolve(import.meta.dirname, '../../bin/vigil.js');
      const offline = spawnSync(process.execPath, [bin, 'verify-bundle', out, '--key', base64], {
        env,
        encoding: 'utf8',
      });
      expect(offline.stdout).toContain('✓ signature');
      expect(offline.stdout).toContain(`✓ expected key: the bundle is signed by the expected key ${fingerprint}`);
      expect(offline.stdout).toMatch(/^OK: /m);
      expect(offline.status).toBe(0);

      const other = ephemeralSigningKey();
      const pinned = cli.run(['verify-bundle', out, '--key', other.publicKey.base64]);
      expect(pinned).toMatchObject({
        code: 1,
        stdout: expect.stringContaining(
          `FAILED: the bundle is signed by key ${fingerprint}, not by the expected key ${other.publicKey.fingerprint}`,
        ),
      });

      // The export is in the custody log.
      const store = await openStore(db.config);
      try {
        const svc = makeServices(store, new Keyring(Buffer.from(cli.env.VIGIL_KEY!, 'hex')), {
          blobs: new FsBlobStore(path.join(cli.dir, 'blobs')),
        });
        expect((await getEvidence(svc, SYSTEM, itemId)).custody.at(-1)).toMatchObject({
          action: 'exported',
          purpose: 'complaint annex',
          recipient: 'court',
        });
      } finally {
        await store.close();
      }
      expect(cli.run(['verify']).code).toBe(0);

      // One flipped byte: exit 1, the file named.
      const raw = fs.readFileSync(out);
      const at = raw.indexOf('the statement of the detainee');
      raw[at] = raw[at]! ^ 0x01;
      fs.writeFileSync(out, raw);
      const broken = cli.run(['verify-bundle', out]);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/✗ files: files\/[0-9a-f]{64}\/statement.txt has been altered/);
      expect(broken.stdout).toMatch(/^FAILED: files\/[0-9a-f]{64}\/statement.txt has been altered/m);
    },
    CLI_TIMEOUT,
  );

  // Usage errors do not depend on the database: once is enough.
  it.skipIf(dialect === 'postgres')(
    'bad usage exits 2 with one readable line',
    () => {
      expect(cli.run(['verify-bundle'])).toMatchObject({ code: 2 });
      expect(cli.run(['verify-bundle', path.join(cli.dir, 'none.zip')])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/^error: file: no such file: /),
      });
      fs.writeFileSync(path.join(cli.dir, 'x.zip'), 'junk');
      expect(cli.run(['verify-bundle', path.join(cli.dir, 'x.zip'), '--key', 'nonsense'])).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('Ed25519 public key'),
      });
      expect(cli.run(['bundle', '--out', path.join(cli.dir, 'b.zip')])).toMatchObject({ code: 2 });
      expect(cli.run(['bundle', '--allegation', 'no-such', '--out', path.join(cli.dir, 'b.zip')])).toMatchObject({
        code: 2,
        stderr: 'error: allegation: no allegation "no-such"\n',
      });
      expect(cli.run(['bundle', '--allegation', allegationId, '--out', path.join(cli.dir, 'x.zip')])).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('already exists'),
      });
      expect(
        cli.run(['bundle', '--allegation', allegationId, '--out', path.join(cli.dir, 'b.zip'), '--audience', 'press']),
      ).toMatchObject({ code: 2 });
      expect(fs.existsSync(path.join(cli.dir, 'b.zip'))).toBe(false);
    },
    CLI_TIMEOUT,
  );
});
