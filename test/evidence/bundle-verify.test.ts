/**
 * The offline verifier against tampering: a bundle is written with the real writer from files
 * and log lines made here (no database), then altered the ways someone might alter it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH } from '../../src/domain/audit-format.ts';
import { encodeChanges } from '../../src/store/audit-changes.ts';
import { stateHash } from '../../src/domain/canonical-json.ts';
import { fileEntry, manifestHead, type ItemRow } from '../../src/evidence/bundle-manifest.ts';
import { verifyBundle, formatReport } from '../../src/evidence/bundle-verify.ts';
import { manifestBytes, signManifest, writeBundle } from '../../src/evidence/bundle-writer.ts';
import { ephemeralSigningKey, parsePublicKey, type SigningKey } from '../../src/evidence/signing-key.ts';
import { readZip, writeZip } from '../support/bundle-zip.ts';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const PHOTO = Buffer.from('a photo of the cell, byte for byte as received '.repeat(20));
const LETTER = Buffer.from('the reply of the prosecutor\n');

function item(id: string, bytes: Buffer, name: string, mediaType: string): ItemRow {
  return {
    id,
    external_id: null,
    source_id: null,
    allegation_id: 'a1',
    sha256: sha(bytes),
    size: bytes.length,
    media_type: mediaType,
    original_name: name,
    captured_from: null,
    captured_at: '2022-01-12T10:00:00.000Z',
    captured_by: 'u1',
    tool: null,
    copy_kind: 'original',
    parent_sha256: null,
    transformation: null,
    created_at: '2022-02-01T09:00:00.000Z',
  };
}

/** Custody rows and a chain of audit entries for them, the way the instance records them. */
function logs(items: ItemRow[]) {
  const custody = items.map((i, n) => ({
    id: `c${n}`,
    evidence_item_id: i.id,
    action: 'collected',
    actor: 'u1',
    at: '2022-02-01T09:00:00.000Z',
    purpose: 'intake',
    recipient: null,
    detail: JSON.stringify({ sha256: i.sha256 }),
  }));
  const audit = [];
  let prev = GENESIS_HASH;
  // seq 1–4 are consecutive; seq 9 stands alone (the chain between is about other records).
  const subjects = [
    ['allegation', 'a1', 'create'],
    ...custody.map((c) => ['custody_event', c.id, 'custody.collected']),
    ['allegation', 'a1', 'update'],
  ];
  const seqs = [1, 2, 3, 9];
  // The update says what it changed: its hash covers the changes, the bundle line carries them parsed.
  const changes = [
    { field: 'title', from: 'Beaten', to: 'Beaten and threatened' },
    { field: 'consent', from: ['record', 'share'], to: ['record'] },
  ];
  for (const [k, [type, id, action]] of subjects.entries()) {
    const row = type === 'custody_event' ? custody.find((c) => c.id === id)! : { id };
    const base = {
      seq: seqs[k]!,
      at: '2022-02-01T09:00:00.000Z',
      actor: 'u1',
      action: action!,
      entity_type: type!,
      entity_id: id!,
      state_hash: stateHash(type!, row),
      reason: null,
      prev_hash: seqs[k]! === 9 ? sha('entry 8') : prev,
    };
    const withChanges = action === 'update' ? { ...base, changes: encodeChanges(changes) } : base;
    prev = entryHash(withChanges);
    audit.push(action === 'update' ? { ...base, changes, hash: prev } : { ...base, hash: prev });
  }
  return { custody, audit };
}

async function makeBundle(file: string, key: SigningKey, items: ItemRow[], bytes: Map<string, Buffer>) {
  const { custody, audit } = logs(items);
  const manifest = {
    ...manifestHead({
      bundleId: 'b1',
      createdAt: '2022-03-01T00:00:00.000Z',
      createdBy: 'u1',
      audience: 'court',
      purpose: 'test',
      recipient: 'court',
      publicKey: key.publicKey,
    }),
    allegation: { id: 'a1' },
    files: items.map((i) => fileEntry('court', i, new Map(), new Map())),
  };
  const seen = new Set<string>();
  const files = items.flatMap((i) => {
    const p = fileEntry('court', i, new Map(), new Map()).path as string;
    if (seen.has(p)) return [];
    seen.add(p);
    return [{ path: p, size: i.size, sha256: i.sha256, open: async () => Readable.from([bytes.get(i.id)!]) }];
  });
  return writeBundle(
    file,
    {
      files,
      custody: Buffer.from(custody.map((c) => `${JSON.stringify(c)}\n`).join('')),
      custodyLines: custody.length,
      audit: Buffer.from(audit.map((e) => `${JSON.stringify(e)}\n`).join('')),
      auditLines: audit.length,
      manifest,
      createdAt: new Date('2022-03-01T00:00:00.000Z'),
    },
    key,
  );
}

