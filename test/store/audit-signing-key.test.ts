/**
 * How a database comes to its signing key: made for a new database, recorded on first use,
 * refused when missing or different later; a chain from before signed heads adopted once; a head
 * appended without the key never signed over by a later start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ephemeralSigningKey, headSignerOf, loadSigningKey } from '../../src/evidence/signing-key.ts';
import { openSignedStore } from '../../src/services/signing-key.service.ts';
import { runWrite } from '../../src/store/audited-writer.ts';
import { verifyStore } from '../../src/store/audit-verify.ts';
import { openStore } from '../../src/store/database.ts';
import { migrateTo } from '../../src/store/migrate.ts';
import { describeEachDialect, freshDatabaseConfig, type FreshDatabase } from '../support/databases.ts';

const ctx = { actor: 'cli:test', at: '2022-02-01T09:00:00.000Z' };
const org = (id: string) => ({
  id,
  external_id: null,
  name: `Org ${id}`,
  name_ru: null,
  kind: 'ministry',
  aliases: '[]',
  country: 'KZ',
});

describeEachDialect('the signing key of a database', (dialect) => {
  let fresh: FreshDatabase;
  let dir: string;
  let keyFile: string;
  beforeEach(async () => {
    fresh = await freshDatabaseConfig(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-signkey-'));
    keyFile = path.join(dir, 'vigil-signing.key');
  });
  afterEach(async () => {
    await fresh.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('makes a key for a new database, records its fingerprint, and signs every write', async () => {
    const { store, key } = await openSignedStore(fresh.config, keyFile);
    try {
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      const rec = await store.db
        .selectFrom('key_fingerprint')
        .selectAll()
        .where('purpose', '=', 'audit-signing')
        .executeTakeFirstOrThrow();
      expect(rec.fingerprint).toBe(key.publicKey.fingerprint);
      await runWrite(store, ctx, async (w) => void (await w.insert('organization', org('o1'))));
      const r = await verifyStore(store);
      expect(r).toMatchObject({ ok: true, signatures: { checked: 2, key: key.publicKey.fingerprint } });
      const dump = JSON.stringify(await store.db.selectFrom('audit_signature').selectAll().execute());
      expect(dump).not.toContain(fs.readFileSync(keyFile, 'utf8').split('\n')[1]!);
    } finally {
      await store.close();
    }
  });

  it('refuses to open without the recorded key (key.missing) or with another one (key.mismatch), making no new key', async () => {
    (await openSignedStore(fresh.config, keyFile)).store.close();
    const kept = fs.readFileSync(keyFile);
    fs.rmSync(keyFile);
    await expect(openSignedStore(fresh.config, keyFile)).rejects.toMatchObject({
      code: 'key.missing',
      path: 'signingKeyFile',
    });
    expect(fs.existsSync(keyFile)).toBe(false);
    const other = path.join(dir, 'other.key');
    loadSigningKey(other);
    await expect(openSignedStore(fresh.config, other)).rejects.toMatchObject({ code: 'key.mismatch' });
    fs.writeFileSync(keyFile, kept, { mode: 0o600 });
    const { store } = await openSignedStore(fresh.config, keyFile);
    expect(await verifyStore(store)).toMatchObject({ ok: true });
    await store.close();
  });

  it('adopts a chain from before signed heads once, by signing its head when 0011 runs', async () => {
    // A database of the release before 0011: no signature table, a chain nobody signed.
    const plain = await openStore(fresh.config, { migrate: false });
    await migrateTo(plain.db, '0010-need-to-know-links');
    await runWrite(plain, ctx, async (w) => void (await w.insert('organization', org('o1'))));
    await plain.close();
    const { store, key } = await openSignedStore(fresh.config, keyFile);
    try {
      const r = await verifyStore(store);
      expect(r).toMatchObject({ ok: true, entries: 2, signatures: { key: key.publicKey.fingerprint } });
      expect(await store.db.selectFrom('audit_signature').select('seq').orderBy('seq').execute()).toEqual([
        { seq: 1 },
        { seq: 2 },
      ]);
    } finally {
      await store.close();
    }
  });

  it('never signs over entries appended without the key: a later start leaves them unsigned', async () => {
    (await openSignedStore(fresh.config, keyFile)).store.close();
    // Vigil's own code run against the database, but without the key file.
    const insider = await openStore(fresh.config);
    await runWrite(insider, ctx, async (w) => void (await w.insert('organization', org('forged'))));
    await insider.close();
    const { store } = await openSignedStore(fresh.config, keyFile);
    try {
      expect(await verifyStore(store)).toMatchObject({ ok: false, break: { kind: 'unsigned_entries', seq: 2 } });
    } finally {
      await store.close();
    }
  });

  it('checks heads against the key given, not the one a row carries', async () => {
    const { store } = await openSignedStore(fresh.config, keyFile);
    try {
      const stranger = headSignerOf(ephemeralSigningKey());
      expect(await verifyStore(store, undefined, { publicKey: stranger.publicKey })).toMatchObject({
        ok: false,
        break: { kind: 'signature_invalid', seq: 1 },
      });
    } finally {
      await store.close();
    }
  });
});
