import type { Readable } from 'node:stream';

/** What `put` learned about the bytes it stored. */
export interface StoredBlob {
  /** SHA-256 of the exact bytes received, lowercase hex. */
  readonly sha256: string;
  readonly size: number;
  /** True when a blob with this hash was already stored (the new copy was discarded). */
  readonly existed: boolean;
  /** The first bytes (up to 4 KiB), for recognising the file type without reading it again. */
  readonly head: Uint8Array;
}

/** The outcome of re-hashing a stored blob. */
export type BlobCheck = 'ok' | 'missing' | 'mismatch';

/**
 * Content-addressed, write-once storage of evidence files. Bytes go in as a stream and are
 * hashed while they arrive, so a file of any size never sits in memory; a blob is stored under
 * its SHA-256 and never overwritten. There is deliberately no delete: an original is never
 * removed by normal use (domain.md EV2).
 *
 * The filesystem store (`FsBlobStore`) is the embedded default. A server deployment can put the
 * same interface over an S3-compatible bucket with object lock (see docs/evidence.md).
 */
export interface BlobStore {
  /**
   * Streams `source` in and stores it under its hash. Fails with `evidence.too_large` past
   * `maxBytes`, leaving nothing behind.
   */
  put(source: AsyncIterable<Uint8Array>, opts?: { maxBytes?: number }): Promise<StoredBlob>;
  /**
   * Streams a blob out, hashing it again on the way: when the bytes no longer match, the stream
   * fails with `evidence.hash_mismatch` at its end (the reader must treat what it got as void).
   * Fails with `evidence.blob_missing` when there is no such blob.
   */
  read(sha256: string): Promise<Readable>;
  /** The size of a stored blob, or null when there is none. */
  stat(sha256: string): Promise<{ size: number } | null>;
  /** Reads a whole blob and re-hashes it. */
  check(sha256: string): Promise<BlobCheck>;
  /** Every stored hash, in no particular order. */
  list(): AsyncIterable<string>;
  /**
   * Removes what uploads cut off by a crash or a kill left behind, if it was last touched before
   * `olderThan` (so an upload in progress is never touched). Stored blobs are never removed.
   */
  sweepPartial(olderThan: Date): Promise<{ removed: number; bytes: number }>;
}

/** A SHA-256 in lowercase hex. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
