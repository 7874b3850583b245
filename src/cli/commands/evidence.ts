import { createReadStream, createWriteStream } from 'node:fs';
import { link, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VigilError } from '../../domain/errors.ts';
import type { Services } from '../../services/context.ts';
import {
  fileEvidence,
  getEvidence,
  maxUploadBytesFromEnv,
  openEvidence,
  type Filed,
} from '../../services/evidence.service.ts';
import { evidenceToken, type StampOutcome } from '../../services/evidence-timestamp.service.ts';
import { formatBytes, startProgress } from '../progress.ts';
import { consoleActor } from '../runtime.ts';

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/** The size of a regular file, or a one-line error naming it. */
async function fileSize(file: string): Promise<number> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new VigilError('validation.invalid', `${file} is not a file`, { path: 'file' });
    return s.size;
  } catch (err) {
    if (isCode(err, 'ENOENT')) throw new VigilError('validation.invalid', `no file ${file}`, { path: 'file' });
    if (isCode(err, 'EACCES')) throw new VigilError('validation.invalid', `cannot read ${file}`, { path: 'file' });
    throw err;
  }
}

/** Counts bytes as they pass, for the progress bar. */
function counting(onBytes: (n: number) => void): Transform {
  let done = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      onBytes(done);
      cb(null, chunk);
    },
  });
}

/**
 * `vigil evidence add FILE --allegation ID`: files a file as the console operator, streamed and
 * hashed as it is read (never held in memory), with a progress bar on big files.
 */
export async function evidenceAddCommand(
  svc: Services,
  file: string,
  opts: { allegation: string; source?: string; purpose?: string },
): Promise<Filed & { timestamp?: StampOutcome }> {
  const size = await fileSize(file);
  const bar =
    size >= 16 * 1024 * 1024
      ? startProgress('hashing and storing', size, { unit: 'bytes', format: formatBytes })
      : undefined;
  const bytes = createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(counting((n) => bar?.update(n)));
  let filed: Filed;
  try {
    filed = await fileEvidence(
      svc,
      consoleActor(),
      bytes,
      {
        allegationId: opts.allegation,
        sourceId: opts.source,
        purpose: opts.purpose,
        originalName: path.basename(file),
      },
      { maxBytes: maxUploadBytesFromEnv() },
    );
  } finally {
    bar?.stop();
    bytes.destroy();
  }
  // The filing is committed; the token was asked for in the background. Wait for it (bounded by
  // the TSA timeout) only to say what came of it before the database closes.
  const timestamp = (await svc.timestamps?.settle())?.find((o) => o.sha256 === filed.sha256);
  return timestamp ? { ...filed, timestamp } : filed;
}

/** What `evidence add` prints: the id and the hash on the first line, tab-separated, then what happened. */
export function describeFiled(f: Filed & { timestamp?: StampOutcome }): string[] {
  const what = f.duplicate
    ? 'already filed: the same file under the same allegation and source (receipt logged)'
    : f.linked
      ? 'new item; the same bytes were already stored, so they are shared'
      : 'new item';
  const lines = [`${f.id}\t${f.sha256}`, `${formatBytes(f.size)}, ${f.mediaType}; ${what}`];
  if (f.timestamp?.ok)
    lines.push(
      `timestamp: the TSA's token says ${f.timestamp.genTime}${f.timestamp.already ? ' (the same bytes were time-stamped before)' : ''}`,
    );
  else if (f.timestamp)
    lines.push(
      `timestamp: no token yet (${f.timestamp.error}); the filing stands, and \`vigil timestamp\` or the server asks again`,
    );
  return lines;
}

/** `vigil evidence show ID`: the item's metadata, then its custody log, one event a line. */
export async function evidenceShowCommand(svc: Services, id: string): Promise<string[]> {
  const { item, custody } = await getEvidence(svc, consoleActor(), id);
  const token = await evidenceToken(svc.store, item.sha256);
  const row = (label: string, value: string | number | null) =>
    value === null || value === '' ? [] : [`${label.padEnd(15)}${value}`];
  return [
    ...row('id', item.id),
    ...row('external id', item.externalId),
    ...row('sha256', item.sha256),
    ...row('size', `${Number(item.size)} bytes (${formatBytes(Number(item.size))})`),
    ...row('media type', item.mediaType),
    ...row('original name', item.originalName),
    ...row('allegation', item.allegationId),
    ...row('source', item.sourceId),
    ...row('copy', item.copyKind),
    ...row('parent sha256', item.parentSha256),
    ...row('transformation', item.transformation),
    ...row('captured from', item.capturedFrom),
    ...row('captured at', item.capturedAt),
    ...row('captured by', item.capturedBy),
    ...row('tool', item.tool),
    ...row('filed at', item.createdAt),
    ...row('timestamp', token ? `${token.genTime} (RFC 3161 token from ${token.tsa})` : null),
    'custody:',
    ...custody.map((c) =>
      ['', c.at, c.action, c.actor, c.purpose ?? '', c.recipient ? `to ${c.recipient}` : ''].join('\t').trimEnd(),
    ),
  ];
}

/**
 * `vigil evidence get ID --out FILE --purpose TEXT`: writes the stored bytes to FILE, logging a
 * `downloaded` custody event with the purpose. The bytes go to a temporary file first and take
 * FILE's name only once their hash has checked out: altered bytes never appear under FILE, and
 * an existing FILE is never overwritten.
 */
export async function evidenceGetCommand(
  svc: Services,
  id: string,
  opts: { out: string; purpose: string },
): Promise<{ sha256: string; size: number; out: string }> {
  try {
    await stat(opts.out);
    throw new VigilError('validation.invalid', `${opts.out} already exists; choose another file`, { path: 'out' });
  } catch (err) {
    if (!isCode(err, 'ENOENT')) throw err;
  }
  const { item, stream, mismatchLogged } = await openEvidence(svc, consoleActor(), id, {
    action: 'downloaded',
    purpose: opts.purpose,
  });
  const size = Number(item.size);
  const tmp = `${opts.out}.${process.pid}.part`;
  const bar =
    size >= 16 * 1024 * 1024
      ? startProgress('reading and checking', size, { unit: 'bytes', format: formatBytes })
      : undefined;
  try {
    await pipeline(
      stream,
      counting((n) => bar?.update(n)),
      createWriteStream(tmp, { flags: 'wx', mode: 0o600 }),
    );
    // A hard link fails rather than replace a file that appeared meanwhile.
    await link(tmp, opts.out).catch((err: unknown) => {
      if (isCode(err, 'EEXIST'))
        throw new VigilError('validation.invalid', `${opts.out} already exists; choose another file`, { path: 'out' });
      throw err;
    });
  } finally {
    bar?.stop();
    await unlink(tmp).catch(() => undefined);
    await mismatchLogged();
  }
  return { sha256: item.sha256, size, out: opts.out };
}
