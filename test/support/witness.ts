/**
 * Witness helpers for tests: a partner's witness token, heads signed by a key made for the test,
 * and servers on loopback.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildServer, type VigilServer } from '../../src/api/server.ts';
import { FsBlobStore } from '../../src/evidence/fs-blob-store.ts';
import {
  SIGNING_KEY_FILE_NAME,
  ephemeralSigningKey,
  headSignerOf,
  loadSigningKey,
} from '../../src/evidence/signing-key.ts';
import { createApiToken } from '../../src/services/api-token.service.ts';
import { makeServices, type Services } from '../../src/services/context.ts';
import { WitnessScheduler } from '../../src/services/witness/witness-scheduler.service.ts';
import type { Witness } from '../../src/services/witness/witness.ts';
import { signHead, type HeadSigner, type SignedHead } from '../../src/store/audit-signature.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { bearerHeaders, makeUser } from '../api/auth-fixture.ts';
import { freshDatabaseConfig, type FreshDatabase, type TestDialect } from './databases.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/vigil.js');

/** A token with the witness scope, made by a new admin, as a partner would hold it. */
export async function witnessToken(
  svc: Services,
  name = 'partner',
): Promise<{ token: string; id: string; headers: { authorization: string } }> {
  const admin = await makeUser(svc, 'admin');
  const made = await createApiToken(svc, admin, { name, scope: 'witness' });
  return { token: made.token, id: made.id, headers: { authorization: `Bearer ${made.token}` } };
}

/** A signer with a fresh key, standing for a partner instance. */
export function partnerSigner(): HeadSigner {
  return headSignerOf(ephemeralSigningKey());
}

/** A head of entry `seq` signed by `signer`; the hash is derived from `variant` so two variants contradict each other. */
export function headOf(signer: HeadSigner, seq: number, variant = 'a'): SignedHead {
  const hash = createHash('sha256').update(`${variant}:${seq}`).digest('hex');
  return signHead(signer, { seq, hash, at: new Date(Date.UTC(2022, 1, 1, 9, 0, seq)).toISOString() });
}

/** A port on 127.0.0.1 that nothing listens on (taken, then let go). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** A server on loopback that accepts connections and never answers (a witness that hangs). */
export async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    },
  };
}

/**
 * A whole Vigil instance for witness tests: a data directory with a real signing key file and an
 * identity key (so the CLI can open it too), a fresh database, the server listening on
 * 127.0.0.1 with the witness scheduler wired in, and the scheduler itself set later (its
 * witnesses need the partner's URL and token, which exist only once the partner is up).
 */
export interface TestInstance {
  readonly dir: string;
  readonly identityKey: string;
  readonly db: FreshDatabase;
  readonly store: Store;
  readonly svc: Services;
  readonly url: string;
  readonly app: VigilServer;
  readonly signer: HeadSigner;
  /** Starts pushing to these witnesses (debounced by 20 ms). */
  witnessWith(witnesses: Witness[], opts?: { clock?: () => Date }): WitnessScheduler;
  readonly scheduler: WitnessScheduler | undefined;
  /** A full-scope bearer header of a new monitor (who may record facilities) on this instance. */
  writerHeaders(): Promise<{ authorization: string }>;
  /** Stops the server and the scheduler and closes the store; the database and the directory stay. */
  stop(): Promise<void>;
  /** Stops, then drops the database and removes the directory. */
  dispose(): Promise<void>;
}

export async function openInstance(
  dialect: TestDialect,
  opts: {
    dir?: string;
    identityKey?: string;
    db?: FreshDatabase;
    port?: number;
    clock?: () => Date;
    listen?: boolean;
  } = {},
): Promise<TestInstance> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-instance-'));
  const identityKey = opts.identityKey ?? randomBytes(32).toString('hex');
  const signer = headSignerOf(loadSigningKey(path.join(dir, SIGNING_KEY_FILE_NAME)));
  const db = opts.db ?? (await freshDatabaseConfig(dialect));
  const store = await openStore(db.config, { signer });
  const svc = makeServices(store, new Keyring(Buffer.from(identityKey, 'hex')), {
    blobs: new FsBlobStore(path.join(dir, 'blobs')),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  let scheduler: WitnessScheduler | undefined;
  const app = buildServer({ svc, logger: pino({ level: 'silent' }), afterWrite: { nudge: () => scheduler?.nudge() } });
  let url = '';
  if (opts.listen !== false) url = await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  else await app.ready();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await scheduler?.stop();
    await app.close();
    await store.close();
  };
  return {
    dir,
    identityKey,
    db,
    store,
    svc,
    url,
    app,
    signer,
    get scheduler() {
      return scheduler;
    },
    witnessWith(witnesses, o = {}) {
      scheduler = new WitnessScheduler(store, witnesses, {
        debounceMs: 20,
        tickMs: 60_000,
        ...(o.clock ? { clock: o.clock } : {}),
      });
      return scheduler.start();
    },
    writerHeaders: async () => bearerHeaders(svc, 'monitor'),
    stop,
    async dispose() {
      await stop();
      await db.drop();
      if (!opts.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A write through the HTTP layer, as a user makes one: a new facility; resolves to the status. */
export async function writeFacility(
  i: Pick<TestInstance, 'app'>,
  headers: Record<string, string>,
  name: string,
): Promise<number> {
  const res = await i.app.inject({
    method: 'POST',
    url: '/api/v1/facilities',
    headers,
    payload: { name, kind: 'pretrial_detention' },
  });
  return res.statusCode;
}

/** Waits until `check` holds (polling every 20 ms), or fails after `ms`. */
export async function eventually(check: () => Promise<boolean>, ms = 10_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs the CLI without blocking this process (a server in this process must be able to answer it). */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, FORCE_COLOR: '0', ...env },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The environment the CLI needs to open an instance: its data directory, identity key and database. */
export function cliEnvOf(i: Pick<TestInstance, 'dir' | 'identityKey' | 'db'>): NodeJS.ProcessEnv {
  const c = i.db.config;
  return {
    VIGIL_DATA_DIR: i.dir,
    VIGIL_KEY: i.identityKey,
    DATABASE_URL: c.dialect === 'postgres' ? c.url : `sqlite:${c.file}`,
  };
}
