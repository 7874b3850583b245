import fs from 'node:fs';
import path from 'node:path';
import { VigilError } from '../../domain/errors.ts';
import { signingPublicKey } from '../../services/signing-key.service.ts';
import { restoreBackup, type BackupManifest, type RestoreSummary } from '../../services/restore.service.ts';
import {
  databaseConfigFromEnv,
  dataDirFromEnv,
  describeDatabase,
  identityKeySource,
} from '../../services/instance.service.ts';
import { formatBytes, startProgress, type Progress } from '../progress.ts';
import { keyFileFromEnv, signingKeyFileFromEnv } from '../runtime.ts';

/**
 * `vigil restore FILE`: fills the empty VIGIL_DATA_DIR (and, on PostgreSQL, the empty database in
 * DATABASE_URL) from a backup archive, with a progress bar over the bytes. The key files may be
 * in the data directory already (the operator puts them back first); nothing else may. No key
 * is ever made here: the lines printed say which keys the restored data needs and whether they are there.
 */
export async function restoreCommand(file: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const dataDir = dataDirFromEnv(env);
  const database = databaseConfigFromEnv(env);
  const keyFile = keyFileFromEnv(env);
  const signingFile = signingKeyFileFromEnv(env);
  const mayExist = [keyFile, signingFile].filter((f) => path.dirname(f) === dataDir).map((f) => path.basename(f));
  let bar: Progress | undefined;
  let phase = '';
  let r: RestoreSummary;
  try {
    r = await restoreBackup(file, { dataDir, database, mayExist }, (p, done, total) => {
      if (p !== phase) {
        bar?.stop();
        phase = p;
        if (p === 'database') {
          bar = undefined;
          process.stderr.write('pg_restore: loading the database (one transaction)…\n');
        } else {
          bar = startProgress('restoring files', total, { unit: '', format: formatBytes });
        }
      }
      bar?.update(done);
    });
  } finally {
    bar?.stop();
  }
  const m = r.manifest;
  return [
    `restore: ${path.resolve(file)} into ${dataDir} (${describeDatabase(database)}): the database, ${m.evidence.items} evidence items in ${m.evidence.files} files (${formatBytes(m.evidence.bytes)}), audit chain at entry ${m.chainHead.seq}; every file matched its SHA-256`,
    m.signedHead
      ? `signed head: entry ${m.signedHead.seq} signed by key ${m.signedHead.instance} at ${m.signedHead.at}; its signature checks and the restored chain has it`
      : 'signed head: none in this backup (no head of its chain was signed)',
    ...keyLines(m, keyFile, signingFile, env),
  ];
}

/** Which keys the restored data needs, and whether they are back; reads key files only if they exist. */
function keyLines(m: BackupManifest, keyFile: string, signingFile: string, env: NodeJS.ProcessEnv): string[] {
  const lines: string[] = [];
  const wantIdentity = m.keys.identity.fingerprint;
  let identityMissing = false;
  try {
    const source = identityKeySource(keyFile, env);
    const where = source.kind === 'env' ? 'VIGIL_KEY' : keyFile;
    if (source.kind === 'none') {
      if (wantIdentity) {
        identityMissing = true;
        lines.push(
          `identity key: MISSING — put back the key with fingerprint ${wantIdentity} (key id ${wantIdentity.slice(0, 16)}) as ${keyFile} (mode 0600) or in VIGIL_KEY; until then vigil verify and vigil serve stop with key.missing, and no new key is made for this database`,
        );
      } else {
        lines.push('identity key: this backup recorded none (nothing was sealed); one is made on first start');
      }
    } else {
      const have = source.fingerprint;
      if (!wantIdentity) lines.push(`identity key: ${where} (key id ${have.slice(0, 16)}); this backup recorded none`);
      else if (have === wantIdentity)
        lines.push(`identity key: ${where} is this backup's (key id ${have.slice(0, 16)})`);
      else {
        identityMissing = true;
        lines.push(
          `identity key: ${where} has key id ${have.slice(0, 16)}, but this backup was sealed with key id ${wantIdentity.slice(0, 16)}: vigil verify and serve will refuse it (key.mismatch); put back the right key`,
        );
      }
    }
  } catch (err) {
    identityMissing = true;
    lines.push(`identity key: ${err instanceof VigilError ? err.toLine() : String(err)}`);
  }
  const wantSigning = m.keys.signing.fingerprint;
  if (!fs.existsSync(signingFile)) {
    lines.push(
      wantSigning
        ? `signing key: MISSING — put back ${signingFile} with fingerprint ${wantSigning} before vigil serve or vigil bundle: it signed this backup's heads and bundles, and a new key made in its place would not match them`
        : 'signing key: this backup recorded none; one is made on first need',
    );
  } else {
    try {
      const have = signingPublicKey(signingFile).fingerprint;
      if (!wantSigning) lines.push(`signing key: ${signingFile} (fingerprint ${have}); this backup recorded none`);
      else if (have === wantSigning) lines.push(`signing key: ${signingFile} is this backup's (fingerprint ${have})`);
      else
        lines.push(
          `signing key: ${signingFile} has fingerprint ${have}, but this backup's heads were signed by ${wantSigning}: put back the right key`,
        );
    } catch (err) {
      lines.push(`signing key: ${err instanceof VigilError ? err.toLine() : String(err)}`);
    }
  }
  lines.push(identityMissing ? 'next: put the identity key back, then run vigil verify' : 'next: vigil verify');
  return lines;
}
