import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { entryBytes, entryBytesReference } from './audit-chain.ts';

describe('entryBytes', () => {
  it('is RFC 8785 canonical JSON of the entry, the same as the generic canonicaliser', () => {
    const text = fc.string({ unit: 'grapheme' });
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 1, max: 2 ** 40 }), at: text, actor: text, action: text, entity_type: text, entity_id: text,
          state_hash: fc.option(text, { nil: null }), reason: fc.option(text, { nil: null }), prev_hash: text,
        }),
        (e) => {
          expect(entryBytes(e)).toBe(entryBytesReference(e));
        },
      ),
    );
  });

  it('refuses a sequence that is not an integer', () => {
    const e = { seq: 1.5, at: '', actor: '', action: '', entity_type: '', entity_id: '', state_hash: null, reason: null, prev_hash: '' };
    expect(() => entryBytes(e)).toThrow(/not an integer/);
  });
});
