import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DatabaseConfig } from '../../src/store/config.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/vigil.js');

/** An isolated Vigil installation for CLI tests: its own data directory, key and database. */
export interface CliEnv {
  dir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], opts?: { input?: string; timeoutMs?: number }): { code: number; stdout: string; stderr: string };
  spawn(args: string[]): ReturnType<typeof spawn>;
  cleanup(): void;
}

/** Makes a CLI environment on the given database (SQLite file in the temp dir, or a PostgreSQL URL). */
export function cliEnv(config: DatabaseConfig, key = randomBytes(32).toString('hex')): CliEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-cli-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VIGIL_DATA_DIR: dir,
    VIGIL_KEY: key,
    DATABASE_URL: config.dialect === 'postgres' ? config.url : `sqlite:${config.file}`,
    FORCE_COLOR: '0',
  };
  return {
    dir,
    env,
    run(args, opts = {}) {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        env,
        cwd: dir,
        input: opts.input,
        encoding: 'utf8',
        timeout: opts.timeoutMs ?? 120_000,
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    spawn(args) {
      return spawn(process.execPath, [BIN, ...args], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
