import { loadSigningKey, signingKeyFile, type SigningKey } from '../../evidence/signing-key.ts';
import { keyFileFromEnv } from '../runtime.ts';

/** Where the instance's signing key lives: VIGIL_SIGNING_KEY_FILE, or `vigil-signing.key` beside the encryption key file. */
export function signingKeyFileFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return signingKeyFile(keyFileFromEnv(env), env);
}

/** The instance's signing key, created on first need. */
export function instanceSigningKey(env: NodeJS.ProcessEnv = process.env): SigningKey {
  return loadSigningKey(signingKeyFileFromEnv(env));
}

/**
 * `vigil key show`: the public half of the signing key, for whoever must check bundles —
 * everything by default; `pem` or `base64` alone for scripts (`--key "$(vigil key show --format base64)"`).
 */
export function keyShowCommand(format: 'all' | 'pem' | 'base64' | 'fingerprint'): string {
  const file = signingKeyFileFromEnv();
  const { publicKey } = loadSigningKey(file);
  if (format === 'pem') return publicKey.pem;
  if (format === 'base64') return `${publicKey.base64}\n`;
  if (format === 'fingerprint') return `${publicKey.fingerprint}\n`;
  return [
    'Ed25519 signing key of this instance (it signs evidence bundles)',
    `fingerprint: ${publicKey.fingerprint}`,
    `public key (32 bytes, base64): ${publicKey.base64}`,
    `key file: ${file}`,
    publicKey.pem.trimEnd(),
    '',
  ].join('\n');
}