/** Every module `file` loads at run time (type-only imports are erased), following relative imports. */
function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^import\s+(?!type\s)[^'";]*?from\s+'([^']+)'|^import\s+'([^']+)'/gms)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith('.')) runtimeImports(path.resolve(path.dirname(file), spec), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('verify-bundle (offline)', () => {
  it('loads no database code', () => {
    const loaded = [...runtimeImports(path.resolve(import.meta.dirname, '../../src/evidence/bundle-verify.ts'))];
    expect(loaded).toContain('yauzl');
    expect(loaded.filter((m) => /kysely|better-sqlite3|^pg$|database\.ts|repositories|services/.test(m))).toEqual([]);
  });

  let dir: string;
  let file: string;
  let key: SigningKey;
  const photo = item('i1', PHOTO, 'cell photo.jpg', 'image/jpeg');
  const letter = item('i2', LETTER, 'reply.txt', 'text/plain');
  const photoPath = `files/${photo.sha256}/cell photo.jpg`;
  const letterPath = `files/${letter.sha256}/reply.txt`;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bundle-'));
    file = path.join(dir, 'bundle.zip');
    key = ephemeralSigningKey();
    await makeBundle(
      file,
      key,
      [photo, letter],
      new Map([
        ['i1', PHOTO],
        ['i2', LETTER],
      ]),
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Rewrites the bundle with `change` applied to its entries. */
  async function rewrite(change: (e: Map<string, Buffer>) => void, resignWith?: SigningKey) {
    const entries = await readZip(file);
    change(entries);
    if (resignWith)
      entries.set(
        'signature.json',
        Buffer.from(JSON.stringify(signManifest(entries.get('manifest.json')!, resignWith))),
      );
    fs.rmSync(file);
    await writeZip(file, entries);
  }
  /** Edits manifest.json (as canonical bytes, like the writer) and signs it again with the instance key: an insider's forgery. */
  // biome-ignore lint/suspicious/noExplicitAny: a forger may change any field of the manifest, typed or not
  function editManifest(entries: Map<string, Buffer>, edit: (m: any) => void) {
    const m = JSON.parse(entries.get('manifest.json')!.toString());
    edit(m);
    entries.set('manifest.json', manifestBytes(m));
  }

  it('accepts the untouched bundle, every check passing', async () => {
    const r = await verifyBundle(file);
    expect(r.problem).toBeNull();
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => [c.name, c.ok])).toEqual([
      ['zip structure', true],
      ['manifest', true],
      ['signature', true],
      ['files', true],
      ['nothing added', true],
      ['audit entries', true],
      ['custody log', true],
    ]);
    expect(r.about).toMatchObject({
      bundleId: 'b1',
      audience: 'court',
      allegation: 'a1',
      fingerprint: key.publicKey.fingerprint,
    });
    const text = formatReport(r);
    expect(text).toContain('✓ files: 2 of 2 files match their size and SHA-256');
    expect(text).toContain('2 links between consecutive entries checked');
    expect(text).toMatch(/^OK: /m);
    // Files are stored, not deflated: the original bytes lie in the zip as they are.
    expect(fs.readFileSync(file).includes(PHOTO)).toBe(true);
  });

  it('names the file when one byte of it is flipped inside the zip', async () => {
    const raw = fs.readFileSync(file);
    const at = raw.indexOf(LETTER);
    expect(at).toBeGreaterThan(0);
    raw[at + 4] = raw[at + 4]! ^ 0x01;
    fs.writeFileSync(file, raw);
    const r = await verifyBundle(file);
    expect(r.ok).toBe(false);
    expect(r.problem).toBe(
      `${letterPath} has been altered: its SHA-256 is ${sha(Buffer.from(raw.subarray(at, at + LETTER.length)))}, the manifest says ${letter.sha256}`,
    );
    expect(r.checks.find((c) => c.name === 'files')!.ok).toBe(false);
    expect(r.checks.find((c) => c.name === 'signature')!.ok).toBe(true);
    expect(formatReport(r)).toContain(`FAILED: ${letterPath} has been altered`);
  });

  it('names the first altered file when a file is replaced by other bytes of the same size', async () => {
    await rewrite((e) => {
      const b = Buffer.from(e.get(photoPath)!);
      b[b.length - 1] = b[b.length - 1]! ^ 0xff;
      e.set(photoPath, b);
    });
    const r = await verifyBundle(file);
    expect(r.problem).toMatch(
      new RegExp(`^${photoPath} has been altered: its SHA-256 is [0-9a-f]{64}, the manifest says ${photo.sha256}$`),
    );
  });

  it('says a removed file is missing', async () => {
    await rewrite((e) => e.delete(letterPath));
    expect((await verifyBundle(file)).problem).toBe(
      `${letterPath} is listed in the manifest but missing from the bundle (removed?)`,
    );
  });

  it('says an added file is not in the manifest', async () => {
    await rewrite((e) => e.set('files/extra/planted.jpg', Buffer.from('planted')));
    const r = await verifyBundle(file);
    expect(r.problem).toBe(
      'files/extra/planted.jpg is in the bundle but not listed in the manifest (added after signing?)',
    );
    expect(r.checks.find((c) => c.name === 'files')!.ok).toBe(true);
  });

  it('fails the signature when the manifest is edited', async () => {
    await rewrite((e) => editManifest(e, (m) => (m.files[0].capturedAt = '2022-01-13T10:00:00.000Z')));
    const r = await verifyBundle(file);
    expect(r.problem).toMatch(
      /^manifest.json was changed after it was signed: its SHA-256 is [0-9a-f]{64}, the signature covers [0-9a-f]{64}$/,
    );
    expect(r.checks.find((c) => c.name === 'signature')!.ok).toBe(false);
  });

  it('fails the signature when the manifest hash in signature.json is forged too', async () => {
    await rewrite((e) => {
      editManifest(e, (m) => (m.purpose = 'other'));
      const sig = JSON.parse(e.get('signature.json')!.toString());
      sig.manifestSha256 = sha(e.get('manifest.json')!);
      e.set('signature.json', Buffer.from(JSON.stringify(sig)));
    });
    expect((await verifyBundle(file)).problem).toBe(
      `the signature does not verify with the instance key ${key.publicKey.fingerprint} named in manifest.json: signature.json was altered or made with another key`,
    );
  });

  it('says when the bundle was signed again with another key', async () => {
    const other = ephemeralSigningKey();
    await rewrite(() => undefined, other);
    expect((await verifyBundle(file)).problem).toBe(
      `the bundle was signed with another key (fingerprint ${other.publicKey.fingerprint}), not the instance key named in manifest.json (${key.publicKey.fingerprint})`,
    );
  });

  it('with a pinned key, refuses a bundle made and signed under another key, and accepts the real one', async () => {
    const other = ephemeralSigningKey();
    const forged = path.join(dir, 'forged.zip');
    await makeBundle(
      forged,
      other,
      [photo, letter],
      new Map([
        ['i1', PHOTO],
        ['i2', LETTER],
      ]),
    );
    expect((await verifyBundle(forged)).ok).toBe(true); // self-consistent: only pinning the key tells it apart
    const r = await verifyBundle(forged, { expectedKey: key.publicKey.base64 });
    expect(r.problem).toBe(
      `the bundle is signed by key ${other.publicKey.fingerprint}, not by the expected key ${key.publicKey.fingerprint}`,
    );
    expect((await verifyBundle(file, { expectedKey: key.publicKey.pem })).ok).toBe(true);
    const pemFile = path.join(dir, 'instance.pem');
    fs.writeFileSync(pemFile, key.publicKey.pem);
    expect((await verifyBundle(file, { expectedKey: pemFile })).checks.at(3)).toMatchObject({
      name: 'expected key',
      ok: true,
    });
    expect(() => parsePublicKey('not a key')).toThrow(/Ed25519 public key/);
  });

  it('catches an altered custody row or audit entry even when the manifest is signed again', async () => {
    await rewrite((e) => {
      const lines = e
        .get('custody.jsonl')!
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      lines[1].purpose = 'rewritten';
      const bytes = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      e.set('custody.jsonl', bytes);
      editManifest(e, (m) => Object.assign(m.logs.custody, { sha256: sha(bytes), size: bytes.length }));
    }, key);
    expect((await verifyBundle(file)).problem).toMatch(
      /^custody.jsonl line 2 \(event c1\) does not match its audit entry 3: the event was altered$/,
    );

    await rewrite((e) => {
      const lines = e
        .get('audit.jsonl')!
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      lines[0].actor = 'someone else';
      const bytes = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      e.set('audit.jsonl', bytes);
      editManifest(e, (m) => Object.assign(m.logs.audit, { sha256: sha(bytes), size: bytes.length }));
    }, key);
    expect((await verifyBundle(file)).problem).toBe(
      'audit.jsonl line 1 (entry 1) does not match its own hash: the entry was altered',
    );
  });

  it('recomputes the hash of an entry with changes, and catches a changed value even when the manifest is signed again', async () => {
    const audit = (await readZip(file))
      .get('audit.jsonl')!
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit[3]).toMatchObject({
      seq: 9,
      changes: [{ field: 'title', from: 'Beaten', to: 'Beaten and threatened' }, { field: 'consent' }],
    });
    expect((await verifyBundle(file)).ok).toBe(true);
    await rewrite((e) => {
      const lines = e
        .get('audit.jsonl')!
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      lines[3].changes[0].from = 'Not beaten';
      const bytes = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      e.set('audit.jsonl', bytes);
      editManifest(e, (m) => Object.assign(m.logs.audit, { sha256: sha(bytes), size: bytes.length }));
    }, key);
    expect((await verifyBundle(file)).problem).toBe(
      'audit.jsonl line 4 (entry 9) does not match its own hash: the entry was altered',
    );
  });

  it('still reads a vigil-bundle/1 bundle, whose entries carry no changes', async () => {
    await rewrite((e) => {
      const lines = e
        .get('audit.jsonl')!
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .slice(0, 3);
      const bytes = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      e.set('audit.jsonl', bytes);
      editManifest(e, (m) => {
        m.format = 'vigil-bundle/1';
        Object.assign(m.logs.audit, { sha256: sha(bytes), size: bytes.length, lines: 3 });
      });
    }, key);
    const r = await verifyBundle(file);
    expect(r.problem).toBeNull();
    expect(r.checks.find((c) => c.name === 'manifest')!.detail).toMatch(/^vigil-bundle\/1,/);
  });

  it('catches a broken link between consecutive audit entries', async () => {
    await rewrite((e) => {
      const lines = e
        .get('audit.jsonl')!
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      // Entry 2 re-made with its own hash valid but pointing at another predecessor.
      const { hash: _h, ...rest } = lines[1];
      rest.prev_hash = sha('another history');
      lines[1] = { ...rest, hash: entryHash(rest) };
      const bytes = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      e.set('audit.jsonl', bytes);
      editManifest(e, (m) => Object.assign(m.logs.audit, { sha256: sha(bytes), size: bytes.length }));
    }, key);
    expect((await verifyBundle(file)).problem).toBe(
      'audit entry 2 does not link to entry 1: the chain between them was altered',
    );
  });

  it('says a log changed without re-signing has been altered', async () => {
    await rewrite((e) => e.set('audit.jsonl', Buffer.from(`${e.get('audit.jsonl')!.toString()}{}\n`)));
    expect((await verifyBundle(file)).problem).toMatch(/^audit.jsonl has been altered: its SHA-256 is/);
  });

  it('refuses what is not a bundle, plainly', async () => {
    const junk = path.join(dir, 'junk.zip');
    fs.writeFileSync(junk, 'not a zip at all');
    expect((await verifyBundle(junk)).problem).toMatch(/^.*junk.zip is not a readable zip file/);
    await rewrite((e) => e.delete('signature.json'));
    expect((await verifyBundle(file)).problem).toBe(
      'signature.json is missing: this is not a Vigil bundle, or it was stripped',
    );
    await rewrite((e) => {
      e.set('manifest.json', Buffer.from('{"format":"something else"}'));
      e.set('signature.json', Buffer.from('{}'));
    });
    expect((await verifyBundle(file)).problem).toMatch(
      /^manifest.json cannot be read as a Vigil bundle manifest \(format: /,
    );
  });

  it('refuses to write over an existing file, and writes nothing when a file fails its check', async () => {
    await expect(makeBundle(file, key, [photo], new Map([['i1', PHOTO]]))).rejects.toMatchObject({
      code: 'validation.invalid',
      path: 'out',
    });
    const bad = path.join(dir, 'bad.zip');
    const wrong = { ...photo, id: 'i9' };
    await expect(
      writeBundle(
        bad,
        {
          files: [
            {
              path: 'files/x/y',
              size: PHOTO.length,
              sha256: photo.sha256,
              open: async () =>
                Readable.from(
                  (async function* () {
                    yield PHOTO.subarray(0, 10);
                    throw Object.assign(new Error('the stored file now hashes to something else'), {
                      code: 'evidence.hash_mismatch',
                    });
                  })(),
                ),
            },
          ],
          custody: Buffer.alloc(0),
          custodyLines: 0,
          audit: Buffer.alloc(0),
          auditLines: 0,
          manifest: { id: wrong.id },
          createdAt: new Date(),
        },
        key,
      ),
    ).rejects.toMatchObject({ code: 'evidence.hash_mismatch' });
    expect(fs.readdirSync(dir).sort()).toEqual(['bundle.zip']);
  });
});
