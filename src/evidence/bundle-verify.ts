/**
 * The offline verifier of evidence bundles (domain.md EV8, docs/bundles.md). It needs the zip
 * and nothing else: no database, no network, no key but the one in the bundle (or one given to
 * pin), and for the files' RFC 3161 tokens the TSA certificate the reader trusts. Keep it that
 * way: this file imports only node built-ins, zod, yauzl, pkijs (the tokens) and files that do the
 * same (the bundle format, the signing key helpers, the audit format of src/domain, the token check).
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { entryHash, linksTo } from '../domain/audit-format.ts';
import { canonicalJsonValue, stateHash } from '../domain/canonical-json.ts';
import {
  AUDIT_PATH,
  BundleAuditEntry,
  BundleCustodyRow,
  CUSTODY_PATH,
  FILES_DIR,
  MANIFEST_PATH,
  ManifestShape,
  SIGNATURE_PATH,
  SignatureShape,
  isSafeEntryName,
  type ManifestShape as Manifest,
} from './bundle-format.ts';
import { parsePublicKey, verifyBytes, type PublicKeyInfo } from './signing-key.ts';
import { checkTimestamps, hasTimestamps, listedTokenPaths, type FileTimestamp } from './bundle-timestamps.ts';
import { parseTrustedCerts, type TrustedTsa } from './timestamp-token.ts';

/** One line of the report. `ok: null` means the check could not run because an earlier one failed. */
interface BundleCheck {
  readonly name: string;
  readonly ok: boolean | null;
  readonly detail: string;
}

/** The outcome of verifying a bundle. */
export interface BundleReport {
  readonly file: string;
  readonly ok: boolean;
  readonly checks: BundleCheck[];
  /** The first problem, in plain words (which file, what is wrong). */
  readonly problem: string | null;
  /** What the bundle says about itself, once its manifest could be read. */
  readonly about: {
    bundleId: string;
    createdAt: string;
    audience: string;
    allegation: string | null;
    fingerprint: string;
    publicKey: string;
  } | null;
  /** Each file whose RFC 3161 token verified against the given TSA certificate: its genTime. */
  readonly timestamps?: readonly FileTimestamp[];
}

/** Largest manifest, signature or log read into memory: far above any real bundle, far below a zip bomb. */
const MAX_METADATA_BYTES = 512 * 1024 * 1024;
const KNOWN = new Set([MANIFEST_PATH, SIGNATURE_PATH, CUSTODY_PATH, AUDIT_PATH]);

/** `1 file`, `2 files`. */
const count = (n: number, noun: string, plural = `${noun}s`) => `${n} ${n === 1 ? noun : plural}`;

class Checks {
  readonly list: BundleCheck[] = [];
  problem: string | null = null;
  pass(name: string, detail: string) {
    this.list.push({ name, ok: true, detail });
  }
  fail(name: string, detail: string) {
    this.list.push({ name, ok: false, detail });
    this.problem ??= detail;
  }
  skip(name: string, detail = 'not checked: an earlier check failed') {
    this.list.push({ name, ok: null, detail });
  }
}

/** Reads a stream to its end: its SHA-256 and size, and its bytes when `keep` (empty otherwise). */
async function drain(
  stream: Readable,
  keep: boolean,
  onChunk?: (n: number) => void,
): Promise<{ sha256: string; size: number; bytes: Buffer }> {
  const hash = createHash('sha256');
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    hash.update(b);
    size += b.length;
    onChunk?.(b.length);
    if (keep) parts.push(b);
  }
  return { sha256: hash.digest('hex'), size, bytes: Buffer.concat(parts) };
}

/**
 * Verifies a bundle: the zip's structure, the manifest's signature (against the key in the
 * bundle, and `expectedKey` when given), every file's size and SHA-256, that nothing was added
 * or removed, the hashes of the custody and audit logs, every audit entry's own hash and the
 * links between consecutive entries, and every custody row against its audit entry. Never
 * throws for a bad bundle: the report says what is wrong, first problem first.
 */
