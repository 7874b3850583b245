import { pipeline, Transform, type Readable } from 'node:stream';
import fastifyMultipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Line } from '../../domain/entities/common.ts';
import { CustodyEvent, CustodyEventInput, type EvidenceItem } from '../../domain/entities/evidence.ts';
import { VigilError } from '../../domain/errors.ts';
import type { UserRole } from '../../domain/vocabularies.ts';
import type { Actor, Services } from '../../services/context.ts';
import {
  evidenceOfAllegation,
  fileEvidence,
  getEvidence,
  maxUploadBytesFromEnv,
  openEvidence,
  recordCustody,
  type Filed,
} from '../../services/evidence.service.ts';
import { makeWorkingCopy } from '../../services/working-copy.service.ts';
import { ERROR_RESPONSES, IdParams } from '../schemas.ts';
import { actorOf, visibleAllegationId } from './write/write-kit.ts';

/** Who files evidence and handles it (custody, working copies); everyone signed in reads, within need-to-know. */
const HANDLERS: readonly UserRole[] = ['admin', 'analyst', 'documenter', 'monitor'];

/** The metadata fields an upload may carry (EvidenceIntakeInput), each a text field sent before the file. */
const FIELDS = [
  'externalId',
  'allegationId',
  'sourceId',
  'mediaType',
  'originalName',
  'capturedFrom',
  'capturedAt',
  'capturedBy',
  'tool',
  'purpose',
] as const;

/** Room for the multipart envelope and the fields around the file, when judging a Content-Length. */
const ENVELOPE_BYTES = 1024 * 1024;

const EvidenceItemView = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  allegationId: z.string().nullable(),
  sourceId: z.string().nullable(),
  sha256: z.string(),
  size: z.number().int(),
  mediaType: z.string(),
  originalName: z.string().nullable(),
  capturedFrom: z.string().nullable(),
  capturedAt: z.string().nullable(),
  capturedBy: z.string().nullable(),
  tool: z.string().nullable(),
  copyKind: z.enum(['original', 'working']),
  parentSha256: z.string().nullable(),
  transformation: z.string().nullable(),
  createdAt: z.string(),
});

const FiledBody = z.object({
  id: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  mediaType: z.string(),
  duplicate: z
    .boolean()
    .describe('The same bytes were already filed under the same allegation and source: that item is returned'),
  linked: z.boolean().describe('The bytes were already stored (under another item): the new item shares them'),
});

const WorkingCopyBody = z.object({
  id: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  mediaType: z.string(),
  parentId: z.string(),
  parentSha256: z.string(),
  transformation: z.string(),
  tool: z.string(),
  created: z.boolean().describe('False when this exact copy already existed: it is returned and nothing is recorded'),
});

function present(item: EvidenceItem): z.infer<typeof EvidenceItemView> {
  return {
    id: item.id,
    externalId: item.externalId,
    allegationId: item.allegationId,
    sourceId: item.sourceId,
    sha256: item.sha256,
    size: item.size,
    mediaType: item.mediaType,
    originalName: item.originalName,
    capturedFrom: item.capturedFrom,
    capturedAt: item.capturedAt,
    capturedBy: item.capturedBy,
    tool: item.tool,
    copyKind: item.copyKind,
    parentSha256: item.parentSha256,
    transformation: item.transformation,
    createdAt: item.createdAt,
  };
}

/** A multipart or busboy failure as a client error; Vigil's own errors pass through. */
function uploadError(err: unknown): unknown {
  if (err instanceof VigilError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new VigilError('evidence.too_large', 'the file is larger than the upload limit', { path: 'file' });
    case 'FST_FILES_LIMIT':
      return new VigilError('evidence.upload_invalid', 'send one file per upload', { path: 'file' });
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new VigilError(
        'evidence.upload_invalid',
        `too many parts: send at most the fields ${FIELDS.join(', ')} and one file`,
      );
    case 'FST_PROTO_VIOLATION':
      return new VigilError('evidence.upload_invalid', 'a field name is not allowed');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new VigilError('evidence.upload_invalid', 'send the fields as plain text, not JSON');
    case 'FST_MP_PREMATURE_CLOSE':
      return new VigilError('evidence.upload_invalid', 'the upload was cut off before it ended');
    default:
      return err instanceof Error
        ? new VigilError('evidence.upload_invalid', `the multipart body is malformed: ${err.message}`)
        : err;
  }
}

