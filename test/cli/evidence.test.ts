import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, freshDatabaseConfig, type FreshDatabase } from '../support/databases.ts';
import { cliEnv, type CliEnv } from '../support/cli.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describeEachDialect('vigil evidence', (dialect) => {
  let db: FreshDatabase;
  let cli: CliEnv;
  let allegation: string;
  beforeEach(async () => {
    db = await freshDatabaseConfig(dialect);
    cli = cliEnv(db.config);
    cli.run(['demo']);
    const lines = path.join(cli.dir, 'allegation.jsonl');
    fs.writeFileSync(
      lines,
      `${JSON.stringify({ type: 'allegation', externalId: 'cli:a1', title: 'Beating in the IVS', facilityId: 'demo:la-155-18:facility:kz-almaty-la-155-18', acts: [{ kind: 'beating' }] })}\n`,
    );
    expect(cli.run(['import', lines]).code).toBe(0);
    allegation = 'cli:a1';
  }, 120_000);
  afterEach(async () => {
    cli.cleanup();
    await db.drop();
  });

  const blobPath = (hash: string) => path.join(cli.dir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash);

  // Each step spawns the CLI (Node and tsx starting up): slow on a busy machine.
  const SLOW = { timeout: 240_000 };

  it('files a file, shows it with its custody log, gets it back with a purpose, and verify re-hashes it', SLOW, () => {
    const bytes = randomBytes(300_000);
    const file = path.join(cli.dir, 'cell photo.bin');
    fs.writeFileSync(file, bytes);
    const added = cli.run(['evidence', 'add', file, '--allegation', allegation, '--purpose', 'photo from a relative']);
    expect(added.code, added.stderr).toBe(0);
    const [id, hash] = added.stdout.split('\n')[0]!.split('\t');
    expect(hash).toBe(sha(bytes));
    expect(added.stdout).toMatch(/new item/);
    expect(cli.run(['evidence', 'add', file, '--allegation', allegation]).stdout).toMatch(
      new RegExp(`^${id}\\t${hash}\\n.*already filed`),
    );

    const out = path.join(cli.dir, 'copy.bin');
    expect(cli.run(['evidence', 'get', id!, '--out', out, '--purpose', 'annex to the complaint'])).toMatchObject({
      code: 0,
      stdout: `${out}\t${hash}\t300000 bytes\n`,
    });
    expect(sha(fs.readFileSync(out))).toBe(hash);
    expect(cli.run(['evidence', 'get', id!, '--out', out, '--purpose', 'again'])).toMatchObject({
      code: 2,
      stderr: `error: out: ${out} already exists; choose another file\n`,
    });

    const shown = cli.run(['evidence', 'show', id!]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`sha256         ${hash}`);
    expect(shown.stdout).toContain('original name  cell photo.bin');
    expect(shown.stdout).toMatch(
      /custody:\n\t\S+\tcollected\tcli:\S+\tphoto from a relative\n\t\S+\treceived\t.*\n\t\S+\tdownloaded\tcli:\S+\tannex to the complaint\n$/,
    );

    expect(cli.run(['verify'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /^ok: \d+ entries, \d+ records, \d+ signed heads \(key [0-9a-f]{16}\), 1 evidence files\n$/,
      ),
    });
  });

  it(
    'verify names the item whose file was altered or removed; get refuses altered bytes and writes nothing',
    SLOW,
    () => {
      const file = path.join(cli.dir, 'statement.txt');
      fs.writeFileSync(file, 'the original statement');
      const [id, hash] = cli
        .run(['evidence', 'add', file, '--allegation', allegation])
        .stdout.split('\n')[0]!
        .split('\t');
      const stored = blobPath(hash!);
      fs.chmodSync(stored, 0o600);
      fs.writeFileSync(stored, 'the altered statement!');
      const v = cli.run(['verify']);
      expect(v.code).toBe(1);
      expect(v.stdout).toBe(
        `BROKEN at evidence item ${id}: the file ${hash} was altered: its bytes no longer match their SHA-256\n`,
      );
      const out = path.join(cli.dir, 'out.txt');
      const got = cli.run(['evidence', 'get', id!, '--out', out, '--purpose', 'review']);
      expect(got.code).toBe(2);
      expect(got.stderr).toMatch(/^error: sha256: the stored file [0-9a-f]{64} now hashes to [0-9a-f]{64}\n$/);
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.readdirSync(cli.dir).filter((f) => f.endsWith('.part'))).toEqual([]);
      expect(cli.run(['evidence', 'show', id!]).stdout).toMatch(/\tverified\t/);
      fs.rmSync(stored);
      expect(cli.run(['verify'])).toMatchObject({
        code: 1,
        stdout: `BROKEN at evidence item ${id}: the file ${hash} is missing from the blob store\n`,
      });
    },
  );

  it('refuses bad input with one line and exit 2', SLOW, () => {
    const file = path.join(cli.dir, 'a.txt');
    fs.writeFileSync(file, 'some bytes');
    expect(cli.run(['evidence', 'add', path.join(cli.dir, 'nope.txt'), '--allegation', allegation])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^error: file: no file .*nope\.txt\n$/),
    });
    expect(cli.run(['evidence', 'add', cli.dir, '--allegation', allegation])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^error: file: .* is not a file\n$/),
    });
    expect(cli.run(['evidence', 'add', file]).code).toBe(2);
    expect(cli.run(['evidence', 'add', file, '--allegation', 'no-such'])).toMatchObject({
      code: 2,
      stderr: 'error: allegationId: no allegation "no-such"\n',
    });
    expect(cli.run(['evidence', 'show', 'no-such'])).toMatchObject({
      code: 2,
      stderr: 'error: id: no evidence item "no-such"\n',
    });
    expect(cli.run(['evidence', 'get', 'no-such', '--out', path.join(cli.dir, 'x')]).code).toBe(2);
    for (const args of [['evidence'], ['evidence', 'get']]) {
      expect(cli.run([...args, '--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: vigil/) });
    }
  });

  it('refuses a file over VIGIL_MAX_UPLOAD_BYTES and keeps nothing', SLOW, () => {
    const file = path.join(cli.dir, 'big.bin');
    fs.writeFileSync(file, randomBytes(5000));
    cli.env.VIGIL_MAX_UPLOAD_BYTES = '4096';
    const r = cli.run(['evidence', 'add', file, '--allegation', allegation]);
    expect(r).toMatchObject({ code: 2, stderr: 'error: file: the file is larger than the limit of 4096 bytes\n' });
    expect(fs.readdirSync(path.join(cli.dir, 'blobs')).filter((d) => d !== '.incoming')).toEqual([]);
    expect(fs.readdirSync(path.join(cli.dir, 'blobs', '.incoming'))).toEqual([]);
  });
});
