import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, startServer } from '../../src/api/server.ts';
import { makeServices, type Services } from '../../src/services/context.ts';
import { Keyring } from '../../src/store/keyring.ts';
import { openTestStore } from '../support/store.ts';

describe('startServer', () => {
  let svc: Services;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const opened = await openTestStore('sqlite');
    svc = makeServices(opened.store, new Keyring(randomBytes(32)));
    dispose = opened.dispose;
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('listens on loopback by default, answers over real HTTP, and closes when aborted', async () => {
    const stop = new AbortController();
    const address = await startServer({ svc, port: 0, logger: pino({ level: 'silent' }), signal: stop.signal });
    try {
      expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${address}/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
      expect(await res.json()).toEqual({ status: 'ok', database: 'sqlite' });
    } finally {
      stop.abort();
    }
    await expect
      .poll(() =>
        fetch(`${address}/health`).then(
          () => 'open',
          () => 'closed',
        ),
      )
      .toBe('closed');
  });

  it('fails cleanly when the port is taken', async () => {
    const stop = new AbortController();
    const address = await startServer({ svc, port: 0, logger: pino({ level: 'silent' }), signal: stop.signal });
    try {
      const port = Number(new URL(address).port);
      await expect(startServer({ svc, port, logger: pino({ level: 'silent' }) })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      stop.abort();
    }
  });

  it('answers /health with 503 when the database does not', async () => {
    const other = await openTestStore('sqlite');
    const app = buildServer({
      svc: makeServices(other.store, new Keyring(randomBytes(32))),
      logger: pino({ level: 'silent' }),
    });
    try {
      await other.store.close();
      const res = await app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable', database: 'sqlite' });
    } finally {
      await app.close();
      await other.dispose().catch(() => undefined);
    }
  });
});
