import { Readable } from 'node:stream';
import sharp from 'sharp';
import { VigilError } from '../domain/errors.ts';
import type { EvidenceItem } from '../domain/entities/evidence.ts';
import { runWrite } from '../store/audited-writer.ts';
import {
  findWorkingCopy,
  insertEvidenceItem,
  type EvidenceItemRow,
} from '../store/repositories/evidence.repository.ts';
import type { Actor, Services } from './context.ts';
import { addCustody, getEvidence, logMismatch } from './evidence.service.ts';
import { writeContext } from './record-write.ts';

/** A working copy as made (or found, when the same copy of the same original already existed). */
export interface WorkingCopy {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  parentId: string;
  parentSha256: string;
  transformation: string;
  tool: string;
  /** False when this exact copy had already been made: the existing item is returned, nothing is recorded. */
  created: boolean;
}

/** What sharp writes for each image type it can read: same format out as in, so a viewer sees what the original shows. */
const OUTPUTS: Record<
  string,
  { format: 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif' | 'avif'; mediaType: string; ext: string }
> = {
  'image/jpeg': { format: 'jpeg', mediaType: 'image/jpeg', ext: 'jpg' },
  'image/png': { format: 'png', mediaType: 'image/png', ext: 'png' },
  'image/webp': { format: 'webp', mediaType: 'image/webp', ext: 'webp' },
  'image/tiff': { format: 'tiff', mediaType: 'image/tiff', ext: 'tif' },
  'image/gif': { format: 'gif', mediaType: 'image/gif', ext: 'gif' },
  'image/avif': { format: 'avif', mediaType: 'image/avif', ext: 'avif' },
};

/** The image types a working copy can be made of. HEIC is not among them: the bundled libvips decodes AVIF but not HEVC. */
const WORKING_COPY_MEDIA_TYPES = Object.keys(OUTPUTS);

/** Largest original a working copy is made from: the image is decoded in memory. */
const WORKING_COPY_MAX_BYTES = 256 * 1024 * 1024;

/** What every working copy loses: the transformation recorded on the item. */
const STRIPPED = 'metadata stripped: exif, gps, xmp, iptc';

/** `sharp 0.35.5 (libvips 8.18.7)`: the tool recorded on each working copy. */
const WORKING_COPY_TOOL = `sharp ${sharp.versions.sharp ?? '?'} (libvips ${sharp.versions.vips})`;

async function readAll(stream: AsyncIterable<unknown>, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > max)
      throw new VigilError('evidence.too_large', `a working copy is made of images up to ${max} bytes`, { path: 'id' });
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

/**
 * Re-encodes an image without its metadata. Pixels are turned upright first when EXIF says the
 * camera was rotated: without the EXIF orientation a viewer would otherwise show them sideways.
 */
async function stripped(
  input: Buffer,
  format: (typeof OUTPUTS)[string]['format'],
): Promise<{ bytes: Buffer; transformation: string }> {
  const meta = await sharp(input, { failOn: 'error' }).metadata();
  const rotated = meta.orientation !== undefined && meta.orientation > 1;
  // sharp writes no EXIF, XMP, IPTC or ICC data unless asked to (keepMetadata/withExif…): nothing here asks.
  let img = sharp(input, { failOn: 'error', animated: format === 'gif' || format === 'webp' }).autoOrient();
  img =
    format === 'jpeg'
      ? img.jpeg({ quality: 95 })
      : format === 'webp'
        ? img.webp({ quality: 95 })
        : format === 'avif'
          ? img.avif({ quality: 80 })
          : img.toFormat(format);
  const bytes = await img.toBuffer();
  const out = await sharp(bytes).metadata();
  // Belt and braces: a copy that still carries metadata must never be filed as a clean one.
  if (out.exif || out.xmp || out.iptc || (out.comments?.length ?? 0) > 0) {
    throw new VigilError('internal', 'the re-encoded image still carries metadata');
  }
  return {
    bytes,
    transformation: rotated ? `${STRIPPED}; turned upright (EXIF orientation ${meta.orientation})` : STRIPPED,
  };
}

/**
 * Makes a working copy of an image for viewing or publishing (domain.md EV4, PR9): EXIF (with
 * GPS), XMP, IPTC and text comments stripped by re-encoding with sharp. The copy is a new
 * evidence item under the same allegation and source, `copy_kind` 'working', naming its
 * parent's hash, the transformation, the tool, the operator (`captured_by`) and the time
 * (`captured_at`). The original is read (its hash re-checked on the way) and never changed.
 * Custody: the original gets `copied` (EV6's word for it, naming the copy), the copy starts its
 * log with `derived` (naming the original) instead of `collected`: it was made here, not
 * received from outside. Making the same copy again returns the existing one and records
 * nothing. Other files, and working copies themselves, are refused with
 * `evidence.working_copy_unsupported`: Vigil cannot strip their metadata reliably, and a byte
 * copy would carry it under a name that promises it is gone.
 *
 * @example
 *   const copy = await makeWorkingCopy(svc, actor, itemId, { purpose: 'photo for the annual report' });
 */
export async function makeWorkingCopy(
  svc: Services,
  actor: Actor,
  key: string,
  opts: { purpose?: string } = {},
): Promise<WorkingCopy> {
  const { item } = await getEvidence(svc, actor, key);
  const output = OUTPUTS[item.mediaType];
  if (item.copyKind !== 'original') {
    throw new VigilError(
      'evidence.working_copy_unsupported',
      'this item is already a working copy; make one from its original',
      { path: 'id' },
    );
  }
  if (!output) {
    throw new VigilError(
      'evidence.working_copy_unsupported',
      `working copies are made of images (${WORKING_COPY_MEDIA_TYPES.join(', ')}); this item is ${item.mediaType}`,
      { path: 'id' },
    );
  }
  if (item.size > WORKING_COPY_MAX_BYTES) {
    throw new VigilError(
      'evidence.too_large',
      `a working copy is made of images up to ${WORKING_COPY_MAX_BYTES} bytes`,
      { path: 'id' },
    );
  }
  let input: Buffer;
  try {
    input = await readAll(await svc.blobs.read(item.sha256), WORKING_COPY_MAX_BYTES);
  } catch (err) {
    if (err instanceof VigilError && err.code === 'evidence.hash_mismatch')
      await logMismatch(svc, actor, item.id).catch(() => undefined);
    throw err;
  }
  let made: { bytes: Buffer; transformation: string };
  try {
    made = await stripped(input, output.format);
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw new VigilError(
      'evidence.working_copy_unsupported',
      `the image cannot be decoded: ${(err as Error).message.split('\n')[0]}`,
      { path: 'id' },
    );
  }
  const blob = await svc.blobs.put(Readable.from([made.bytes]));
  const copy = await runWrite(svc.store, writeContext(svc, actor, opts.purpose), async (w): Promise<WorkingCopy> => {
    const existing = await findWorkingCopy(w.trx, {
      sha256: blob.sha256,
      parentSha256: item.sha256,
      allegationId: item.allegationId,
    });
    if (existing) return presentCopy(existing, item, false);
    const id = svc.newId();
    const at = w.ctx.at;
    const row = await insertEvidenceItem(w, {
      id,
      externalId: null,
      sourceId: item.sourceId,
      allegationId: item.allegationId,
      sha256: blob.sha256,
      size: blob.size,
      mediaType: output.mediaType,
      originalName: workingName(item.originalName, output.ext),
      capturedFrom: null,
      capturedAt: at,
      capturedBy: actor.id,
      tool: WORKING_COPY_TOOL,
      copyKind: 'working',
      parentSha256: item.sha256,
      transformation: made.transformation,
    });
    const detail = { transformation: made.transformation, tool: WORKING_COPY_TOOL };
    await addCustody(svc, w, item.id, 'copied', {
      purpose: opts.purpose ?? null,
      detail: { workingCopyId: id, workingCopySha256: blob.sha256, ...detail },
    });
    await addCustody(svc, w, id, 'derived', {
      purpose: opts.purpose ?? null,
      detail: { parentId: item.id, parentSha256: item.sha256, ...detail },
    });
    return presentCopy(row, item, true);
  });
  // Partner and public bundles carry working copies only: they get their own token too.
  svc.timestamps?.request(copy.sha256);
  return copy;
}

function presentCopy(row: EvidenceItemRow, parent: EvidenceItem, created: boolean): WorkingCopy {
  return {
    id: row.id,
    sha256: row.sha256,
    size: row.size,
    mediaType: row.media_type,
    parentId: parent.id,
    parentSha256: parent.sha256,
    transformation: row.transformation ?? STRIPPED,
    tool: row.tool ?? WORKING_COPY_TOOL,
    created,
  };
}

/** `cell.jpg` → `cell.working.jpg`; none when the original had no name. */
function workingName(original: string | null, ext: string): string | null {
  if (!original) return null;
  const base = original.replace(/\.[^./\\]{1,10}$/, '');
  return `${base}.working.${ext}`.slice(-500);
}
