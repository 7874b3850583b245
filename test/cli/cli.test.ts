import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, freshDatabaseConfig, type FreshDatabase } from '../support/databases.ts';
import { cliEnv, type CliEnv } from '../support/cli.ts';

/** Runs one SQL statement behind Vigil's back, the way someone with the sqlite3 shell or psql would. */
async function tamper(db: FreshDatabase, statement: string) {
  if (db.config.dialect === 'sqlite') {
    const raw = new BetterSqlite3(db.config.file);
    raw.exec(statement);
    raw.close();
  } else {
    const c = new pg.Client({ connectionString: db.config.url });
    await c.connect();
    await c.query(statement);
    await c.end();
  }
}

describeEachDialect('vigil CLI', (dialect) => {
  let db: FreshDatabase;
  let cli: CliEnv;
  beforeEach(async () => {
    db = await freshDatabaseConfig(dialect);
    cli = cliEnv(db.config);
  });
  afterEach(async () => {
    cli.cleanup();
    await db.drop();
  });

  it('loads the demo idempotently and verifies', () => {
    expect(cli.run(['demo'])).toMatchObject({ code: 0, stdout: 'demo: 20 records added, 0 already present\n' });
    expect(cli.run(['demo'])).toMatchObject({ code: 0, stdout: 'demo: 0 records added, 20 already present\n' });
    expect(cli.run(['verify'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^ok: 22 entries, 20 records, \d+ signed heads \(key [0-9a-f]{16}\)\n$/),
    });
  });

  it('detects a record changed with SQL outside Vigil, and a deleted audit entry', async () => {
    cli.run(['demo']);
    await tamper(db, 'UPDATE reported_figure SET value = 2 WHERE value = 27');
    const r = cli.run(['verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^BROKEN at records, reported_figure [\w-]+: .*differs from its last audited state/);
    await tamper(db, 'UPDATE reported_figure SET value = 27 WHERE value = 2');
    expect(cli.run(['verify']).code).toBe(0);
    await tamper(db, 'DELETE FROM audit_entry WHERE seq = 7');
    expect(cli.run(['verify'])).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/^BROKEN at entry 7: entry 7 is missing/),
    });
  });

  it('keeps a checkpoint of the chain head outside the database and catches a tail cut cleanly with SQL', async () => {
    cli.run(['demo']);
    expect(cli.run(['user', 'add', 'ana', '--role', 'analyst']).code).toBe(0);
    const first = cli.run(['verify']);
    expect(first).toMatchObject({
      code: 0,
      stderr: expect.stringMatching(/checkpoint: entry \d+, hash [0-9a-f]{16}… saved to .*audit-checkpoint\.json/),
    });
    const saved = JSON.parse(fs.readFileSync(path.join(cli.dir, 'audit-checkpoint.json'), 'utf8')) as { seq: number };
    // The user's row, its entry and its signed head go, and the head row is moved back: the database alone still verifies.
    await tamper(db, `DELETE FROM app_user WHERE username = 'ana'`);
    await tamper(db, `DELETE FROM audit_signature WHERE seq = ${saved.seq}`);
    await tamper(db, `DELETE FROM audit_entry WHERE seq = ${saved.seq}`);
    await tamper(
      db,
      `UPDATE audit_head SET seq = ${saved.seq - 1}, hash = (SELECT hash FROM audit_entry WHERE seq = ${saved.seq - 1}) WHERE id = 1`,
    );
    expect(cli.run(['verify', '--no-checkpoint'])).toMatchObject({ code: 0 });
    const cut = cli.run(['verify']);
    expect(cut).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(
        /^BROKEN at checkpoint: the checkpoint of .* saw \d+ entries, the chain now has \d+: entries were cut from its end/,
      ),
    });
    expect(JSON.parse(fs.readFileSync(path.join(cli.dir, 'audit-checkpoint.json'), 'utf8'))).toEqual(saved);
  });

  it('imports a file with bad lines: one readable line each, a rejects file, exit 2, good lines kept', () => {
    const file = path.join(cli.dir, 'records.jsonl');
    fs.writeFileSync(
      file,
      [
        JSON.stringify({
          type: 'facility',
          externalId: 'f1',
          name: 'IVS Almaty',
          kind: 'temporary_detention_isolator',
        }),
        JSON.stringify({ type: 'facility', externalId: 'f2', name: 'X', kind: 'castle' }),
        JSON.stringify({ type: 'source', externalId: 's1', kind: 'news_article', title: 'A report', url: 'not a url' }),
      ].join('\n'),
    );
    const r = cli.run(['import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 2: kind: unknown facility kind "castle"');
    expect(r.stderr).toContain('line 3: url: must be a URL');
    expect(r.stdout).toContain('import: 3 lines, 1 records added, 0 already present, 2 rejected');
    const rejects = fs.readFileSync(path.join(cli.dir, 'records.rejects.jsonl'), 'utf8').trim().split('\n');
    expect(rejects.map((l) => JSON.parse(l).externalId)).toEqual(['f2', 's1']);
    expect(cli.run(['import', file]).stdout).toContain('0 records added, 1 already present, 2 rejected');
  });

  it('exports and re-imports into an empty database to the same records', async () => {
    cli.run(['demo']);
    const out = path.join(cli.dir, 'all.jsonl');
    expect(cli.run(['export', '--out', out]).code).toBe(0);
    const db2 = await freshDatabaseConfig(dialect);
    const cli2 = cliEnv(db2.config, cli.env.VIGIL_KEY);
    try {
      expect(cli2.run(['import', out])).toMatchObject({ code: 0 });
      const again = cli2.run(['export']).stdout;
      expect(again).toBe(fs.readFileSync(out, 'utf8'));
      expect(cli2.run(['verify']).code).toBe(0);
    } finally {
      cli2.cleanup();
      await db2.drop();
    }
  });

  it('manages users and refuses bad input with one line and exit 2', () => {
    expect(cli.run(['user', 'add', 'ana', '--role', 'analyst']).stdout).toBe(
      'user ana added as analyst (invited: no password yet; set one with VIGIL_PASSWORD=… vigil user passwd ana)\n',
    );
    expect(cli.run(['user', 'list']).stdout).toBe('ana\tanalyst\tinvited\t\n');
    expect(cli.run(['user', 'passwd', 'ana'])).toMatchObject({
      code: 2,
      stderr: 'error: VIGIL_PASSWORD: set the new password in VIGIL_PASSWORD\n',
    });
    cli.env.VIGIL_PASSWORD = 'amber-falcon-river-nine';
    expect(cli.run(['user', 'passwd', 'ana']).stdout).toBe('user ana: password set, 0 open session(s) ended\n');
    delete cli.env.VIGIL_PASSWORD;
    expect(cli.run(['user', 'list']).stdout).toBe('ana\tanalyst\tactive\t\n');
    expect(cli.run(['user', 'add', 'ana', '--role', 'analyst'])).toMatchObject({
      code: 2,
      stderr: 'error: username: a user "ana" already exists\n',
    });
    expect(cli.run(['user', 'add', 'bob', '--role', 'boss'])).toMatchObject({ code: 2 });
    expect(cli.run(['user', 'disable', 'ana']).code).toBe(0);
    expect(cli.run(['user', 'list']).stdout).toBe('ana\tanalyst\tdisabled\t\n');
    expect(cli.run(['user', 'disable', 'nobody'])).toMatchObject({
      code: 2,
      stderr: 'error: username: no user "nobody"\n',
    });
    expect(cli.run(['export', '--type', 'spaceship'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^error: type: unknown record type "spaceship"/),
    });
    expect(cli.run(['frobnicate']).code).toBe(2);
  }, 180_000); // twenty-two runs of the CLI (slow on a busy machine)

  it('refuses a weak VIGIL_PASSWORD, and manages second factors and sessions from the console', () => {
    try {
      for (const weak of ['aaaaaaaaaaaa', 'password1234']) {
        cli.env.VIGIL_PASSWORD = weak;
        const r = cli.run(['user', 'add', 'weak-one', '--role', 'viewer']);
        expect(r.code, weak).toBe(2);
        expect(r.stderr).toMatch(/^error: password: (is too easy to guess|is one of the most common passwords)/);
      }
      cli.env.VIGIL_PASSWORD = 'quiet-lantern-orbit-meadow';
      expect(cli.run(['user', 'add', 'cora', '--role', 'analyst']).code).toBe(0);
    } finally {
      delete cli.env.VIGIL_PASSWORD;
    }
    expect(cli.run(['user', 'list']).stdout).not.toContain('weak-one');
    expect(cli.run(['user', 'require-2fa']).stdout).toBe('second factor required for no role\n');
    expect(cli.run(['user', 'require-2fa', 'admin', 'analyst']).stdout).toBe(
      'second factor required for: admin, analyst\n',
    );
    expect(cli.run(['user', 'require-2fa', 'wizard'])).toMatchObject({ code: 2 });
    expect(cli.run(['user', 'require-2fa', '--none']).stdout).toBe('second factor required for no role\n');
    expect(cli.run(['user', 'reset-2fa', 'cora']).stdout).toBe('cora had no second factor; nothing changed\n');
    expect(cli.run(['user', 'reset-2fa', 'nobody'])).toMatchObject({
      code: 2,
      stderr: 'error: id: no user "nobody"\n',
    });
    expect(cli.run(['user', 'revoke-sessions', 'cora', '--tokens']).stdout).toBe(
      'cora: 0 session(s) ended, 0 API token(s) revoked\n',
    );
  }, 120_000); // a dozen runs of the CLI

  it('has --help on every command', () => {
    for (const args of [
      [],
      ['serve'],
      ['demo'],
      ['import'],
      ['export'],
      ['verify'],
      ['history'],
      ['backup'],
      ['restore'],
      ['timestamp'],
      ['key', 'rotate'],
      ['user'],
      ['user', 'add'],
      ['user', 'list'],
      ['user', 'passwd'],
      ['user', 'disable'],
      ['user', 'reset-2fa'],
      ['user', 'require-2fa'],
      ['user', 'revoke-sessions'],
    ]) {
      const r = cli.run([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: vigil/);
    }
  }, 300_000); // seventeen processes, each loading the CLI (slow on a busy machine)

  it('shows the history of a record from the audit log', () => {
    cli.run(['demo']);
    const facility = JSON.parse(cli.run(['export', '--type', 'facility']).stdout.trim());
    const r = cli.run(['history', facility.id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^\\d+\\t\\S+\\tVigil \\(system\\)\\tFacility recorded\\tfacility ${facility.id}\\timport\\n$`),
    );
    expect(cli.run(['history', facility.id, '--lang', 'ru']).stdout).toMatch(
      /\tVigil \(система\)\tУчреждение записано\t/,
    );
  });
});
