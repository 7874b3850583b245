import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { partnerBaseUrl, partnersFromEnv } from './partner-config.ts';
import { configuredWitnesses } from './witness.service.ts';

const T1 = `vgl_${'a'.repeat(43)}`;
const T2 = `vgl_${'b'.repeat(43)}`;

describe('witness configuration', () => {
  it('reads partners as URL|TOKEN, separated by commas or lines, from the variable and a private file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-partners-'));
    const file = path.join(dir, 'partners');
    fs.writeFileSync(file, `# partner C\nhttps://c.example/vigil/|${T2}\n`, { mode: 0o600 });
    expect(
      partnersFromEnv({
        VIGIL_WITNESS_PARTNERS: ` https://a.example|${T1} , http://127.0.0.1:8080/|${T2}`,
        VIGIL_WITNESS_PARTNERS_FILE: file,
      }),
    ).toEqual([
      { url: 'https://a.example', token: T1 },
      { url: 'http://127.0.0.1:8080', token: T2 },
      { url: 'https://c.example/vigil', token: T2 },
    ]);
    fs.chmodSync(file, 0o644);
    expect(() => partnersFromEnv({ VIGIL_WITNESS_PARTNERS_FILE: file })).toThrow(/readable by other users/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad entry with its path, and never repeats the token', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['https://a.example', 'VIGIL_WITNESS_PARTNERS.0', /URL\|TOKEN/],
      [`https://a.example|${T1},ftp://b.example|${T2}`, 'VIGIL_WITNESS_PARTNERS.1.url', /http or https/],
      ['https://a.example|vgl_secret-but-short', 'VIGIL_WITNESS_PARTNERS.0.token', /not a Vigil API token/],
      [`https://user:pw@a.example|${T1}`, 'VIGIL_WITNESS_PARTNERS.0.url', /without credentials/],
      [`https://a.example|${T1},https://a.example/|${T2}`, 'VIGIL_WITNESS_PARTNERS', /configured twice/],
    ];
    for (const [value, where, message] of cases) {
      try {
        partnersFromEnv({ VIGIL_WITNESS_PARTNERS: value });
        expect.unreachable(value);
      } catch (err) {
        expect(err, value).toMatchObject({
          code: 'config.invalid',
          path: where,
          message: expect.stringMatching(message),
        });
        expect((err as Error).message).not.toContain('secret');
      }
    }
    expect(partnerBaseUrl('https://A.example:443/x/', 'w')).toBe('https://a.example/x');
  });

  it('lists the witness file, then the partners, with stable ids', () => {
    const ids = configuredWitnesses({
      VIGIL_WITNESS_FILE: 'heads.jsonl',
      VIGIL_WITNESS_PARTNERS: `https://a.example|${T1}`,
    }).map((w) => w.id);
    expect(ids).toEqual([`file:${path.resolve('heads.jsonl')}`, 'partner:https://a.example']);
    expect(configuredWitnesses({})).toEqual([]);
  });
});