export async function verifyBundle(
  file: string,
  opts: {
    expectedKey?: string | PublicKeyInfo;
    tsaCert?: string | TrustedTsa;
    onBytes?: (done: number, total: number) => void;
  } = {},
): Promise<BundleReport> {
  const c = new Checks();
  let about: BundleReport['about'] = null;
  let pinned: PublicKeyInfo | undefined;
  if (opts.expectedKey !== undefined)
    pinned = typeof opts.expectedKey === 'string' ? parsePublicKey(opts.expectedKey) : opts.expectedKey;
  const trustedTsa = typeof opts.tsaCert === 'string' ? parseTrustedCerts(opts.tsaCert, 'tsaCert') : opts.tsaCert;
  let timestamps: FileTimestamp[] | undefined;

  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, {
      autoClose: false,
      strictFileNames: true,
      validateEntrySizes: true,
      decodeStrings: true,
    });
  } catch (err) {
    c.fail('zip structure', `${file} is not a readable zip file (${(err as Error).message})`);
    return { file, ok: false, checks: c.list, problem: c.problem, about };
  }
  try {
    const entries = new Map<string, yauzl.Entry>();
    const structural: string[] = [];
    try {
      for await (const e of zip.eachEntry()) {
        if (e.fileName.endsWith('/') && e.uncompressedSize === 0) continue; // directory entries carry nothing
        if (!isSafeEntryName(e.fileName)) structural.push(`the entry "${e.fileName}" has an unsafe path`);
        else if (entries.has(e.fileName)) structural.push(`${e.fileName} appears twice in the zip`);
        else if (e.isEncrypted()) structural.push(`${e.fileName} is encrypted`);
        else if (!e.canDecodeFileData())
          structural.push(`${e.fileName} uses a compression method this verifier cannot read`);
        entries.set(e.fileName, e);
      }
    } catch (err) {
      structural.push(`the zip's directory is damaged (${(err as Error).message})`);
    }
    for (const name of [MANIFEST_PATH, SIGNATURE_PATH])
      if (!entries.has(name)) structural.push(`${name} is missing: this is not a Vigil bundle, or it was stripped`);
    const [firstProblem] = structural;
    if (firstProblem !== undefined) {
      c.fail('zip structure', firstProblem);
      for (const n of ['manifest', 'signature', 'files', 'nothing added', 'custody log', 'audit entries']) c.skip(n);
      return { file, ok: false, checks: c.list, problem: c.problem, about };
    }
    c.pass('zip structure', `${count(entries.size, 'entry', 'entries')}, all with safe names`);

    // Progress over the bytes of the listed files, the bulk of the work.
    let total = 0;
    for (const e of entries.values()) if (e.fileName.startsWith(FILES_DIR)) total += e.uncompressedSize;
    let done = 0;
    const onBytes = opts.onBytes;
    const onChunk = onBytes
      ? (n: number) => {
          done += n;
          onBytes(done, total);
        }
      : undefined;
    const read = async (name: string, keep: boolean) => {
      const e = entries.get(name);
      if (!e) throw new Error(`${name} is not in the bundle`);
      if (keep && e.uncompressedSize > MAX_METADATA_BYTES)
        throw new Error(`${name} is ${e.uncompressedSize} bytes, more than a bundle's metadata can be`);
      return drain(await zip.openReadStreamPromise(e), keep, keep ? undefined : onChunk);
    };

    // Manifest: parsed from its exact bytes, which are what was signed.
    let manifest: Manifest;
    let manifestSha: string;
    try {
      const m = await read(MANIFEST_PATH, true);
      manifestSha = m.sha256;
      const parsed = ManifestShape.safeParse(JSON.parse(m.bytes.toString('utf8')));
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new Error(i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'it does not match the manifest shape');
      }
      manifest = parsed.data;
    } catch (err) {
      c.fail('manifest', `manifest.json cannot be read as a Vigil bundle manifest (${(err as Error).message})`);
      for (const n of ['signature', 'files', 'nothing added', 'custody log', 'audit entries']) c.skip(n);
      return { file, ok: false, checks: c.list, problem: c.problem, about };
    }
    const allegation = (manifest as Record<string, unknown>).allegation as { id?: unknown } | undefined;
    about = {
      bundleId: manifest.bundleId,
      createdAt: manifest.createdAt,
      audience: manifest.audience,
      allegation: typeof allegation?.id === 'string' ? allegation.id : null,
      fingerprint: manifest.instance.fingerprint,
      publicKey: manifest.instance.publicKey,
    };
    c.pass(
      'manifest',
      `${manifest.format}, ${count(manifest.files.length, 'file')} listed, made ${manifest.createdAt} for a ${manifest.audience} audience`,
    );

    checkSignature(
      c,
      manifest,
      manifestSha,
      await read(SIGNATURE_PATH, true)
        .then((s) => s.bytes)
        .catch(() => null),
      pinned,
    );
    await checkFiles(c, manifest, entries, (name) => read(name, false));
    if (hasTimestamps(manifest)) {
      const t = await checkTimestamps(
        manifest,
        async (name, max) => {
          const e = entries.get(name);
          if (!e) return null;
          if (e.uncompressedSize > max) throw new Error(`${e.uncompressedSize} bytes, more than a token can be`);
          return (await drain(await zip.openReadStreamPromise(e), true)).bytes;
        },
        trustedTsa,
      );
      if (t.ok === true) c.pass('timestamps', t.detail);
      else if (t.ok === false) c.fail('timestamps', t.detail);
      else c.skip('timestamps', t.detail);
      if (t.files.length > 0) timestamps = t.files;
    }
    const logs = await readLogs(c, manifest, entries, (name) => read(name, true));
    checkAudit(c, manifest, logs);
  } finally {
    zip.close();
  }
  return {
    file,
    ok: c.problem === null,
    checks: c.list,
    problem: c.problem,
    about,
    ...(timestamps ? { timestamps } : {}),
  };
}