async function nextPart(parts: AsyncIterator<Multipart>): Promise<IteratorResult<Multipart>> {
  try {
    return await parts.next();
  } catch (err) {
    throw uploadError(err);
  }
}

/**
 * The file's bytes, then a check that nothing follows it: a field after the file would have
 * come too late to be recorded, so it fails the upload, and as this happens before the last
 * byte is handed over, the blob store keeps nothing.
 */
async function* fileThenEnd(part: MultipartFile, parts: AsyncIterator<Multipart>): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of part.file) yield chunk as Buffer;
  } catch (err) {
    throw uploadError(err);
  }
  if (part.file.truncated)
    throw new VigilError('evidence.too_large', 'the file is larger than the upload limit', { path: 'file' });
  const after = await nextPart(parts);
  if (!after.done) {
    throw new VigilError(
      'evidence.upload_invalid',
      `"${after.value.fieldname}" came after the file: send the fields first, then one file part`,
      { path: after.value.fieldname },
    );
  }
}

/** The name a browser gave the file, without any directory, or nothing when it is unusable. */
function fileName(name: string | undefined): string | undefined {
  const base = name?.split(/[\\/]/).pop()?.trim();
  return base ? base.slice(0, 500) : undefined;
}

/** The media type the sender declared for the file part, when it says anything. */
function declaredType(mimetype: string | undefined): string | undefined {
  return mimetype && mimetype !== 'application/octet-stream' && /^[\w.+-]+\/[\w.+-]+$/.test(mimetype)
    ? mimetype
    : undefined;
}

/**
 * Reads the upload: text fields first (collected), then the one part named `file`, streamed
 * straight into the blob store — hashed as it arrives, never held in memory. The metadata is
 * checked (references, need-to-know) as the file part begins, before its first byte is read.
 */
async function receiveUpload(req: FastifyRequest, svc: Services, actor: Actor, maxBytes: number): Promise<Filed> {
  if (!req.isMultipart()) {
    throw new VigilError(
      'request.unsupported_media_type',
      'send the file as multipart/form-data: the fields first, then one part named "file"',
    );
  }
  const parts = req
    .parts({
      limits: {
        fileSize: maxBytes + 1,
        files: 1,
        fields: FIELDS.length,
        parts: FIELDS.length + 1,
        fieldSize: 16 * 1024,
        headerPairs: 100,
      },
    })
    [Symbol.asyncIterator]();
  const fields: Record<string, string> = {};
  for (;;) {
    const next = await nextPart(parts);
    if (next.done)
      throw new VigilError('evidence.file_missing', 'the upload has no part named "file"', { path: 'file' });
    const part = next.value;
    if (part.type === 'field') {
      if (typeof part.value !== 'string' || part.valueTruncated)
        throw new VigilError('evidence.upload_invalid', `the field "${part.fieldname}" must be a short text`, {
          path: part.fieldname,
        });
      if (Object.hasOwn(fields, part.fieldname))
        throw new VigilError('evidence.upload_invalid', `the field "${part.fieldname}" is sent twice`, {
          path: part.fieldname,
        });
      if (part.value !== '') fields[part.fieldname] = part.value;
      continue;
    }
    if (part.fieldname !== 'file') {
      throw new VigilError('evidence.upload_invalid', `the file part must be named "file", not "${part.fieldname}"`, {
        path: part.fieldname,
      });
    }
    if (fields.allegationId === undefined && fields.sourceId === undefined) {
      throw new VigilError(
        'evidence.upload_invalid',
        'the file came before allegationId (or sourceId): send the fields first, then the file part',
        { path: 'allegationId' },
      );
    }
    const meta: Record<string, string> = { ...fields };
    const name = fileName(part.filename);
    const type = declaredType(part.mimetype);
    if (meta.originalName === undefined && name !== undefined) meta.originalName = name;
    if (meta.mediaType === undefined && type !== undefined) meta.mediaType = type;
    return fileEvidence(svc, actor, fileThenEnd(part, parts), meta, { maxBytes });
  }
}

