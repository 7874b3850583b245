import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { DatabaseConfig, FreshDatabase, TestDialect } from './databases.ts';
import { describeEachDialect, freshDatabaseConfig } from './databases.ts';

/** Runs `select 1` (and, on PostgreSQL, `show server_version`) against a config. */
async function probe(config: DatabaseConfig): Promise<{ one: number; serverVersion?: string }> {
  if (config.dialect === 'sqlite') {
    const db = new Database(config.file);
    try {
      const row = db.prepare('select 1 as one').get() as { one: number };
      return { one: row.one };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    const one = await client.query<{ one: number }>('select 1 as one');
    const version = await client.query<{ server_version: string }>('show server_version');
    return { one: one.rows[0]!.one, serverVersion: version.rows[0]!.server_version };
  } finally {
    await client.end();
  }
}

async function postgresDatabaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await client.connect();
  try {
    const res = await client.query('select 1 from pg_database where datname = $1', [name]);
    return res.rowCount === 1;
  } finally {
    await client.end();
  }
}

function location(config: DatabaseConfig): string {
  return config.dialect === 'sqlite' ? config.file : config.url;
}

/** The dialects describeEachDialect gave its body, in order (filled while the file is collected). */
const bodiesRun: TestDialect[] = [];
describeEachDialect('describeEachDialect', (dialect) => {
  bodiesRun.push(dialect);
  it('runs the body inside a suite named for its dialect', ({ task }) => {
    expect(task.suite?.name).toBe(`describeEachDialect [${dialect}]`);
  });
});

describe('test dialects', () => {
  it('runs a dialect suite once on SQLite and once on PostgreSQL', () => {
    expect(bodiesRun).toEqual(['sqlite', 'postgres']);
  });

  it('provides a PostgreSQL admin URL', () => {
    expect(inject('pgAdminUrl')).toMatch(/^postgres(ql)?:\/\//);
  });
});

describeEachDialect('freshDatabaseConfig', (dialect: TestDialect) => {
  const created: FreshDatabase[] = [];
  const fresh = async (): Promise<FreshDatabase> => {
    const db = await freshDatabaseConfig(dialect);
    created.push(db);
    return db;
  };

  afterEach(async () => {
    await Promise.all(created.splice(0).map((db) => db.drop()));
  });

  it('labels the suite with the dialect', ({ task }) => {
    expect(task.suite?.name).toContain(`[${dialect}]`);
  });

  it('returns a config of the requested dialect that can be queried', async () => {
    const { config } = await fresh();
    expect(config.dialect).toBe(dialect);
    const result = await probe(config);
    expect(result.one).toBe(1);
    if (dialect === 'postgres') {
      expect(result.serverVersion).toMatch(/^\d+/);
      expect(Number.parseInt(result.serverVersion!, 10)).toBeGreaterThanOrEqual(13);
    }
  });

  it('gives two fresh databases that are distinct', async () => {
    const a = await fresh();
    const b = await fresh();
    expect(location(a.config)).not.toBe(location(b.config));

    // Data written to one is not visible in the other.
    if (a.config.dialect === 'sqlite' && b.config.dialect === 'sqlite') {
      const dbA = new Database(a.config.file);
      dbA.exec("create table marker (v text); insert into marker values ('a')");
      dbA.close();
      const dbB = new Database(b.config.file);
      const row = dbB.prepare("select count(*) as n from sqlite_master where name = 'marker'").get() as { n: number };
      dbB.close();
      expect(row.n).toBe(0);
    } else if (a.config.dialect === 'postgres' && b.config.dialect === 'postgres') {
      const clientA = new pg.Client({ connectionString: a.config.url });
      await clientA.connect();
      await clientA.query("create table marker (v text); insert into marker values ('a')");
      await clientA.end();
      const clientB = new pg.Client({ connectionString: b.config.url });
      await clientB.connect();
      const res = await clientB.query("select to_regclass('public.marker') as t");
      await clientB.end();
      expect(res.rows[0].t).toBeNull();
    } else {
      throw new Error('dialect mismatch');
    }
  });

  it('drop removes the database, even with an open connection, and is idempotent', async () => {
    const db = await freshDatabaseConfig(dialect);
    const { config } = db;
    await probe(config);

    if (config.dialect === 'sqlite') {
      const open = new Database(config.file);
      expect(existsSync(config.file)).toBe(true);
      await db.drop();
      open.close();
      expect(existsSync(dirname(config.file))).toBe(false);
    } else {
      const name = new URL(config.url).pathname.slice(1);
      expect(name).toMatch(/^vigil_t_[0-9a-f]+$/);
      expect(await postgresDatabaseExists(name)).toBe(true);
      const open = new pg.Client({ connectionString: config.url });
      open.on('error', () => undefined); // the forced drop terminates this session
      await open.connect();
      await db.drop();
      await open.end().catch(() => undefined);
      expect(await postgresDatabaseExists(name)).toBe(false);
    }
    await db.drop();
  });
});
