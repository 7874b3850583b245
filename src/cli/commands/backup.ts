import fs from 'node:fs';
import path from 'node:path';
import { writeBackup, type BackupKeys, type BackupSummary } from '../../services/backup.service.ts';
import type { Services } from '../../services/context.ts';
import { describeDatabase, identityKeySource } from '../../services/instance.service.ts';
import { signingPublicKey } from '../../services/signing-key.service.ts';
import { formatBytes, startProgress, type Progress } from '../progress.ts';
import { keyFileFromEnv, signingKeyFileFromEnv } from '../runtime.ts';

/**
 * `vigil backup FILE`: one archive with a consistent copy of the database, every evidence file
 * and a manifest (services/backup.service.ts), with a progress bar per phase. Needs no key and
 * never makes one: the fingerprints come from the database and from key files that exist.
 */
export async function backupCommand(svc: Services, file: string): Promise<string[]> {
  let bar: Progress | undefined;
  let phase = '';
  const keys = keysAsConfigured();
  try {
    const r = await writeBackup(svc, file, keys, (p, done, total) => {
      if (p !== phase || bar === undefined) {
        bar?.stop();
        phase = p;
        bar =
          p === 'database'
            ? startProgress('copying the database', total, { unit: 'pages' })
            : startProgress('writing the backup', total, { unit: '', format: formatBytes });
      }
      bar.setTotal(total);
      bar.update(done);
    });
    bar?.stop();
    bar = undefined;
    return describeBackup(svc, r, keys);
  } finally {
    bar?.stop();
  }
}

/** The fingerprints of the keys as they are configured, read without creating any. */
function keysAsConfigured(env: NodeJS.ProcessEnv = process.env): BackupKeys {
  const keyFile = keyFileFromEnv(env);
  const signingFile = signingKeyFileFromEnv(env);
  let identity: string | null = null;
  try {
    const source = identityKeySource(keyFile, env);
    if (source.kind !== 'none') identity = source.fingerprint;
  } catch {
    /* an unreadable key file: the database's record names the key anyway */
  }
  let signing: { fingerprint: string; publicKey: string } | null = null;
  if (fs.existsSync(signingFile)) {
    try {
      const publicKey = signingPublicKey(signingFile);
      signing = { fingerprint: publicKey.fingerprint, publicKey: publicKey.base64 };
    } catch {
      /* as above */
    }
  }
  return {
    identity: { file: path.basename(keyFile), fingerprint: identity },
    signing: {
      file: path.basename(signingFile),
      fingerprint: signing?.fingerprint ?? null,
      publicKey: signing?.publicKey ?? null,
    },
  };
}

/** What `vigil backup` prints: what was written, and the keys to keep with it. */
function describeBackup(svc: Services, r: BackupSummary, configured: BackupKeys): string[] {
  const m = r.manifest;
  const { identity, signing } = m.keys;
  const lines = [
    `backup: ${describeDatabase(svc.store.config)}, ${m.evidence.items} evidence items in ${m.evidence.files} files (${formatBytes(m.evidence.bytes)}), audit chain at entry ${m.chainHead.seq}, written to ${r.file} (${formatBytes(r.size)})`,
    `archive sha256: ${r.sha256}`,
    m.signedHead
      ? `signed head: entry ${m.signedHead.seq}, hash ${m.signedHead.hash.slice(0, 16)}…, signed at ${m.signedHead.at} by key ${m.signedHead.instance}`
      : 'signed head: none (no head of this chain was signed yet)',
    'keys: NOT in this archive. Keep them apart from it (another medium, another place); a restore needs them back:',
    `  identity key (${identity.file}): ${identity.fingerprint ? `fingerprint ${identity.fingerprint} (key id ${identity.fingerprint.slice(0, 16)})` : 'none recorded (nothing sealed yet)'}`,
    `  signing key (${signing.file}): ${signing.fingerprint ? `fingerprint ${signing.fingerprint}` : 'none yet'}`,
  ];
  const mine = configured.identity.fingerprint;
  if (mine && identity.fingerprint && mine !== identity.fingerprint) {
    lines.push(
      `  warning: the configured identity key has fingerprint ${mine.slice(0, 16)}, not this database's: keep the key with the fingerprint above`,
    );
  }
  if (configured.signing.fingerprint && signing.fingerprint && configured.signing.fingerprint !== signing.fingerprint) {
    lines.push(
      `  warning: the signing key file has fingerprint ${configured.signing.fingerprint}, not the key that signed this database's heads: keep the key with the fingerprint above`,
    );
  }
  return lines;
}
