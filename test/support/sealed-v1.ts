/**
 * A value sealed as Vigil did before format v2 (AES-256-GCM under the HKDF identity key, with
 * `aad` alone as associated data), for tests of the upgrade from databases written back then.
 */
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';

export function sealV1(master: Buffer, plaintext: string, aad: string): string {
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'vigil identity encryption v1', 32));
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return `v1.${iv.toString('base64url')}.${ct.toString('base64url')}.${c.getAuthTag().toString('base64url')}`;
}
