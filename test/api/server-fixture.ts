import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { buildServer, type ServerOptions, type VigilServer } from '../../src/api/server.ts';
import { demoLines } from '../../src/demo/la-155-18.ts';
import { SYSTEM, makeServices, type Services } from '../../src/services/context.ts';
import { formatRejected, importRecords, linesOf } from '../../src/services/import.service.ts';
import { Keyring } from '../../src/store/keyring.ts';
import type { TestDialect } from '../support/databases.ts';
import { fakeClock, openTestStore } from '../support/store.ts';

/** A logger that keeps every JSON line it writes, for tests that check what reaches the log. */
export function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const written: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void written.push(s) });
  return {
    logger,
    lines: () => written.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => written.join(''),
  };
}

export interface TestServer {
  app: VigilServer;
  svc: Services;
  dispose(): Promise<void>;
}

/**
 * A server on a fresh database of `dialect`, optionally with the LA-155/18 demo case loaded
 * through the import service. `extend` may add test-only routes before the server is ready.
 */
export async function openTestServer(
  dialect: TestDialect,
  opts: { demo?: boolean; logger?: Logger; bodyLimit?: number; extend?: (app: VigilServer) => void } = {},
): Promise<TestServer> {
  const { store, blobs, dispose } = await openTestStore(dialect);
  try {
    const svc = makeServices(store, new Keyring(randomBytes(32)), { clock: fakeClock(), blobs });
    if (opts.demo) {
      const rejected: string[] = [];
      await importRecords(svc, SYSTEM, linesOf(demoLines()), { onReject: (r) => rejected.push(formatRejected(r)) });
      if (rejected.length > 0) throw new Error(`demo import rejected lines:\n${rejected.join('\n')}`);
    }
    const serverOpts: ServerOptions = { svc, logger: opts.logger ?? pino({ level: 'silent' }) };
    if (opts.bodyLimit !== undefined) serverOpts.bodyLimit = opts.bodyLimit;
    const app = buildServer(serverOpts);
    opts.extend?.(app);
    await app.ready();
    return {
      app,
      svc,
      async dispose() {
        await app.close();
        await dispose();
      },
    };
  } catch (err) {
    await dispose();
    throw err;
  }
}
