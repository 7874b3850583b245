import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { entryBytes, entryBytesReference, entryHash } from '../domain/audit-format.ts';
import { encodeChanges, type AuditChange } from './audit-changes.ts';

const text = fc.string({ unit: 'grapheme' });
const entry = fc.record({
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  at: text,
  actor: text,
  action: text,
  entity_type: text,
  entity_id: text,
  state_hash: fc.option(text, { nil: null }),
  reason: fc.option(text, { nil: null }),
  prev_hash: text,
});
/** Values a change can hold: column values (text, numbers, null) and parsed JSON columns (lists, objects). */
const value = fc.oneof(
  fc.constant(null),
  text,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(text),
  fc.dictionary(text, fc.oneof(text, fc.integer(), fc.constant(null))),
);
const change: fc.Arbitrary<AuditChange> = fc.oneof(
  fc.record({ field: text, from: value, to: value }),
  fc.record({ field: text, changed: fc.constant(true as const) }),
);

describe('entryBytes', () => {
  it('is RFC 8785 canonical JSON of the entry, the same as the generic canonicaliser', () => {
    fc.assert(
      fc.property(entry, (e) => {
        expect(entryBytes(e)).toBe(entryBytesReference(e));
      }),
    );
  });

  it('includes the changes, stored as canonical JSON, exactly as the generic canonicaliser places them', () => {
    fc.assert(
      fc.property(entry, fc.array(change, { maxLength: 6 }), (e, changes) => {
        const withChanges = { ...e, changes: encodeChanges(changes) };
        expect(entryBytes(withChanges)).toBe(entryBytesReference(withChanges));
        expect(entryHash(withChanges)).not.toBe(entryHash(e));
      }),
    );
  });

  it('leaves an entry without changes (null or absent) with exactly the bytes and hash it had before changes existed', () => {
    // Golden values computed by the code before 0012 (commit d445824): these entries must never change hash.
    const a = {
      seq: 1,
      at: '2022-02-01T09:00:00.000Z',
      actor: 'system',
      action: 'create',
      entity_type: 'allegation',
      entity_id: 'a1',
      state_hash: 'ab'.repeat(32),
      reason: 'import',
      prev_hash: '0'.repeat(64),
    };
    const b = {
      seq: 42,
      at: '2022-02-01T09:00:01.000Z',
      actor: 'user-1',
      action: 'identity.view',
      entity_type: 'person',
      entity_id: 'p1',
      state_hash: null,
      reason: 'Нужно для жалобы "прокурору"\n',
      prev_hash: 'cd'.repeat(32),
    };
    for (const e of [a, { ...a, changes: null }]) {
      expect(entryHash(e)).toBe('c146e5e233bd5ff38c93be79ff64e427ad513db24879e4f6868264a91fa723aa');
      expect(entryBytes(e)).toBe(
        '{"action":"create","actor":"system","at":"2022-02-01T09:00:00.000Z","entity_id":"a1","entity_type":"allegation","prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","reason":"import","seq":1,"state_hash":"abababababababababababababababababababababababababababababababab"}',
      );
    }
    expect(entryHash({ ...b, changes: null })).toBe('51dc1510267892e9d3f04509609c74dacb95720b004259ac02b5fb1616ea14d2');
    expect(entryBytes({ ...a, changes: '[]' })).toContain('"at":"2022-02-01T09:00:00.000Z","changes":[],"entity_id"');
  });

  it('refuses a sequence that is not an integer', () => {
    const e = {
      seq: 1.5,
      at: '',
      actor: '',
      action: '',
      entity_type: '',
      entity_id: '',
      state_hash: null,
      reason: null,
      prev_hash: '',
    };
    expect(() => entryBytes(e)).toThrow(/not an integer/);
  });
});
