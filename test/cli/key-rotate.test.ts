import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { makeServices, SYSTEM } from '../../src/services/context.ts';
import { nameIndexOf } from '../../src/services/person.service.ts';
import { startTotpEnrolment } from '../../src/services/second-factor.service.ts';
import { addUser } from '../../src/services/user.service.ts';
import { openStore } from '../../src/store/database.ts';
import { readKeyFile } from '../../src/store/key-files.ts';
import { Keyring, keyFingerprint } from '../../src/store/keyring.ts';
import { describeEachDialect, freshDatabaseConfig, type DatabaseConfig } from '../support/databases.ts';
import { cliEnv } from '../support/cli.ts';

const PEOPLE = 3000;

async function withStore<T>(
  config: DatabaseConfig,
  fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
): Promise<T> {
  const store = await openStore(config, { migrate: false });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const keyRecord = (config: DatabaseConfig) =>
  withStore(config, (s) =>
    s.db.selectFrom('key_fingerprint').selectAll().where('purpose', '=', 'identity').executeTakeFirst(),
  ).catch(() => undefined);
const auditCount = (config: DatabaseConfig) =>
  withStore(config, async (s) =>
    Number((await s.db.selectFrom('audit_entry').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n),
  );

describeEachDialect('vigil key rotate', (dialect) => {
  it('refuses a wrong old key with key.mismatch and writes nothing; killed halfway, it resumes and every identity opens under the new key', {
    timeout: 600_000,
  }, async () => {
    const db = await freshDatabaseConfig(dialect);
    const cli = cliEnv(db.config);
    delete cli.env.VIGIL_KEY;
    const keyFile = path.join(cli.dir, 'vigil.key');
    try {
      const file = path.join(cli.dir, 'people.jsonl');
      const lines = Array.from({ length: PEOPLE }, (_, i) =>
        JSON.stringify({
          type: 'person',
          externalId: `p-${i}`,
          roles: ['victim'],
          identity: { name: `Rotated Person${i}`, contacts: `+7 700 ${i}` },
        }),
      );
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      const imported = cli.run(['import', file]);
      expect(imported.code, imported.stderr).toBe(0);
      const oldKey = readKeyFile(keyFile);
      // A user with a TOTP secret, sealed under the old key.
      const totp = await withStore(db.config, async (s) => {
        const svc = makeServices(s, new Keyring(oldKey));
        const u = await addUser(svc, SYSTEM, {
          username: 'rotated-analyst',
          role: 'analyst',
          password: 'quiet-lantern-orbit-meadow',
        });
        const { secret } = await startTotpEnrolment(svc, { id: u.id, role: 'analyst' });
        return { id: u.id, secret };
      });
      const before = await keyRecord(db.config);
      expect(before).toMatchObject({ fingerprint: keyFingerprint(oldKey), next_fingerprint: null });

      // A wrong key in the key file: one line, exit 2, nothing written, no key file made.
      fs.writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
      const entries = await auditCount(db.config);
      const wrong = cli.run(['key', 'rotate']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(
        /^error: key\.mismatch: the identity key in .*vigil\.key \(fingerprint [0-9a-f]{16}\) is not the key this database was sealed with \(fingerprint [0-9a-f]{16}\)\n$/,
      );
      expect(await keyRecord(db.config)).toEqual(before);
      expect(await auditCount(db.config)).toBe(entries);
      expect(fs.readdirSync(cli.dir).filter((n) => n.startsWith('vigil.key'))).toEqual(['vigil.key']);
      fs.writeFileSync(keyFile, `${oldKey.toString('base64')}\n`, { mode: 0o600 });

      // Killed without warning once the first batch is committed.
      const child = cli.spawn(['key', 'rotate', '--batch', '50']);
      const started = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 20));
        const r = await keyRecord(db.config);
        if (r?.rotation_cursor || Date.now() - started > 120_000) break;
      }
      child.kill('SIGKILL');
      await once(child, 'exit');
      const partial = await keyRecord(db.config);
      expect(partial?.next_fingerprint, 'the rotation finished before it could be killed').toMatch(/^[0-9a-f]{64}$/);
      expect(partial?.fingerprint).toBe(keyFingerprint(oldKey));

      // Meanwhile every other command refuses, in one line.
      const blocked = cli.run(['export', '--type', 'person']);
      expect(blocked.code).toBe(2);
      expect(blocked.stderr).toMatch(
        /^error: key\.rotation_unfinished: a rotation to key [0-9a-f]{16} is under way; finish it: vigil key rotate\n$/,
      );

      const resumed = cli.run(['key', 'rotate', '--batch', '50'], { timeoutMs: 300_000 });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(
        /^key rotate: resumed; \d+ people and 1 TOTP secret re-sealed under key [0-9a-f]{16} \(was [0-9a-f]{16}\)\n/,
      );
      expect(resumed.stdout).toMatch(/old key removed/);
      expect(fs.readdirSync(cli.dir).filter((n) => n.startsWith('vigil.key'))).toEqual(['vigil.key']);
      const newKey = readKeyFile(keyFile);
      expect(newKey.equals(oldKey)).toBe(false);
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(await keyRecord(db.config)).toMatchObject({
        fingerprint: partial!.next_fingerprint,
        next_fingerprint: null,
        rotation_cursor: null,
      });

      // Every identity opens under the new key alone, for its own record; the name index moved with it.
      const ring = new Keyring(newKey);
      await withStore(db.config, async (s) => {
        const rows = await s.db
          .selectFrom('person')
          .select(['id', 'external_id', 'name_enc', 'contacts_enc', 'name_index', 'version'])
          .execute();
        expect(rows.length).toBe(PEOPLE);
        for (const r of rows) {
          const i = r.external_id!.slice(2);
          expect(ring.open(r.name_enc!, { field: 'person.name', recordId: r.id })).toBe(`Rotated Person${i}`);
          expect(ring.open(r.contacts_enc!, { field: 'person.contacts', recordId: r.id })).toBe(`+7 700 ${i}`);
          expect(r.version).toBe(2);
          expect(r.name_index).toBe(nameIndexOf(ring, `Rotated Person${i}`));
        }
        const rotations = Number(
          (
            await s.db
              .selectFrom('audit_entry')
              .select(sql<number>`count(*)`.as('n'))
              .where('action', '=', 'key.rotate')
              .executeTakeFirstOrThrow()
          ).n,
        );
        expect(rotations).toBe(PEOPLE + 1);
        const factor = await s.db
          .selectFrom('user_second_factor')
          .select('totp_secret')
          .where('user_id', '=', totp.id)
          .executeTakeFirstOrThrow();
        expect(ring.open(factor.totp_secret, { field: 'app_user.totp_secret', recordId: totp.id })).toBe(totp.secret);
      });
      const v = cli.run(['verify'], { timeoutMs: 300_000 });
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/^ok: \d+ entries, \d+ records, \d+ signed heads \(key [0-9a-f]{16}\)\n$/);

      // The old key no longer opens this database.
      fs.writeFileSync(keyFile, `${oldKey.toString('base64')}\n`, { mode: 0o600 });
      const old = cli.run(['verify', '--no-checkpoint']);
      expect(old.code).toBe(2);
      expect(old.stderr).toMatch(/^error: key\.mismatch: /);
      expect(old.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    } finally {
      cli.cleanup();
      await db.drop();
    }
  });
});
