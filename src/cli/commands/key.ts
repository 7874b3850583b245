import { VigilError } from '../../domain/errors.ts';
import { identityKeySource } from '../../services/instance.service.ts';
import {
  instanceSigningKey as loadInstanceSigningKey,
  signingPublicKey,
  type SigningKey,
} from '../../services/signing-key.service.ts';
import { keyFileFromEnv, signingKeyFileFromEnv } from '../runtime.ts';

/** The instance's signing key, created on first need. */
export function instanceSigningKey(env: NodeJS.ProcessEnv = process.env): SigningKey {
  return loadInstanceSigningKey(signingKeyFileFromEnv(env));
}

/** The identity key's fingerprint (never the key), or a line saying there is none yet. */
function identityKeyLines(env: NodeJS.ProcessEnv): string[] {
  const source = identityKeySource(keyFileFromEnv(env), env);
  if (source.kind === 'none')
    return [
      'Identity key (it seals identities): none yet; made on first start for a database without sealed data',
      `key file: ${source.file}`,
    ];
  const fingerprint = source.fingerprint;
  return [
    'Identity key of this instance (it seals identities; the database records this fingerprint and refuses another key)',
    `fingerprint: ${fingerprint} (key id ${fingerprint.slice(0, 16)})`,
    source.kind === 'env' ? 'key from: VIGIL_KEY' : `key file: ${source.file}`,
  ];
}

/**
 * `vigil key show`: the public half of the signing key, for whoever must check bundles, and the
 * identity key's fingerprint — everything by default; `pem`, `base64` or `fingerprint` (the signing
 * key's) alone for scripts (`--key "$(vigil key show --format base64)"`), `identity-fingerprint` for the identity key's.
 */
export function keyShowCommand(
  format: 'all' | 'pem' | 'base64' | 'fingerprint' | 'identity-fingerprint',
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (format === 'identity-fingerprint') {
    const source = identityKeySource(keyFileFromEnv(env), env);
    if (source.kind === 'none')
      throw new VigilError('key.missing', `no identity key: ${source.file} does not exist and VIGIL_KEY is not set`);
    return `${source.fingerprint}\n`;
  }
  const file = signingKeyFileFromEnv();
  const publicKey = signingPublicKey(file);
  if (format === 'pem') return publicKey.pem;
  if (format === 'base64') return `${publicKey.base64}\n`;
  if (format === 'fingerprint') return `${publicKey.fingerprint}\n`;
  return [
    "Ed25519 signing key of this instance (it signs the audit chain's heads and evidence bundles)",
    `fingerprint: ${publicKey.fingerprint}`,
    `public key (32 bytes, base64): ${publicKey.base64}`,
    `key file: ${file}`,
    publicKey.pem.trimEnd(),
    '',
    ...identityKeyLines(env),
    '',
  ].join('\n');
}