function checkSignature(
  c: Checks,
  manifest: Manifest,
  manifestSha: string,
  sigBytes: Buffer | null,
  pinned: PublicKeyInfo | undefined,
): void {
  let key: PublicKeyInfo;
  try {
    key = parsePublicKey(manifest.instance.publicKey);
  } catch {
    c.fail('signature', 'manifest.json does not hold a valid Ed25519 public key');
    return;
  }
  if (key.fingerprint !== manifest.instance.fingerprint) {
    c.fail(
      'signature',
      `manifest.json names the fingerprint ${manifest.instance.fingerprint}, but its public key's fingerprint is ${key.fingerprint}`,
    );
    return;
  }
  let sig;
  try {
    sig = SignatureShape.parse(JSON.parse(sigBytes?.toString('utf8') ?? ''));
  } catch {
    c.fail('signature', 'signature.json cannot be read as a Vigil bundle signature');
    return;
  }
  if (sig.manifestSha256 !== manifestSha) {
    c.fail(
      'signature',
      `manifest.json was changed after it was signed: its SHA-256 is ${manifestSha}, the signature covers ${sig.manifestSha256}`,
    );
    return;
  }
  if (sig.keyFingerprint !== key.fingerprint) {
    c.fail(
      'signature',
      `the bundle was signed with another key (fingerprint ${sig.keyFingerprint}), not the instance key named in manifest.json (${key.fingerprint})`,
    );
    return;
  }
  if (!verifyBytes(key.key, Buffer.from(manifestSha, 'hex'), Buffer.from(sig.signature, 'base64'))) {
    c.fail(
      'signature',
      `the signature does not verify with the instance key ${key.fingerprint} named in manifest.json: signature.json was altered or made with another key`,
    );
    return;
  }
  c.pass(
    'signature',
    `Ed25519 over the SHA-256 of manifest.json (${manifestSha.slice(0, 16)}…), by key ${key.fingerprint}`,
  );
  if (pinned) {
    if (pinned.fingerprint === key.fingerprint)
      c.pass('expected key', `the bundle is signed by the expected key ${pinned.fingerprint}`);
    else
      c.fail(
        'expected key',
        `the bundle is signed by key ${key.fingerprint}, not by the expected key ${pinned.fingerprint}`,
      );
  }
}

