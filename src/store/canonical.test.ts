import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { canonicalJson, stateHash } from '../domain/canonical-json.ts';

const canonicalize = createRequire(import.meta.url)('canonicalize') as (input: unknown) => string | undefined;

describe('canonicalJson', () => {
  it('matches the RFC 8785 reference implementation on flat rows', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string(),
          fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
        ),
        (row) => {
          expect(canonicalJson(row)).toBe(canonicalize(row));
        },
      ),
    );
  });

  it('falls back to the generic path for nested values', () => {
    const v = { b: [1, { d: 2, c: 'é' }], a: true };
    expect(canonicalJson(v)).toBe('{"a":true,"b":[1,{"c":"é","d":2}]}');
  });

  it('gives the same state hash whatever the key order', () => {
    expect(stateHash('t', { a: 1, b: 'x' })).toBe(stateHash('t', { b: 'x', a: 1 }));
    expect(stateHash('t', { a: 1 })).not.toBe(stateHash('u', { a: 1 }));
  });
});
