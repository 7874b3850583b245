/**
 * Witness helpers for tests: a partner's witness token, heads signed by a key made for the test,
 * and servers on loopback.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { ephemeralSigningKey, headSignerOf } from '../../src/evidence/signing-key.ts';
import { createApiToken } from '../../src/services/api-token.service.ts';
import type { Services } from '../../src/services/context.ts';
import { signHead, type HeadSigner, type SignedHead } from '../../src/store/audit-signature.ts';
import { makeUser } from '../api/auth-fixture.ts';

/** A token with the witness scope, made by a new admin, as a partner would hold it. */
export async function witnessToken(svc: Services, name = 'partner'): Promise<{ token: string; id: string; headers: { authorization: string } }> {
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