async function checkFiles(
  c: Checks,
  manifest: Manifest,
  entries: Map<string, yauzl.Entry>,
  read: (name: string) => Promise<{ sha256: string; size: number }>,
): Promise<void> {
  const listed = new Map<string, { size: number; sha256: string }>();
  const problems: string[] = [];
  for (const f of manifest.files) {
    if (!f.path.startsWith(FILES_DIR) || !isSafeEntryName(f.path) || KNOWN.has(f.path)) {
      problems.push(`manifest.json lists a file at an unexpected path: ${f.path}`);
      continue;
    }
    const seen = listed.get(f.path);
    if (seen && (seen.sha256 !== f.sha256 || seen.size !== f.size))
      problems.push(`manifest.json lists ${f.path} twice with different hashes`);
    listed.set(f.path, { size: f.size, sha256: f.sha256 });
  }
  let good = 0;
  for (const [p, want] of listed) {
    const e = entries.get(p);
    if (!e) {
      problems.push(`${p} is listed in the manifest but missing from the bundle (removed?)`);
      continue;
    }
    if (e.uncompressedSize !== want.size) {
      problems.push(`${p} has been altered: it is ${e.uncompressedSize} bytes, the manifest says ${want.size}`);
      continue;
    }
    try {
      const got = await read(p);
      if (got.sha256 !== want.sha256)
        problems.push(`${p} has been altered: its SHA-256 is ${got.sha256}, the manifest says ${want.sha256}`);
      else if (got.size !== want.size)
        problems.push(`${p} has been altered: it is ${got.size} bytes, the manifest says ${want.size}`);
      else good += 1;
    } catch (err) {
      problems.push(`${p} cannot be read, it is damaged (${(err as Error).message})`);
    }
  }
  if (problems.length > 0)
    c.fail(
      'files',
      `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''} with files)` : ''}`,
    );
  else c.pass('files', `${good} of ${count(listed.size, 'file')} match their size and SHA-256`);

  const tokens = listedTokenPaths(manifest);
  const extra = [...entries.keys()].filter((n) => !KNOWN.has(n) && !listed.has(n) && !tokens.has(n));
  if (extra.length > 0)
    c.fail(
      'nothing added',
      `${extra[0]} is in the bundle but not listed in the manifest (added after signing?)${extra.length > 1 ? `, and ${extra.length - 1} more` : ''}`,
    );
  else c.pass('nothing added', 'every file in the zip is listed in the manifest');
}

interface Logs {
  custody: BundleCustodyRow[] | null;
  audit: BundleAuditEntry[] | null;
}

async function readLogs(
  c: Checks,
  manifest: Manifest,
  entries: Map<string, yauzl.Entry>,
  read: (name: string) => Promise<{ sha256: string; size: number; bytes: Buffer }>,
): Promise<Logs> {
  const out: Logs = { custody: null, audit: null };
  for (const which of ['custody', 'audit'] as const) {
    const want = manifest.logs[which];
    const name = which === 'custody' ? CUSTODY_PATH : AUDIT_PATH;
    const label = which === 'custody' ? 'custody log' : 'audit entries';
    if (want.path !== name) {
      c.fail(label, `manifest.json names ${want.path} for the ${label}, expected ${name}`);
      continue;
    }
    if (!entries.has(name)) {
      c.fail(label, `${name} is listed in the manifest but missing from the bundle (removed?)`);
      continue;
    }
    let got;
    try {
      got = await read(name);
    } catch (err) {
      c.fail(label, `${name} cannot be read, it is damaged (${(err as Error).message})`);
      continue;
    }
    if (got.sha256 !== want.sha256 || got.size !== want.size) {
      c.fail(label, `${name} has been altered: its SHA-256 is ${got.sha256}, the manifest says ${want.sha256}`);
      continue;
    }
    const lines = got.bytes
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0);
    if (lines.length !== want.lines) {
      c.fail(label, `${name} has ${lines.length} lines, the manifest says ${want.lines}`);
      continue;
    }
    const schema = which === 'custody' ? BundleCustodyRow : BundleAuditEntry;
    const rows: unknown[] = [];
    let bad: string | null = null;
    for (const [i, l] of lines.entries()) {
      try {
        rows.push(schema.parse(JSON.parse(l)));
      } catch {
        bad ??= `${name} line ${i + 1} is not a valid ${which === 'custody' ? 'custody event' : 'audit entry'}`;
      }
    }
    if (bad) {
      c.fail(label, bad);
      continue;
    }
    if (which === 'custody') out.custody = rows as BundleCustodyRow[];
    else out.audit = rows as BundleAuditEntry[];
  }
  return out;
}

function checkAudit(c: Checks, manifest: Manifest, logs: Logs): void {
  const { audit, custody } = logs;
  if (audit) {
    let links = 0;
    let withheld = 0;
    let problem: string | null = null;
    for (const [i, e] of audit.entries()) {
      const { hash, changes, withheld: gone, ...rest } = e;
      // The hash covers the changes' canonical JSON; withheld changes leave only the links to check.
      if (gone) withheld += 1;
      else if (entryHash({ ...rest, changes: changes === undefined ? null : canonicalJsonValue(changes) }) !== hash) {
        problem = `audit.jsonl line ${i + 1} (entry ${e.seq}) does not match its own hash: the entry was altered`;
        break;
      }
      const prev = audit[i - 1];
      if (prev && e.seq <= prev.seq) {
        problem = `audit.jsonl line ${i + 1} (entry ${e.seq}) is out of order after entry ${prev.seq}`;
        break;
      }
      if (prev && e.seq === prev.seq + 1) {
        if (!linksTo(e, prev.hash)) {
          problem = `audit entry ${e.seq} does not link to entry ${prev.seq}: the chain between them was altered`;
          break;
        }
        links += 1;
      }
    }
    if (problem) c.fail('audit entries', problem);
    else {
      const own =
        withheld === 0
          ? 'every hash recomputes'
          : `every hash recomputes but ${count(withheld, 'entry', 'entries')} whose changes were withheld`;
      c.pass(
        'audit entries',
        `${count(audit.length, 'entry', 'entries')} of the instance's chain (a subsequence), ${own}; ${count(links, 'link')} between consecutive entries checked`,
      );
    }
  }
  if (custody) {
    const byEntity = new Map<string, BundleAuditEntry>();
    for (const e of audit ?? [])
      if (e.entity_type === 'custody_event' && e.state_hash !== null) byEntity.set(e.entity_id, e);
    const items = new Set(
      manifest.files.map((f) => (f as Record<string, unknown>).item).filter((x): x is string => typeof x === 'string'),
    );
    let matched = 0;
    let redacted = 0;
    let problem: string | null = null;
    for (const [i, row] of custody.entries()) {
      if (!items.has(row.evidence_item_id)) {
        problem = `custody.jsonl line ${i + 1} (event ${row.id}) is about item ${row.evidence_item_id}, which is not in the manifest`;
        break;
      }
      if (row.redacted) {
        redacted += 1;
        continue;
      }
      if (!audit) continue;
      const entry = byEntity.get(row.id);
      if (!entry) {
        problem = `custody.jsonl line ${i + 1} (event ${row.id}) has no audit entry in audit.jsonl`;
        break;
      }
      const { redacted: _r, ...stored } = row;
      if (stateHash('custody_event', stored) !== entry.state_hash) {
        problem = `custody.jsonl line ${i + 1} (event ${row.id}) does not match its audit entry ${entry.seq}: the event was altered`;
        break;
      }
      matched += 1;
    }
    if (problem) c.fail('custody log', problem);
    else if (!audit)
      c.skip(
        'custody log',
        `${count(custody.length, 'event')}; not matched to the audit entries, which failed their check`,
      );
    else
      c.pass(
        'custody log',
        `${count(custody.length, 'event')}; ${matched} match their audit entries${redacted ? `, ${redacted} redacted (detail withheld, not matched)` : ''}`,
      );
  }
}

