/**
 * Test databases on both dialects.
 *
 * Every repository/service test runs once per dialect:
 *
 *   describeEachDialect('case repository', (dialect) => {
 *     let db: Awaited<ReturnType<typeof freshDatabaseConfig>>;
 *     beforeEach(async () => { db = await freshDatabaseConfig(dialect); });
 *     afterEach(async () => { await db.drop(); });
 *     it('...', async () => { ... open a store with db.config ... });
 *   });
 *
 * SQLite gets a new file in a new temp dir; PostgreSQL gets a new database on the server that
 * test/setup/postgres.global.ts provides (a throwaway cluster, or DATABASE_URL).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';
import type { DatabaseConfig } from '../../src/store/config.ts';

export type TestDialect = 'sqlite' | 'postgres';

export const TEST_DIALECTS: TestDialect[] = ['sqlite', 'postgres'];

/** Where a store lives: the store's own type, for tests that build one. */
export type { DatabaseConfig };

export interface FreshDatabase {
  config: DatabaseConfig;
  /** Removes the database (idempotent). */
  drop(): Promise<void>;
}

export async function freshDatabaseConfig(dialect: TestDialect): Promise<FreshDatabase> {
  switch (dialect) {
    case 'sqlite':
      return freshSqlite();
    case 'postgres':
      return freshPostgres();
    default: {
      const never: never = dialect;
      throw new Error(`unknown test dialect: ${String(never)}`);
    }
  }
}

/**
 * `describe.each` over both dialects; the suite name ends in `[sqlite]` / `[postgres]`
 * (CI counts the tests whose full name contains `[postgres]`).
 */
export function describeEachDialect(name: string, fn: (dialect: TestDialect) => void): void {
  describe.each(TEST_DIALECTS)(`${name} [%s]`, fn);
}

/** The admin URL of the test PostgreSQL server. */
function pgAdminUrl(): string {
  const url = inject('pgAdminUrl');
  if (typeof url !== 'string' || url === '') {
    throw new Error('pgAdminUrl was not provided: is test/setup/postgres.global.ts configured as vitest globalSetup?');
  }
  return url;
}

async function freshSqlite(): Promise<FreshDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-sqlite-'));
  return {
    config: { dialect: 'sqlite', file: join(dir, 'vigil.db') },
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

async function freshPostgres(): Promise<FreshDatabase> {
  const adminUrl = pgAdminUrl();
  const name = `vigil_t_${randomBytes(8).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    config: { dialect: 'postgres', url: url.toString() },
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
