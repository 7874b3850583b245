import { hash } from 'node:crypto';
import { createRequire } from 'node:module';

// The package is CommonJS with a default-export typing that NodeNext resolution misreads.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (input: unknown) => string | undefined;

type Flat = Record<string, string | number | null>;

function isFlat(value: Record<string, unknown>): value is Flat {
  for (const k in value) {
    const v = value[k];
    if (v !== null && typeof v !== 'string' && typeof v !== 'number') return false;
  }
  return true;
}

/**
 * RFC 8785 (JCS) canonical JSON. Rows and audit entries are flat objects of strings, numbers
 * and nulls; for those, sorting the keys and JSON-encoding each value is exactly JCS
 * (ECMAScript number and string serialisation), and much faster than the generic path.
 */
export function canonicalJson(value: Record<string, unknown>): string {
  if (!isFlat(value)) {
    const out = canonicalize(value);
    if (out === undefined) throw new Error('value cannot be canonicalised');
    return out;
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const [i, k] of keys.entries()) {
    const v = value[k];
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`non-finite number in ${k}`);
    out += `${i ? ',' : ''}${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  return `${out}}`;
}

/** RFC 8785 canonical JSON of any JSON value (lists too), through the generic canonicaliser. */
export function canonicalJsonValue(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new Error('value cannot be canonicalised');
  return out;
}

/** Hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  // One-shot hashing: no Hash object per call, which matters over a million audit entries.
  return hash('sha256', text, 'hex');
}

/** The hash of a record's state: its table and its row, canonicalised. */
export function stateHash(table: string, row: Record<string, unknown>): string {
  return sha256Hex(canonicalJson({ ...row, '@table': table }));
}
