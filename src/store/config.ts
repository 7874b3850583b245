import path from 'node:path';
import { VigilError } from '../domain/errors.ts';

/** Where the records live: an embedded SQLite file, or a PostgreSQL server. */
export type DatabaseConfig = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

/** Default data directory (`./data`), overridable with VIGIL_DATA_DIR. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.VIGIL_DATA_DIR ?? 'data');
}

/** DATABASE_URL=postgres://… selects PostgreSQL; anything else is SQLite in the data directory. */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { dialect: 'sqlite', file: path.join(dataDirFromEnv(env), 'vigil.db') };
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  if (url.startsWith('sqlite:')) return { dialect: 'sqlite', file: path.resolve(url.slice('sqlite:'.length)) };
  throw new VigilError('config.invalid', 'DATABASE_URL must start with postgres://, postgresql:// or sqlite:', {
    path: 'DATABASE_URL',
  });
}

/** A printable form of the config that never shows a password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.dialect === 'sqlite') return `sqlite ${config.file}`;
  try {
    const u = new URL(config.url);
    if (u.password) u.password = '***';
    return `postgres ${u.toString()}`;
  } catch {
    return 'postgres (unparseable url)';
  }
}
