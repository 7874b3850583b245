/**
 * The timestamp check of the offline bundle verifier: each file the manifest lists with a token
 * must have that token in the zip, byte for byte (its SHA-256 is in the signed manifest), and,
 * with the TSA's certificate, the token must verify against it and cover the file's SHA-256.
 * The token is the TSA's word, not the instance's: a bundle re-signed with a stolen instance key
 * still cannot carry a token from the past for a file it did not have then.
 *
 * No database, no network: pkijs through timestamp-token.ts, and node:crypto.
 */
import { createHash } from 'node:crypto';
import { TIMESTAMPS_DIR, isSafeEntryName, type ManifestShape } from './bundle-format.ts';
import { verifyToken, type TrustedTsa } from './timestamp-token.ts';

/** A file whose token verified: when the TSA saw its hash, and which TSA. */
export interface FileTimestamp {
  readonly path: string;
  readonly genTime: string;
  readonly tsa: string;
}

/** The outcome: ok (checked), failed (the first problem), or null (present but not checked: no certificate given). */
export interface TimestampsResult {
  readonly ok: boolean | null;
  readonly detail: string;
  readonly files: FileTimestamp[];
}

/** The token paths the manifest lists, so the "nothing added" check accepts them. */
export function listedTokenPaths(manifest: ManifestShape): Set<string> {
  return new Set(manifest.files.flatMap((f) => (f.timestamp ? [f.timestamp.path] : [])));
}

/** Whether the manifest lists any token (the check runs only then). */
export function hasTimestamps(manifest: ManifestShape): boolean {
  return manifest.files.some((f) => f.timestamp !== undefined);
}

const MAX_TOKEN_BYTES = 1024 * 1024;

/** Checks the listed tokens; `read` gives an entry's bytes (null when the zip has no such entry). */
export async function checkTimestamps(
  manifest: ManifestShape,
  read: (name: string, maxBytes: number) => Promise<Buffer | null>,
  trusted: TrustedTsa | undefined,
): Promise<TimestampsResult> {
  const listed = manifest.files.flatMap((f) => (f.timestamp === undefined ? [] : [{ f, t: f.timestamp }]));
  const files: FileTimestamp[] = [];
  const tsas = new Set<string>();
  for (const { f, t } of listed) {
    const fail = (why: string): TimestampsResult => ({ ok: false, detail: `${f.path}: ${why}`, files });
    if (!t.path.startsWith(TIMESTAMPS_DIR) || !isSafeEntryName(t.path))
      return fail(`manifest.json names its timestamp token at an unexpected path: ${t.path}`);
    let bytes: Buffer | null;
    try {
      bytes = await read(t.path, MAX_TOKEN_BYTES);
    } catch (err) {
      return fail(`its timestamp token ${t.path} cannot be read, it is damaged (${(err as Error).message})`);
    }
    if (!bytes)
      return fail(`its timestamp token ${t.path} is listed in the manifest but missing from the bundle (removed?)`);
    const got = createHash('sha256').update(bytes).digest('hex');
    if (got !== t.sha256)
      return fail(`its timestamp token ${t.path} was altered: its SHA-256 is ${got}, the manifest says ${t.sha256}`);
    if (!trusted) continue;
    const check = await verifyToken(bytes, Buffer.from(f.sha256, 'hex'), trusted);
    if (!check.ok) return fail(`its timestamp token is BROKEN: ${check.message}`);
    files.push({ path: f.path, genTime: check.info.genTime.toISOString(), tsa: check.tsa });
    tsas.add(check.tsa);
  }
  const n = `${listed.length} of ${manifest.files.length} file${manifest.files.length === 1 ? '' : 's'}`;
  if (!trusted) {
    return {
      ok: null,
      detail: `${n} carry an RFC 3161 token, present but not checked: give the TSA's certificate with --tsa-cert FILE`,
      files,
    };
  }
  return {
    ok: true,
    detail: `${n} carry an RFC 3161 token that verifies against the TSA certificate (${[...tsas].join(', ')}) and covers the file's SHA-256`,
    files,
  };
}