/**
 * Holds back the last chunk until the stream before it has ended cleanly. The blob store's
 * read re-hashes the bytes and fails at the very end on a mismatch (EV3); holding one chunk
 * back turns that failure into a response cut short of its Content-Length, which every HTTP
 * client reports, instead of a complete-looking body of altered bytes.
 */
function holdLastChunk(): Transform {
  let held: Buffer | undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const previous = held;
      held = chunk;
      done(null, previous);
    },
    flush(done) {
      done(null, held);
    },
  });
}

/** `attachment; filename="cell.jpg"; filename*=UTF-8''…`, safe for any stored name. */
function attachment(name: string | null, id: string): string {
  const raw = name ?? `evidence-${id}`;
  const ascii = raw.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(raw)}`;
}

/**
 * Evidence files: upload (multipart, streamed), metadata and custody log, download (always as
 * an attachment, logged), manual custody actions, working copies, and an allegation's items.
 * Multipart parsing is registered in this plugin only: every other route stays JSON-only.
 */
export const evidenceRoutes: FastifyPluginAsyncZod<{ svc: Services }> = async (app, { svc }) => {
  // The global JSON body limit does not reach the multipart stream (the parser does not buffer it);
  // the file's own limit (VIGIL_MAX_UPLOAD_BYTES) is applied per request, as the bytes arrive.
  await app.register(fastifyMultipart, { throwFileSizeLimit: true });

  app.post(
    '/evidence',
    {
      config: { access: HANDLERS },
      schema: {
        tags: ['evidence'],
        summary:
          'File a file as evidence (multipart/form-data): text fields first, then one part named "file", streamed and hashed as it arrives',
        description:
          `Fields (all text, all before the file): ${FIELDS.join(', ')}; allegationId or sourceId is required. ` +
          'The file part must come last: fields sent after it are refused (evidence.upload_invalid) and nothing is kept. ' +
          'Its name and declared type fill originalName and mediaType when those fields are absent; the stored media type is what the bytes are. ' +
          'Larger than VIGIL_MAX_UPLOAD_BYTES (default 4 GiB): 413 evidence.too_large, nothing kept. ' +
          'The same bytes under the same allegation and source answer 200 with duplicate: true (a `received` custody event); a new item answers 201. ' +
          'A browser session sends its CSRF token in x-csrf-token, as for every write.',
        consumes: ['multipart/form-data'],
        response: { 200: FiledBody, 201: FiledBody, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      try {
        const maxBytes = maxUploadBytesFromEnv();
        const length = Number(req.headers['content-length']);
        if (Number.isFinite(length) && length > maxBytes + ENVELOPE_BYTES) {
          throw new VigilError('evidence.too_large', `the file is larger than the limit of ${maxBytes} bytes`, {
            path: 'file',
          });
        }
        const filed = await receiveUpload(req, svc, actor, maxBytes);
        return reply.code(filed.duplicate ? 200 : 201).send(filed);
      } catch (err) {
        // The rest of a refused upload is not worth reading: end the connection after the answer.
        if (!req.raw.readableEnded) reply.header('connection', 'close');
        throw err;
      }
    },
  );

  app.get(
    '/evidence/:id',
    {
      config: { access: 'authenticated', record: 'evidence_item' },
      schema: {
        tags: ['evidence'],
        summary: 'An evidence item: its metadata and its custody log (who did what to it, when and why)',
        params: IdParams,
        response: { 200: EvidenceItemView.extend({ custody: z.array(CustodyEvent) }), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const { item, custody } = await getEvidence(svc, actorOf(req), req.params.id);
      return { ...present(item), custody };
    },
  );

  app.get(
    '/evidence/:id/content',
    {
      config: { access: 'authenticated', record: 'evidence_item' },
      schema: {
        tags: ['evidence'],
        summary:
          'Download the stored bytes, always as an attachment; the download and its purpose go in the custody log',
        description:
          'The bytes are re-hashed as they are sent: altered bytes end the response before its Content-Length (and the mismatch is logged). ' +
          'Never rendered inline: Content-Disposition attachment, X-Content-Type-Options nosniff and a sandboxing content security policy.',
        params: IdParams,
        querystring: z.strictObject({ purpose: Line.describe('Why the file is downloaded, for the custody log') }),
        response: { 200: z.string().describe('The file, byte for byte as filed'), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const { item, stream } = await openEvidence(svc, actorOf(req), req.params.id, {
        action: 'downloaded',
        purpose: req.query.purpose,
      });
      const out = holdLastChunk();
      pipeline(stream, out, () => undefined);
      reply.header('content-type', item.mediaType);
      reply.header('content-length', String(item.size));
      reply.header('content-disposition', attachment(item.originalName, item.id));
      reply.header('x-content-type-options', 'nosniff');
      reply.header('content-security-policy', "default-src 'none'; sandbox");
      reply.header('cache-control', 'no-store');
      // A stream is sent as it is read, never serialised: the string schema only documents the body.
      return reply.send(out as Readable as unknown as string);
    },
  );

  app.post(
    '/evidence/:id/custody',
    {
      config: { access: HANDLERS, record: 'evidence_item' },
      schema: {
        tags: ['evidence'],
        summary:
          'Record a custody action done by hand: received, analysed, transferred (with the recipient) or verified',
        params: IdParams,
        body: CustodyEventInput.omit({ evidenceItemId: true }),
        response: { 201: z.object({ id: z.string() }), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const made = await recordCustody(svc, actorOf(req), { ...req.body, evidenceItemId: req.params.id });
      return reply.code(201).send(made);
    },
  );

  app.post(
    '/evidence/:id/working-copy',
    {
      config: { access: HANDLERS, record: 'evidence_item' },
      schema: {
        tags: ['evidence'],
        summary:
          'Make a working copy of an image for viewing or publishing: EXIF, GPS, XMP and IPTC stripped; the original stays untouched',
        description:
          'JPEG, PNG, WebP, TIFF, GIF and AVIF. Other files are refused with evidence.working_copy_unsupported (422): Vigil cannot strip their ' +
          'metadata reliably, and a byte copy would still carry it. Custody: `copied` on the original, `derived` on the new copy.',
        params: IdParams,
        body: z
          .strictObject({ purpose: Line.optional().describe('Why the copy is made, for the custody log') })
          .nullish(),
        response: { 200: WorkingCopyBody, 201: WorkingCopyBody, ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const copy = await makeWorkingCopy(svc, actorOf(req), req.params.id, { purpose: req.body?.purpose });
      return reply.code(copy.created ? 201 : 200).send(copy);
    },
  );

  app.get(
    '/allegations/:id/evidence',
    {
      config: { access: 'authenticated', record: 'allegation' },
      schema: {
        tags: ['evidence'],
        summary: "An allegation's evidence items, originals and working copies, oldest first",
        params: IdParams,
        response: { 200: z.object({ items: z.array(EvidenceItemView) }), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const id = await visibleAllegationId(svc, actorOf(req), req.params.id);
      // An item also filed under a source of a case outside the actor's teams stays out (need-to-know).
      const items = await evidenceOfAllegation(svc, actorOf(req), id);
      return { items: items.map(present) };
    },
  );
};
