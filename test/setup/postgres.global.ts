/**
 * Vitest global setup: makes a PostgreSQL server available to every test run.
 *
 * - If DATABASE_URL is a postgres:// or postgresql:// URL, that server is used as the admin
 *   connection (tests create and drop their own databases on it).
 * - Otherwise a throwaway cluster is created in a temp dir (initdb + pg_ctl), started on a free
 *   port on 127.0.0.1 with durability switched off, and removed again on teardown. As root the
 *   binaries run as the `postgres` system user, because PostgreSQL refuses to run as root.
 *
 * The admin URL is handed to tests with `project.provide('pgAdminUrl', url)`; read it with
 * `inject('pgAdminUrl')` (see test/support/databases.ts). If PostgreSQL cannot be reached or
 * started this setup throws, so the run fails instead of silently skipping PostgreSQL tests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

const SERVER_USER = 'postgres';
const START_ATTEMPTS = 3;
const READY_TIMEOUT_MS = 30_000;

interface Cluster {
  dir: string;
  dataDir: string;
  logFile: string;
  pgCtl: string;
  asUser: string | undefined;
  stopped: boolean;
}

interface RunResult {
  code: number | null;
  output: string;
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.DATABASE_URL;
  if (external !== undefined && /^postgres(ql)?:\/\//.test(external)) {
    await waitUntilReady(external, 10_000, () => `PostgreSQL at DATABASE_URL (${redact(external)}) is not reachable`);
    project.provide('pgAdminUrl', external);
    return undefined;
  }

  const started = Date.now();
  const cluster = await startCluster();
  const url = `postgres://vigil@127.0.0.1:${cluster.port}/postgres`;
  project.provide('pgAdminUrl', url);
  if (process.env.VIGIL_PG_DEBUG) {
    console.log(
      `[postgres.global] throwaway PostgreSQL ready at ${url} in ${Date.now() - started} ms (${cluster.dir})`,
    );
  }

  // Last resort if the process exits without running the teardown (e.g. a crash).
  const onExit = (): void => stopClusterSync(cluster);
  process.once('exit', onExit);

  return async () => {
    process.removeListener('exit', onExit);
    await stopCluster(cluster);
  };
}

async function startCluster(): Promise<Cluster & { port: number }> {
  const binDir = findBinDir();
  const initdb = join(binDir, 'initdb');
  const pgCtl = join(binDir, 'pg_ctl');
  const asUser = process.getuid?.() === 0 ? SERVER_USER : undefined;

  let dir: string;
  try {
    dir = makeTempDir(asUser);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`Could not prepare a data directory for a throwaway PostgreSQL: ${message}`, { cause: err });
  }
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const cluster: Cluster = { dir, dataDir, logFile, pgCtl, asUser, stopped: false };

  try {
    // initdb: try the UTF-8 C locale first, fall back to plain C.
    const baseArgs = ['-D', dataDir, '-A', 'trust', '-U', 'vigil', '-E', 'UTF8', '--no-sync'];
    let init = await run(initdb, [...baseArgs, '--locale=C.UTF-8'], asUser, dir);
    if (init.code !== 0) {
      rmSync(dataDir, { recursive: true, force: true });
      const fallback = await run(initdb, [...baseArgs, '--locale=C'], asUser, dir);
      if (fallback.code !== 0) {
        throw new Error(
          `initdb failed (${initdb}).\n--- with --locale=C.UTF-8 ---\n${tail(init.output)}\n--- with --locale=C ---\n${tail(fallback.output)}`,
        );
      }
      init = fallback;
    }

    // pg_ctl start on a free port; retry on a new port if we lose a port race.
    let lastError = '';
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const port = await freePort();
      const options = [
        `-k ${dir}`,
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=300',
      ].join(' ');
      const start = await run(
        pgCtl,
        ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', options],
        asUser,
        dir,
      );
      if (start.code === 0) {
        const url = `postgres://vigil@127.0.0.1:${port}/postgres`;
        await waitUntilReady(
          url,
          READY_TIMEOUT_MS,
          () => `PostgreSQL started but does not accept connections on port ${port}`,
          logFile,
        );
        return { ...cluster, port };
      }
      lastError = `pg_ctl start (attempt ${attempt}, port ${port}) exited with ${start.code}:\n${tail(start.output)}\n--- ${logFile} ---\n${readTail(logFile)}`;
      // Make sure nothing is left half-running before retrying.
      await run(pgCtl, ['stop', '-m', 'immediate', '-D', dataDir], asUser, dir);
    }
    throw new Error(lastError);
  } catch (err) {
    await stopCluster(cluster);
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Could not start a throwaway PostgreSQL for the tests (binaries: ${binDir}, running as ${asUser ?? 'current user'}).\n` +
        `Set DATABASE_URL=postgres://... to use an existing server instead.\n${message}`,
      { cause: err },
    );
  }
}

async function stopCluster(cluster: Cluster): Promise<void> {
  if (cluster.stopped) return;
  cluster.stopped = true;
  if (existsSync(join(cluster.dataDir, 'postmaster.pid'))) {
    await run(cluster.pgCtl, ['stop', '-m', 'immediate', '-w', '-D', cluster.dataDir], cluster.asUser, cluster.dir);
  }
  rmSync(cluster.dir, { recursive: true, force: true });
}

function stopClusterSync(cluster: Cluster): void {
  if (cluster.stopped) return;
  cluster.stopped = true;
  if (existsSync(join(cluster.dataDir, 'postmaster.pid'))) {
    const [cmd, args] = command(
      cluster.pgCtl,
      ['stop', '-m', 'immediate', '-w', '-D', cluster.dataDir],
      cluster.asUser,
    );
    spawnSync(cmd, args, { cwd: cluster.dir, stdio: 'ignore' });
  }
  rmSync(cluster.dir, { recursive: true, force: true });
}

/** The directory holding initdb and pg_ctl: PATH first, then the highest /usr/lib/postgresql/N/bin. */
function findBinDir(): string {
  const hasBoth = (d: string): boolean => isExecutable(join(d, 'initdb')) && isExecutable(join(d, 'pg_ctl'));
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d !== '' && hasBoth(d)) return d;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  for (const v of versions) {
    const d = join(root, v, 'bin');
    if (hasBoth(d)) return d;
  }
  throw new Error(
    'PostgreSQL binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin. ' +
      'Install PostgreSQL (e.g. apt-get install -y postgresql) or set DATABASE_URL=postgres://... to an existing server.',
  );
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A temp dir the server user can own; kept short because it also holds the Unix socket. */
function makeTempDir(asUser: string | undefined): string {
  const bases = [...new Set([tmpdir(), '/tmp'])].filter((b) => b.length <= 60);
  if (bases.length === 0) bases.push('/tmp');
  let lastError: unknown;
  for (const base of bases) {
    let dir: string | undefined;
    try {
      dir = mkdtempSync(join(base, 'vigil-pg-'));
      if (asUser === undefined) return dir;
      const ids = userIds(asUser);
      chownSync(dir, ids.uid, ids.gid);
      // The server user must also be able to reach the dir through its parents.
      const [cmd, args] = command('test', ['-w', dir], asUser);
      const probe = spawnSync(cmd, args, { cwd: '/', stdio: 'ignore' });
      if (probe.status === 0) return dir;
      lastError = new Error(`the '${asUser}' user cannot write to ${dir}`);
    } catch (err) {
      lastError = err;
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

function userIds(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  const fields = line?.split(':');
  const uid = Number(fields?.[2]);
  const gid = Number(fields?.[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error(
      `Running as root, but there is no '${user}' system user to run PostgreSQL as (PostgreSQL refuses to run as root).`,
    );
  }
  return { uid, gid };
}

/** The command line that runs `file args` as `asUser` (runuser, falling back to su). */
function command(file: string, args: string[], asUser: string | undefined): [string, string[]] {
  if (asUser === undefined) return [file, args];
  if (isExecutable('/usr/sbin/runuser') || isExecutable('/sbin/runuser') || onPath('runuser')) {
    return ['runuser', ['-u', asUser, '--', file, ...args]];
  }
  const quoted = [file, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  return ['su', [asUser, '-s', '/bin/sh', '-c', quoted]];
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d !== '' && isExecutable(join(d, name)));
}

function run(file: string, args: string[], asUser: string | undefined, cwd: string): Promise<RunResult> {
  const [cmd, cmdArgs] = command(file, args, asUser);
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(cmd, cmdArgs, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => resolve({ code: -1, output: `${output}\n${String(err)}` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

async function waitUntilReady(url: string, timeoutMs: number, what: () => string, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (err) {
      lastError = err;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${what()}: ${reason}${logFile ? `\n--- ${logFile} ---\n${readTail(logFile)}` : ''}`);
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function readTail(file: string): string {
  try {
    return tail(readFileSync(file, 'utf8'));
  } catch {
    return '(no log file)';
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
