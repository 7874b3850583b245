/**
 * What the console needs to know of this instance before any use case runs: where its database
 * and data are (from the environment), its key files and their fingerprints, and how files that
 * hold records are kept private. The CLI asks here rather than reaching into the store.
 */
import { readKeySource } from '../store/key-files.ts';
import { keyFingerprint } from '../store/keyring.ts';

export { databaseConfigFromEnv, dataDirFromEnv, describeDatabase, type DatabaseConfig } from '../store/config.ts';
export { nextKeyFile, readKeyFile, retiredKeyFile, writeNewKeyFile } from '../store/key-files.ts';
export { KEY_BYTES, keyFingerprint, lockedKeyring } from '../store/keyring.ts';
export { makePrivate, PRIVATE_FILE_MODE } from '../store/private-files.ts';

/** The identity key as configured: where it is and its fingerprint, or the file it would be made in. */
export type IdentityKeySource =
  | { kind: 'none'; file: string }
  | { kind: 'file'; file: string; fingerprint: string }
  | { kind: 'env'; fingerprint: string };

/** The configured identity key's fingerprint (never the key): from VIGIL_KEY, else the key file, if either exists. */
export function identityKeySource(keyFile: string, env: NodeJS.ProcessEnv = process.env): IdentityKeySource {
  const source = readKeySource({ keyFile, env });
  if (source.kind === 'none') return { kind: 'none', file: source.file };
  const fingerprint = keyFingerprint(source.master);
  return source.kind === 'env' ? { kind: 'env', fingerprint } : { kind: 'file', file: source.file, fingerprint };
}
