/**
 * The offline verifier against tampering with the files' RFC 3161 tokens: a bundle is written
 * with the real writer and real tokens (openssl ts on loopback), then its tokens are altered,
 * removed or swapped, also by an insider who re-signs the manifest with the instance key.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { timestampPathFor } from '../../src/evidence/bundle-format.ts';
import { fileEntry, manifestHead, type ItemRow } from '../../src/evidence/bundle-manifest.ts';
import { formatReport, verifyBundle } from '../../src/evidence/bundle-verify.ts';
import { manifestBytes, signManifest, writeBundle } from '../../src/evidence/bundle-writer.ts';
import { ephemeralSigningKey, type SigningKey } from '../../src/evidence/signing-key.ts';
import { TsaClient, type Timestamp } from '../../src/evidence/timestamp-client.ts';
import { parseTrustedCerts } from '../../src/evidence/timestamp-token.ts';
import { readZip, writeZip } from '../support/bundle-zip.ts';
import { startTestTsa, type TestTsa } from '../support/tsa.ts';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const PHOTO = Buffer.from('a photo of the cell, byte for byte as received '.repeat(20));
const LETTER = Buffer.from('the reply of the prosecutor\n');

function item(id: string, bytes: Buffer, name: string): ItemRow {
  return {
    id,
    external_id: null,
    source_id: null,
    allegation_id: 'a1',
    sha256: sha(bytes),
    size: bytes.length,
    media_type: 'application/octet-stream',
    original_name: name,
    captured_from: null,
    captured_at: null,
    captured_by: 'u1',
    tool: null,
    copy_kind: 'original',
    parent_sha256: null,
    transformation: null,
    created_at: '2022-02-01T09:00:00.000Z',
  };
}

describe('verify-bundle: timestamp tokens (offline)', () => {
  let tsa: TestTsa;
  let other: TestTsa;
  let tokens: Map<string, Timestamp>;
  let foreignToken: Timestamp;
  const photo = item('i1', PHOTO, 'cell.bin');
  const letter = item('i2', LETTER, 'reply.bin');
  const photoPath = `files/${photo.sha256}/cell.bin`;
  const letterPath = `files/${letter.sha256}/reply.bin`;

  beforeAll(async () => {
    [tsa, other] = await Promise.all([startTestTsa(), startTestTsa({ name: 'Another TSA' })]);
    const client = new TsaClient({ url: tsa.url, trusted: parseTrustedCerts(tsa.caPem) });
    tokens = new Map();
    for (const i of [photo, letter]) tokens.set(i.sha256, await client.stamp(Buffer.from(i.sha256, 'hex')));
    foreignToken = await new TsaClient({ url: other.url, trusted: parseTrustedCerts(other.caPem) }).stamp(
      Buffer.from(photo.sha256, 'hex'),
    );
  });
  afterAll(async () => Promise.all([tsa.close(), other.close()]));

  let dir: string;
  let file: string;
  let key: SigningKey;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bundle-ts-'));
    file = path.join(dir, 'bundle.zip');
    key = ephemeralSigningKey();
    const stamp = (i: ItemRow) => {
      const t = tokens.get(i.sha256)!;
      return { path: timestampPathFor(i.sha256), sha256: sha(t.token), genTime: t.genTime.toISOString(), tsa: tsa.url };
    };
    await writeBundle(
      file,
      {
        files: [photo, letter].map((i) => ({
          path: fileEntry('court', i, new Map(), new Map()).path as string,
          size: i.size,
          sha256: i.sha256,
          open: async () => Readable.from([i.id === 'i1' ? PHOTO : LETTER]),
        })),
        custody: Buffer.alloc(0),
        custodyLines: 0,
        audit: Buffer.alloc(0),
        auditLines: 0,
        manifest: {
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
          files: [photo, letter].map((i) => fileEntry('court', i, new Map(), new Map(), stamp(i))),
        },
        createdAt: new Date('2022-03-01T00:00:00.000Z'),
        extras: [photo, letter].map((i) => ({ path: timestampPathFor(i.sha256), bytes: tokens.get(i.sha256)!.token })),
      },
      key,
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function rewrite(change: (e: Map<string, Buffer>) => void, resign = false) {
    const entries = await readZip(file);
    change(entries);
    if (resign)
      entries.set('signature.json', Buffer.from(JSON.stringify(signManifest(entries.get('manifest.json')!, key))));
    fs.rmSync(file);
    await writeZip(file, entries);
  }

  it("checks every token against the TSA certificate and prints each file's genTime", async () => {
    const r = await verifyBundle(file, { tsaCert: tsa.caPem });
    expect(r.problem).toBeNull();
    expect(r.checks.map((c) => [c.name, c.ok])).toContainEqual(['timestamps', true]);
    expect(r.checks.find((c) => c.name === 'nothing added')!.ok).toBe(true);
    const text = formatReport(r);
    for (const [p, i] of [
      [photoPath, photo],
      [letterPath, letter],
    ] as const) {
      expect(text).toContain(
        `    ${p}: timestamped ${tokens.get(i.sha256)!.genTime.toISOString()} by O=Vigil tests, CN=Vigil Test TSA`,
      );
    }
    expect(text).toMatch(/^OK: .*; 2 timestamp tokens verified$/m);
    // The token is a plain DER TimeStampToken in the zip, for any other RFC 3161 tool.
    expect((await readZip(file)).get(timestampPathFor(photo.sha256))!.equals(tokens.get(photo.sha256)!.token)).toBe(
      true,
    );
  });

  it('names the file whose token was altered or removed in the zip, with or without the certificate', async () => {
    await rewrite((e) => {
      const b = Buffer.from(e.get(timestampPathFor(letter.sha256))!);
      b[40]! ^= 0x01;
      e.set(timestampPathFor(letter.sha256), b);
    });
    for (const tsaCert of [undefined, tsa.caPem]) {
      const r = await verifyBundle(file, { tsaCert });
      expect(r.ok).toBe(false);
      expect(r.problem).toMatch(
        new RegExp(
          `^${letterPath}: its timestamp token timestamps/${letter.sha256}\\.tst was altered: its SHA-256 is [0-9a-f]{64}, the manifest says ${sha(tokens.get(letter.sha256)!.token)}$`,
        ),
      );
    }
    await rewrite((e) => e.delete(timestampPathFor(photo.sha256)));
    expect((await verifyBundle(file)).problem).toBe(
      `${photoPath}: its timestamp token timestamps/${photo.sha256}.tst is listed in the manifest but missing from the bundle (removed?)`,
    );
  });

  it('an insider who re-signs the manifest with the instance key still cannot pass off another token: BROKEN naming the file', async () => {
    // The photo's token replaced by the letter's (a genuine token of the same TSA, other bytes).
    await rewrite((e) => {
      const swapped = tokens.get(letter.sha256)!.token;
      e.set(timestampPathFor(photo.sha256), swapped);
      const m = JSON.parse(e.get('manifest.json')!.toString());
      m.files.find((f: { path: string }) => f.path === photoPath).timestamp.sha256 = sha(swapped);
      e.set('manifest.json', manifestBytes(m));
    }, true);
    const unchecked = await verifyBundle(file);
    expect(unchecked.ok).toBe(true); // self-consistent: only the TSA certificate tells
    const r = await verifyBundle(file, { tsaCert: tsa.caPem });
    expect(r.ok).toBe(false);
    expect(r.problem).toBe(
      `${photoPath}: its timestamp token is BROKEN: the token covers the SHA-256 ${letter.sha256}, not ${photo.sha256}`,
    );
    expect(formatReport(r)).toContain(`✗ timestamps: ${photoPath}: its timestamp token is BROKEN`);

    // And a token of the photo's own hash, but from a TSA the reader does not trust.
    await rewrite((e) => {
      e.set(timestampPathFor(photo.sha256), foreignToken.token);
      const m = JSON.parse(e.get('manifest.json')!.toString());
      m.files.find((f: { path: string }) => f.path === photoPath).timestamp.sha256 = sha(foreignToken.token);
      e.set('manifest.json', manifestBytes(m));
    }, true);
    expect((await verifyBundle(file, { tsaCert: tsa.caPem })).problem).toBe(
      `${photoPath}: its timestamp token is BROKEN: the token was signed by another TSA (O=Vigil tests, CN=Another TSA), not by the trusted O=Vigil tests, CN=Vigil Test TSA CA`,
    );
  });

  it('still refuses an unlisted entry under timestamps/', async () => {
    await rewrite((e) => e.set(`timestamps/${sha('x')}.tst`, Buffer.from('extra')));
    expect((await verifyBundle(file)).problem).toBe(
      `timestamps/${sha('x')}.tst is in the bundle but not listed in the manifest (added after signing?)`,
    );
  });
});