/** The report as people read it: one line per check (✓ passed, ✗ failed, – not checked), then the verdict. */
export function formatReport(r: BundleReport): string {
  const lines = [`bundle ${r.file}`];
  if (r.about) {
    lines.push(
      `  ${r.about.bundleId}, made ${r.about.createdAt} for a ${r.about.audience} audience${r.about.allegation ? `, allegation ${r.about.allegation}` : ''}`,
    );
    lines.push(
      `  instance key ${r.about.fingerprint} (compare with \`vigil key show\` on the instance, or pin it with --key)`,
    );
  }
  for (const ch of r.checks) {
    lines.push(`${ch.ok === true ? '✓' : ch.ok === false ? '✗' : '–'} ${ch.name}: ${ch.detail}`);
    if (ch.name === 'timestamps')
      for (const t of r.timestamps ?? []) lines.push(`    ${t.path}: timestamped ${t.genTime} by ${t.tsa}`);
  }
  const unchecked = r.checks.some((ch) => ch.name === 'timestamps' && ch.ok === null);
  lines.push(
    r.ok
      ? `OK: every file, the custody log and the audit entries match the manifest signed by key ${r.about?.fingerprint ?? '?'}${r.timestamps ? `; ${r.timestamps.length} timestamp token${r.timestamps.length === 1 ? '' : 's'} verified` : unchecked ? '; the timestamp tokens are present but not checked (--tsa-cert)' : ''}`
      : `FAILED: ${r.problem}`,
  );
  return `${lines.join('\n')}\n`;
}
