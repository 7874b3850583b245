import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { entryHash } from '../../src/domain/audit-format.ts';
import { stateHash } from '../../src/domain/canonical-json.ts';
import { entryHashV1, stateHashV1 } from '../../src/store/migrations/reaudit.ts';

const DIR = path.resolve('src/store/migrations');

it('old migrations import nothing of the live code: only kysely, node: and each other', () => {
  for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(DIR, file), 'utf8');
    for (const m of text.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)) {
      const from = m[1]!;
      expect(
        from === 'kysely' || from.startsWith('node:') || /^\.\/[^/]+\.ts$/.test(from),
        `${file} imports ${from}`,
      ).toBe(true);
    }
  }
});

it('the frozen hashing of re-audit entries still agrees with the live code for what it wrote', () => {
  const entry = {
    seq: 42,
    at: '2022-02-04T10:00:00.000Z',
    actor: 'system',
    action: 'migrate',
    entity_type: 'visit',
    entity_id: 'v-1',
    state_hash: 'ab'.repeat(32),
    reason: 'schema 0005-visit-conduct: columns added',
    prev_hash: 'cd'.repeat(32),
  };
  expect(entryHashV1(entry)).toBe(entryHash(entry));
  const row = {
    id: 'v-1',
    facility_id: 'f-1',
    status: 'planned',
    started_at: null,
    version: 3,
    area_ids: '["a","b"]',
    note: 'Ёлка "quoted" \u2028',
  };
  expect(stateHashV1('visit', row)).toBe(stateHash('visit', row));
});
