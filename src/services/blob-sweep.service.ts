/**
 * Leftovers of uploads that a crash or a kill cut off: the blob store keeps each upload in a
 * scratch area until its hash is known, and what is still there a day later belongs to no upload.
 */
import type { Services } from './context.ts';

/** How long a partial upload is left alone: far longer than any upload takes. */
const PARTIAL_UPLOAD_AGE_MS = 24 * 60 * 60 * 1000;

/** Removes partial uploads older than a day (the server does it at start); stored evidence is never touched. */
export function sweepPartialUploads(svc: Services): Promise<{ removed: number; bytes: number }> {
  return svc.blobs.sweepPartial(new Date(svc.clock().getTime() - PARTIAL_UPLOAD_AGE_MS));
}
