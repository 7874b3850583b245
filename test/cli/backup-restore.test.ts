import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import yauzl from 'yauzl';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, freshDatabaseConfig, type FreshDatabase } from '../support/databases.ts';
import { cliEnv, type CliEnv } from '../support/cli.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Where an entry's bytes start in the archive (after its local header). */
async function entryData(archive: string): Promise<Map<string, { start: number; size: number }>> {
  const zip = await yauzl.openPromise(archive, { autoClose: false });
  const out = new Map<string, { start: number; size: number }>();
  try {
    for await (const e of zip.eachEntry()) {
      const { fileDataStart } = await zip.readLocalFileHeaderPromise(e, { minimal: true });
      out.set(e.fileName, { start: fileDataStart, size: e.compressedSize });
    }
  } finally {
    zip.close();
  }
  return out;
}

async function readEntry(archive: string, name: string): Promise<Buffer> {
  const zip = await yauzl.openPromise(archive, { autoClose: false });
  try {
    for await (const e of zip.eachEntry()) {
      if (e.fileName !== name) continue;
      const chunks: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    }
  } finally {
    zip.close();
  }
  throw new Error(`${name} is not in ${archive}`);
}

async function publicTables(db: FreshDatabase): Promise<number> {
  const c = new pg.Client({ connectionString: (db.config as { url: string }).url });
  await c.connect();
  try {
    return Number((await c.query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n);
  } finally {
    await c.end();
  }
}

// Every step spawns the CLI (Node and tsx starting up): slow on a busy machine.
const SLOW = { timeout: 300_000 };

describeEachDialect('vigil backup and vigil restore', (dialect) => {
  let db: FreshDatabase;
  let cli: CliEnv;
  let archive: string;
  /** An archive made before any test, for the tests that restore or damage one (each test must run alone, in any order). */
  let shared: string;
  let verified: string;
  const files: Buffer[] = [
    randomBytes(1_500_000),
    randomBytes(300_000),
    Buffer.from('a statement, typed up by the documenter\n'),
  ];
  const cleanups: Array<() => Promise<void>> = [];

  /** A new installation to restore into: an empty data directory, a database that does not exist yet (SQLite) or is empty (PostgreSQL), and optionally the key files put back. */
  async function target(opts: { keys: boolean }): Promise<{ cli: CliEnv; db: FreshDatabase }> {
    const tdb = await freshDatabaseConfig(dialect);
    const t = cliEnv(tdb.config);
    delete t.env.VIGIL_KEY;
    cleanups.push(async () => {
      t.cleanup();
      await tdb.drop();
    });
    if (opts.keys) {
      for (const f of ['vigil.key', 'vigil-signing.key']) fs.copyFileSync(path.join(cli.dir, f), path.join(t.dir, f));
    }
    return { cli: t, db: tdb };
  }

  beforeAll(async () => {
    db = await freshDatabaseConfig(dialect);
    cli = cliEnv(db.config);
    // The identity key in its file, as an operator has it.
    delete cli.env.VIGIL_KEY;
    expect(cli.run(['demo']).code).toBe(0);
    const lines = path.join(cli.dir, 'allegation.jsonl');
    fs.writeFileSync(
      lines,
      `${JSON.stringify({ type: 'allegation', externalId: 'cli:a1', title: 'Beating in the IVS', facilityId: 'demo:la-155-18:facility:kz-almaty-la-155-18', acts: [{ kind: 'beating' }] })}\n`,
    );
    fs.writeFileSync(
      path.join(cli.dir, 'people.jsonl'),
      `${JSON.stringify({ type: 'person', externalId: 'p-1', roles: ['victim'], identity: { name: 'Sealed Person' } })}\n`,
    );
    expect(cli.run(['import', lines]).code).toBe(0);
    expect(cli.run(['import', path.join(cli.dir, 'people.jsonl')]).code).toBe(0);
    files.forEach((bytes, i) => {
      const f = path.join(cli.dir, `evidence-${i}.bin`);
      fs.writeFileSync(f, bytes);
      const r = cli.run(['evidence', 'add', f, '--allegation', 'cli:a1']);
      expect(r.code, r.stderr).toBe(0);
    });
    expect(cli.run(['key', 'show']).code).toBe(0); // makes the signing key
    const v = cli.run(['verify', '--no-checkpoint']);
    expect(v.code, v.stderr).toBe(0);
    verified = v.stdout;
    expect(verified).toMatch(
      /^ok: \d+ entries, \d+ records, \d+ signed heads \(key [0-9a-f]{16}\), 3 evidence files\n$/,
    );
    archive = path.join(cli.dir, 'backups', 'vigil.backup');
    shared = path.join(cli.dir, 'shared', 'vigil.backup');
    fs.mkdirSync(path.dirname(shared), { recursive: true });
    const made = cli.run(['backup', shared]);
    expect(made.code, made.stderr).toBe(0);
  }, 300_000);

  afterAll(async () => {
    for (const c of cleanups) await c();
    cli?.cleanup();
    await db?.drop();
  });

  it(
    'writes one private archive: the database copy, every evidence file and a manifest with their SHA-256; never the keys, whose fingerprints it prints',
    SLOW,
    async () => {
      const b = cli.run(['backup', archive]);
      expect(b.code, b.stderr).toBe(0);
      const identity = cli.run(['key', 'show', '--format', 'identity-fingerprint']).stdout.trim();
      const signing = cli.run(['key', 'show', '--format', 'fingerprint']).stdout.trim();
      expect(b.stdout).toContain(`, 3 evidence items in 3 files (`);
      expect(b.stdout).toContain('keys: NOT in this archive.');
      expect(b.stdout).toContain(`identity key (vigil.key): fingerprint ${identity} (key id ${identity.slice(0, 16)})`);
      expect(b.stdout).toContain(`signing key (vigil-signing.key): fingerprint ${signing}`);
      const bytes = fs.readFileSync(archive);
      expect(b.stdout).toContain(`archive sha256: ${sha(bytes)}`);
      expect((fs.statSync(archive).mode & 0o777).toString(8)).toBe('600');
      expect(fs.readdirSync(path.dirname(archive))).toEqual(['vigil.backup']);

      const entries = [...(await entryData(archive)).keys()].sort();
      const dbEntry = dialect === 'sqlite' ? 'database/vigil.db' : 'database/vigil.pgdump';
      const blobEntries = files.map((f) => `blobs/${sha(f).slice(0, 2)}/${sha(f).slice(2, 4)}/${sha(f)}`);
      expect(entries).toEqual([...blobEntries, dbEntry, 'manifest.json', 'manifest.sha256'].sort());
      const manifestBytes = await readEntry(archive, 'manifest.json');
      expect((await readEntry(archive, 'manifest.sha256')).toString()).toBe(`${sha(manifestBytes)}  manifest.json\n`);
      const manifest = JSON.parse(manifestBytes.toString());
      expect(manifest).toMatchObject({
        format: 'vigil-backup',
        version: 1,
        dialect,
        evidence: { items: 3, files: 3, bytes: files.reduce((n, f) => n + f.length, 0) },
        keys: { included: false, identity: { fingerprint: identity }, signing: { fingerprint: signing } },
      });
      for (const f of manifest.files as Array<{ path: string; size: number; sha256: string }>) {
        const got = await readEntry(archive, f.path);
        expect([f.path, got.length, sha(got)]).toEqual([f.path, f.size, f.sha256]);
      }
      expect(manifest.chainHead.seq).toBe(Number(/^ok: (\d+) entries/.exec(verified)![1]));
      if (dialect === 'sqlite') expect(bytes.includes(Buffer.from('SQLite format 3\0'))).toBe(true);
      else expect((await readEntry(archive, dbEntry)).subarray(0, 5).toString()).toBe('PGDMP');

      // No form of either key is anywhere in the archive's bytes.
      const keyText = fs.readFileSync(path.join(cli.dir, 'vigil.key'), 'utf8').trim();
      const master = Buffer.from(keyText, 'base64');
      const pem = fs.readFileSync(path.join(cli.dir, 'vigil-signing.key'), 'utf8');
      const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
      const seed = Buffer.from(createPrivateKey(pem).export({ format: 'jwk' }).d!, 'base64url');
      const pemBody = pem
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .join('');
      for (const [what, needle] of [
        ['identity key (file text)', Buffer.from(keyText)],
        ['identity key (raw)', master],
        ['identity key (hex)', Buffer.from(master.toString('hex'))],
        ['signing key (PEM)', Buffer.from(pemBody.slice(0, 40))],
        ['signing key (DER)', der],
        ['signing key (seed)', seed],
        ['signing key (seed, base64)', Buffer.from(seed.toString('base64').slice(0, 40))],
      ] as const) {
        expect([what, bytes.includes(needle)]).toEqual([what, false]);
      }
      expect(cli.run(['backup', archive])).toMatchObject({
        code: 2,
        stderr: `error: file: ${archive} exists; choose a new file name\n`,
      });
    },
  );

  it(
    'restores into an empty data directory with the keys put back: verify passes with the same counts; a non-empty directory or database is refused',
    SLOW,
    async () => {
      const t = await target({ keys: true });
      const r = t.cli.run(['restore', shared]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('3 evidence items in 3 files');
      expect(r.stdout).toContain('every file matched its SHA-256');
      expect(r.stdout).toMatch(/identity key: .*vigil\.key is this backup's/);
      expect(r.stdout).toMatch(/signing key: .*vigil-signing\.key is this backup's/);
      expect(r.stdout).toMatch(/next: vigil verify\n$/);
      const blob = path.join(
        t.cli.dir,
        'blobs',
        sha(files[0]!).slice(0, 2),
        sha(files[0]!).slice(2, 4),
        sha(files[0]!),
      );
      expect(sha(fs.readFileSync(blob))).toBe(sha(files[0]!));
      expect((fs.statSync(blob).mode & 0o777).toString(8)).toBe('400');
      expect(fs.readdirSync(t.cli.dir).filter((n) => n.startsWith('.vigil-restore-'))).toEqual([]);
      const v = t.cli.run(['verify', '--no-checkpoint']);
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout).toBe(verified);

      // Again into the same, now filled, directory.
      expect(t.cli.run(['restore', shared])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/^error: VIGIL_DATA_DIR: .* is not empty: it holds (blobs|vigil\.db)/),
      });
      // An empty directory, but the database is already there (the SQLite file exists / the PostgreSQL database has tables).
      const other = cliEnv(t.db.config);
      cleanups.push(async () => other.cleanup());
      const again = other.run(['restore', shared]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(
        dialect === 'sqlite'
          ? /^error: DATABASE_URL: .*vigil\.db exists; restore writes a new database file/
          : /^error: DATABASE_URL: the database in DATABASE_URL is not empty: it holds public\.\w+ and \d+ more/,
      );
      expect(fs.readdirSync(other.dir)).toEqual([]);
      // Anything but the key files in the directory is refused before the archive is read.
      const stray = await target({ keys: true });
      fs.writeFileSync(path.join(stray.cli.dir, 'notes.txt'), 'left here');
      expect(stray.cli.run(['restore', shared])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(
          /^error: VIGIL_DATA_DIR: .* is not empty: it holds notes\.txt; .*the key files vigil\.key and vigil-signing\.key may be there/,
        ),
      });
    },
  );

  it(
    'refuses an archive with one flipped byte in a blob, the database copy or the manifest, names the file, and leaves nothing behind',
    SLOW,
    async () => {
      const at = await entryData(shared);
      const blobName = `blobs/${sha(files[1]!).slice(0, 2)}/${sha(files[1]!).slice(2, 4)}/${sha(files[1]!)}`;
      const dbEntry = dialect === 'sqlite' ? 'database/vigil.db' : 'database/vigil.pgdump';
      const cases: Array<[string, number, RegExp]> = [
        [
          blobName,
          at.get(blobName)!.start + 123_456,
          new RegExp(
            `^error: file: ${blobName}: its bytes do not match the manifest \\(SHA-256 [0-9a-f]{64}, 300000 bytes; the manifest says ${sha(files[1]!)}, 300000 bytes\\): the archive was altered or damaged; nothing was restored\\n$`,
          ),
        ],
        [
          dbEntry,
          at.get(dbEntry)!.start + Math.floor(at.get(dbEntry)!.size / 2),
          new RegExp(`^error: file: ${dbEntry}: its bytes do not match the manifest .*nothing was restored\\n$`),
        ],
        [
          'manifest.json',
          at.get('manifest.json')!.start + 20,
          /^error: file: manifest\.json: its SHA-256 \([0-9a-f]{64}\) is not the one manifest\.sha256 records: the manifest \(or its sum\) was altered or damaged; nothing was restored\n$/,
        ],
      ];
      const bytes = fs.readFileSync(shared);
      for (const [name, offset, message] of cases) {
        const flipped = Buffer.from(bytes);
        flipped[offset] = flipped[offset]! ^ 0x01;
        const bad = path.join(cli.dir, `flipped-${path.basename(name)}.backup`);
        fs.writeFileSync(bad, flipped);
        const t = await target({ keys: true });
        const r = t.cli.run(['restore', bad]);
        expect([name, r.code, r.stderr]).toEqual([name, 2, expect.stringMatching(message)]);
        expect(fs.readdirSync(t.cli.dir).sort()).toEqual(['vigil-signing.key', 'vigil.key']);
        if (t.db.config.dialect === 'sqlite') expect(fs.existsSync(t.db.config.file)).toBe(false);
        else expect(await publicTables(t.db)).toBe(0);
      }
      // A data directory that did not exist is not left behind either.
      const t = await target({ keys: false });
      const fresh = path.join(t.cli.dir, 'new-data-dir');
      t.cli.env.VIGIL_DATA_DIR = fresh;
      expect(t.cli.run(['restore', path.join(cli.dir, `flipped-${path.basename(dbEntry)}.backup`)]).code).toBe(2);
      expect(fs.existsSync(fresh)).toBe(false);
    },
  );

  it(
    'without the identity key, restore works and says which key to put back; verify then stops with key.missing and no key is made',
    SLOW,
    async () => {
      const identity = cli.run(['key', 'show', '--format', 'identity-fingerprint']).stdout.trim();
      const t = await target({ keys: false });
      const r = t.cli.run(['restore', shared]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(
        `identity key: MISSING — put back the key with fingerprint ${identity} (key id ${identity.slice(0, 16)}) as ${path.join(t.cli.dir, 'vigil.key')}`,
      );
      expect(r.stdout).toMatch(/signing key: MISSING — put back .*vigil-signing\.key with fingerprint [0-9a-f]{16}/);
      expect(r.stdout).toMatch(/next: put the identity key back, then run vigil verify\n$/);
      // The signing key is checked first: the database recorded it, so none is made.
      const s = t.cli.run(['verify']);
      expect(s.code).toBe(2);
      expect(s.stderr).toMatch(/^error: key\.missing: signingKeyFile: the signing key .*vigil-signing\.key is missing/);
      expect(fs.existsSync(path.join(t.cli.dir, 'vigil-signing.key'))).toBe(false);
      fs.copyFileSync(path.join(cli.dir, 'vigil-signing.key'), path.join(t.cli.dir, 'vigil-signing.key'));
      const v = t.cli.run(['verify']);
      expect(v.code).toBe(2);
      expect(v.stderr).toMatch(
        /^error: key\.missing: no identity key: .*vigil\.key does not exist and VIGIL_KEY is not set, but this database holds sealed values/,
      );
      expect(fs.existsSync(path.join(t.cli.dir, 'vigil.key'))).toBe(false);
      // The key put back: the restored data verifies as the original did.
      fs.copyFileSync(path.join(cli.dir, 'vigil.key'), path.join(t.cli.dir, 'vigil.key'));
      expect(t.cli.run(['verify', '--no-checkpoint'])).toMatchObject({ code: 0, stdout: verified });
    },
  );

  it(
    'refuses to back up when an evidence file is missing or altered, naming the item and the file, and writes nothing',
    SLOW,
    () => {
      const hash = sha(files[2]!);
      const blob = path.join(cli.dir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash);
      const out = path.join(cli.dir, 'backups', 'second.backup');
      fs.renameSync(blob, `${blob}.away`);
      try {
        const r = cli.run(['backup', out]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(
          new RegExp(
            `^error: blobs: evidence item [\\w-]+: its file ${hash} is missing from the blob store \\(${blob.replaceAll('.', '\\.')}\\); no backup was written`,
          ),
        );
        fs.writeFileSync(blob, Buffer.from(files[2]!.toString().toUpperCase()), { mode: 0o400 });
        const altered = cli.run(['backup', out]);
        expect(altered.code).toBe(2);
        expect(altered.stderr).toMatch(
          new RegExp(
            `^error: blobs: evidence item [\\w-]+: its file ${hash} \\(.*\\) was altered: its bytes no longer match their SHA-256; no backup was written\\n$`,
          ),
        );
        expect(fs.existsSync(out)).toBe(false);
      } finally {
        fs.rmSync(blob, { force: true });
        fs.renameSync(`${blob}.away`, blob);
      }
    },
  );
});
